// formatConfigInSlices: the edits of formatConfig, computed with yields between slices and stopped by
// an abort signal. Yields are counted, never timed.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { formatConfig, formatConfigInSlices } from '../../../src/language/core/features/formatting';
import { parseConfig } from '../../../src/shared/haproxy-config/parser';
import { corpusFiles, referenceFiles } from '../../support/corpus';
import { generateConfig } from '../../support/generate-config';

describe('formatConfigInSlices', () => {
  it('gives the edits of formatConfig, for every reference and corpus configuration', async () => {
    const files = [...referenceFiles('valid'), ...referenceFiles('invalid'), ...corpusFiles()];
    let edits = 0;
    for (const f of files) {
      const model = parseConfig(f.text);
      for (const options of [
        { indent: '    ' },
        { indent: '\t', alignArguments: true },
        { indent: '  ', startLine: 3, endLine: 40 },
      ]) {
        const expected = formatConfig(model, options);
        const actual = await formatConfigInSlices(model, options, { sliceMs: 0, yieldNow: async () => {} });
        assert.deepEqual(actual, expected, f.name);
        edits += expected.length;
      }
    }
    assert.ok(edits > 100, `the configurations need formatting somewhere (${edits} edits)`);
  });

  it('yields more than once on a large input and stops on abort', async () => {
    // Indented with tabs and formatted with spaces: every directive line changes.
    const model = parseConfig(generateConfig(5000, 4).replace(/^ +/gm, '\t'));
    let yields = 0;
    const edits = await formatConfigInSlices(
      model,
      { indent: '    ' },
      {
        sliceMs: 0,
        yieldNow: async () => {
          yields++;
        },
      },
    );
    assert.ok(yields > 1, `yielded ${yields} times`);
    assert.ok(edits.length > 1000, `${edits.length} lines reformatted`);
    assert.deepEqual(edits, formatConfig(model, { indent: '    ' }));
    const abort = new AbortController();
    let after = 0;
    const run = formatConfigInSlices(
      model,
      { indent: '    ' },
      {
        sliceMs: 0,
        signal: abort.signal,
        yieldNow: async () => {
          if (++after === 2) abort.abort();
        },
      },
    );
    await assert.rejects(run, (err: Error) => err.name === 'AbortError');
    assert.equal(after, 2);
  });
});
