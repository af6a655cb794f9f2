// The VIP workflow's runtime-state step on a real HAProxy behind the emulator: Delete VIP reloads,
// a server drained elsewhere is named before the change, and kept DRAIN after it when the user
// chooses so (re-applied once the reload succeeded); otherwise it comes back ready.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DataPlaneClient } from '../../../src/dataplane/core/client';
import { followReload } from '../../../src/dataplane/core/reload';
import { historyText } from '../../../src/dataplane/core/history';
import type { RuntimeChoice } from '../../../src/dataplane/core/runtimeState';
import { silentLogger } from '../../../src/shared/logger';
import { VipWorkflow, type VipCluster, type VipPrompter } from '../../../src/vip/core/service';
import { startDataPlane, type DataPlaneFixture } from '../../fixtures/dataplane';

describe('VIP delete keeps runtime state across its reload (emulator v3)', { timeout: 180_000 }, () => {
  let fx: DataPlaneFixture;
  let client: DataPlaneClient;

  before(async () => {
    fx = await startDataPlane({ api: 3 });
    client = new DataPlaneClient(fx.connection(), { logger: silentLogger });
  });
  after(async () => {
    await client?.dispose();
    await fx?.stop();
  });

  /** Adds a VIP frontend and backend by a raw write (as an earlier Create VIP would have). */
  async function addVip(n: number): Promise<void> {
    const live = await client.rawConfig();
    const port = 20000 + n;
    const text =
      `${historyText(live.text).replace(/\n*$/, '\n')}\n` +
      `frontend vip_t${n}\n  bind 127.0.0.1:${port} name p\n  default_backend vipbe_t${n}\n\n` +
      `backend vipbe_t${n}\n  server s1 127.0.0.1:${fx.upstreamPort}\n`;
    const res = await client.postRawConfig(text, live.version);
    assert.equal((await followReload(client, res.reloadId!, { intervalMs: 200 })).status, 'succeeded');
  }

  function run(choice: RuntimeChoice) {
    const asked: string[] = [];
    const reports: string[] = [];
    const ui = {
      confirm: async () => true,
      keepRuntimeState: async (q) => (asked.push(q.message), choice),
      progress: (_t, work) => work(new AbortController().signal, () => undefined),
      report: async (r) => void reports.push(r.message),
    } as Partial<VipPrompter> as VipPrompter;
    const workflow = new VipWorkflow({
      servers: {
        connections: () => [{ id: 'lb', name: 'lb', url: fx.url }],
        target: async () => ({ id: 'lb', name: 'lb', client }),
        follow: (t, id, signal) => followReload(t.client, id, { intervalMs: 200, signal }),
        refresh: () => undefined,
        watchReloads: () => ({ states: [], dispose: () => undefined }),
      },
      cluster: {} as VipCluster,
      ui,
      logger: silentLogger,
      pools: () => [],
    });
    return { workflow, asked, reports };
  }

  const web1 = async () => (await client.runtimeServers('be_app')).find((s) => s.name === 'web1')?.adminState;

  for (const [n, choice, expected] of [
    [1, 'reapply', 'drain'],
    [2, 'reset', 'ready'],
  ] as const) {
    it(`"${choice}": asked before the reload, web1 is ${expected} after it`, async () => {
      await addVip(n);
      await client.setServerState('be_app', 'web1', 'drain');
      const { workflow, asked, reports } = run(choice);
      const vip = { frontend: `vip_t${n}`, backend: `vipbe_t${n}`, binds: [], servers: 1 };
      const result = await workflow.delete({ served: { connectionId: 'lb', vip } }, {});
      assert.equal(result?.servers[0]?.status, 'applied', result?.servers[0]?.message);
      assert.equal(result?.servers[0]?.reload, 'succeeded');
      assert.equal(asked.length, 1);
      assert.match(asked[0]!, /be_app\/web1 is drained/);
      assert.equal(await web1(), expected);
      assert.match(reports.at(-1) ?? '', choice === 'reapply' ? /re-applied to 1 server/ : /came back as configured/);
      // Again: nothing left to delete, so no reload, and nothing to ask.
      const again = run(choice);
      assert.equal(
        (await again.workflow.delete({ served: { connectionId: 'lb', vip } }, {}))?.servers[0]?.status,
        'unchanged',
      );
      assert.deepEqual(again.asked, []);
      await client.setServerState('be_app', 'web1', 'ready');
    });
  }
});
