// The tests against a running Data Plane API in front of a real HAProxy, shared by the emulator
// (live.test.ts) and the real dataplaneapi binaries (real.test.ts).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DataPlaneClient } from '../../../src/dataplane/core/client';
import {
  ConfigurationRejectedError,
  DataPlaneConnectError,
  RawConfigConflictError,
  TooManyTransactionsError,
} from '../../../src/dataplane/core/errors';
import { followReload } from '../../../src/dataplane/core/reload';
import { loadTree, type TreeSnapshot } from '../../../src/dataplane/core/snapshot';
import { withTransaction } from '../../../src/dataplane/core/transaction';
import { startDataPlane, type ApiMajor, type DataPlaneFixture, type FixtureKind } from '../../fixtures/dataplane';
import { FaultProxy } from '../../support/fault-proxy';
import { waitFor } from '../../support/wait';

export const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined };

/** Reads with `fn` every 150 ms until `ok` holds (generous deadline); the last value is in the failure. */
async function until<T>(what: string, fn: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  let last: T | undefined;
  try {
    return await waitFor(
      what,
      async () => {
        last = await fn();
        return ok(last) ? last : undefined;
      },
      { intervalMs: 150 },
    );
  } catch (err) {
    return assert.fail(`${err instanceof Error ? err.message : String(err)}; last: ${JSON.stringify(last)}`);
  }
}

const server = (t: TreeSnapshot, b: string, s: string) =>
  t.backends.find((x) => x.name === b)?.servers.find((x) => x.name === s);

