// Create, update, resync and delete VIPs on a real HAProxy behind the Data Plane API emulator (v3
// and v2): one transaction and one reload per server per VIP, a request budget, idempotence,
// conflicts refused by name, nothing left behind by a failed or cancelled transaction, a concurrent
// writer replayed without a lost update, an HA pair reported per server. Traffic is checked with a
// real HTTP client through the VIP. VIPs are on 127.0.201.0/24 (v3) and 127.0.202.0/24 (v2).
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DataPlaneClient } from '../../../src/dataplane/core/client';
import { withTransaction } from '../../../src/dataplane/core/transaction';
import { applyVip, deleteVip, resyncVip, type ServerOutcome, type VipTarget } from '../../../src/vip/core/apply';
import { readLiveState } from '../../../src/vip/core/live';
import { planVip, type VipPlan } from '../../../src/vip/core/planner';
import type { EndpointsLike, ServiceLike } from '../../../src/vip/core/kubeShapes';
import { startDataPlane, type ApiMajor, type DataPlaneFixture } from '../../fixtures/dataplane';
import { FaultProxy } from '../../support/fault-proxy';
import { waitFor } from '../../support/wait';
import { fetchText, helloServer } from '../../support/traffic';

const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined };
const PORT = 18080;

/** Traffic through a VIP, polled every 100 ms until it answers as expected (generous deadline). */
const eventually = (what: string, probe: () => Promise<boolean>) => waitFor(what, probe, { intervalMs: 100 });

const service = (name: string): ServiceLike => ({
  metadata: { name, namespace: 'team-a' },
  spec: { type: 'LoadBalancer', ports: [{ name: 'http', port: PORT, targetPort: 8080, protocol: 'TCP' }] },
});
const endpointsAt = (...ports: number[]): EndpointsLike => ({
  subsets: ports.map((port) => ({ addresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'http', port }] })),
});
const only = (o: ServerOutcome[]): ServerOutcome => {
  assert.equal(o.length, 1);
  return o[0]!;
};

