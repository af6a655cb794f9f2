#!/usr/bin/env node
// Grammar benchmark: tokenizes a generated 50,000-line haproxy.cfg with vscode-textmate's
// tokenizeLine2, carrying the rule stack from line to line as VS Code does, after a warm-up.
// Returns figures, asserts nothing. Needs the compiled test helpers: npx tsc -p tsconfig.test.json
// Targets: >= 50,000 lines/s, >= 12 scope tokens per line, no line over 5 ms.
'use strict';

const path = require('node:path');
const fs = require('node:fs');

const root = path.resolve(__dirname, '..', '..');
const out = path.join(root, 'out', 'test');

const LINES = 50000;
const SLOW_LINE_MS = 5;

function requireCompiled(rel) {
  const file = path.join(out, rel);
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run npx tsc -p tsconfig.test.json first`);
  return require(file);
}

async function run() {
  const { loadGrammar, splitLines } = requireCompiled('unit/grammar/textmate.js');
  const { generateConfig } = requireCompiled('support/generate-config.js');
  const { INITIAL } = require('vscode-textmate');
  const grammar = await loadGrammar();
  const lines = splitLines(generateConfig(LINES, 1));

  const pass = () => {
    let stack = INITIAL;
    let slow = 0;
    let worst = 0;
    const start = performance.now();
    for (const line of lines) {
      const t0 = performance.now();
      stack = grammar.tokenizeLine2(line, stack).ruleStack;
      const dt = performance.now() - t0;
      if (dt > SLOW_LINE_MS) slow++;
      if (dt > worst) worst = dt;
    }
    return { ms: performance.now() - start, slow, worst };
  };
  // Warm-up: JIT, regex compilation and scanner caches.
  pass();
  const runs = [pass(), pass(), pass()].sort((a, b) => a.ms - b.ms);
  const best = runs[0];

  let tokens = 0;
  let stack = INITIAL;
  for (const line of lines) {
    const r = grammar.tokenizeLine(line, stack);
    tokens += r.tokens.length;
    stack = r.ruleStack;
  }

  return {
    'grammar.linesPerSecond': Math.round(lines.length / (best.ms / 1000)),
    'grammar.tokensPerLine': Math.round((tokens / lines.length) * 100) / 100,
    'grammar.slowLines': Math.max(...runs.map((r) => r.slow)),
    'grammar.worstLineMs': Math.round(Math.max(...runs.map((r) => r.worst)) * 100) / 100,
  };
}

module.exports = { run };

if (require.main === module) {
  run().then(
    (figures) => {
      for (const [k, v] of Object.entries(figures)) console.log(`${k}: ${v}`);
    },
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
