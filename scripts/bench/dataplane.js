#!/usr/bin/env node
// Data Plane benchmark: a real HAProxy with 1,000 backends × 10 servers behind the Data Plane API
// (the real dataplaneapi v3.4.2 when scripts/install-dataplaneapi.sh could build it, else the
// spec-faithful emulator of test/fixtures/dataplane). Loads the whole tree (configuration, live
// states, open transactions) as the view does, then writes once through a transaction and counts
// transactions left open. Returns figures, asserts nothing.
// Needs the compiled sources: npx tsc -p tsconfig.test.json
// Targets: dataplane.treeRequests <= 3, dataplane.treeLoadMs < 1000, dataplane.orphanTransactions = 0.
'use strict';

const { requireCompiled, runAlone } = require('./_support');

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
    const tx = await withTransaction(client, (t) => t.addServer('bulk_0', { name: 'bench_added', address: '127.0.0.1', port: 10999 }), { logger });
    const open = await client.transactions();
    return {
      'dataplane.treeRequests': requests,
      'dataplane.treeLoadMs': Math.round(samples[Math.floor(samples.length / 2)] * 10) / 10,
      'dataplane.orphanTransactions': open.length,
      'dataplane.treeServers': servers,
      'dataplane.transactionAttempts': tx.attempts,
      'dataplane.realServer': kind === 'real' ? 1 : 0,
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
