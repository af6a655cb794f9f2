import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadKeywords } from '../../../src/language/core/keywords';
import { repoRoot } from '../../support/paths';

interface LanguageConfiguration {
  comments: { lineComment: string };
  autoClosingPairs: { open: string; close: string }[];
  wordPattern: string;
  indentationRules: { increaseIndentPattern: string; decreaseIndentPattern: string };
  onEnterRules: { beforeText: string; action: { indent: string } }[];
  folding: { offSide: boolean; markers: { start: string; end: string } };
}

const config = JSON.parse(
  fs.readFileSync(path.join(repoRoot, 'language-configuration.json'), 'utf8'),
) as LanguageConfiguration;

test('every section kind of the keyword data indents the next line, and nothing else does', () => {
  const increase = new RegExp(config.indentationRules.increaseIndentPattern);
  const onEnter = new RegExp(config.onEnterRules[0].beforeText);
  for (const kind of loadKeywords().sectionKinds) {
    for (const line of [kind, `${kind} name`, `  ${kind} fe from base`]) {
      assert.ok(increase.test(line), `increaseIndentPattern misses ${JSON.stringify(line)}`);
      assert.ok(onEnter.test(line), `onEnterRules miss ${JSON.stringify(line)}`);
    }
  }
  for (const line of [
    '    http-request deny',
    '    log global',
    '    cache-use x',
    'backends',
    '    server s1 1.2.3.4:80',
    '# frontend',
  ]) {
    assert.ok(!increase.test(line), `increaseIndentPattern matches ${JSON.stringify(line)}`);
  }
});

test('the word pattern keeps keywords, fetches and names whole', () => {
  const word = new RegExp(config.wordPattern, 'g');
  const words = (s: string): string[] => s.match(word) ?? [];
  assert.deepEqual(words('    http-request set-var(txn.x) req.hdr(host),lower'), [
    'http-request',
    'set-var',
    'txn.x',
    'req.hdr',
    'host',
    'lower',
  ]);
  assert.deepEqual(words('use_backend be_name if is_api'), ['use_backend', 'be_name', 'if', 'is_api']);
  assert.deepEqual(words('tune.ssl.default-dh-param 2048'), ['tune.ssl.default-dh-param', '2048']);
});

test('comments, auto-closing pairs and folding markers', () => {
  assert.equal(config.comments.lineComment, '#');
  assert.deepEqual(config.autoClosingPairs.map((p) => p.open).sort(), ['"', "'", '(', '[', '{']);
  // Sections have no end line, which folding markers need: sections fold by indentation
  // (off-side), conditional blocks by their markers.
  assert.equal(config.folding.offSide, true);
  assert.ok(new RegExp(config.folding.markers.start).test('  .if defined(X)'));
  assert.ok(new RegExp(config.folding.markers.end).test('.endif'));
  assert.ok(!new RegExp(config.folding.markers.start).test('    http-request deny if x'));
});
