// The configuration history store: deduplication by content, the bounded ring (count and bytes),
// integrity of stored texts and of the index, and ids that cannot leave the store's root.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigHistory, contentHash, memoryStorage, parseIndex } from '../../../src/dataplane/core/history';

function clock() {
  let t = 1_000;
  return () => ++t;
}

describe('configuration history', () => {
  it('keeps each text once (by content, the version line ignored), newest first', async () => {
    const h = new ConfigHistory(memoryStorage(), undefined, clock());
    await h.record('lb1', '# _version=1\nglobal\n', { version: 1, source: 'read' });
    await h.record('lb1', 'global\n  maxconn 10\n', { version: 2, source: 'write' });
    const again = await h.record('lb1', '# _version=3\nglobal\n', { version: 3, source: 'read' });
    const list = await h.list('lb1');
    assert.equal(list.length, 2);
    assert.equal(list[0]!.hash, again!.hash);
    assert.equal(list[0]!.version, 3);
    assert.equal(list[0]!.firstSeen < list[0]!.lastSeen, true);
    assert.equal(await h.text('lb1', list[1]!.hash), 'global\n  maxconn 10\n');
    assert.equal(await h.text('lb1', list[0]!.hash), 'global\n');
    assert.deepEqual(await h.list('lb2'), [], 'one history per connection');
    // The real server writes `# _md5hash=…` first, then the version.
    await h.record('lb1', '# _md5hash=abc\n# _version=7\nglobal\n', { version: 7, source: 'read' });
    await h.record('lb1', '# _md5hash=abc\n# _version=8\nglobal\n', { version: 8, source: 'read' });
    assert.equal((await h.list('lb1')).length, 3);
    assert.equal(await h.text('lb1', (await h.list('lb1'))[0]!.hash), '# _md5hash=abc\nglobal\n');
  });

  it("replaces a written text by the server's rendering of it (same version), once", async () => {
    const h = new ConfigHistory(memoryStorage(), undefined, clock());
    await h.record('lb1', 'global\ndefaults\n', { version: 1, source: 'read' });
    await h.record('lb1', 'global\ndefaults\n  mode http\n', { version: 2, source: 'write' });
    const rendered = '# _md5hash=x\n# _version=2\n\nglobal\ndefaults unnamed_defaults_1\n  mode http\n';
    await h.record('lb1', rendered, { version: 2, source: 'read' });
    let list = await h.list('lb1');
    assert.deepEqual(
      list.map((e) => [e.source, e.version]),
      [
        ['write', 2],
        ['read', 1],
      ],
    );
    assert.match((await h.text('lb1', list[0]!.hash))!, /unnamed_defaults_1/);
    // Restoring a kept text creates no pending entry: the original version is never replaced.
    await h.record('lb1', 'global\ndefaults\n', { version: 3, source: 'restore' });
    await h.record('lb1', '# _md5hash=y\n# _version=3\n\nglobal\ndefaults unnamed_defaults_1\n', {
      version: 3,
      source: 'read',
    });
    list = await h.list('lb1');
    assert.deepEqual(
      list.map((e) => [e.source, e.version]),
      [
        ['read', 3],
        ['restore', 3],
        ['write', 2],
      ],
    );
  });

  it('evicts the oldest beyond the count and the byte bounds, never the version just recorded', async () => {
    const storage = memoryStorage();
    const h = new ConfigHistory(storage, { maxVersions: 3, maxBytes: 1_000 }, clock());
    for (let i = 0; i < 5; i++) await h.record('lb1', `global # ${i}\n`, { source: 'read' });
    const list = await h.list('lb1');
    assert.deepEqual(await Promise.all(list.map((e) => h.text('lb1', e.hash))), [
      'global # 4\n',
      'global # 3\n',
      'global # 2\n',
    ]);
    assert.equal([...storage.files.keys()].filter((k) => k.endsWith('.cfg')).length, 3, 'evicted files deleted');
    await h.record('lb1', `global\n${'#'.repeat(1_500)}\n`, { source: 'write' });
    const big = await h.list('lb1');
    assert.equal(big.length, 1, 'over the byte bound: only the newest stays');
  });

  it('refuses a stored text that no longer matches its hash, and a damaged index starts afresh', async () => {
    const storage = memoryStorage();
    const h = new ConfigHistory(storage, undefined, clock());
    const e = await h.record('lb1', 'global\n', { source: 'read' });
    storage.files.set(`lb1/${e!.hash}.cfg`, Buffer.from('global\n  tampered\n'));
    assert.equal(await h.text('lb1', e!.hash), undefined);
    storage.files.set('lb1/index.json', Buffer.from('{not json'));
    assert.deepEqual(await h.list('lb1'), []);
    assert.deepEqual(parseIndex({ entries: [{ hash: 'x' }, null, { hash: contentHash('a'), bytes: 1 }] }), []);
  });

  it('serializes concurrent records of one connection (none lost)', async () => {
    const h = new ConfigHistory(memoryStorage(), undefined, clock());
    await Promise.all(Array.from({ length: 10 }, (_, i) => h.record('lb1', `global # ${i}\n`, { source: 'read' })));
    assert.equal((await h.list('lb1')).length, 10);
  });

  it('accepts only connection ids as folder names and only hashes as file names; clear forgets', async () => {
    const h = new ConfigHistory(memoryStorage(), undefined, clock());
    await assert.rejects(h.record('../etc', 'global\n', { source: 'read' }), RangeError);
    await assert.rejects(h.clear('a/b'), RangeError);
    assert.equal(await h.text('lb1', '../index'), undefined);
    await h.record('lb1', 'global\n', { source: 'read' });
    await h.clear('lb1');
    assert.deepEqual(await h.list('lb1'), []);
    assert.equal(await h.record('lb1', '# _version=4\n', { source: 'read' }), undefined, 'an empty text is not kept');
  });
});
