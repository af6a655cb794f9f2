// The VIP workflow (Create, Resync, Delete) driven through fake ports: a cluster in memory, servers
// whose raw configuration is a string, and a prompter that answers from the test. No process, no
// editor: these are the decisions the UI used to take inline.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DataPlaneClient } from '../../../src/dataplane/core/client';
import type { KubeObject, ObjectRef } from '../../../src/kubernetes/core/types';
import { runWizard } from '../../../src/shell/wizard/sequence';
import { silentLogger } from '../../../src/shared/logger';
import { previewConfig } from '../../../src/vip/core/apply';
import { decorateVipService } from '../../../src/vip/core/decorate';
import {
  createAnswers,
  createSteps,
  createTitle,
  initialCreateState,
  type CreateSources,
} from '../../../src/vip/core/questions';
import { VipWorkflow, type VipCluster, type VipPrompter, type VipServers } from '../../../src/vip/core/service';
import { planFor, type ServiceContext } from '../../../src/vip/core/workflow';
import { serviceFromObject, endpointsFromObject } from '../../../src/vip/core/inputs';

type Annotations = Record<string, string>;

function serviceObject(
  name: string,
  annotations: Annotations = {},
  ports = [{ name: 'http', port: 80, targetPort: 8080 }],
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'LoadBalancer', ports },
    status: {},
  };
}

const ENDPOINTS: KubeObject = {
  metadata: { name: 'httpd' },
  subsets: [{ addresses: [{ ip: '10.1.0.1' }], ports: [{ name: 'http', port: 8080 }] }],
};

/** A cluster in memory that records every write; `fail` makes the named writes throw once each. */
function fakeCluster(services: KubeObject[], fail: string[] = [], objects: ObjectRef[] = []) {
  const writes: string[] = [];
  let refreshed = 0;
  const once = (what: string) => {
    const at = fail.indexOf(what);
    if (at >= 0) {
      fail.splice(at, 1);
      throw new Error(`${what} refused`);
    }
  };
  const cluster: VipCluster = {
    servicesWithEndpoints: async () =>
      services.map((service) => ({ service, endpointSlices: [], endpoints: ENDPOINTS })),
    patchServiceStatus: async (ns, name, status) => {
      once('status');
      writes.push(`status ${ns}/${name} ${JSON.stringify(status)}`);
      return services[0]!;
    },
    patchServiceAnnotations: async (ns, name, a) => {
      once('annotations');
      writes.push(`annotations ${ns}/${name} ${JSON.stringify(a)}`);
      return services[0]!;
    },
    create: async (o) => o,
    mergePatch: async () => services[0]!,
    tcpRouteVersion: async () => 'v1',
    actions: async () => ({
      get: async () => services[0]!,
      delete: async (ref) => void writes.push(`delete ${ref.kind} ${ref.name}`),
      list: async (kind) =>
        objects
          .filter((o) => o.kind === kind)
          .map((o) => ({ kind, metadata: { name: o.name, namespace: o.namespace } })),
    }),
    gatewayClasses: async () => ['haproxy-lb'],
    refresh: () => void refreshed++,
  };
  return { cluster, writes, refreshed: () => refreshed };
}

/** Servers whose live configuration is a string; `undefined` text makes reads fail. */
function fakeServers(live: Record<string, string | undefined>) {
  const refreshed: string[] = [];
  const client = (id: string) =>
    ({
      transport: { meter: () => ({ count: 0, run: (fn: () => Promise<unknown>) => fn() }) },
      rawConfig: async () => {
        const text = live[id];
        if (text === undefined) throw new Error(`${id} is down`);
        return { text: `# _version=3\n${text}`, version: 3 };
      },
    }) as unknown as DataPlaneClient;
  const servers: VipServers = {
    connections: () => Object.keys(live).map((id) => ({ id, name: id, url: `https://${id}:5556` })),
    target: async (id) => (id in live ? { id, name: id, client: client(id) } : undefined),
    follow: async () => undefined,
    refresh: (id) => void refreshed.push(id),
    watchReloads: () => ({ states: [], dispose: () => undefined }),
  };
  return { servers, refreshed };
}

