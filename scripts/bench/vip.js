#!/usr/bin/env node
// VIP benchmark: a real HAProxy behind the Data Plane API (the real dataplaneapi v3.4.2 when
// scripts/install-dataplaneapi.sh could build it, else the spec-faithful emulator), a small HTTP
// upstream answering "hello", and 10 runs of: create the VIP for a Service (one read, one
// transaction, one reload) while a client polls the VIP every 10 ms, then delete it. Measures the
// time from confirming to the first successful request through the VIP (median), the reloads and
// the HTTP requests per server per VIP (worst run), and reports the reload delay the server used.
// Returns figures, asserts nothing. Needs the compiled sources: npx tsc -p tsconfig.test.json
// Targets: vip.reloadsPerServer = 1, vip.requestsPerServer <= 10.
'use strict';

const { requireCompiled, runAlone } = require('./_support');
const http = require('node:http');

const RUNS = 10;
const VIP = '127.0.204.2';
const PORT = 18080;

function get(url) {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, timeout: 1000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve(body));
      res.on('error', () => resolve(''));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(''));
  });
}

/** Polls the VIP until it answers `expected`; resolves with the time it first did. */
async function firstSuccess(url, expected, stop) {
  while (!stop.done) {
    if ((await get(url)) === expected) return performance.now();
    await new Promise((r) => setTimeout(r, 10));
  }
  return undefined;
}

async function run() {
  const { startDataPlane, realBinariesMissing } = requireCompiled('test/fixtures/dataplane/index.js');
  const { DataPlaneClient } = requireCompiled('src/dataplane/core/client.js');
  const { applyVip, deleteVip } = requireCompiled('src/vip/core/apply.js');
  const { planVip } = requireCompiled('src/vip/core/planner.js');
  const kind = realBinariesMissing() ? 'emulator' : 'real';
  const logger = { debug() {}, info() {}, warn() {} };
  const upstream = http.createServer((_req, res) => res.end('hello'));
  await new Promise((r) => upstream.listen(0, '127.0.0.1', r));
  const fx = await startDataPlane({ api: 3, kind });
  const client = new DataPlaneClient(fx.connection(), { logger });
  try {
    await client.connect();
    const target = { id: 'bench', name: 'bench', client };
    const service = {
      metadata: { name: 'httpd', namespace: 'bench' },
      spec: { type: 'LoadBalancer', ports: [{ name: 'http', port: PORT, protocol: 'TCP' }] },
    };
    const endpoints = {
      subsets: [{ addresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'http', port: upstream.address().port }] }],
    };
    const plan = planVip(service, [], endpoints, { vip: VIP });
    const names = {
      frontends: plan.ports.map((p) => p.frontend.name),
      backends: plan.ports.map((p) => p.backend.name),
    };
    const url = `http://${VIP}:${PORT}/`;
    const times = [];
    let reloads = 0;
    let requests = 0;
    for (let i = 0; i < RUNS; i++) {
      const before = (await fx.haproxy.reloadCounters()).reloads;
      const stop = { done: false };
      const confirmed = performance.now();
      const traffic = firstSuccess(url, 'hello', stop);
      const [outcome] = await applyVip([target], plan, { logger });
      if (outcome.status !== 'applied') throw new Error(`run ${i + 1}: ${outcome.message}`);
      const at = await Promise.race([traffic, new Promise((r) => setTimeout(r, 30_000))]);
      stop.done = true;
      if (at === undefined) throw new Error(`run ${i + 1}: no answer through ${url} within 30 s`);
      times.push(at - confirmed);
      reloads = Math.max(reloads, (await fx.haproxy.reloadCounters()).reloads - before);
      requests = Math.max(requests, outcome.requests);
      const [removed] = await deleteVip([target], names, { logger });
      if (removed.status !== 'applied') throw new Error(`run ${i + 1}, delete: ${removed.message}`);
      while ((await get(url)) === 'hello') await new Promise((r) => setTimeout(r, 20));
    }
    times.sort((a, b) => a - b);
    const median = (times[RUNS / 2 - 1] + times[RUNS / 2]) / 2;
    return {
      'vip.reloadsPerServer': reloads,
      'vip.requestsPerServer': requests,
      'vip.timeToTrafficMs': Math.round(median),
      // The real dataplaneapi takes --reload-delay in whole seconds: the fixture starts it with 1 s.
      'vip.reloadDelayMs': fx.emulator ? fx.emulator.opts.reloadDelayMs : 1000,
    };
  } finally {
    await client.dispose();
    await fx.stop();
    await new Promise((r) => upstream.close(r));
  }
}

module.exports = { run };

runAlone(module, run);
