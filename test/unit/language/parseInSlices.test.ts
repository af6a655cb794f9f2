// parseConfigInSlices: the model of parseConfig, word pool and identical-line sharing included, built
// with yields between slices and stopped by an abort signal. Yields are counted, never timed.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import type { ConfigModel } from '../../../src/shared/haproxy-config/configModel';
import { parseConfig, parseConfigInSlices } from '../../../src/shared/haproxy-config/parser';
import { corpusFiles, referenceFiles } from '../../support/corpus';
import { generateConfig } from '../../support/generate-config';

/** Which lines share a tokenized line and which words share a Word object, as numbers. */
function sharing(m: ConfigModel): { lines: number[]; words: number[][] } {
  const lineIds = new Map<object, number>();
  const wordIds = new Map<object, number>();
  const id = (ids: Map<object, number>, o: object): number => {
    let n = ids.get(o);
    if (n === undefined) ids.set(o, (n = ids.size));
    return n;
  };
  return {
    lines: m.tokens.map((t) => id(lineIds, t)),
    words: m.tokens.map((t) => t.words.map((w) => id(wordIds, w))),
  };
}

function counting(): { yields: number; yieldNow: () => Promise<void> } {
  const c = {
    yields: 0,
    yieldNow: async () => {
      c.yields++;
    },
  };
  return c;
}

describe('parseConfigInSlices', () => {
  const files = [
    ...referenceFiles('valid').map((f) => ({ name: `valid/${f.name}`, text: f.text })),
    ...referenceFiles('invalid').map((f) => ({ name: `invalid/${f.name}`, text: f.text })),
    ...corpusFiles(),
  ];

  it('builds the model parseConfig builds, for every reference and corpus configuration', async () => {
    assert.ok(files.length > 100, `the reference configurations are there (${files.length} files)`);
    for (const f of files) {
      for (const haproxyVersion of ['2.6', '3.2']) {
        const options = { haproxyVersion };
        const expected = parseConfig(f.text, options);
        // sliceMs 0: a yield at every check, the most cuts the file can get.
        const actual = await parseConfigInSlices(f.text, options, { sliceMs: 0, yieldNow: counting().yieldNow });
        assert.deepStrictEqual(actual, expected, f.name);
        assert.deepStrictEqual(sharing(actual), sharing(expected), `${f.name}: the same sharing`);
      }
    }
  });

  it('yields more than once on a large input, and gives the same model', async () => {
    const text = generateConfig(20000, 5);
    const c = counting();
    const model = await parseConfigInSlices(text, {}, { sliceMs: 0, yieldNow: c.yieldNow });
    assert.ok(c.yields > 10, `yielded ${c.yields} times`);
    const expected = parseConfig(text);
    assert.deepStrictEqual(sharing(model), sharing(expected));
    assert.deepStrictEqual(model.sections.length, expected.sections.length);
    assert.deepStrictEqual(model.tokens, expected.tokens);
  });

  it('stops with an AbortError when its signal aborts between two slices', async () => {
    const abort = new AbortController();
    let yields = 0;
    const run = parseConfigInSlices(
      generateConfig(20000, 5),
      {},
      {
        sliceMs: 0,
        signal: abort.signal,
        yieldNow: async () => {
          if (++yields === 3) abort.abort();
        },
      },
    );
    await assert.rejects(run, (err: Error) => err.name === 'AbortError');
    assert.equal(yields, 3, 'no slice after the abort');
  });

  it('lets other work run between slices with the default yield', async () => {
    let ran = false;
    setImmediate(() => (ran = true));
    // Without a turn of the event loop, the callback would still wait after the await.
    await parseConfigInSlices(generateConfig(2000, 5), {}, { sliceMs: 0 });
    assert.equal(ran, true, 'a callback queued before ran while the parse was under way');
  });
});
