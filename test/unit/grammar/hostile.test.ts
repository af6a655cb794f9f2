// Hostile lines through the shipped grammar: long runs of blanks and separators must tokenize in
// one pass (before the possessive runs, the first line below took over a minute in one regex
// search, which VS Code's tokenizer time limit cannot interrupt). Inputs are bounded (20,000
// characters, VS Code's default maxTokenizationLineLength); speed is measured by the bench.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { INITIAL, type IGrammar } from 'vscode-textmate';
import { repoRoot } from '../../support/paths';
import { generateConfig } from '../../support/generate-config';
import { loadGrammar, loadScript, splitLines, tokenizeLines } from './textmate';

const LINE = 20_000;

let grammar: IGrammar;

before(async () => {
  grammar = await loadGrammar();
});

function lastTokens(header: string, line: string): { text: string; scopes: string[] }[] {
  const all = tokenizeLines(grammar, [header, line]);
  return all[all.length - 1];
}

function pad(prefix: string, run: string): string {
  return prefix + run.repeat(Math.ceil(LINE / run.length)).slice(0, LINE - prefix.length - 1) + 'x';
}

describe('hostile lines', () => {
  test('a server line with 20,000 blanks before its last word keeps its scopes', () => {
    const tokens = lastTokens('backend b', pad('    server s1 1.2.3.4:80', ' '));
    assert.ok(tokens.some((t) => t.text === '1.2.3.4' && t.scopes.some((s) => s.startsWith('constant.numeric.ip'))));
    assert.equal(tokens.map((t) => t.text).join(''), pad('    server s1 1.2.3.4:80', ' '));
    assert.ok(tokens[tokens.length - 1].text.endsWith('x'));
  });

  test('runs of blanks, tabs and separators after every kind of directive tokenize whole', () => {
    const prefixes = [
      '    server s1',
      '    bind',
      '    log',
      '    http-request set-header X',
      '    timeout client',
      '    acl a path',
    ];
    for (const run of [' ', '\t', ':', '=', '[', '(', '%[', '"', "'", ',', '"${a-']) {
      for (const prefix of prefixes) {
        const line = pad(prefix, run);
        // tokenizeLine2 (what VS Code calls): tokens as [start, metadata] pairs, in order.
        const header = grammar.tokenizeLine('listen l', INITIAL).ruleStack;
        const { tokens, stoppedEarly } = grammar.tokenizeLine2(line, header);
        assert.equal(stoppedEarly, false);
        assert.equal(tokens[0], 0);
        for (let i = 2; i < tokens.length; i += 2) assert.ok(tokens[i] > tokens[i - 2] && tokens[i] < line.length);
      }
    }
  });

  test(
    'adjacent quoted parts are one string token (one word for HAProxy), ' + 'so a run of quotes is not 10,000 tokens',
    () => {
      const single = lastTokens('backend b', "    timeout client 'a''b'");
      assert.ok(single.some((t) => t.text === "a''b" && t.scopes.some((s) => s.startsWith('string.quoted.single'))));
      const cases = [
        ['listen l', '    bind ', '"'],
        ['backend b', '    .if ', '"'],
        ['frontend f', '    log ', "'"],
        ['backend b', '    .if ', '('],
        ['listen l', '    server s1 ', '\\'],
        ['listen l', '    log ', ','],
      ];
      for (const [header, prefix, run] of cases) {
        const line = pad(prefix, run);
        const { tokens } = grammar.tokenizeLine2(line, grammar.tokenizeLine(header, INITIAL).ruleStack);
        assert.ok(tokens.length / 2 < 20, `${JSON.stringify(prefix + run)}: ${tokens.length / 2} tokens`);
      }
    },
  );

  test('every skipped run of the grammar is possessive, and guarded where a pattern can start with it', async () => {
    const { hardenRuns } = await loadScript<{ hardenRuns(re: string): string }>('generate-grammar.js');
    assert.equal(hardenRuns(String.raw`[ \t]+(a|b)|x[ \t,=]*(\d)`), String.raw`(?<![ \t])[ \t]++(a|b)|x[ \t,=]*+(\d)`);
    assert.equal(hardenRuns(String.raw`(?<=x)(?:[ \t(,=]+y)`), String.raw`(?<=x)(?:(?<![ \t(,=])[ \t(,=]++y)`);
    const text = fs.readFileSync(path.join(repoRoot, 'syntaxes', 'haproxy.tmLanguage.json'), 'utf8');
    // A greedy run left in the shipped grammar: `[ \t]+` not followed by a second quantifier.
    assert.doesNotMatch(text, /\[ \\\\t(?:\(?,=)?\][+*](?![+?])/);
  });

  test('the start-position anchor comes first, so that Oniguruma tries such a pattern at one position', async () => {
    const { anchorFirst } = await loadScript<{ anchorFirst(re: string): string }>('generate-grammar.js');
    assert.equal(anchorFirst(String.raw`(?<=x|\))\Gy`), String.raw`\G(?<=x|\))y`);
    assert.equal(anchorFirst(String.raw`(?<!a(b))(?=[)])\G[ \t]`), String.raw`\G(?<!a(b))(?=[)])[ \t]`);
    assert.equal(anchorFirst(String.raw`(?<=x)y\G`), String.raw`(?<=x)y\G`);
    assert.equal(anchorFirst(String.raw`(a)\G`), String.raw`(a)\G`);
    const regexes: string[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object')
        for (const [k, v] of Object.entries(node))
          if (typeof v === 'string' && ['match', 'begin', 'end', 'while'].includes(k)) regexes.push(v);
          else walk(v);
    };
    walk(JSON.parse(fs.readFileSync(path.join(repoRoot, 'syntaxes', 'haproxy.tmLanguage.json'), 'utf8')));
    for (const re of regexes) assert.equal(anchorFirst(re), re, `\\G behind a leading lookaround: ${re.slice(0, 80)}`);
  });

  test('the hardened grammar tokenizes a realistic configuration exactly as the grammar before it', async () => {
    const baseline = JSON.parse(
      fs.readFileSync(path.join(repoRoot, 'scripts', 'bench', 'baseline', 'haproxy.tmLanguage.json'), 'utf8'),
    ) as object;
    const before = await loadGrammar(baseline);
    const lines = splitLines(generateConfig(3000, 7));
    assert.deepEqual(tokenizeLines(grammar, lines), tokenizeLines(before, lines));
  });
});
