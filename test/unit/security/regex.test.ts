// ReDoS check of every regular expression in src/ with recheck: none exponential, and each
// polynomial one either fixed or listed in KNOWN_POLYNOMIAL with the size cap that bounds its
// input (a constant of src/shared/limits.ts used in that file). The grammar's patterns go through
// recheck's automaton checker (those with lookaround, which it cannot read, are covered by the
// structural rule and the hostile lines of test/unit/grammar/hostile.test.ts; the full check with
// the fuzzer takes over ten minutes: HOSTILE_GRAMMAR_RECHECK=1 node scripts/bench/hostile.js).
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as limits from '../../../src/shared/limits';
import { repoRoot } from '../../support/paths';
import { KNOWN_POLYNOMIAL, checkAll, sourceRegexes, toJs } from './regexes';

describe('regular expressions', () => {
  it('finds the regexes of src/, literals and new RegExp alike', () => {
    const all = sourceRegexes();
    assert.ok(all.length > 100, `only ${all.length}`);
    assert.ok(all.some((r) => r.where.startsWith('src/language/core/haproxy/checkOutput.ts:')));
    assert.equal(toJs(String.raw`\G[ \t]++(?>a|b)\h*+`), String.raw`^[ \t]+(?:a|b)[0-9A-Fa-f]*`);
  });

  it('no exponential regex, every polynomial one listed, every listed cap exists where it is used', () => {
    const r = checkAll({ grammar: 'automaton' });
    assert.deepEqual(
      r.exponential.map((x) => `${x.where} /${x.source}/`),
      [],
    );
    assert.deepEqual(
      r.unlisted.map((x) => `${x.where} /${x.source}/`),
      [],
    );
    for (const k of KNOWN_POLYNOMIAL.filter((x) => x.cap)) {
      assert.equal(typeof (limits as Record<string, unknown>)[k.cap!], 'number', k.cap);
      const users = [
        'src/language/core/localManual.ts',
        'src/dataplane/core/secretImport.ts',
        'src/dataplane/core/connection.ts',
      ];
      assert.ok(
        users.some((f) => fs.readFileSync(path.join(repoRoot, f), 'utf8').includes(k.cap!)),
        `${k.cap} is not used`,
      );
    }
    // Visible in the test output: what stays uncapped and what recheck could not decide.
    for (const x of r.polynomialUncapped) console.log(`polynomial, uncapped: ${x.where} /${x.source}/`);
    for (const x of r.unknown) console.log(`no verdict: ${x.regex.where} /${x.regex.source}/ (${x.reason})`);
  });
});
