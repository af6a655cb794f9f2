// Concurrent writers on a server that behaves like the real dataplaneapi (a commit outdates every
// other open transaction): the action is re-run from scratch, so a VIP:port bound meanwhile by
// another frontend is refused by name (never bound twice), and no update is lost.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DataPlaneClient } from '../../../src/dataplane/core/client';
import { withTransaction } from '../../../src/dataplane/core/transaction';
import * as v from '../../../src/dataplane/core/validate';
import { applyVip, type VipTarget } from '../../../src/vip/core/apply';
import { planVip } from '../../../src/vip/core/planner';
import type { EndpointsLike, ServiceLike } from '../../../src/vip/core/kubeShapes';
import { FakeDataplane } from './fakeDataplane';
import { raceRounds } from './raceRounds';
import { recording, step } from './recorded';

const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined };
const service = (name: string): ServiceLike => ({
  metadata: { name, namespace: 'team-a' },
  spec: { type: 'LoadBalancer', ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] },
});
const endpoints: EndpointsLike = {
  subsets: [{ addresses: [{ ip: '10.9.0.1' }], ports: [{ name: 'http', port: 8080 }] }],
};

describe('concurrent writers', () => {
  let fake: FakeDataplane;
  let mine: VipTarget;
  let theirs: VipTarget;
  before(async () => {
    fake = await FakeDataplane.start();
    const client = () =>
      new DataPlaneClient(
        { settings: { id: 'f', name: 'lb1', url: fake.url, auth: 'basic' }, secrets: {} },
        { logger, retries: 0 },
      );
    mine = { id: 'lb1', name: 'lb1', client: client() };
    theirs = { id: 'lb1', name: 'lb1', client: client() };
  });
  after(async () => {
    await mine.client.dispose();
    await theirs.client.dispose();
    await fake.stop();
  });

  it(
    'another writer binding the same VIP:port between our read and our commit: ' +
      'a refusal naming it, never a duplicate bind',
    async () => {
      fake.hooks.beforeCommit = async () => {
        fake.hooks.beforeCommit = undefined;
        const [o] = await applyVip([theirs], planVip(service('other'), [], endpoints, { vip: '10.1.0.7' }), {
          logger,
          follow: false,
        });
        assert.equal(o!.status, 'applied', o!.message);
      };
      const [o] = await applyVip([mine], planVip(service('web'), [], endpoints, { vip: '10.1.0.7' }), {
        logger,
        follow: false,
      });
      assert.equal(o!.status, 'failed');
      assert.match(o!.message, /10\.1\.0\.7 is already bound by frontend "vip_team-a_other_http"/);
      assert.deepEqual(fake.duplicateBinds(), []);
      assert.ok(!fake.config.frontends.has('vip_team-a_web_http'));
      assert.deepEqual(fake.openTransactions(), [], 'no transaction left open');
    },
  );

  it('another writer changing something else meanwhile: ours is recomputed and lands, theirs is kept', async () => {
    await withTransaction(mine.client, (tx) => tx.addBackend({ name: 'be_app', mode: 'http' }), { logger });
    fake.hooks.beforeCommit = async () => {
      fake.hooks.beforeCommit = undefined;
      await withTransaction(
        theirs.client,
        (tx) => tx.addServer('be_app', { name: 'theirs', address: '10.0.0.1', port: 80 }),
        { logger },
      );
    };
    const out = await withTransaction(
      mine.client,
      (tx) => tx.addServer('be_app', { name: 'mine', address: '10.0.0.2', port: 80 }),
      { logger },
    );
    assert.equal(out.attempts, 2, 'outdated once, re-run once');
    assert.deepEqual([...fake.config.backends.get('be_app')!.servers.keys()].sort(), ['mine', 'theirs']);
    assert.deepEqual(fake.openTransactions(), []);
  });

  it(
    "a VIP whose reload fails is reported as not in service, with HAProxy's reason, " +
      'so the Service is not recorded',
    async () => {
      const failed = v.reload(
        step(recording('3.4.2', '13-bind-taken-port.verdict-reload'), 'GET reloads/{id} after the reload').response
          .body,
      );
      const [o] = await applyVip([mine], planVip(service('late'), [], endpoints, { vip: '10.1.0.9' }), {
        logger,
        follow: async () => failed,
      });
      assert.equal(
        o!.status,
        'failed',
        'not "applied": the UI records only applied or unchanged servers on the Service',
      );
      assert.equal(o!.haproxyRuns, 'previous');
      assert.match(o!.reason!, /cannot bind socket \(Address already in use\)/);
      assert.match(
        o!.message,
        /is not in service: reload 2026-12-02-\d+ failed, so HAProxy still runs the previous configuration/,
      );
    },
  );

  it(
    'seeded race rounds (same and different objects): no duplicate bind, ' + 'no lost update, no orphan transaction',
    async () => {
      const f = await raceRounds(40, 12);
      assert.equal(f.duplicateBinds, 0);
      assert.equal(f.lostUpdates, 0);
      assert.equal(f.orphanTransactions, 0);
      assert.equal(f.refusals, f.sameRounds, 'every same-VIP:port round: one applied, the other refused by name');
      assert.ok(f.sameRounds > 0 && f.sameRounds < f.rounds);
      assert.ok(f.retries > 0, 'the writers really raced');
    },
  );
});
