// The tree at real sizes: the real server's stats/native rows carry 35–70 fields each (recorded in
// 07-stats-native), 5.7 MB for 10,000 servers. Above the threshold the tree asks only for backend
// rows (up counts from act/bck), and a backend's server rows when it is expanded; at most 3 requests.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DataPlaneClient } from '../../../src/dataplane/core/client';
import { loadTree } from '../../../src/dataplane/core/snapshot';
import { infoExchange, recording, recordingsDir, step, bodyText } from './recorded';

const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined };
type Row = { type: string; name: string; backend_name?: string; stats: Record<string, unknown> };

describe('the tree with the real stats field set', () => {
  const hits: string[] = [];
  let server: http.Server;
  let url: string;
  /** While set, the stats answer waits for this many requests to /v3/poll (another caller's). */
  let holdStatsForPolls = 0;
  const polled: (() => void)[] = [];
  const stats = step(recording('3.4.2', '07-stats-native'), 'GET stats/native').response.body as {
    runtimeAPI: string;
    stats: Row[];
  };
  const cfg = fs.readFileSync(path.join(recordingsDir, 'v3.4.2', '07-stats-native.before.cfg'), 'utf8');
  before(async () => {
    server = http.createServer((req, res) => {
      const u = new URL(req.url ?? '/', 'http://x');
      hits.push(`${req.method} ${u.pathname}${u.search}`);
      const send = (body: string, type = 'application/json'): void =>
        void res.writeHead(200, { 'Content-Type': type, 'Configuration-Version': '1' }).end(body);
      if (u.pathname === '/v3/info') return send(bodyText(infoExchange('3.4.2').response.body));
      if (u.pathname === '/v3/services/haproxy/configuration/raw') return send(cfg, 'text/plain');
      if (u.pathname === '/v3/services/haproxy/transactions') return send('[]');
      if (u.pathname === '/v3/poll') {
        polled.splice(0).forEach((f) => f());
        return send('{}');
      }
      if (u.pathname === '/v3/services/haproxy/stats/native') {
        // Filtered as the real server's type/parent parameters do.
        const type = u.searchParams.get('type');
        const parent = u.searchParams.get('parent');
        const answer = () =>
          send(
            JSON.stringify({
              ...stats,
              stats: stats.stats.filter((r) => (!type || r.type === type) && (!parent || r.backend_name === parent)),
            }),
          );
        const polls = () => hits.filter((h) => h === 'GET /v3/poll').length;
        const until = polls() + holdStatsForPolls;
        const check = () => (polls() >= until ? answer() : polled.push(check));
        return check();
      }
      send('{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v3`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it(
    'a large configuration: backend rows only, up counts from act/bck, ' + 'server rows of one backend when expanded',
    async () => {
      const c = new DataPlaneClient({ settings: { id: 't', name: 't', url, auth: 'basic' }, secrets: {} }, { logger });
      try {
        await c.connect();
        for (let load = 0; load < 2; load++) {
          hits.length = 0;
          const tree = await loadTree(c, { transactions: true, fullStatsMaxServers: 2 });
          assert.ok(tree.requests <= 3, `${tree.requests} requests`);
          assert.ok(
            hits.every((h) => !h.startsWith('GET /v3/services/haproxy/stats/native') || h.includes('type=backend')),
            hits.join('\n'),
          );
          const be = tree.backends.find((b) => b.name === 'be_app')!;
          assert.equal(be.upServers, 2, 'act + bck of the recorded BACKEND row');
          assert.equal(be.state, 'UP');
          const servers = await be.loadStates!();
          assert.deepEqual(
            servers.map((s) => `${s.name} ${s.state}`),
            ['web1 UP', 'web2 UP', 'web3 DOWN'],
          );
          assert.ok(hits.at(-1)!.includes('type=server') && hits.at(-1)!.includes('parent=be_app'), hits.at(-1));
        }
      } finally {
        await c.dispose();
      }
    },
  );

  it('a tree load counts its own requests, not those another caller makes on the connection meanwhile', async () => {
    const c = new DataPlaneClient({ settings: { id: 't', name: 't', url, auth: 'basic' }, secrets: {} }, { logger });
    let done = false;
    try {
      await c.connect();
      // The stats answer waits until the other caller (a status bar, a write) made 3 requests.
      holdStatsForPolls = 3;
      const poller = (async () => {
        while (!done) await c.transport.request({ method: 'GET', path: '/v3/poll' });
      })();
      const tree = await loadTree(c, { transactions: true }).finally(() => (done = true));
      await poller;
      assert.ok(tree.requests <= 3, `${tree.requests} requests counted for the tree`);
      assert.ok(c.transport.requestCount >= tree.requests + 3, 'the other caller did use the connection');
    } finally {
      holdStatsForPolls = 0;
      await c.dispose();
    }
  });

  it('a small configuration: everything in one stats request, as before', async () => {
    const c = new DataPlaneClient({ settings: { id: 't', name: 't', url, auth: 'basic' }, secrets: {} }, { logger });
    try {
      hits.length = 0;
      const tree = await loadTree(c, { transactions: true });
      assert.ok(hits.includes('GET /v3/services/haproxy/stats/native'));
      const be = tree.backends.find((b) => b.name === 'be_app')!;
      assert.equal(be.loadStates, undefined);
      assert.deepEqual(
        be.servers.map((s) => `${s.name} ${s.state}`),
        ['web1 UP', 'web2 UP', 'web3 DOWN'],
      );
    } finally {
      await c.dispose();
    }
  });
});
