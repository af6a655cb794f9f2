// Helpers of the benchmark areas (files starting with `_` are not areas: scripts/bench.js skips them).
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const out = path.resolve(__dirname, '..', '..', 'out');

/** A module compiled by `npx tsc -p tsconfig.test.json`, by its path below out/. */
function requireCompiled(rel) {
  const file = path.join(out, rel);
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run npx tsc -p tsconfig.test.json first`);
  return require(file);
}

/**
 * Median time from a Service created on the server (`create(name)`, in namespace `namespace`) to the
 * KubernetesService `svc` showing it in its model, over `samples` Services.
 */
async function serviceWatchLatencyMs(svc, namespace, create, samples = 7) {
  const times = [];
  for (let i = 0; i < samples; i++) {
    const name = `watched-${i}`;
    const seen = new Promise((resolve) => {
      const sub = svc.onDidChange(async () => {
        const tree = await svc.serviceTree(false);
        if (tree.index.byKey.has(`${namespace}/${name}`)) {
          sub.dispose();
          resolve(performance.now());
        }
      });
    });
    const start = performance.now();
    await create(name);
    times.push((await seen) - start);
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(times.length / 2)]);
}

/** Lets an area run on its own (`node scripts/bench/<area>.js`), printing its figures. */
function runAlone(module, run) {
  if (require.main !== module) return;
  run().then(
    (figures) => {
      for (const [name, value] of Object.entries(figures)) console.log(`${name}: ${value}`);
    },
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}

module.exports = { requireCompiled, serviceWatchLatencyMs, runAlone };
