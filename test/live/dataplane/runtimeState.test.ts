// Runtime state across a reload, on a real HAProxy behind the Data Plane API emulator: a server
// drained at runtime comes back UP after a reload unless the user chose to keep it, and the user
// is told before the change either way. Also the configuration history's restore path: an older
// version posted back as one versioned write, refused when the server moved on meanwhile.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DataPlaneClient } from '../../../src/dataplane/core/client';
import { RawConfigConflictError } from '../../../src/dataplane/core/errors';
import { ConfigHistory, historyText, memoryStorage } from '../../../src/dataplane/core/history';
import { followReload } from '../../../src/dataplane/core/reload';
import { guardRuntimeState, type RuntimeChoice } from '../../../src/dataplane/core/runtimeState';
import { silentLogger } from '../../../src/shared/logger';
import { startDataPlane, type DataPlaneFixture } from '../../fixtures/dataplane';
import { waitFor } from '../../support/wait';

for (const api of [3, 2] as const) {
  describe(`runtime state across reloads and history restore (emulator v${api})`, { timeout: 180_000 }, () => {
    let fx: DataPlaneFixture;
    let client: DataPlaneClient;

    before(async () => {
      fx = await startDataPlane({ api });
      client = new DataPlaneClient(fx.connection(), { logger: silentLogger });
    });
    after(async () => {
      await client?.dispose();
      await fx?.stop();
    });

    const web1 = async () => (await client.runtimeServers('be_app')).find((s) => s.name === 'web1')?.adminState;

    /** Drains web1, saves a changed configuration (one reload), answers the question with `choice`. */
    async function drainAndReload(choice: RuntimeChoice, balance: string) {
      await client.setServerState('be_app', 'web1', 'drain');
      assert.equal(await web1(), 'drain');
      const live = await client.rawConfig();
      const asked: string[] = [];
      const guard = await guardRuntimeState(client, {
        where: `"${client.name}"`,
        liveText: live.text,
        newText: historyText(live.text).replace(/balance \w+/, `balance ${balance}`),
        ask: async (q) => (asked.push(q.message), choice),
        logger: silentLogger,
      });
      const res = await client.postRawConfig(guard.text!, live.version);
      assert.ok(res.reloadId, 'the save requests a reload');
      const reload = await followReload(client, res.reloadId, { intervalMs: 200, timeoutMs: 60_000 });
      assert.equal(reload.status, 'succeeded', reload.response);
      const said = await guard.afterReload(reload, true);
      return { asked, said };
    }

    it('told beforehand, "keep" leaves the drained server DRAIN after the reload', async () => {
      const { asked, said } = await drainAndReload('reapply', 'leastconn');
      assert.equal(asked.length, 1);
      assert.match(asked[0]!, /be_app\/web1 is drained/);
      assert.match(said ?? '', /re-applied to 1 server/);
      assert.equal(await web1(), 'drain');
      const stat = (await client.nativeStats(undefined, { type: 'server' })).find((r) => r.name === 'web1');
      assert.match(stat?.status ?? '', /^DRAIN/);
    });

    it('told beforehand, without "keep" the drained server comes back UP after the reload', async () => {
      const { asked, said } = await drainAndReload('reset', 'roundrobin');
      assert.equal(asked.length, 1, 'the user was told before the change');
      assert.match(said ?? '', /came back as configured/);
      assert.equal(await web1(), 'ready');
      await waitFor('web1 UP again by its checks', async () => {
        const stat = (await client.nativeStats(undefined, { type: 'server' })).find((r) => r.name === 'web1');
        return stat?.status?.startsWith('UP') ? true : undefined;
      });
    });

    it(
      'restores an older version as one versioned write; ' + "a stale version is refused with the server's text",
      async () => {
        const history = new ConfigHistory(memoryStorage());
        const first = await client.rawConfig();
        const firstEntry = await history.record('fx', first.text, { version: first.version, source: 'read' });
        const changed = historyText(first.text).replace('timeout client 10s', 'timeout client 11s');
        const w = await client.postRawConfig(changed, first.version);
        await history.record('fx', changed, { version: w.version, source: 'write' });
        if (w.reloadId) await followReload(client, w.reloadId, { intervalMs: 200, timeoutMs: 60_000 });
        assert.equal((await history.list('fx')).length, 2);

        const old = (await history.text('fx', firstEntry!.hash))!;
        // Posted at a version that is no longer current: the server refuses and says what it has now.
        await assert.rejects(client.postRawConfig(old, first.version), (err: unknown) => {
          assert.ok(err instanceof RawConfigConflictError);
          assert.match(err.theirText, /timeout client 11s/);
          return true;
        });
        const now = await client.rawConfig();
        const r = await client.postRawConfig(old, now.version);
        if (r.reloadId) await followReload(client, r.reloadId, { intervalMs: 200, timeoutMs: 60_000 });
        assert.equal(historyText((await client.rawConfig()).text), old);
      },
    );
  });
}
