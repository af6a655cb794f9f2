// Work in time slices (src/shared/slices.ts) and waits that end on abort (src/shared/abort.ts). Yields
// are counted through an injected yieldNow; nothing here measures time.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { abortable } from '../../../src/shared/abort';
import { isCancellation } from '../../../src/shared/errors';
import { mapInSlices, TimeSlicer } from '../../../src/shared/slices';

describe('mapInSlices', () => {
  it('maps like Array.map, yielding between items when every slice is used up at once', async () => {
    let yields = 0;
    const items = Array.from({ length: 50 }, (_, i) => i);
    const out = await mapInSlices(items, (x, i) => x * 2 + i, {
      sliceMs: 0,
      yieldNow: async () => {
        yields++;
      },
    });
    assert.deepEqual(
      out,
      items.map((x, i) => x * 2 + i),
    );
    assert.equal(yields, items.length - 1, 'one yield between two items, none after the last');
  });

  it('stops at the next yield once aborted, with an AbortError', async () => {
    const abort = new AbortController();
    let calls = 0;
    const run = mapInSlices(
      Array.from({ length: 100 }, (_, i) => i),
      (x) => {
        calls++;
        return x;
      },
      {
        sliceMs: 0,
        signal: abort.signal,
        yieldNow: async () => {
          if (calls === 10) abort.abort();
        },
      },
    );
    await assert.rejects(run, (err: Error) => err.name === 'AbortError' && isCancellation(err));
    assert.equal(calls, 10);
  });

  it('does not start when the signal already aborted', async () => {
    const abort = new AbortController();
    abort.abort();
    let calls = 0;
    await assert.rejects(
      mapInSlices([1, 2, 3], () => calls++, { signal: abort.signal }),
      (err: Error) => err.name === 'AbortError',
    );
    assert.equal(calls, 0);
    assert.throws(
      () => new TimeSlicer({ signal: abort.signal }),
      (err: Error) => err.name === 'AbortError',
    );
  });

  it('yields to the event loop by default: a callback queued before runs between two slices', async () => {
    let ran = false;
    setImmediate(() => (ran = true));
    const seen: boolean[] = [];
    await mapInSlices([1, 2, 3], () => seen.push(ran), { sliceMs: 0 });
    assert.deepEqual(seen, [false, true, true]);
  });
});

describe('abortable', () => {
  it('resolves with the promise when nothing aborts', async () => {
    const abort = new AbortController();
    assert.equal(await abortable(Promise.resolve(7), abort.signal), 7);
    assert.equal(await abortable(Promise.resolve(8), undefined), 8);
  });

  it('rejects at once on abort while the work goes on', async () => {
    const abort = new AbortController();
    let finish!: (v: number) => void;
    const work = new Promise<number>((resolve) => (finish = resolve));
    const waiting = abortable(work, abort.signal);
    abort.abort();
    await assert.rejects(waiting, (err: Error) => err.name === 'AbortError');
    finish(3);
    assert.equal(await work, 3);
    await assert.rejects(abortable(work, abort.signal), (err: Error) => err.name === 'AbortError');
  });

  it('passes the promise rejection through', async () => {
    await assert.rejects(abortable(Promise.reject(new Error('boom')), new AbortController().signal), /boom/);
  });
});
