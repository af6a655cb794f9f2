#!/usr/bin/env node
// haproxy.cfg language benchmark, on a generated 50,000-line configuration (no VS Code):
//   parser.fullParseMs50k  full parse + all diagnostics, cold (target < 150 ms)
//   parser.editMs50k       re-parse + diagnostics after a one-line edit, from the editor's change
//                          event as the extension receives it (target < 15 ms)
//   completion.ms50k       completion in the middle of the file (target < 30 ms)
// plus the parts (parse alone, diagnostics alone, hover). Median of several runs after a warm-up.
// Returns figures, asserts nothing. Needs the compiled sources: npx tsc -p tsconfig.test.json
'use strict';

const { requireCompiled, runAlone } = require('./_support');

const LINES = 50000;
const RUNS = 7;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return Number(sorted[sorted.length >> 1].toFixed(2));
}

async function run() {
  const { generateConfig } = requireCompiled('test/support/generate-config.js');
  const { parseConfig, reparse, reparseChanges } = requireCompiled('src/shared/haproxy-config/parser.js');
  const { diagnose } = requireCompiled('src/language/core/analysis/diagnostics.js');
  const { complete } = requireCompiled('src/language/core/features/completion.js');
  const { hoverAt } = requireCompiled('src/language/core/features/hover.js');
  const { loadKeywords } = requireCompiled('src/language/core/keywords/index.js');
  const keywords = loadKeywords('2.6');
  const options = { haproxyVersion: keywords.version };
  const text = generateConfig(LINES, 1);
  const lines = text.split('\n');

  // A line in the middle of the file, inside a section, where a user types.
  const middle = lines.findIndex((l, i) => i >= lines.length / 2 && /^\s+http-request /.test(l));
  const indent = /^\s*/.exec(lines[middle])[0];
  // The edit as the editor reports it: text typed at the end of a line in the middle of the file.
  const editChange = (r) => ({
    startLine: middle,
    startCharacter: lines[middle].length,
    endLine: middle,
    endCharacter: lines[middle].length,
    text: ` # edit ${r}`,
  });
  // The same edit given as a whole new text (other hosts): prepared up front, building it is not ours.
  const editedTexts = [];
  for (let r = 0; r <= RUNS; r++) {
    const copy = lines.slice();
    copy[middle] = `${lines[middle]} # edit ${r}`;
    editedTexts.push(copy.join('\n'));
  }
  const completionText = lines.slice();
  completionText.splice(middle, 0, `${indent}http-request set-header X-Host %[req.hdr(host),`);
  const completionDoc = completionText.join('\n');

  const parseOnly = [];
  const diagnoseOnly = [];
  const full = [];
  const edit = [];
  const editText = [];
  const completion = [];
  const hover = [];
  for (let r = -1; r < RUNS; r++) {
    // Cold: a new parse of the whole text, every cache empty.
    let t = performance.now();
    const model = parseConfig(text, options);
    const parsed = performance.now() - t;
    t = performance.now();
    diagnose(model, { keywords });
    const diagnosed = performance.now() - t;

    // Warm document, then a one-line edit: re-parse and re-diagnose.
    const base = parseConfig(text, options);
    diagnose(base, { keywords });
    t = performance.now();
    const edited = reparseChanges(base, [editChange(r + 1)], options);
    diagnose(edited, { keywords });
    const editMs = performance.now() - t;
    diagnose(model, { keywords });
    t = performance.now();
    const editedFromText = reparse(model, editedTexts[r + 1], options);
    diagnose(editedFromText, { keywords });
    const editTextMs = performance.now() - t;

    // Completion after a converter comma in a %[...] block, on a model of the document being edited.
    const completionModel = reparse(edited, completionDoc, options);
    diagnose(completionModel, { keywords });
    const character = completionText[middle].length;
    t = performance.now();
    const items = complete(completionModel, middle, character, { keywords });
    const completionMs = performance.now() - t;
    if (items.length === 0) throw new Error('completion returned nothing: the benchmark position is wrong');

    t = performance.now();
    hoverAt(completionModel, middle, indent.length + 2, { keywords });
    const hoverMs = performance.now() - t;

    if (r < 0) continue; // warm-up
    parseOnly.push(parsed);
    diagnoseOnly.push(diagnosed);
    full.push(parsed + diagnosed);
    edit.push(editMs);
    editText.push(editTextMs);
    completion.push(completionMs);
    hover.push(hoverMs);
  }
  return {
    'parser.fullParseMs50k': median(full),
    'parser.editMs50k': median(edit),
    'completion.ms50k': median(completion),
    'parser.parseOnlyMs50k': median(parseOnly),
    'parser.diagnoseOnlyMs50k': median(diagnoseOnly),
    'parser.editFromFullTextMs50k': median(editText),
    'hover.ms50k': median(hover),
  };
}

module.exports = { run };

runAlone(module, run);
