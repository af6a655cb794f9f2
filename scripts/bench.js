#!/usr/bin/env node
// `npm run bench`: measures what the issues set targets for and writes the figures, named, to
// bench-results.json (merged with earlier figures). Each area lives in scripts/bench/<area>.js and
// exports `run()` returning { name: number }. Figures are printed, never asserted.
// Usage: npm run bench [-- area ...]   (areas: package, activation, and every scripts/bench/*.js;
// the opt-in ones, such as testbinCold, only when named)
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const resultsFile = path.join(root, 'bench-results.json');

function sh(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

const builtIn = {
  /** Size of the shipped bundle and the VSIX (target: VSIX under 1 MB). */
  package: async () => {
    sh('npm', ['run', 'package', '--silent']);
    return {
      'bundle.bytes': fs.statSync(path.join(root, 'dist', 'extension.js')).size,
      'vsix.bytes': fs.statSync(path.join(root, 'dist', 'haproxy-gateway.vsix')).size,
    };
  },
  /** Activation in the real VS Code: code loading + activate() (see src/extension.ts), median of 5 windows (single windows vary by tens of ms on a shared 2-core machine). */
  activation: async () => {
    // The bundle users get: minified, vendor libraries split out.
    sh('node', ['esbuild.js', '--production']);
    sh('npx', ['tsc', '-p', 'tsconfig.test.json']);
    const samples = [];
    for (let i = 0; i < 5; i++) {
      const metrics = path.join(os.tmpdir(), `haproxy-gateway-metrics-${process.pid}-${i}.json`);
      sh('node', ['out/test/harness/runIntegration.js'], {
        HAPROXY_GATEWAY_METRICS: metrics,
        HAPROXY_GATEWAY_TEST_GREP: '^activation ',
      });
      samples.push(JSON.parse(fs.readFileSync(metrics, 'utf8'))['activation.ms']);
      fs.rmSync(metrics, { force: true });
    }
    samples.sort((a, b) => a - b);
    return { 'activation.ms': samples[2], 'activation.minMs': samples[0] };
  },
};

async function main() {
  const wanted = process.argv.slice(2);
  const areas = { ...builtIn };
  const benchDir = path.join(__dirname, 'bench');
  if (fs.existsSync(benchDir)) {
    for (const file of fs.readdirSync(benchDir).sort()) {
      if (!file.endsWith('.js') || file.startsWith('_')) continue;
      const area = file.replace(/\.js$/, '');
      // An area that exports optIn (a long one, such as a cold Go build) runs only when named.
      if (require(path.join(benchDir, file)).optIn && !wanted.includes(area)) continue;
      areas[area] = () => require(path.join(benchDir, file)).run();
    }
  }
  // Area modules may load compiled TypeScript from out/.
  sh('npx', ['tsc', '-p', 'tsconfig.test.json']);
  const results = fs.existsSync(resultsFile) ? JSON.parse(fs.readFileSync(resultsFile, 'utf8')) : {};
  let failed = false;
  for (const [name, run] of Object.entries(areas)) {
    if (wanted.length && !wanted.includes(name)) continue;
    process.stdout.write(`bench: ${name} ... `);
    const started = Date.now();
    try {
      const figures = await run();
      Object.assign(results, figures);
      console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    } catch (err) {
      failed = true;
      console.log(`FAILED: ${err && err.message ? err.message : err}`);
    }
  }
  results._measuredAt = new Date().toISOString();
  results._machine = `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`;
  fs.writeFileSync(resultsFile, JSON.stringify(results, null, 2) + '\n');
  const width = Math.max(...Object.keys(results).map((k) => k.length));
  console.log(`\n${'figure'.padEnd(width)}  value`);
  for (const [k, v] of Object.entries(results).sort()) {
    if (!k.startsWith('_')) console.log(`${k.padEnd(width)}  ${typeof v === 'number' ? Number(v.toFixed(3)) : v}`);
  }
  console.log(`\nwritten to ${path.relative(process.cwd(), resultsFile) || resultsFile}`);
  process.exit(failed ? 1 : 0);
}

main();
