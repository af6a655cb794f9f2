// LanguageService.modelAsync: small documents and cached versions at once, a large document's first
// model parsed in time slices once for every request, newer versions built from it, aborts honoured.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { LanguageService } from '../../../src/language/core/service';
import { parseConfig } from '../../../src/shared/haproxy-config/parser';
import { LARGE_DOCUMENT_CHARS } from '../../../src/shared/limits';
import { corpus, structure } from '../../support/corpus';
import { generateConfig } from '../../support/generate-config';

const large = generateConfig(40000, 9);
const isAbort = (err: Error): boolean => err.name === 'AbortError';

/** A text getter that counts its calls. */
function reader(text: string): { read: () => string; reads: number } {
  const r = {
    reads: 0,
    read: () => {
      r.reads++;
      return text;
    },
  };
  return r;
}

/** `text` with `insert` put at the start of line `line`. */
function insertAt(text: string, line: number, insert: string): string {
  const lines = text.split('\n');
  lines[line] = insert + lines[line];
  return lines.join('\n');
}

describe('LanguageService.modelAsync', () => {
  it('answers a small document at once, from the same cache as model()', async () => {
    const service = new LanguageService('2.6');
    const r = reader(corpus('http-basic.cfg'));
    const a = await service.modelAsync('file:///s.cfg', 1, r.read);
    assert.equal(
      service.model('file:///s.cfg', 1, () => assert.fail('cached')),
      a,
    );
    assert.equal(await service.modelAsync('file:///s.cfg', 1, r.read), a);
    assert.equal(r.reads, 1);
  });

  it('parses a large document once for every request of the version, in slices', async () => {
    assert.ok(large.length > LARGE_DOCUMENT_CHARS, 'the test document is large');
    const service = new LanguageService('2.6');
    const r = reader(large);
    let turned = false;
    setImmediate(() => (turned = true));
    const first = service.modelAsync('file:///l.cfg', 1, r.read);
    const second = service.modelAsync('file:///l.cfg', 1, r.read);
    const [a, b] = await Promise.all([first, second]);
    assert.equal(a, b, 'one model shared');
    assert.equal(r.reads, 1, 'one parse: the second request waited on the first');
    assert.equal(turned, true, 'the event loop ran while it parsed');
    assert.deepEqual(structure(a), structure(parseConfig(large, { haproxyVersion: '2.6' })));
    assert.equal(service.peek('file:///l.cfg')?.model, a);
    assert.equal(await service.modelAsync('file:///l.cfg', 1, r.read), a);
  });

  it('builds a newer version requested meanwhile from the older parse', async () => {
    const service = new LanguageService('2.6');
    const uri = 'file:///n.cfg';
    const next = insertAt(large, 100, '  timeout connect 5s\n');
    const v1 = service.modelAsync(uri, 1, () => large);
    const v2 = service.modelAsync(uri, 2, () => next);
    const m2 = await v2;
    await v1;
    assert.equal(m2.text, next);
    assert.ok(m2.edit, 're-parsed incrementally from version 1, not parsed again');
    assert.deepEqual(structure(m2), structure(parseConfig(next, { haproxyVersion: '2.6' })));
    assert.equal(service.peek(uri)?.version, 2, 'the newer version is the one kept');
  });

  it('ends one request on its abort, while the others get the model', async () => {
    const service = new LanguageService('2.6');
    const uri = 'file:///a.cfg';
    const abort = new AbortController();
    const leaving = service.modelAsync(uri, 1, () => large, abort.signal);
    const staying = service.modelAsync(uri, 1, () => large);
    abort.abort();
    await assert.rejects(leaving, isAbort);
    const model = await staying;
    assert.equal(service.peek(uri)?.model, model);
    const already = new AbortController();
    already.abort();
    await assert.rejects(
      service.modelAsync(uri, 1, () => large, already.signal),
      isAbort,
    );
  });

  it('stops the parse of a document forgotten meanwhile, and keeps nothing', async () => {
    const service = new LanguageService('2.6');
    const uri = 'file:///f.cfg';
    const pending = service.modelAsync(uri, 1, () => large);
    service.forget(uri);
    await assert.rejects(pending, isAbort);
    assert.equal(service.peek(uri), undefined);
  });

  it('stops every parse of a document forgotten meanwhile, the older one a newer one waits on too', async () => {
    const service = new LanguageService('2.6');
    const uri = 'file:///g.cfg';
    const v1 = service.modelAsync(uri, 1, () => large);
    const v2 = service.modelAsync(uri, 2, () => insertAt(large, 3, '# c\n'));
    service.forget(uri);
    await assert.rejects(v1, isAbort);
    await assert.rejects(v2, isAbort);
    assert.equal(service.peek(uri), undefined);
    // The document opened again is parsed afresh.
    const again = await service.modelAsync(uri, 1, () => large);
    assert.equal(service.peek(uri)?.model, again);
  });

  it('does not apply a change event to a model that missed the one before', async () => {
    const service = new LanguageService('2.6');
    const uri = 'file:///c.cfg';
    const v2 = insertAt(large, 5, 'x');
    const v3 = insertAt(v2, 10, 'y');
    const change = (line: number, text: string) => [
      { startLine: line, startCharacter: 0, endLine: line, endCharacter: 0, text },
    ];
    const lineCount = large.split('\n').length;
    const v1 = service.modelAsync(uri, 1, () => large);
    // The first edit arrives while version 1 is still being parsed: nothing to apply it to.
    assert.equal(service.applyChanges(uri, 2, change(5, 'x'), lineCount), false);
    await v1;
    assert.equal(service.peek(uri)?.version, 1);
    // Applying the next edit to version 1 would lose the first one.
    assert.equal(service.applyChanges(uri, 3, change(10, 'y'), lineCount), false);
    const m3 = await service.modelAsync(uri, 3, () => v3);
    assert.equal(m3.text, v3);
    assert.deepEqual(structure(m3), structure(parseConfig(v3, { haproxyVersion: '2.6' })));
    // Once caught up, change events apply again.
    assert.equal(service.applyChanges(uri, 4, change(0, '# c\n'), lineCount + 1), true);
  });
});
