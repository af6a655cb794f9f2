#!/usr/bin/env node
// Data Plane benchmark: a real HAProxy with 1,000 backends × 10 servers behind the Data Plane API
// (the real dataplaneapi v3.4.2 when scripts/install-dataplaneapi.sh could build it, else the
// spec-faithful emulator of test/fixtures/dataplane). Loads the whole tree (configuration, live
// states, open transactions) as the view does, then writes once through a transaction and counts
// transactions left open. Returns figures, asserts nothing.
// Needs the compiled sources: npx tsc -p tsconfig.test.json
// Targets: dataplane.treeRequests <= 3, dataplane.treeLoadMs < 1000, dataplane.writeOrphanTransactions = 0 (the race figures are in concurrency.js).
'use strict';

const { requireCompiled, runAlone } = require('./_support');

/**
 * The tree against an in-process server that answers stats/native with the REAL field set (rows
 * cloned from recordings/v3.4.2/07-stats-native) for 1,000 backends × 10 servers and honours its
 * `type`/`parent` filters as the real server does: what the client pays for the payload (not the
 * real server's own time to produce it, which the recordings put at about 3.4 s for the full set).
 */
async function realSizeStats(DataPlaneClient, loadTree, logger) {
  const http = require('node:http');
  const fs = require('node:fs');
  const path = require('node:path');
  const { referenceDir } = requireCompiled('test/support/paths.js');
  const rec = JSON.parse(
    fs.readFileSync(path.join(referenceDir, 'dataplaneapi/recordings/v3.4.2/07-stats-native.json'), 'utf8'),
  );
  const rows = rec.exchanges.find((e) => e.step.startsWith('GET stats/native')).response.body.stats;
  const tpl = {
    server: rows.find((r) => r.type === 'server'),
    backend: rows.find((r) => r.type === 'backend'),
    frontend: rows.find((r) => r.type === 'frontend'),
  };
  const all = [{ ...tpl.frontend, name: 'fe_main' }];
  const cfg = [
    'global',
    '  daemon',
    'defaults',
    '  mode http',
    'frontend fe_main',
    '  bind 127.0.0.1:80',
    '  default_backend bulk_0',
  ];
  for (let b = 0; b < 1000; b++) {
    cfg.push(`backend bulk_${b}`, '  balance roundrobin');
    for (let i = 0; i < 10; i++) {
      cfg.push(`  server s${i} 127.0.0.1:${10000 + i} check`);
      all.push({ ...tpl.server, name: `s${i}`, backend_name: `bulk_${b}`, stats: { ...tpl.server.stats } });
    }
    all.push({ ...tpl.backend, name: `bulk_${b}`, stats: { ...tpl.backend.stats } });
  }
  const text = `${cfg.join('\n')}\n`;
  let bytes = 0;
  const server = http.createServer((req, res) => {
    const u = new URL(req.url, 'http://x');
    const send = (body, type = 'application/json') => {
      bytes += Buffer.byteLength(body);
      res.writeHead(200, { 'Content-Type': type, 'Configuration-Version': '1' }).end(body);
    };
    if (u.pathname === '/v3/info') return send(JSON.stringify({ api: { version: 'v3.4.2' }, system: {} }));
    if (u.pathname === '/v3/services/haproxy/configuration/raw') return send(text, 'text/plain');
    if (u.pathname === '/v3/services/haproxy/transactions') return send('[]');
    const type = u.searchParams.get('type');
    const parent = u.searchParams.get('parent');
    const stats = all.filter((r) => (!type || r.type === type) && (!parent || r.backend_name === parent));
    return send(JSON.stringify({ runtimeAPI: '/run/haproxy.sock', stats }));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${server.address().port}/v3`;
  const client = new DataPlaneClient(
    { settings: { id: 'b', name: 'b', url, auth: 'basic' }, secrets: {} },
    { logger, requestTimeoutMs: 30000 },
  );
  const median = async (max) => {
    const t = [];
    let sent = 0;
    for (let i = 0; i < 5; i++) {
      bytes = 0;
      const started = performance.now();
      await loadTree(client, { transactions: true, fullStatsMaxServers: max });
      t.push(performance.now() - started);
      sent = bytes;
    }
    t.sort((a, b) => a - b);
    return { ms: Math.round(t[2] * 10) / 10, bytes: sent };
  };
  try {
    await client.connect();
    await loadTree(client, { transactions: true });
    const lean = await median(undefined);
    const full = await median(Infinity);
    return {
      'dataplane.realSizeTreeLoadMs': lean.ms,
      'dataplane.realSizeTreeBytes': lean.bytes,
      'dataplane.realSizeTreeLoadMsFullStats': full.ms,
      'dataplane.realSizeTreeBytesFullStats': full.bytes,
    };
  } finally {
    await client.dispose();
    await new Promise((r) => server.close(r));
  }
}

async function run() {
  const { startDataPlane, realBinariesMissing } = requireCompiled('test/fixtures/dataplane/index.js');
  const { DataPlaneClient } = requireCompiled('src/dataplane/core/client.js');
  const { loadTree } = requireCompiled('src/dataplane/core/snapshot.js');
  const { withTransaction } = requireCompiled('src/dataplane/core/transaction.js');
  const kind = realBinariesMissing() ? 'emulator' : 'real';
  const logger = { debug() {}, info() {}, warn() {} };
  const fx = await startDataPlane({ api: 3, kind, backends: 1000, serversPerBackend: 10 });
  const client = new DataPlaneClient(fx.connection(), { logger, requestTimeoutMs: 30000 });
  try {
    await client.connect();
    await loadTree(client, { transactions: true }); // warm-up: connections open, caches filled
    const samples = [];
    let requests = 0;
    let servers = 0;
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      const tree = await loadTree(client, { transactions: true });
      samples.push(performance.now() - started);
      requests = Math.max(requests, tree.requests);
      servers = tree.backends.reduce((n, b) => n + b.servers.length, 0);
    }
    samples.sort((a, b) => a - b);
    // The same load asking for every stats row (the tree before it asked for backend rows only
    // above 1,000 servers): the difference is what the real server's full field set costs.
    const full = [];
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      await loadTree(client, { transactions: true, fullStatsMaxServers: Infinity });
      full.push(performance.now() - started);
    }
    full.sort((a, b) => a - b);
    const realSize = await realSizeStats(DataPlaneClient, loadTree, logger);
    const tx = await withTransaction(
      client,
      (t) => t.addServer('bulk_0', { name: 'bench_added', address: '127.0.0.1', port: 10999 }),
      { logger },
    );
    const open = await client.transactions();
    return {
      'dataplane.treeRequests': requests,
      'dataplane.treeLoadMs': Math.round(samples[Math.floor(samples.length / 2)] * 10) / 10,
      'dataplane.treeLoadMsFullStats': Math.round(full[1] * 10) / 10,
      'dataplane.writeOrphanTransactions': open.length,
      'dataplane.treeServers': servers,
      'dataplane.transactionAttempts': tx.attempts,
      'dataplane.realServer': kind === 'real' ? 1 : 0,
      ...realSize,
    };
  } finally {
    await client.dispose();
    await fx.stop();
  }
}

module.exports = { run };

runAlone(module, run);

// --- dataplane.conformanceDiffs (issue 12) ------------------------------------------------------
// The differences left between the emulator and the recorded answers of the real dataplaneapi
// v3.4.2 and v2.9.27 (test/live/dataplane/conformance.ts replays every recorded scenario on a fresh
// HAProxy; the live test lists each remaining one with its reason). Target: none the extension's
// code paths touch.
async function conformanceFigures() {
  const { replayAll, scenarios } = requireCompiled('test/live/dataplane/conformance.js');
  const started = performance.now();
  const diffs = await replayAll();
  return {
    'dataplane.conformanceDiffs': diffs.length,
    'dataplane.conformanceReplays': scenarios().length,
    'dataplane.conformanceReplayMs': Math.round(performance.now() - started),
  };
}

const treeFigures = module.exports.run;
module.exports.run = async () => ({ ...(await treeFigures()), ...(await conformanceFigures()) });