function vipSuite(api: ApiMajor, net: string): void {
  describe(`VIPs on HAProxy behind the Data Plane API emulator v${api}`, { timeout: 180_000 }, () => {
    let fx: DataPlaneFixture;
    let client: DataPlaneClient;
    let target: VipTarget;
    let a: Awaited<ReturnType<typeof helloServer>>;
    let b: Awaited<ReturnType<typeof helloServer>>;
    const clients: DataPlaneClient[] = [];
    const newClient = (f: DataPlaneFixture, url?: string) => {
      const c = new DataPlaneClient(f.connection(url ? { settings: { url } } : {}), { logger, retryBaseMs: 20 });
      clients.push(c);
      return c;
    };
    const vip = (n: number) => `${net}.${n}`;
    const plan = (
      name: string,
      n: number,
      eps: EndpointsLike,
      options: Partial<Parameters<typeof planVip>[3]> = {},
    ): VipPlan => planVip(service(name), [], eps, { vip: vip(n), ...options });
    const reloads = async () => (await fx.haproxy.reloadCounters()).reloads;
    const liveText = async () => (await client.rawConfig()).text;

    before(async () => {
      fx = await startDataPlane({ api });
      client = newClient(fx);
      await client.connect();
      target = { id: 'lb1', name: 'lb1', client };
      a = await helloServer('hello A');
      b = await helloServer('hello B');
    });
    after(async () => {
      for (const c of clients) await c.dispose();
      await fx?.stop();
      await a?.close();
      await b?.close();
    });

    it('creates the VIP in one transaction and exactly one reload, within 11 requests; traffic flows', async () => {
      const before = await reloads();
      const o = only(await applyVip([target], plan('web', 2, endpointsAt(a.port)), { logger }));
      assert.equal(o.status, 'applied', o.message);
      assert.deepEqual(
        o.changes.map((c) => c.kind),
        ['addBackend', 'addServer', 'addFrontend', 'addBind'],
      );
      assert.equal(o.attempts, 1);
      assert.equal(o.reload?.status, 'succeeded', o.reload?.response);
      // The write: one read, the open transactions listed before opening ours (so that a lost answer
      // to the open is cleaned up by proof, never by guess), the open, four changes, the commit. The
      // reload's polls come on top and depend on the machine's speed: not counted here.
      assert.ok(o.writeRequests! <= 9, `${o.writeRequests} requests to write`);
      assert.ok(o.requests > o.writeRequests!, 'the reload was followed');
      assert.equal(await reloads(), before + 1, 'exactly one reload');
      assert.equal(await fetchText(`http://${vip(2)}:${PORT}/`), 'hello A');
      assert.deepEqual(await client.transactions(), []);
    });

    it('counts its own requests, not those another caller makes on the connection meanwhile', async () => {
      // The tree and the status bar use the same connection while a VIP is written.
      let done = false;
      let polls = 0;
      const poller = (async () => {
        for (; !done; polls++) await client.configVersion();
      })();
      const names = { frontends: ['vip_team-a_busy_http'], backends: ['vipbe_team-a_busy_http'] };
      try {
        const o = only(
          await applyVip([target], plan('busy', 9, endpointsAt(a.port)), { logger }).finally(() => (done = true)),
        );
        await poller;
        assert.equal(o.status, 'applied', o.message);
        assert.ok(polls > 0, 'the other caller used the connection meanwhile');
        assert.ok(o.writeRequests! <= 9, `${o.writeRequests} requests counted for the write (${polls} polls)`);
      } finally {
        done = true;
        assert.equal(only(await deleteVip([target], names, { logger })).status, 'applied');
      }
    });

    it('running it again changes nothing: no transaction, no reload, no duplicate', async () => {
      const version = await client.configVersion();
      const before = await reloads();
      const o = only(await applyVip([target], plan('web', 2, endpointsAt(a.port)), { logger }));
      assert.equal(o.status, 'unchanged', o.message);
      assert.equal(o.requests, 1, 'one read, no write');
      assert.equal(await client.configVersion(), version);
      assert.equal(await reloads(), before);
      const text = await liveText();
      assert.equal(text.match(/^frontend vip_team-a_web_http$/gm)?.length, 1);
      assert.equal(text.match(/^backend vipbe_team-a_web_http$/gm)?.length, 1);
      assert.equal(text.match(/ep_127\.0\.0\.1_/g)?.length, 1);
    });

    it('a changed option updates in place in one reload', async () => {
      const before = await reloads();
      const o = only(
        await applyVip([target], plan('web', 2, endpointsAt(a.port), { balance: 'leastconn' }), { logger }),
      );
      assert.equal(o.status, 'applied', o.message);
      assert.deepEqual(
        o.changes.map((c) => c.kind),
        ['replaceBackend'],
      );
      assert.equal(await reloads(), before + 1);
      assert.equal(readLiveState(await liveText()).backends.get('vipbe_team-a_web_http')?.balance, 'leastconn');
    });

    it('resync changes only the difference between endpoints and servers; nothing to do, no transaction', async () => {
      const before = await reloads();
      const o = only(
        await resyncVip([target], plan('web', 2, endpointsAt(b.port), { balance: 'leastconn' }), { logger }),
      );
      assert.equal(o.status, 'applied', o.message);
      assert.deepEqual(
        o.changes.map((c) => [c.kind, 'name' in c ? c.name : 'server' in c ? c.server.name : '']),
        [
          ['deleteServer', `ep_127.0.0.1_${a.port}`],
          ['addServer', `ep_127.0.0.1_${b.port}`],
        ],
      );
      assert.equal(await reloads(), before + 1);
      await eventually(
        'traffic to the new endpoint',
        async () => (await fetchText(`http://${vip(2)}:${PORT}/`)) === 'hello B',
      );
      const again = only(await resyncVip([target], plan('web', 2, endpointsAt(b.port)), { logger }));
      assert.equal(again.status, 'unchanged');
      assert.equal(again.requests, 1);
      assert.equal(await reloads(), before + 1);
    });

    it('refuses a VIP another frontend binds, naming that frontend, and writes nothing', async () => {
      const version = await client.configVersion();
      const o = only(await applyVip([target], plan('other', 2, endpointsAt(a.port)), { logger }));
      assert.equal(o.status, 'failed');
      assert.match(
        o.message,
        new RegExp(`${vip(2).replace(/\./g, '\\.')} is already bound by frontend "vip_team-a_web_http"`),
      );
      assert.equal(o.requests, 1);
      assert.equal(await client.configVersion(), version);
    });

    it('a transaction HAProxy rejects leaves nothing applied and no transaction open', async () => {
      const version = await client.configVersion();
      const p = plan('broken', 5, endpointsAt(a.port));
      p.ports[0]!.servers[0]!.address = 'no-such-host.invalid';
      const o = only(await applyVip([target], p, { logger }));
      assert.equal(o.status, 'failed');
      assert.match(o.message, /could not resolve address 'no-such-host\.invalid'/);
      assert.equal(await client.configVersion(), version);
      assert.doesNotMatch(await liveText(), /team-a_broken/);
      assert.deepEqual(await client.transactions(), []);
      if (fx.emulator) assert.equal(fx.emulator.openTransactions(), 0);
    });

    it('a concurrent writer is replayed, not lost; no transaction is left open', async () => {
      const proxy = await FaultProxy.start(fx.url);
      try {
        const other = newClient(fx);
        const mine = newClient(fx, proxy.url);
        const addFrontend = /^POST \/v[23]\/services\/haproxy\/configuration\/frontends\?transaction_id=/;
        proxy.add({
          match: addFrontend,
          fault: {
            kind: 'before',
            action: async () =>
              void (await withTransaction(
                other,
                (tx) => tx.addServer('be_app', { name: 'theirs', address: '127.0.0.1', port: a.port }),
                { logger },
              )),
          },
        });
        const o = only(
          await applyVip([{ id: 'lb1', name: 'lb1', client: mine }], plan('race', 6, endpointsAt(a.port)), { logger }),
        );
        assert.equal(o.status, 'applied', o.message);
        assert.equal(o.attempts, 2, 'replayed once at the newer version');
        assert.equal(proxy.pending(), 0, 'the concurrent write happened');
        const live = readLiveState(await liveText());
        assert.ok(
          live.backends.get('be_app')?.servers.some((s) => s.name === 'theirs'),
          'their server is kept',
        );
        assert.ok(live.frontends.has('vip_team-a_race_http'), 'our frontend is there');
        assert.deepEqual(await client.transactions(), []);
        await eventually(
          'traffic through the raced VIP',
          async () => (await fetchText(`http://${vip(6)}:${PORT}/`)) === 'hello A',
        );
      } finally {
        await proxy.stop();
      }
    });

    it('cancelled before the commit: the transaction is discarded and nothing changes', async () => {
      const proxy = await FaultProxy.start(fx.url);
      try {
        const mine = newClient(fx, proxy.url);
        const ac = new AbortController();
        proxy.add({
          match: /^POST .*\/binds\?transaction_id=|^POST .*\/binds\?.*transaction_id=/,
          fault: { kind: 'before', action: async () => ac.abort() },
        });
        const version = await client.configVersion();
        const before = await reloads();
        const o = only(
          await applyVip([{ id: 'lb1', name: 'lb1', client: mine }], plan('cancelled', 7, endpointsAt(a.port)), {
            logger,
            signal: ac.signal,
          }),
        );
        assert.equal(o.status, 'cancelled', o.message);
        assert.equal(proxy.pending(), 0);
        assert.equal(
          proxy.seen.filter((s) => s.method === 'PUT' && s.url.includes('/transactions/')).length,
          0,
          'never committed',
        );
        assert.equal(await client.configVersion(), version);
        assert.equal(await reloads(), before);
        assert.deepEqual(await client.transactions(), [], 'the transaction was discarded');
      } finally {
        await proxy.stop();
      }
    });

    it('delete removes what was created in one reload; the VIP then refuses connections', async () => {
      const before = await reloads();
      const names = {
        frontends: ['vip_team-a_web_http', 'vip_team-a_race_http'],
        backends: ['vipbe_team-a_web_http', 'vipbe_team-a_race_http'],
      };
      const o = only(await deleteVip([target], names, { logger }));
      assert.equal(o.status, 'applied', o.message);
      assert.deepEqual(
        o.changes.map((c) => c.kind),
        ['deleteFrontend', 'deleteFrontend', 'deleteBackend', 'deleteBackend'],
      );
      assert.equal(await reloads(), before + 1);
      assert.doesNotMatch(await liveText(), /vip_team-a|vipbe_team-a/);
      await eventually(
        'the VIP refusing connections',
        async () => (await fetchText(`http://${vip(2)}:${PORT}/`)) === 'error ECONNREFUSED',
      );
      const again = only(await deleteVip([target], names, { logger }));
      assert.equal(again.status, 'unchanged');
    });

    if (api === 3) {
      it(
        'HA pair: the same change on each server; ' + 'a failure on one is reported precisely, the other kept',
        async () => {
          const fx2 = await startDataPlane({ api });
          try {
            const second: VipTarget = { id: 'lb2', name: 'lb2', client: newClient(fx2) };
            // lb2 already serves the address with a frontend of its own.
            const raw = await second.client.rawConfig();
            await second.client.postRawConfig(
              `${raw.text.replace(/^# _version=\d+\n/, '')}\nfrontend legacy\n  bind ${vip(8)}:443\n  default_backend be_app\n`,
              raw.version,
            );
            const both = await applyVip([target, second], plan('pair', 8, endpointsAt(a.port)), { logger });
            assert.deepEqual(
              both.map((o) => [o.target.id, o.status]),
              [
                ['lb1', 'applied'],
                ['lb2', 'failed'],
              ],
            );
            assert.match(both[1]!.message, /^"lb2": .* already bound by frontend "legacy"/);
            assert.ok(readLiveState(await liveText()).frontends.has('vip_team-a_pair_http'), 'lb1 keeps the VIP');
            assert.equal(await fetchText(`http://${vip(8)}:${PORT}/`), 'hello A');
            // An unreachable server: the message says which and why; lb1 is unaffected.
            await fx2.stop();
            const down = await applyVip([target, second], plan('pair', 8, endpointsAt(b.port)), { logger });
            assert.deepEqual(
              down.map((o) => o.status),
              ['applied', 'failed'],
            );
            assert.match(down[1]!.message, /^"lb2": Nothing listens at http:\/\/127\.0\.0\.1:\d+/);
            await deleteVip(
              [target],
              { frontends: ['vip_team-a_pair_http'], backends: ['vipbe_team-a_pair_http'] },
              { logger },
            );
          } finally {
            await fx2.stop();
          }
        },
      );
    }
  });
}

vipSuite(3, '127.0.201');
vipSuite(2, '127.0.202');
