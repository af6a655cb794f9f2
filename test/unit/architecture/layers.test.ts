// The unit layer starts no process and opens no server: a test under test/unit that needs HAProxy, an
// emulator, an API server, code-server or any child process belongs under test/live. Checked statically
// on the imports of every file under test/unit and of the test helpers they reach (src/ is not followed:
// a unit test may import a module that can spawn, to test its pure parts).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../../support/paths';

const testDir = path.join(repoRoot, 'test');

/** Modules that start processes or servers; `pure` lists the named imports that do neither. */
const FORBIDDEN: Record<string, { pure: readonly string[] }> = {
  child_process: { pure: [] },
  cluster: { pure: [] },
  worker_threads: { pure: [] },
  net: { pure: ['isIP', 'isIPv4', 'isIPv6'] },
  dgram: { pure: [] },
  http: { pure: [] },
  https: { pure: [] },
  http2: { pure: [] },
  tls: { pure: [] },
};

/** Test folders (and helpers) that start processes or servers. */
const FORBIDDEN_TEST_PATHS = [
  'test/fixtures/',
  'test/lab/',
  'test/harness/',
  'test/live/',
  'test/ui/',
  'test/integration/',
  'test/electron/',
  'test/support/fault-proxy.ts',
  'test/support/ports.ts',
  'test/support/traffic.ts',
];

export interface ImportUse {
  specifier: string;
  typeOnly: boolean;
  /** The named imports, or undefined for a namespace, default, side-effect or dynamic import. */
  names?: string[];
}

/** Every import, re-export, require() and import() in `source`. */
export function importsOf(source: string): ImportUse[] {
  const uses: ImportUse[] = [];
  const text = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const staticImport = /\b(import|export)\s+(type\s+)?([\s\S]*?)\s+from\s+['"]([^'"]+)['"]/g;
  for (const m of text.matchAll(staticImport)) {
    const clause = m[3];
    const braces = /^\{([\s\S]*)\}$/.exec(clause.trim());
    const names = braces
      ? braces[1]
          .split(',')
          .map((n) => n.trim())
          .filter((n) => n && !n.startsWith('type '))
          .map((n) => n.split(/\s+as\s+/)[0])
      : undefined;
    uses.push({ specifier: m[4], typeOnly: Boolean(m[2]) || (names !== undefined && names.length === 0), names });
  }
  for (const m of text.matchAll(/\bimport\s+['"]([^'"]+)['"]/g)) uses.push({ specifier: m[1], typeOnly: false });
  for (const m of text.matchAll(/\b(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    uses.push({ specifier: m[1], typeOnly: false });
  }
  return uses;
}

/** Why `use`, imported by `file`, starts a process or a server; undefined when it does not. */
export function violation(file: string, use: ImportUse): string | undefined {
  if (use.typeOnly) return undefined;
  const builtin = FORBIDDEN[use.specifier.replace(/^node:/, '')];
  if (builtin) {
    const extra = use.names?.filter((n) => !builtin.pure.includes(n));
    if (use.names === undefined || (extra && extra.length > 0)) return `imports ${use.specifier}`;
    return undefined;
  }
  if (!use.specifier.startsWith('.')) return undefined;
  const target = path
    .relative(repoRoot, path.resolve(path.dirname(file), use.specifier))
    .split(path.sep)
    .join('/');
  const hit = FORBIDDEN_TEST_PATHS.find((p) => (p.endsWith('/') ? `${target}/`.startsWith(p) : `${target}.ts` === p));
  return hit ? `imports ${use.specifier} (${hit})` : undefined;
}

function resolveTestFile(from: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(from), specifier);
  if (!base.startsWith(testDir + path.sep)) return undefined;
  return [`${base}.ts`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f));
}

/** The problems of `file` and of the test helpers it reaches, as "file: reason" lines. */
function problemsOf(file: string, seen: Set<string>): string[] {
  if (seen.has(file)) return [];
  seen.add(file);
  const problems: string[] = [];
  for (const use of importsOf(fs.readFileSync(file, 'utf8'))) {
    const why = violation(file, use);
    if (why) {
      problems.push(`${path.relative(repoRoot, file)}: ${why}`);
      continue;
    }
    const next = use.specifier.startsWith('.') ? resolveTestFile(file, use.specifier) : undefined;
    if (next) problems.push(...problemsOf(next, seen));
  }
  return problems;
}

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? tsFiles(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

describe('test layers', () => {
  it('recognises what starts a process or a server, and what does not', () => {
    const unitFile = path.join(testDir, 'unit', 'x', 'a.test.ts');
    const flagged = (source: string) =>
      importsOf(source)
        .map((u) => violation(unitFile, u))
        .filter(Boolean);
    assert.equal(flagged("import { spawn } from 'node:child_process';").length, 1);
    assert.equal(flagged("import * as net from 'node:net';").length, 1);
    assert.equal(flagged("import { createServer } from 'net';").length, 1);
    assert.equal(flagged("const http = require('node:http');").length, 1);
    assert.equal(flagged("const cp = await import('child_process');").length, 1);
    assert.equal(flagged("import { startDataPlane } from '../../fixtures/dataplane';").length, 1);
    assert.equal(flagged("import { freePort } from '../../support/ports';").length, 1);
    assert.equal(flagged("export { liveSuite } from '../../live/dataplane/liveSuite';").length, 1);
    assert.deepEqual(
      flagged(
        [
          "import type { AddressInfo } from 'node:net';",
          "import { isIPv4, type Socket } from 'node:net';",
          "import * as fs from 'node:fs';",
          "import { waitFor } from '../../support/wait';",
          '// import { spawn } from "node:child_process";',
        ].join('\n'),
      ),
      [],
    );
  });

  it('no file under test/unit starts a process or a server (those go under test/live)', () => {
    const seen = new Set<string>();
    // This file names forbidden imports in its samples, as strings.
    const files = tsFiles(path.join(testDir, 'unit')).filter((f) => path.basename(f) !== 'layers.test.ts');
    assert.ok(files.length > 20, `found ${files.length} unit files`);
    const problems = files.flatMap((f) => problemsOf(f, seen));
    assert.deepEqual(problems, [], 'move these tests under test/live/<same folder>');
  });
});