export function liveSuite(kind: FixtureKind, api: ApiMajor): void {
  describe(`${kind} Data Plane API v${api} in front of HAProxy`, { timeout: 120_000 }, () => {
    let fx: DataPlaneFixture;
    let c: DataPlaneClient;
    const clients: DataPlaneClient[] = [];
    const newClient = (url?: string, extra: Partial<ConstructorParameters<typeof DataPlaneClient>[1]> = {}) => {
      const cl = new DataPlaneClient(fx.connection(url ? { settings: { url } } : {}), {
        logger,
        retryBaseMs: 20,
        ...extra,
      });
      clients.push(cl);
      return cl;
    };

    before(async () => {
      fx = await startDataPlane({ api, kind });
      c = newClient();
    });
    after(async () => {
      for (const cl of clients) await cl.dispose();
      await fx?.stop();
    });

    it('detects the API version and reads info', async () => {
      const r = await c.connect();
      assert.equal(r.major, api);
      assert.match(r.info.apiVersion, new RegExp(`^v${api}\\.`));
      assert.match((await c.haproxyVersion()) ?? '', /^2\.6\./, "HAProxy's own version from its runtime API");
    });

    it('loads the whole tree in at most 3 requests, with live server states', async () => {
      const t = await until(
        'health checks',
        () => loadTree(c, { transactions: true }),
        (t) => server(t, 'be_app', 'web1')?.state === 'UP' && server(t, 'be_app', 'web3')?.state === 'DOWN',
      );
      assert.ok(t.requests <= 3, `${t.requests} requests`);
      const fe = t.frontends.find((f) => f.name === 'fe_main')!;
      assert.deepEqual(
        fe.binds.map((b) => b.address),
        [`127.0.0.1:${fx.frontendPort}`],
      );
      assert.equal(fe.defaultBackend, 'be_app');
      const be = t.backends.find((b) => b.name === 'be_app')!;
      assert.deepEqual(
        be.servers.map((s) => [s.name, s.weight]),
        [
          ['web1', 10],
          ['web2', 20],
          ['web3', 1],
        ],
      );
      assert.deepEqual(t.transactions, []);
    });

    it('writes through a transaction, then the reload succeeds and HAProxy serves the new server', async () => {
      const out = await withTransaction(
        c,
        (tx) =>
          tx.addServer('be_app', { name: 'web4', address: '127.0.0.1', port: fx.upstreamPort, weight: 4, check: true }),
        { logger },
      );
      assert.equal(out.attempts, 1);
      assert.ok(out.reloadId, 'a commit requests a reload');
      const r = await followReload(c, out.reloadId!, { intervalMs: 100, timeoutMs: 60_000 });
      assert.equal(r.status, 'succeeded', r.response);
      const stat = (await fx.haproxy.cli('@1 show stat')).split('\n').find((l) => l.startsWith('be_app,web4,'));
      assert.ok(stat, 'HAProxy itself has web4 after the reload');
      assert.deepEqual(await c.transactions(), []);
    });

    it('drains and readies a server at runtime; HAProxy stats follow; weight changes live', async () => {
      const before = await c.configVersion();
      await c.setServerState('be_app', 'web1', 'drain');
      const drained = await loadTree(c);
      assert.equal(server(drained, 'be_app', 'web1')?.state, 'DRAIN');
      assert.match(
        (await fx.haproxy.cli('@1 show stat')).split('\n').find((l) => l.startsWith('be_app,web1,'))!,
        /,DRAIN,/,
      );
      await c.setServerState('be_app', 'web1', 'ready');
      assert.equal(server(await loadTree(c), 'be_app', 'web1')?.state, 'UP');
      const w = await c.setServerWeight('be_app', 'web2', 7);
      assert.equal(w.reloadId, undefined, 'a weight change needs no reload');
      assert.equal(server(await loadTree(c), 'be_app', 'web2')?.liveWeight, 7);
      assert.equal(
        await c.configVersion(),
        api === 3 ? before : before + 1,
        'v3 changes weight at runtime only; v2 through the configuration, applied at runtime',
      );
    });

    it(
      'raw configuration: save at the version read, reload; ' +
        "stale version → conflict with their text; invalid → HAProxy's message",
      async () => {
        const mine = await c.rawConfig();
        const edited = mine.text.replace('balance roundrobin', 'balance leastconn');
        const saved = await c.postRawConfig(edited, mine.version);
        assert.equal(saved.version, mine.version + 1);
        assert.equal(
          (await followReload(c, saved.reloadId!, { intervalMs: 100, timeoutMs: 60_000 })).status,
          'succeeded',
        );
        assert.equal((await loadTree(c)).backends.find((b) => b.name === 'be_app')?.balance, 'leastconn');

        await assert.rejects(
          c.postRawConfig(edited.replace('leastconn', 'source'), mine.version),
          (e: unknown) =>
            e instanceof RawConfigConflictError &&
            e.theirVersion === mine.version + 1 &&
            e.theirText.includes('balance leastconn'),
        );

        const now = await c.rawConfig();
        const broken = now.text.replace('  default_backend be_app', '  default_backend be_app\n  bogus_keyword on');
        // v2's only_validate answers just "validation error: exit status 1" (recording 02-raw-config): the
        // message says so; v3 passes HAProxy's ALERT on.
        const checkCause = api === 3 ? /bogus_keyword/ : /does not pass its output on/;
        await assert.rejects(
          c.postRawConfig(broken, now.version, { onlyValidate: true }),
          (e: unknown) =>
            e instanceof ConfigurationRejectedError && checkCause.test(api === 3 ? e.serverMessage : e.message),
        );
        await assert.rejects(c.postRawConfig(broken, now.version), ConfigurationRejectedError);
        assert.equal((await c.rawConfig()).version, now.version, 'a rejected configuration is not written');
        const validated = await c.postRawConfig(now.text, now.version, { onlyValidate: true });
        assert.equal(validated.reloadId, undefined);
        assert.equal((await c.rawConfig()).version, now.version, 'only_validate changes nothing');
      },
    );

    it(
      'a configuration HAProxy cannot load ends in a failed ' + "reload with HAProxy's message; a fixed one succeeds",
      async () => {
        const now = await c.rawConfig();
        // Valid for `haproxy -c`, but the port is taken by the fixture's upstream: binding fails on reload.
        const bad = now.text.replace(
          `bind 127.0.0.1:${fx.frontendPort} name main`,
          `bind 127.0.0.1:${fx.frontendPort} name main\n  bind 127.0.0.1:${fx.upstreamPort} name taken`,
        );
        const w = await c.postRawConfig(bad, now.version);
        const r = await followReload(c, w.reloadId!, { intervalMs: 100, timeoutMs: 60_000 });
        assert.equal(r.status, 'failed');
        assert.match(r.response ?? '', /cannot bind socket/);
        const fixed = await c.postRawConfig(now.text, w.version!);
        assert.equal(
          (await followReload(c, fixed.reloadId!, { intervalMs: 100, timeoutMs: 60_000 })).status,
          'succeeded',
        );
      },
    );

    it('no lost update and no orphaned transaction when another writer commits meanwhile (406 and 409)', async () => {
      const proxy = await FaultProxy.start(fx.url);
      try {
        const other = newClient();
        const mine = newClient(proxy.url);
        // Another client commits while our change is in flight: our commit finds the transaction outdated.
        const txChange =
          api === 3
            ? /^POST \/v3\/services\/haproxy\/configuration\/backends\/be_app\/servers\?transaction_id=/
            : /^POST \/v2\/services\/haproxy\/configuration\/servers\?transaction_id=.*backend=be_app/;
        proxy.add({
          match: txChange,
          fault: {
            kind: 'before',
            action: async () =>
              void (await withTransaction(
                other,
                (tx) => tx.addServer('be_app', { name: 'theirs1', address: '127.0.0.1', port: fx.upstreamPort }),
                { logger },
              )),
          },
        });
        const out = await withTransaction(
          mine,
          (tx) => tx.addServer('be_app', { name: 'mine1', address: '127.0.0.1', port: fx.upstreamPort }),
          { logger },
        );
        assert.equal(out.attempts, 2);
        assert.equal(proxy.pending(), 0, 'every injected fault happened');

        // A 409 on opening: the version moves between our read of it and our POST.
        proxy.add({
          match: /^POST \/v[23]\/services\/haproxy\/transactions\?version=/,
          fault: {
            kind: 'before',
            action: async () =>
              void (await withTransaction(
                other,
                (tx) => tx.addServer('be_app', { name: 'theirs2', address: '127.0.0.1', port: fx.upstreamPort }),
                { logger },
              )),
          },
        });
        const out2 = await withTransaction(
          mine,
          (tx) => tx.addServer('be_app', { name: 'mine2', address: '127.0.0.1', port: fx.upstreamPort }),
          { logger },
        );
        assert.equal(out2.attempts, 2);
        assert.equal(proxy.pending(), 0);

        const names = (await loadTree(c)).backends.find((b) => b.name === 'be_app')!.servers.map((s) => s.name);
        for (const n of ['theirs1', 'mine1', 'theirs2', 'mine2'])
          assert.ok(names.includes(n), `${n} is in the configuration (${names.join(', ')})`);
        assert.deepEqual(await c.transactions(), [], 'no transaction left open');
        if (fx.emulator) assert.equal(fx.emulator.openTransactions(), 0);
      } finally {
        await proxy.stop();
      }
    });

    it(
      'faults: resets and 500s on reads are retried; a slow answer times out; ' +
        'a reset write leaves no transaction open',
      async () => {
        const proxy = await FaultProxy.start(fx.url);
        try {
          // Generous for every answer of a busy machine; the slow answer below never comes.
          const mine = newClient(proxy.url, { requestTimeoutMs: 5_000 });
          proxy.add({ match: /configuration\/raw/, fault: { kind: 'reset' } });
          proxy.add({ match: /stats\/native/, fault: { kind: 'status', status: 500 }, times: 2 });
          const t = await loadTree(mine);
          assert.ok(t.backends.length > 0);
          assert.equal(proxy.pending(), 0);

          // A timeout is not retried: the user would wait several times as long.
          proxy.add({ match: /configuration\/version/, fault: { kind: 'hang' } });
          await assert.rejects(
            mine.configVersion(),
            (e: unknown) => e instanceof DataPlaneConnectError && /did not answer/.test(e.message),
          );
          assert.equal(proxy.pending(), 0);

          proxy.add({ match: /^PUT \/v[23]\/services\/haproxy\/transactions\//, fault: { kind: 'reset' } });
          await assert.rejects(
            withTransaction(
              mine,
              (tx) => tx.addServer('be_app', { name: 'lost', address: '127.0.0.1', port: fx.upstreamPort }),
              { logger },
            ),
            DataPlaneConnectError,
          );
          assert.equal(proxy.seen.filter((s) => s.method === 'PUT').length, 1, 'a write is never retried');
          assert.deepEqual(await c.transactions(), [], 'the failed transaction was discarded');
        } finally {
          await proxy.stop();
        }
      },
    );

    it('429 when too many transactions are open, with a message that points at the Transactions node', async () => {
      const version = await c.configVersion();
      const opened: string[] = [];
      try {
        for (let i = 0; i < 20; i++) opened.push((await c.startTransaction(version)).id);
        await assert.rejects(
          withTransaction(c, async () => undefined, { logger }),
          (e: unknown) => e instanceof TooManyTransactionsError && /Transactions node/.test(e.message),
        );
      } finally {
        for (const id of opened) await c.deleteTransaction(id);
      }
      assert.deepEqual(await c.transactions(), []);
    });
  });
}