/** A prompter that runs the questions with the arguments only, and answers confirmations and reports from lists. */
function fakePrompter(o: { confirm?: boolean[]; actions?: (string | undefined)[] } = {}) {
  const shown: string[] = [];
  const ui: VipPrompter = {
    askCreate: async (sources, args, preset) => {
      const steps = createSteps(sources, args, preset).map((s) => ({
        ...s,
        prompt: () => Promise.reject(new Error(`asked ${s.question}`)),
      }));
      return createAnswers(await runWizard(steps, initialCreateState(args, preset), { title: createTitle }));
    },
    pickService: async (items) => items[0]?.ctx,
    confirm: async (c) => {
      shown.push(`confirm ${c.level}${c.modal ? ' modal' : ''}: ${c.message}`);
      return o.confirm?.shift() ?? false;
    },
    showDiff: async (d) => void shown.push(`diff ${d.title}\n${d.before}`),
    showDocument: async (d) => void shown.push(`document ${d.name}`),
    progress: (_title, work) => work(new AbortController().signal, () => undefined),
    report: async (r) => {
      shown.push(`${r.level}: ${r.message}${r.actions ? ` [${r.actions.join(', ')}]` : ''}`);
      return r.actions ? o.actions?.shift() : undefined;
    },
  };
  return { ui, shown };
}

function workflow(cluster: VipCluster, servers: VipServers, ui: VipPrompter): VipWorkflow {
  return new VipWorkflow({ cluster, servers, ui, logger: silentLogger, pools: () => [{ range: '127.0.200.0/24' }] });
}

const ARGS = {
  service: { namespace: 'default', name: 'httpd' },
  mode: 'direct' as const,
  connections: ['lb1'],
  vip: '127.0.200.5',
  balance: 'roundrobin' as const,
  healthChecks: true,
};

/** The live text of a server that already serves the VIP exactly as planned. */
function serving(): string {
  const ctx: ServiceContext = {
    service: serviceFromObject(serviceObject('httpd')),
    slices: [],
    endpoints: endpointsFromObject(ENDPOINTS),
    all: [],
  };
  return previewConfig('global\n', planFor(ctx, { vip: ARGS.vip, balance: 'roundrobin', healthChecks: true }));
}

