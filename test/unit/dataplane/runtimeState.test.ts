// Runtime state across reloads: which servers differ from the configuration, the question asked,
// writing the state into a configuration text, and the re-apply plan run after a reload.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DataPlaneClient } from '../../../src/dataplane/core/client';
import {
  guardRuntimeState,
  persistInConfig,
  reapplyPlan,
  runtimeDrift,
  runtimeStateQuestion,
  type RuntimeChoice,
} from '../../../src/dataplane/core/runtimeState';
import type { NativeStat } from '../../../src/dataplane/core/validate';
import { silentLogger } from '../../../src/shared/logger';

const CFG = [
  'backend be_app',
  '  server web1 127.0.0.1:8081 check weight 10',
  '  server web2 127.0.0.1:8082 check weight 20 # the big one',
  '  server web3 127.0.0.1:8083 check',
  '  server web4 127.0.0.1:8084 disabled',
  '  server web5 127.0.0.1:8085 disabled',
  '',
].join('\n');

const row = (name: string, status: string, weight?: number): NativeStat => ({
  type: 'server',
  name,
  backendName: 'be_app',
  status,
  weight,
});

describe('runtime state across reloads', () => {
  it('lists drained, maintained, re-enabled and re-weighted servers, not those down by checks', () => {
    const drift = runtimeDrift(CFG, [
      row('web1', 'DRAIN', 0),
      row('web2', 'UP', 7),
      row('web3', 'DOWN', 1),
      row('web4', 'MAINT', 1),
      row('web5', 'UP', 1),
    ]);
    assert.deepEqual(
      drift.map((d) => [d.server, d.kind, d.runtimeWeight]),
      [
        ['web1', 'drain', undefined],
        ['web2', 'weight', 7],
        ['web5', 'ready', undefined],
      ],
    );
    assert.deepEqual(
      runtimeDrift(CFG, [row('web3', 'MAINT', 1)]).map((d) => d.kind),
      ['maint'],
    );
    assert.deepEqual(runtimeDrift(CFG, [row('web1', 'UP 1/3', 10)]), []);
  });

  it('words a question that names the servers and mentions server-state-file', () => {
    const q = runtimeStateQuestion('"lb1"', runtimeDrift(CFG, [row('web1', 'DRAIN', 0)]), false);
    assert.match(q.message, /reloads HAProxy on "lb1", and 1 server differs at runtime.*be_app\/web1 is drained/);
    assert.match(q.detail, /server-state-file/);
    assert.match(q.detail, /load-server-state-from-file/);
    assert.doesNotMatch(q.detail, /Write into the configuration/);
  });

  it('writes maintenance, ready and weights into server lines; a drain is re-applied instead', () => {
    const drift = runtimeDrift(CFG, [
      row('web1', 'DRAIN'),
      row('web2', 'UP', 7),
      row('web3', 'MAINT'),
      row('web5', 'UP', 1),
    ]);
    const out = persistInConfig(CFG, drift);
    const lines = out.text.split('\n');
    assert.equal(lines[1], '  server web1 127.0.0.1:8081 check weight 10');
    assert.equal(lines[2], '  server web2 127.0.0.1:8082 check weight 7 # the big one');
    assert.equal(lines[3], '  server web3 127.0.0.1:8083 check disabled');
    assert.equal(lines[5], '  server web5 127.0.0.1:8085');
    assert.deepEqual(
      out.reapply.map((d) => d.server),
      ['web1'],
    );
    // A server the new text no longer has is re-applied (and fails alone) rather than lost.
    const gone = persistInConfig('backend be_app\n', drift.slice(1, 2));
    assert.deepEqual(
      gone.reapply.map((d) => d.server),
      ['web2'],
    );
  });

  it('plans one runtime call per difference', () => {
    const plan = reapplyPlan(runtimeDrift(CFG, [row('web1', 'DRAIN'), row('web2', 'UP', 7), row('web5', 'UP', 1)]));
    assert.deepEqual(plan, [
      { kind: 'state', backend: 'be_app', server: 'web1', state: 'drain' },
      { kind: 'weight', backend: 'be_app', server: 'web2', weight: 7 },
      { kind: 'state', backend: 'be_app', server: 'web5', state: 'ready' },
    ]);
  });

  function fakeClient(stats: NativeStat[] | Error) {
    const calls: string[] = [];
    const client = {
      nativeStats: async () => {
        if (stats instanceof Error) throw stats;
        return stats;
      },
      setServerState: async (b: string, s: string, state: string) => void calls.push(`${b}/${s} ${state}`),
      setServerWeight: async (b: string, s: string, w: number) => {
        if (s === 'gone') throw new Error('404');
        calls.push(`${b}/${s} weight ${w}`);
        return { status: 200 };
      },
    } as unknown as DataPlaneClient;
    return { client, calls };
  }

  const guard = (client: DataPlaneClient, choice: RuntimeChoice | undefined, newText?: string) => {
    const asked: string[] = [];
    const p = guardRuntimeState(client, {
      where: '"lb1"',
      liveText: CFG,
      newText,
      ask: async (q) => (asked.push(q.message), choice),
      logger: silentLogger,
    });
    return { p, asked };
  };

  it('keeps: re-applies after a successful reload only', async () => {
    const { client, calls } = fakeClient([row('web1', 'DRAIN'), row('web2', 'UP', 7)]);
    const { p, asked } = guard(client, 'reapply');
    const g = await p;
    assert.equal(asked.length, 1);
    assert.equal(await g.afterReload({ id: 'r-1', status: 'failed' }, true), undefined);
    assert.deepEqual(calls, [], 'a failed reload leaves the old worker and its state');
    assert.match((await g.afterReload({ id: 'r-1', status: 'succeeded' }, true))!, /re-applied to 2 server/);
    assert.deepEqual(calls, ['be_app/web1 drain', 'be_app/web2 weight 7']);
  });

  it('persist: edits the posted text and re-applies only the drain', async () => {
    const { client, calls } = fakeClient([row('web1', 'DRAIN'), row('web3', 'MAINT')]);
    const g = await guard(client, 'persist', CFG).p;
    assert.match(g.text!, /server web3 127\.0\.0\.1:8083 check disabled/);
    await g.afterReload(undefined, false);
    assert.deepEqual(calls, ['be_app/web1 drain']);
  });

  it(
    'reset says what came back; cancel throws; nothing differing asks nothing; ' + 'stats failing never blocks',
    async () => {
      const reset = await guard(fakeClient([row('web1', 'DRAIN')]).client, 'reset').p;
      assert.match((await reset.afterReload({ id: 'x', status: 'succeeded' }, true))!, /came back as configured/);
      await assert.rejects(guard(fakeClient([row('web1', 'DRAIN')]).client, undefined).p, /cancelled/i);
      const calm = guard(fakeClient([row('web1', 'UP', 10)]).client, 'reapply');
      assert.equal((await calm.p).choice, 'none');
      assert.deepEqual(calm.asked, []);
      const broken = guard(fakeClient(new Error('stats down')).client, 'reapply');
      assert.match((await (await broken.p).afterReload(undefined, false))!, /could not be read.*stats down/);
    },
  );
});
