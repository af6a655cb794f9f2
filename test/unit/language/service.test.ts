import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { reparseChanges, parseConfig } from '../../../src/shared/haproxy-config/parser';
import { LanguageService } from '../../../src/language/core/service';
import { corpus, prng, structure } from '../../support/corpus';

describe('LanguageService', () => {
  it('parses a document version once and shares the model', () => {
    const service = new LanguageService('2.6');
    let reads = 0;
    const text = (): string => {
      reads++;
      return corpus('http-basic.cfg');
    };
    const a = service.model('file:///a.cfg', 1, text);
    const b = service.model('file:///a.cfg', 1, text);
    assert.equal(a, b);
    assert.equal(reads, 1);
    assert.equal(service.diagnostics(a), service.diagnostics(a));
    assert.equal(service.keywords.version, '2.6');
  });

  it('follows editor change events and falls back when a change does not fit', () => {
    const service = new LanguageService('2.6');
    const uri = 'file:///b.cfg';
    const original = 'frontend f\n  bind :80\nbackend b\n';
    service.model(uri, 1, () => original);
    assert.equal(
      service.applyChanges(
        uri,
        2,
        [{ startLine: 1, startCharacter: 10, endLine: 1, endCharacter: 10, text: ',:81\n  default_backend b' }],
        5,
      ),
      true,
    );
    const model = service.model(uri, 2, () => assert.fail('the change event was enough'));
    assert.equal(model.text, 'frontend f\n  bind :80,:81\n  default_backend b\nbackend b\n');
    assert.equal(
      service.applyChanges(uri, 3, [{ startLine: 9, startCharacter: 0, endLine: 9, endCharacter: 0, text: 'x' }], 5),
      false,
    );
    assert.equal(service.peek(uri), undefined, 'an unusable event drops the model');
    assert.equal(service.applyChanges('file:///unknown.cfg', 1, [], 1), false);
  });
});

describe('reparseChanges', () => {
  it('gives the same model as a full parse, for random multi-change events', () => {
    const rnd = prng(99);
    const base = corpus('edge-large.cfg');
    let model = parseConfig(base);
    let text = base;
    for (let i = 0; i < 300; i++) {
      const lines = text.split('\n');
      const changes = [];
      // Several changes applied in order, as VS Code reports multi-cursor edits.
      for (let c = 0; c < 1 + Math.floor(rnd() * 3); c++) {
        const cur = text.split('\n');
        const startLine = Math.floor(rnd() * cur.length);
        const endLine = Math.min(cur.length - 1, startLine + Math.floor(rnd() * 2));
        const startCharacter = Math.floor(rnd() * (cur[startLine].length + 1));
        const endCharacter =
          startLine === endLine
            ? startCharacter + Math.floor(rnd() * (cur[endLine].length - startCharacter + 1))
            : Math.floor(rnd() * (cur[endLine].length + 1));
        const inserted = ['', 'x', '\n', '\nbackend z\n  server s 1.2.3.4:80', ' # c', '"'][Math.floor(rnd() * 6)];
        const change = { startLine, startCharacter, endLine, endCharacter, text: inserted };
        changes.push(change);
        const before =
          cur.slice(0, startLine).join('\n') + (startLine > 0 ? '\n' : '') + cur[startLine].slice(0, startCharacter);
        const after =
          cur[endLine].slice(endCharacter) + (endLine < cur.length - 1 ? '\n' : '') + cur.slice(endLine + 1).join('\n');
        text = before + inserted + after;
      }
      assert.ok(lines.length > 0);
      const next = reparseChanges(model, changes);
      assert.ok(next, `event ${i} applies`);
      assert.equal(next.text, text);
      assert.deepEqual(structure(next), structure(parseConfig(text)), `event ${i}`);
      model = next;
    }
  });
});