describe('VIP workflow with fake ports', () => {
  it('Create refuses a conflict before any preview, naming the server', async () => {
    const { cluster, writes } = fakeCluster([serviceObject('httpd')]);
    const { servers } = fakeServers({ lb1: 'frontend legacy\n  bind *:80\n' });
    const { ui, shown } = fakePrompter();
    await assert.rejects(
      workflow(cluster, servers, ui).create(ARGS),
      /^UserFacingError: On "lb1": Port 80 is already bound on all addresses by frontend "legacy"/,
    );
    assert.deepEqual(shown, []);
    assert.deepEqual(writes, []);
  });

  it('Create previews the live configuration without its version line; Cancel there writes nothing', async () => {
    const { cluster, writes } = fakeCluster([serviceObject('httpd')]);
    const { servers } = fakeServers({ lb1: 'global\n' });
    const { ui, shown } = fakePrompter({ confirm: [false] });
    const result = await workflow(cluster, servers, ui).create(ARGS);
    assert.deepEqual(result, {
      service: 'default/httpd',
      vip: '127.0.200.5',
      mode: 'direct',
      cancelled: true,
      servers: [],
      statusBar: [],
    });
    assert.deepEqual(shown, [
      'diff haproxy.cfg on lb1: live ↔ with VIP 127.0.200.5\nglobal\n',
      'confirm info: Apply VIP 127.0.200.5 for default/httpd? lb1: 4 changes. ' +
        'Each server gets one transaction and one reload.',
    ]);
    assert.deepEqual(writes, []);
  });

  it('Create records the VIP; a refused status write offers Retry and is retried while the user asks', async () => {
    const { cluster, writes } = fakeCluster([serviceObject('httpd')], ['status']);
    const { servers, refreshed } = fakeServers({ lb1: serving() });
    const { ui, shown } = fakePrompter({ confirm: [true], actions: ['Retry'] });
    const result = await workflow(cluster, servers, ui).create(ARGS);
    assert.equal(result.servers[0]?.status, 'unchanged');
    assert.deepEqual(result.record, { annotations: 'written', status: 'written' });
    assert.deepEqual(refreshed, ['lb1']);
    assert.equal(writes.filter((w) => w.startsWith('annotations')).length, 2, 'annotations written on each attempt');
    assert.match(writes.at(-1)!, /^status default\/httpd .*127\.0\.200\.5/);
    assert.deepEqual(shown.slice(-2), [
      'error: HAProxy serves VIP 127.0.200.5 for default/httpd, but status.loadBalancer.ingress could not be ' +
        "written: status refused. HAProxy's configuration is kept. [Retry]",
      'info: VIP 127.0.200.5 serves default/httpd: "lb1": nothing to change. Service status shows 127.0.200.5.',
    ]);
  });

  it('Create confirmed by argument reports a failed record without waiting for the user', async () => {
    const { cluster } = fakeCluster([serviceObject('httpd')], ['annotations']);
    const { servers } = fakeServers({ lb1: serving() });
    const { ui, shown } = fakePrompter();
    const result = await workflow(cluster, servers, ui).create({ ...ARGS, confirm: true });
    assert.equal(result.record?.annotations, 'failed');
    assert.ok(
      shown.some((s) =>
        /^error: HAProxy serves .* the annotations could not be written: annotations refused.*kept\.$/.test(s),
      ),
      shown.join('\n'),
    );
  });

  it('Delete keeps on the record the servers the VIP could not be removed from', async () => {
    const annotations = {
      'haproxy-gateway.io/vip': '127.0.200.5',
      'haproxy-gateway.io/connections': 'lb1,lb2',
      'haproxy-gateway.io/frontends': 'vip_default_httpd_http',
      'haproxy-gateway.io/backends': 'vipbe_default_httpd_http',
    };
    const { cluster, writes } = fakeCluster([serviceObject('httpd', annotations)]);
    const { servers } = fakeServers({ lb1: undefined, lb2: 'global\n' });
    const { ui, shown } = fakePrompter();
    const wf = workflow(cluster, servers, ui);
    const result = await wf.delete(
      { ctx: await wf.service({ namespace: 'default', name: 'httpd' }) },
      { confirm: true },
    );
    assert.deepEqual(
      result?.servers.map((s) => `${s.connection} ${s.status}`),
      ['lb1 failed', 'lb2 unchanged'],
    );
    assert.deepEqual(result?.record, { annotations: 'written', status: 'skipped', detail: 'still on lb1' });
    assert.deepEqual(writes, ['annotations default/httpd {"haproxy-gateway.io/connections":"lb1"}']);
    assert.match(shown.at(-1)!, /^error: Delete VIP of default\/httpd: /);
  });

  it('Delete in Gateway mode asks first, then deletes routes before the Gateway and clears the record', async () => {
    const objects = [
      { kind: 'TCPRoute', name: 'httpd-http', namespace: 'default' },
      { kind: 'Gateway', name: 'httpd-vip', namespace: 'default' },
    ];
    const { cluster, writes, refreshed } = fakeCluster(
      [serviceObject('httpd', { 'haproxy-gateway.io/gateway': 'httpd-vip' })],
      [],
      objects,
    );
    const { servers } = fakeServers({});
    const declined = fakePrompter({ confirm: [false] });
    const wf = workflow(cluster, servers, declined.ui);
    const ctx = await wf.service({ namespace: 'default', name: 'httpd' });
    assert.equal(await wf.delete({ ctx }, {}), undefined);
    assert.deepEqual(writes, []);
    assert.match(declined.shown[0]!, /^confirm warning modal: Delete the Gateway-mode VIP of default\/httpd\?/);
    const result = await workflow(cluster, servers, fakePrompter({ confirm: [true] }).ui).delete({ ctx }, {});
    assert.deepEqual(result?.deleted, ['TCPRoute httpd-http', 'Gateway httpd-vip']);
    assert.deepEqual(writes, [
      'delete TCPRoute httpd-http',
      'delete Gateway httpd-vip',
      'annotations default/httpd {"haproxy-gateway.io/gateway":null}',
    ]);
    assert.equal(refreshed(), 1);
  });

  it('Resync refuses a Gateway-mode VIP and one whose servers are gone; the picker needs a recorded VIP', async () => {
    const { cluster } = fakeCluster([
      serviceObject('gw', { 'haproxy-gateway.io/gateway': 'gw-vip' }),
      serviceObject('old', { 'haproxy-gateway.io/vip': '127.0.200.9', 'haproxy-gateway.io/connections': 'gone' }),
      serviceObject('plain'),
    ]);
    const { servers } = fakeServers({ lb1: 'global\n' });
    const { ui } = fakePrompter();
    const wf = workflow(cluster, servers, ui);
    await assert.rejects(
      wf.resync({ ctx: await wf.service({ namespace: 'default', name: 'gw' }) }, {}),
      /Gateway mode \(Gateway gw-vip\)/,
    );
    await assert.rejects(
      wf.resync({ ctx: await wf.service({ namespace: 'default', name: 'old' }) }, {}),
      /created on connection\(s\) gone, which no longer exist here/,
    );
    assert.equal((await wf.pickSubject()).ctx?.service.metadata.name, 'gw', 'only Services with a record are offered');
    const empty = workflow(fakeCluster([serviceObject('plain')]).cluster, servers, ui);
    await assert.rejects(empty.pickSubject(), /No Service carries a VIP/);
  });

  it('Resync with preview shows the servers it changes and writes nothing when declined', async () => {
    const ctx0: ServiceContext = {
      service: serviceFromObject(serviceObject('httpd')),
      slices: [],
      endpoints: endpointsFromObject(ENDPOINTS),
      all: [],
    };
    const plan = planFor(ctx0, { vip: ARGS.vip, balance: 'roundrobin', healthChecks: true });
    const recorded = {
      'haproxy-gateway.io/vip': ARGS.vip,
      'haproxy-gateway.io/connections': 'lb1',
      'haproxy-gateway.io/frontends': plan.ports.map((p) => p.frontend.name).join(','),
      'haproxy-gateway.io/backends': plan.ports.map((p) => p.backend.name).join(','),
    };
    const { cluster, writes } = fakeCluster([serviceObject('httpd', recorded)]);
    // The live backend still has a server Kubernetes no longer lists.
    const stale = serving().replace(/(\n\s+server [^\n]*)/, '$1\n  server gone 10.9.9.9:8080 check');
    const { servers } = fakeServers({ lb1: stale });
    const { ui, shown } = fakePrompter({ confirm: [false] });
    const wf = workflow(cluster, servers, ui);
    const ctx = await wf.service({ namespace: 'default', name: 'httpd' });
    const result = await wf.resync({ ctx }, { preview: true });
    assert.equal(result.cancelled, true);
    assert.match(shown[0]!, /^diff haproxy.cfg on lb1: live ↔ resynced servers of default\/httpd\n/);
    assert.match(shown[0]!, /server gone 10\.9\.9\.9:8080/, 'the live side shows the stale server');
    assert.match(
      shown[1]!,
      /^confirm info: Resync the servers of default\/httpd \(VIP 127\.0\.200\.5\)\? lb1: 1 change\./,
    );
    assert.deepEqual(writes, []);
    // Nothing to change: no diff and no question.
    const inStep = fakePrompter();
    const wf2 = workflow(cluster, fakeServers({ lb1: serving() }).servers, inStep.ui);
    await wf2.resync({ ctx: await wf2.service({ namespace: 'default', name: 'httpd' }) }, { preview: true });
    assert.ok(!inStep.shown.some((l) => l.startsWith('diff') || l.startsWith('confirm')), inStep.shown.join('\n'));
  });

  it('the resync preview replaces backends only and never appends a missing one', () => {
    const ctx: ServiceContext = {
      service: serviceFromObject(serviceObject('httpd')),
      slices: [],
      endpoints: endpointsFromObject(ENDPOINTS),
      all: [],
    };
    const plan = planFor(ctx, { vip: ARGS.vip, balance: 'roundrobin', healthChecks: true });
    assert.equal(previewConfig('global\n', plan, undefined, { resync: true }), 'global\n');
    const live = serving().replace(/\n\s+server [^\n]*/, '');
    const after = previewConfig(live, plan, undefined, { resync: true });
    assert.equal(after, serving());
  });
});

