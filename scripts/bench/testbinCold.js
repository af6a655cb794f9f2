#!/usr/bin/env node
// The cold build of the real control plane (etcd and kube-apiserver from Go modules) as a fresh CI
// machine meets it: scripts/install-k8s-testbin.sh with an empty Go module cache, build cache and
// testbin folder, all temporary. Takes about 8 minutes on 2 cores, so it runs only when named:
//   npm run bench -- testbinCold
// Figures: kube.testbinBuildS (both binaries, downloads included) and kube.testbinPeakMiB (the
// larger peak resident memory of the two builds, from /usr/bin/time).
'use strict';

const { runAlone } = require('./_support');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');

async function run() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'testbin-cold-'));
  try {
    const env = {
      ...process.env,
      K8S_TESTBIN_CACHE: path.join(dir, 'testbin'),
      GOMODCACHE: path.join(dir, 'mod'),
      GOCACHE: path.join(dir, 'gocache'),
    };
    const started = Date.now();
    const r = spawnSync('bash', [path.join(root, 'scripts', 'install-k8s-testbin.sh')], {
      cwd: root,
      env,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    const wallS = Math.round((Date.now() - started) / 1000);
    if (r.status !== 0)
      throw new Error(
        `the cold build failed after ${wallS} s:\n${(r.stdout + r.stderr)
          .split('\n')
          .filter((l) => !l.startsWith('go: downloading'))
          .slice(-30)
          .join('\n')}`,
      );
    const rows = fs
      .readFileSync(path.join(dir, 'testbin', 'builds.tsv'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split('\t'));
    if (rows.length !== 2 || rows.some((row) => row[4] !== 'cold'))
      throw new Error(`expected two cold builds in builds.tsv, got:\n${rows.map((row) => row.join(' ')).join('\n')}`);
    // Kept with the project's own build records: the realKube area reports the newest cold build.
    const records = path.join(root, '.cache', 'k8s-testbin', 'builds.tsv');
    fs.mkdirSync(path.dirname(records), { recursive: true });
    fs.appendFileSync(records, rows.map((row) => `${row.join('\t')}\n`).join(''));
    const peaks = rows
      .map((row) => row[3])
      .filter((v) => v !== undefined && v !== '')
      .map(Number)
      .filter(Number.isFinite);
    const figures = { 'kube.testbinBuildS': rows.reduce((s, row) => s + Number(row[2]), 0) };
    if (peaks.length) figures['kube.testbinPeakMiB'] = Math.max(...peaks);
    for (const row of rows) console.log(`  ${row[1]}: ${row[2]} s, peak ${row[3] || '?'} MiB`);
    return figures;
  } finally {
    // The module cache is read-only by design; make it writable to remove it.
    spawnSync('chmod', ['-R', 'u+w', dir]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { run, optIn: true };

runAlone(module, run);
