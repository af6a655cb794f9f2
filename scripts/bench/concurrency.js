#!/usr/bin/env node
// Concurrency benchmark: two writers racing for 200 seeded rounds on one Data Plane API, on the
// same VIP:port (one must win, the other be refused by name) and on different objects (both must
// land), plus both adding a server to one shared backend. The server is the in-process fake of
// test/live/dataplane/fakeDataplane.ts, which outdates every other open transaction on commit as
// the real dataplaneapi v3.4.2 does (recordings 05). Returns figures, asserts nothing.
// Needs the compiled sources: npx tsc -p tsconfig.test.json
// Targets: dataplane.duplicateBinds = 0, dataplane.lostUpdates = 0, dataplane.orphanTransactions = 0.
'use strict';

const { requireCompiled, runAlone } = require('./_support');

const ROUNDS = 200;
const SEED = 20261202;

async function run() {
  const { raceRounds } = requireCompiled('test/live/dataplane/raceRounds.js');
  const started = performance.now();
  const f = await raceRounds(ROUNDS, SEED);
  return {
    'dataplane.concurrentRounds': f.rounds,
    'dataplane.duplicateBinds': f.duplicateBinds,
    'dataplane.lostUpdates': f.lostUpdates,
    'dataplane.orphanTransactions': f.orphanTransactions,
    'dataplane.concurrentSameRounds': f.sameRounds,
    'dataplane.concurrentRefusals': f.refusals,
    'dataplane.concurrentRetries': f.retries,
    'dataplane.concurrentGaveUp': f.gaveUp,
    'dataplane.concurrentMs': Math.round(performance.now() - started),
  };
}

module.exports = { run };

runAlone(module, run);
