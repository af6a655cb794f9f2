// Two writers racing on one Data Plane API (the in-process fake that outdates every other open
// transaction on commit, as the real server does), for the race test and scripts/bench/concurrency.js.
// Each round, seeded: both create a VIP on the SAME address and port (exactly one may win; the
// other must be refused by name), or on DIFFERENT addresses (both must land), and both add a
// server to one shared backend (both must be there: no lost update).
import { DataPlaneClient } from '../../../src/dataplane/core/client';
import { withTransaction } from '../../../src/dataplane/core/transaction';
import { applyVip, type ServerOutcome, type VipTarget } from '../../../src/vip/core/apply';
import { planVip } from '../../../src/vip/core/planner';
import type { EndpointsLike, ServiceLike } from '../../../src/vip/core/kubeShapes';
import { FakeDataplane } from './fakeDataplane';

export interface RaceFigures {
  rounds: number;
  duplicateBinds: number;
  lostUpdates: number;
  orphanTransactions: number;
  /** Rounds on the same VIP:port (the others are on different objects). */
  sameRounds: number;
  /** Same-object rounds where the loser was refused naming the winner's frontend. */
  refusals: number;
  /** Transaction attempts beyond the first, over all writes. */
  retries: number;
  /** Writes that gave up after the bounded attempts (reported to the user as overtaken, not lost). */
  gaveUp: number;
}

const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined };
const service = (name: string): ServiceLike => ({
  metadata: { name, namespace: 'race' },
  spec: { type: 'LoadBalancer', ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] },
});
const endpoints: EndpointsLike = {
  subsets: [{ addresses: [{ ip: '10.9.0.1' }], ports: [{ name: 'http', port: 8080 }] }],
};

/** mulberry32: a small seeded generator, so a run can be repeated exactly. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function raceRounds(rounds: number, seed: number): Promise<RaceFigures> {
  const fake = await FakeDataplane.start();
  const clients = [0, 1].map(
    () =>
      new DataPlaneClient(
        { settings: { id: 'f', name: 'fake', url: fake.url, auth: 'basic' }, secrets: {} },
        { logger, retries: 0 },
      ),
  );
  const figures: RaceFigures = {
    rounds,
    duplicateBinds: 0,
    lostUpdates: 0,
    orphanTransactions: 0,
    refusals: 0,
    retries: 0,
    gaveUp: 0,
    sameRounds: 0,
  };
  const random = rng(seed);
  try {
    await Promise.all(clients.map((c) => c.connect()));
    const [a, b] = clients.map((client, i): VipTarget => ({ id: `w${i}`, name: `writer ${i}`, client })) as [
      VipTarget,
      VipTarget,
    ];
    await withTransaction(a.client, (tx) => tx.addBackend({ name: 'be_shared', mode: 'http', balance: 'roundrobin' }), {
      logger,
    });
    for (let r = 0; r < rounds; r++) {
      const same = random() < 0.5;
      const vipOf = (w: number) => `10.${(r >> 8) & 255}.${r & 255}.${same ? 1 : 10 + w}`;
      const vips = [0, 1].map((w) =>
        applyVip([[a, b][w]!], planVip(service(`svc${w}-r${r}`), [], endpoints, { vip: vipOf(w) }), {
          logger,
          follow: false,
        }),
      );
      const servers = [0, 1].map(async (w) => {
        const name = `s${w}_r${r}`;
        const out = await withTransaction(
          [a, b][w]!.client,
          (tx) => tx.addServer('be_shared', { name, address: '10.9.0.2', port: 8000 + w }),
          { logger },
        );
        return { name, attempts: out.attempts };
      });
      const [vipOutcomes, added] = await Promise.all([Promise.all(vips), Promise.allSettled(servers)]);
      const outcomes = vipOutcomes.map((o) => o[0]!) as [ServerOutcome, ServerOutcome];
      for (const o of outcomes) figures.retries += Math.max(0, (o.attempts ?? 1) - 1);
      figures.gaveUp += outcomes.filter((o) => /overtaken by another change/.test(o.message)).length;
      for (const s of added) {
        if (s.status === 'rejected') {
          figures.gaveUp++; // reported, so not lost
          continue;
        }
        figures.retries += s.value.attempts - 1;
        if (!fake.config.backends.get('be_shared')?.servers.has(s.value.name)) figures.lostUpdates++;
      }
      for (const o of outcomes) {
        const frontend = o.changes.find((c) => c.kind === 'addFrontend');
        if (
          o.status === 'applied' &&
          frontend?.kind === 'addFrontend' &&
          !fake.config.frontends.has(frontend.frontend.name)
        )
          figures.lostUpdates++;
      }
      if (same) {
        figures.sameRounds++;
        const applied = outcomes.filter((o) => o.status === 'applied');
        const refused = outcomes.find(
          (o) => o.status === 'failed' && /already bound by frontend "vip_race_svc\d-r\d+_http"/.test(o.message),
        );
        if (applied.length === 1 && refused) figures.refusals++;
      } else {
        // Both must land: a refusal here would be a false conflict, counted as a lost update.
        figures.lostUpdates += outcomes.filter(
          (o) => o.status !== 'applied' && !/overtaken by another change/.test(o.message),
        ).length;
      }
    }
    figures.orphanTransactions = fake.openTransactions().length;
    // Every round's VIPs stay in the configuration, so one look at the end sees every duplicate.
    figures.duplicateBinds = fake.duplicateBinds().length;
    return figures;
  } finally {
    await Promise.all(clients.map((c) => c.dispose()));
    await fake.stop();
  }
}
