// Fuzzing: 100,000 seeded inputs (random text, and real configurations cut and mutated) through the
// parser, the diagnostics, incremental re-parsing and every editor feature. Nothing may throw; a
// hang fails the test through its timeout. Deterministic: the same seed gives the same inputs.

import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { diagnose } from '../../../src/language/core/analysis/diagnostics';
import { codeActionsFor } from '../../../src/language/core/features/codeActions';
import { complete } from '../../../src/language/core/features/completion';
import { foldingRanges } from '../../../src/language/core/features/folding';
import { formatConfig } from '../../../src/language/core/features/formatting';
import { hoverAt } from '../../../src/language/core/features/hover';
import {
  definitionsAt,
  highlightsAt,
  prepareRename,
  referencesAt,
} from '../../../src/language/core/features/navigation';
import { outline } from '../../../src/language/core/features/outline';
import { signatureAt } from '../../../src/language/core/features/signature';
import type { ConfigModel } from '../../../src/shared/haproxy-config/configModel';
import { parseConfig, reparse } from '../../../src/shared/haproxy-config/parser';
import { corpusFiles, keywords, prng, referenceFiles } from '../../support/corpus';

const CASES = 100_000;
const SPECIAL = [
  '"',
  "'",
  '\\',
  '#',
  '$',
  '{',
  '}',
  '(',
  ')',
  '[',
  ']',
  '%',
  ',',
  '!',
  '@',
  ':',
  '.',
  ' ',
  '\t',
  '\r',
  '-',
  '/',
  '*',
  '\u00e9',
  '\u{1F600}',
  '\u0000',
];
const SNIPPETS = [
  'frontend fe',
  'backend be',
  'listen li',
  'defaults',
  'defaults d from x',
  'global',
  'userlist u',
  'peers p',
  'resolvers r',
  'cache c',
  '.if defined(X)',
  '.if version_atleast(2.5)',
  '.elif 1',
  '.else',
  '.endif',
  '.notice "x"',
  'bind :80',
  'bind :::443 ssl crt /x.pem',
  'server s1 1.2.3.4:80 check',
  'server-template s 3 app:80',
  'acl a path_beg /x',
  'use_backend be if a',
  'default_backend be',
  'http-request set-header X %[req.hdr(host),lower]',
  'http-request deny if { src 10.0.0.0/8 } || !a',
  'stick-table type ip size 1m',
  'http-request track-sc0 src table be',
  'timeout client 5s',
  'mode http',
  'option httplog',
  'no option httplog',
  'log global',
  'use-server s1 if TRUE',
  'errorfiles e',
  'http-request set-var(txn.x) src',
  '"${VAR-1}"',
  'server s "${ADDR}:80" resolvers r',
];

function mutate(text: string, rnd: () => number): string {
  let s = text;
  const n = 1 + Math.floor(rnd() * 4);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(rnd() * (s.length + 1));
    switch (Math.floor(rnd() * 6)) {
      case 0:
        s = s.slice(0, at) + SPECIAL[Math.floor(rnd() * SPECIAL.length)] + s.slice(at);
        break;
      case 1:
        s = s.slice(0, at) + s.slice(at + 1 + Math.floor(rnd() * 8));
        break;
      case 2:
        s = s.slice(0, at) + '\n' + SNIPPETS[Math.floor(rnd() * SNIPPETS.length)] + '\n' + s.slice(at);
        break;
      case 3: {
        const lines = s.split('\n');
        const a = Math.floor(rnd() * lines.length);
        const b = Math.floor(rnd() * lines.length);
        [lines[a], lines[b]] = [lines[b], lines[a]];
        s = lines.join('\n');
        break;
      }
      case 4:
        s = s.slice(0, at) + s.slice(Math.max(0, at - 20), at) + s.slice(at);
        break;
      default:
        s = s.slice(0, at);
    }
  }
  return s;
}

function randomText(rnd: () => number): string {
  const len = Math.floor(rnd() * 400);
  let s = '';
  for (let i = 0; i < len; i++) {
    const r = rnd();
    s +=
      r < 0.15
        ? '\n'
        : r < 0.5
          ? SPECIAL[Math.floor(rnd() * SPECIAL.length)]
          : String.fromCharCode(97 + Math.floor(rnd() * 26));
  }
  return s;
}

function exercise(model: ConfigModel, rnd: () => number): void {
  const diags = diagnose(model, { keywords });
  const line = Math.floor(rnd() * model.lines.length);
  const character = Math.floor(rnd() * (model.lines[line].length + 2));
  switch (Math.floor(rnd() * 10)) {
    case 0:
      complete(model, line, character, { keywords });
      break;
    case 1:
      hoverAt(model, line, character, { keywords });
      break;
    case 2:
      signatureAt(model, line, character, keywords);
      break;
    case 3:
      definitionsAt(model, line, character, keywords);
      referencesAt(model, line, character, true, keywords);
      break;
    case 4:
      prepareRename(model, line, character, keywords);
      highlightsAt(model, line, character, keywords);
      break;
    case 5:
      formatConfig(model, { indent: '  ', alignArguments: rnd() < 0.5 });
      break;
    case 6:
      outline(model);
      foldingRanges(model);
      break;
    case 7:
      codeActionsFor(model, diags, { indent: '    ', eol: '\n' });
      break;
    default:
      break;
  }
}

describe('fuzz', () => {
  it(`survives ${CASES} random and mutated configurations`, { timeout: 240_000 }, () => {
    const sources = [
      ...corpusFiles().map((f) => f.text),
      ...referenceFiles('valid').map((f) => f.text),
      ...referenceFiles('invalid').map((f) => f.text),
    ];
    const rnd = prng(20_241_126);
    let previous: ConfigModel | undefined;
    let previousText = '';
    let done = 0;
    for (let i = 0; i < CASES; i++) {
      let text: string;
      const kind = rnd();
      if (kind < 0.15) text = randomText(rnd);
      else {
        const src = sources[Math.floor(rnd() * sources.length)];
        const lines = src.split('\n');
        const start = Math.floor(rnd() * lines.length);
        text = mutate(lines.slice(start, start + 1 + Math.floor(rnd() * 40)).join('\n'), rnd);
      }
      try {
        const model =
          previous && rnd() < 0.3
            ? reparse(previous, mutate(previousText, rnd))
            : parseConfig(text, { haproxyVersion: '2.6' });
        exercise(model, rnd);
        previous = model;
        previousText = model.text;
      } catch (err) {
        assert.fail(`case ${i} threw on ${JSON.stringify(text)}: ${err instanceof Error ? err.stack : String(err)}`);
      }
      done++;
    }
    assert.equal(done, CASES);
  });
});
