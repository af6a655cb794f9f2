// The lint enforces the boundaries between capabilities (eslint.config.mjs, README Architecture):
// fixture imports linted as if they were files of src/, through ESLint's Node API.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';
import { repoRoot } from '../../support/paths';

const RULE = 'local/capability-boundaries';
const eslint = new ESLint({ cwd: repoRoot });

/** The boundary errors ESLint reports for `code` as if it were the file `file` (relative to the repository). */
async function boundaryErrors(code: string, file: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(repoRoot, file) });
  assert.ok(result, 'ESLint returned no result');
  const fatal = result.messages.filter((m) => m.fatal);
  assert.deepEqual(fatal, [], 'the fixture does not parse');
  return result.messages.filter((m) => m.ruleId === RULE).map((m) => m.message);
}

describe('capability boundaries (lint)', () => {
  it("fails a capability that reaches into another's internals", async () => {
    const errors = await boundaryErrors(
      "import { x } from '../../kubernetes/ui/nodes';\nexport const y = x;\n",
      'src/vip/ui/fixture.ts',
    );
    assert.equal(errors.length, 1, errors.join('\n'));
    assert.match(errors[0]!, /src\/kubernetes\/api\.ts/);
  });

  it('fails type imports, re-exports and core-to-core imports too', async () => {
    const code = [
      "import type { T } from '../../dataplane/core/client';",
      "export { withTransaction } from '../../dataplane/core/transaction';",
      "export * from '../../kubernetes';",
      'export type U = T;',
    ].join('\n');
    assert.equal((await boundaryErrors(`${code}\n`, 'src/vip/core/fixture.ts')).length, 3);
  });

  it('passes imports through api.ts, from shell and shared, and within the capability', async () => {
    const code = [
      "import type { KubernetesApi } from '../../kubernetes/api';",
      "import { withTransaction } from '../../dataplane/api';",
      "import { reportOutcome } from '../../shell/outcome';",
      "import { UserFacingError } from '../../shared/errors';",
      "import { planVip } from '../core/planner';",
      'export const all = [withTransaction, reportOutcome, UserFacingError, planVip];',
      'export type K = KubernetesApi;',
    ].join('\n');
    assert.deepEqual(await boundaryErrors(`${code}\n`, 'src/vip/ui/fixture.ts'), []);
  });

  it('fails shell and shared importing any capability, even its api.ts', async () => {
    const code = "import type { DataPlaneApi } from '../dataplane/api';\nexport type D = DataPlaneApi;\n";
    assert.equal((await boundaryErrors(code, 'src/shell/fixture.ts')).length, 1);
    assert.equal((await boundaryErrors(code, 'src/shared/fixture.ts')).length, 1);
  });

  it('lets the composition root import any capability', async () => {
    const code = "import { registerVip } from './vip/ui';\nexport const r = registerVip;\n";
    assert.deepEqual(await boundaryErrors(code, 'src/extension.ts'), []);
  });
});