describe('Create VIP questions', () => {
  /** The sources the workflow hands to the questions. */
  const sources = async (services: KubeObject[]): Promise<CreateSources> => {
    const { cluster } = fakeCluster(services);
    const { servers } = fakeServers({ lb1: 'frontend legacy\n  bind 127.0.200.1:443\n' });
    let captured: CreateSources | undefined;
    const ui = {
      ...fakePrompter().ui,
      askCreate: (s: CreateSources) => ((captured = s), Promise.reject(new Error('captured'))),
    };
    await assert.rejects(workflow(cluster, servers, ui).create({}), /captured/);
    return captured!;
  };

  it('confirmed by argument, unanswered questions take their defaults: the next free address of the pool', async () => {
    const src = await sources([serviceObject('httpd')]);
    const args = { service: { namespace: 'default', name: 'httpd' }, confirm: true };
    const steps = createSteps(src, args).map((s) => ({
      ...s,
      prompt: () => Promise.reject(new Error(`asked ${s.question}`)),
    }));
    const a = createAnswers(await runWizard(steps, initialCreateState(args), { title: createTitle }));
    assert.deepEqual(
      {
        mode: a.mode,
        connections: a.connections,
        vip: a.vip,
        balance: a.balance,
        healthChecks: a.healthChecks,
        ports: a.ports,
      },
      {
        mode: 'direct',
        connections: ['lb1'],
        vip: '127.0.200.2',
        balance: 'roundrobin',
        healthChecks: true,
        ports: undefined,
      },
    );
  });

  it('an address outside every pool needs allowOutsidePools', async () => {
    const src = await sources([serviceObject('httpd')]);
    const run = (extra: object) => {
      const args = { ...ARGS, vip: '10.9.9.9', confirm: true, ...extra };
      const steps = createSteps(src, args).map((s) => ({
        ...s,
        prompt: () => Promise.reject(new Error(`asked ${s.question}`)),
      }));
      return runWizard(steps, initialCreateState(args), { title: createTitle });
    };
    await assert.rejects(
      run({}),
      /10\.9\.9\.9 lies outside every VIP pool for namespace default; pass allowOutsidePools/,
    );
    assert.equal((await run({ allowOutsidePools: true })).insidePools, false);
  });

  it('the step count follows the highlighted Service and mode, and the title names the Service', async () => {
    const src = await sources([
      serviceObject('httpd'),
      serviceObject('multi', {}, [
        { name: 'http', port: 80, targetPort: 8080 },
        { name: 'https', port: 443, targetPort: 8443 },
      ]),
    ]);
    const seen: string[] = [];
    const answers: Record<string, (s: Parameters<typeof createTitle>[0], at: { totalIf(p: object): number }) => void> =
      {
        service: (s, at) => {
          const [one, two] = s.services!;
          seen.push(`service: httpd ${at.totalIf({ ctx: one })}, multi ${at.totalIf({ ctx: two })}`);
          s.ctx = one;
        },
        mode: (s, at) => {
          seen.push(`mode: direct ${at.totalIf({ mode: 'direct' })}, gateway ${at.totalIf({ mode: 'gateway' })}`);
          s.mode = 'direct';
        },
        connections: (s) => void (s.connections = ['lb1']),
        vip: (s) => void (s.vip = s.policy!.check('127.0.200.7').ok ? '127.0.200.7' : undefined),
        balance: (s) => void (s.balance = 'leastconn'),
        healthChecks: (s) => void (s.healthChecks = false),
      };
    const steps = createSteps(src, {}).map((s) => ({
      ...s,
      prompt: async (
        state: Parameters<typeof createTitle>[0],
        at: { step: number; total: number; title: string; totalIf(p: object): number },
      ) => {
        seen.push(`${s.question} ${at.step}/${at.total} ${at.title}`);
        answers[s.question]!(state, at);
      },
    }));
    const a = createAnswers(await runWizard(steps, initialCreateState({}), { title: createTitle }));
    assert.equal(a.balance, 'leastconn');
    assert.deepEqual(seen, [
      'service 1/7 Create VIP for Service',
      'service: httpd 6, multi 7',
      'mode 2/6 Create VIP for default/httpd',
      'mode: direct 6, gateway 4',
      'connections 3/6 Create VIP for default/httpd',
      'vip 4/6 Create VIP for default/httpd',
      'balance 5/6 Create VIP for default/httpd',
      'healthChecks 6/6 Create VIP for default/httpd',
    ]);
  });
});

describe('VIP flags on Service rows', () => {
  it('vip for a direct record, gatewayVip for Gateway mode, nothing otherwise', () => {
    const svc = (annotations?: Annotations) => ({ metadata: { name: 'web', namespace: 'default', annotations } });
    assert.deepEqual(decorateVipService(svc({ 'haproxy-gateway.io/vip': '127.0.200.5' })), {
      contextFlags: { vip: true, gatewayVip: false },
    });
    assert.deepEqual(decorateVipService(svc({ 'haproxy-gateway.io/gateway': 'web-vip' })), {
      contextFlags: { vip: false, gatewayVip: true },
    });
    assert.equal(decorateVipService(svc({ 'haproxy-gateway.io/vip': '' })), undefined);
    assert.equal(decorateVipService(svc()), undefined);
  });
});
