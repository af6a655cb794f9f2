// Parity with HAProxy on real-world files (haproxyConfigsDir): no error of ours where HAProxy
// accepts a file; every genuine error HAProxy reports lands on its line through our reading of
// `haproxy -c` output (live run, when haproxy is installed). How many of those our static checks
// catch on their own is a figure, printed, not asserted.

import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { diagnose } from '../../../src/language/core/analysis/diagnostics';
import { checkMessagesToDiagnostics } from '../../../src/language/core/haproxy/checkDiagnostics';
import { namesCheckedFile, runHaproxyCheck } from '../../../src/language/core/haproxy/runCheck';
import { parseConfig } from '../../../src/shared/haproxy-config/parser';
import { findInPath } from '../../support/binaries';
import { keywords, referenceFiles, referencePath } from '../../support/corpus';

const valid = referenceFiles('valid');
const invalid = referenceFiles('invalid');
const haproxy = findInPath('haproxy');

describe(
  'parity with HAProxy on real-world configurations',
  { skip: valid.length === 0 ? 'reference configurations not found' : false },
  () => {
    it('reports no error on the files HAProxy accepts', () => {
      assert.ok(valid.length >= 50, `only ${valid.length} valid files`);
      const errors: string[] = [];
      for (const f of valid) {
        const d = diagnose(parseConfig(f.text, { haproxyVersion: '2.6' }), { keywords });
        for (const x of d) if (x.severity === 'error') errors.push(`${f.name}:${x.line + 1}: ${x.code}: ${x.message}`);
      }
      assert.deepEqual(errors, []);
    });

    it(
      'places every genuine error of a live haproxy -c run on the line HAProxy names',
      { skip: haproxy ? false : 'haproxy is not installed', timeout: 120_000 },
      async (t) => {
        let expected = 0;
        let placed = 0;
        let caughtStatically = 0;
        const missed: string[] = [];
        const queue = [...invalid];
        const worker = async (): Promise<void> => {
          for (let f = queue.shift(); f; f = queue.shift()) {
            const model = parseConfig(f.text, { haproxyVersion: '2.6' });
            const result = await runHaproxyCheck({
              binary: haproxy!,
              text: f.text,
              fileName: f.name,
              cwd: path.dirname(referencePath('invalid', f.name)),
              timeoutMs: 20_000,
            });
            const ours = checkMessagesToDiagnostics(result.messages, model, (m) =>
              namesCheckedFile(m, result.checkedPath),
            );
            const fromHaproxy = new Set(ours.filter((d) => d.severity === 'error').map((d) => d.line + 1));
            const staticErrors = new Set(
              diagnose(model, { keywords })
                .filter((d) => d.severity === 'error')
                .map((d) => d.line + 1),
            );
            for (const e of f.expected.errors) {
              if (e.reason !== 'genuine-error' || e.line === null) continue;
              expected++;
              if (fromHaproxy.has(e.line)) placed++;
              else missed.push(`${f.name}:${e.line}: ${e.message}`);
              if (staticErrors.has(e.line)) caughtStatically++;
            }
          }
        };
        await Promise.all([worker(), worker()]);
        assert.ok(expected > 100, `only ${expected} genuine errors`);
        assert.deepEqual(missed, []);
        assert.equal(placed, expected);
        const share = ((100 * caughtStatically) / expected).toFixed(1);
        t.diagnostic(
          `genuine HAProxy errors: ${expected}; placed from haproxy -c output: ${placed}; ` +
            `caught by static checks alone: ${caughtStatically} (${share}%)`,
        );
        console.log(
          `[parity] genuine HAProxy errors ${expected}, placed ${placed}, static ${caughtStatically} (${share}%)`,
        );
      },
    );
  },
);
