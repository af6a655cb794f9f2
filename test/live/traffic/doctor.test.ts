// Each doctor rule, with its fault made on the real stack: HAProxy behind the Data Plane API
// emulator, the test Kubernetes API server, and the real kube-apiserver for the rules that read
// Gateway API state (conditions, ReferenceGrant). The findings come from diagnose() run on what
// gatherDoctorInput (the code the Diagnose command runs) reads from those servers.
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DataPlaneClient } from '../../../src/dataplane/core/client';
import { followReload } from '../../../src/dataplane/core/reload';
import { KubernetesService } from '../../../src/kubernetes/core/service';
import { diagnose, type Finding, type RuleId } from '../../../src/traffic/core/doctor';
import { gatherDoctorInput, type Gathered } from '../../../src/traffic/core/gather';
import type { PoolInput } from '../../../src/traffic/core/pools';
import { OUR_LOAD_BALANCER_CLASSES } from '../../../src/vip/core/kubeShapes';
import { startDataPlane, type DataPlaneFixture } from '../../fixtures/dataplane';
import {
  DEMO_CONTROLLER_NAME,
  seedDemo,
  startKubeApiServer,
  writeKubeconfig,
  type KubeApiServer,
} from '../../fixtures/kube-api-server';
import {
  GATEWAY_GROUP,
  SKIP_ENV,
  missingBinariesMessage,
  realKubeAvailable,
  skipRealKube,
  startControlPlane,
  type ControlPlane,
} from '../../fixtures/real-kube/controlPlane';
import { waitFor } from '../../support/wait';
import { FAST, tempDir } from '../../support/kube';

const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined };
const POOLS: PoolInput[] = [{ range: '127.0.200.0/29' }];
const GW = `${GATEWAY_GROUP}/v1`;

/** The findings of one rule about one subject. */
const findings = (g: Gathered, rule: RuleId, subject: string): Finding[] =>
  diagnose(g.input).filter((f) => f.rule === rule && f.subject === subject);

const svc = (name: string, o: { namespace?: string; annotations?: Record<string, string>; spec?: object } = {}) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: o.namespace ?? 'default', annotations: o.annotations ?? {} },
  spec: { type: 'LoadBalancer', ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }], ...o.spec },
});

describe('doctor rules on HAProxy + the Data Plane API emulator + the test API server', { timeout: 300_000 }, () => {
  let fx: DataPlaneFixture;
  let client: DataPlaneClient;
  let cluster: KubeApiServer;
  let kube: KubernetesService;
  let busy: net.Server | undefined;

  const gather = (o: { pools?: PoolInput[]; connections?: boolean } = {}) =>
    gatherDoctorInput({
      kube,
      connections: o.connections === false ? [] : [{ id: 'lb1', client }],
      pools: o.pools ?? POOLS,
      ourClasses: OUR_LOAD_BALANCER_CLASSES,
    });

  /** Gathers until the rule finds its subject (the informers see a new object shortly after it is made). */
  const until = (rule: RuleId, subject: string, o: Parameters<typeof gather>[0] = {}) =>
    waitFor(`${rule} on ${subject}`, async () => {
      const g = await gather(o);
      const f = findings(g, rule, subject);
      return f.length > 0 ? { g, f: f[0]! } : undefined;
    });

  /**
   * Writes the live haproxy.cfg (what runs, without an earlier `# <marker>` part, plus `extra` under
   * that marker) and waits for the reload's verdict. A failed reload leaves the last good file.
   */
  const post = async (extra: string, marker = 'doctor-fault') => {
    const raw = await client.rawConfig();
    const base = raw.text.replace(/^# _version=\d+\n/, '').replace(new RegExp(`\n# ${marker}[\\s\\S]*$`), '');
    const out = await client.postRawConfig(`${base}\n# ${marker}\n${extra}`, raw.version);
    assert.ok(out.reloadId, 'the write asks for a reload');
    return followReload(client, out.reloadId, { intervalMs: 100, timeoutMs: 60_000 });
  };

  before(async () => {
    fx = await startDataPlane({ api: 3 });
    client = new DataPlaneClient(fx.connection(), { logger, retryBaseMs: 20 });
    await client.connect();
    cluster = await startKubeApiServer({ controller: { controllerName: DEMO_CONTROLLER_NAME, delayMs: 20 } });
    seedDemo(cluster);
    const dir = tempDir('doctor-live-');
    kube = new KubernetesService({
      kubeconfigSetting: () =>
        writeKubeconfig(
          path.join(dir, 'kubeconfig'),
          [{ name: 'a', server: cluster.url, caFile: cluster.caFile, user: 'a', token: 'admin-token' }],
          'a',
        ),
      ...FAST,
    });
  });
  after(async () => {
    busy?.close();
    kube?.dispose();
    await client?.dispose();
    await cluster?.stop();
    await fx?.stop();
  });

  it('service-no-connection: a <pending> Service and no Data Plane API connection', async () => {
    const { f } = await until('service-no-connection', 'svc:default/httpd', { connections: false });
    assert.equal(f.fix?.command, 'haproxyGateway.dataplane.addConnection');
  });

  it('service-owned-elsewhere: spec.loadBalancerClass names another controller', async () => {
    cluster.create(svc('foreign', { spec: { loadBalancerClass: 'metallb.io/metallb' } }));
    const { f } = await until('service-owned-elsewhere', 'svc:default/foreign');
    assert.match(f.observed, /spec\.loadBalancerClass is "metallb\.io\/metallb"/);
  });

  it('service-no-pool: no pool covers the namespace and the Service asks for no address', async () => {
    const { f } = await until('service-no-pool', 'svc:default/httpd', { pools: [] });
    assert.match(f.observed, /No VIP pool covers namespace "default"/);
  });

  it('service-pool-exhausted: the only address of the pool is held by another Service', async () => {
    cluster.create({
      ...svc('taken', { namespace: 'default' }),
      status: { loadBalancer: { ingress: [{ ip: '127.0.200.1' }] } },
    });
    const { f } = await until('service-pool-exhausted', 'svc:default/httpd', { pools: [{ range: '127.0.200.1' }] });
    assert.match(f.observed, /Every address of the pools for namespace "default" is in use \(127\.0\.200\.1\)/);
  });

  it('service-no-vip: a pool has room but no VIP was created; the fix is Create VIP for it', async () => {
    const { f } = await until('service-no-vip', 'svc:default/httpd');
    assert.deepEqual(f.fix?.args, [{ service: { namespace: 'default', name: 'httpd' } }]);
  });

  it('vip-not-bound: a VIP recorded on the Service that no frontend binds', async () => {
    cluster.create(
      svc('recorded', {
        annotations: {
          'haproxy-gateway.io/vip': '127.0.200.6',
          'haproxy-gateway.io/connections': 'lb1',
          'haproxy-gateway.io/frontends': 'vip_default_recorded_http',
          'haproxy-gateway.io/backends': 'vip_default_recorded_http',
        },
      }),
    );
    const { f } = await until('vip-not-bound', 'svc:default/recorded');
    assert.match(f.observed, /VIP 127\.0\.200\.6:80 of Service default\/recorded is recorded but bound on no server/);
    assert.deepEqual(f.fix?.args, [{ service: { namespace: 'default', name: 'recorded' }, preview: true }]);
  });

  it('endpoints-out-of-sync and backend-all-down: servers that match no endpoint and fail their checks', async () => {
    cluster.create(
      svc('synced', {
        annotations: { 'haproxy-gateway.io/vip': '127.0.200.3', 'haproxy-gateway.io/connections': 'lb1' },
      }),
    );
    cluster.create({
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'synced', namespace: 'default' },
      subsets: [{ addresses: [{ ip: '127.0.0.5' }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }],
    });
    // Nothing listens on 127.0.0.6:8080: the server's checks fail, and it is not the endpoint.
    const reload = await post(
      [
        'frontend fe_synced',
        '  bind 127.0.200.3:80',
        '  default_backend be_synced',
        'backend be_synced',
        '  server stale 127.0.0.6:8080 check inter 200ms fall 1',
        '',
      ].join('\n'),
      'doctor-synced',
    );
    assert.equal(reload.status, 'succeeded', reload.response);
    const sync = await until('endpoints-out-of-sync', 'svc:default/synced');
    assert.match(sync.f.observed, /Server stale \(127\.0\.0\.6:8080\) of backend be_synced on lb1 matches no endpoint/);
    assert.match(sync.f.observed, /Endpoint 127\.0\.0\.5 of Service default\/synced has no server/);
    assert.deepEqual(sync.f.fix?.args, [{ service: { namespace: 'default', name: 'synced' }, preview: true }]);
    const down = await until('backend-all-down', 'hap:lb1/be:be_synced');
    assert.match(down.f.observed, /Every server of backend be_synced is DOWN \(stale: L4CON/);
  });

  it('bind-not-local: the last reload failed because the VIP is not an address of the host', async () => {
    const reload = await post('frontend fe_remote\n  bind 192.0.2.10:8099\n  default_backend be_synced\n');
    assert.equal(reload.status, 'failed');
    const { f } = await until('bind-not-local', 'conn:lb1');
    assert.match(f.observed, /cannot bind 192\.0\.2\.10:8099 \(Cannot assign requested address\)/);
  });

  it('bind-port-in-use: the last reload failed because another process listens on the port', async () => {
    busy = net.createServer();
    await new Promise<void>((resolve) => busy!.listen(0, '127.0.0.7', resolve));
    const port = (busy.address() as net.AddressInfo).port;
    const reload = await post(`frontend fe_busy\n  bind 127.0.0.7:${port}\n  default_backend be_synced\n`);
    assert.equal(reload.status, 'failed');
    const { f } = await until('bind-port-in-use', 'conn:lb1');
    assert.match(f.observed, new RegExp(`cannot bind 127\\.0\\.0\\.7:${port} \\(Address already in use\\)`));
  });

  it('reload-failed: the last reload failed for another reason, with HAProxy message', async () => {
    const reload = await post(
      'frontend fe_sock\n  bind unix@/nonexistent-doctor-dir/fe.sock\n  default_backend be_synced\n',
    );
    assert.equal(reload.status, 'failed', 'HAProxy cannot create a socket in a missing directory');
    const { f } = await until('reload-failed', 'conn:lb1');
    assert.match(f.observed, /Reload \S+ on lb1 failed: .*fe_sock|nonexistent-doctor-dir/);
  });

  it('missing-reference-grant: a Route in another namespace sends traffic to the Service', async () => {
    cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    cluster.create({
      apiVersion: GW,
      kind: 'HTTPRoute',
      metadata: { name: 'cross', namespace: 'team' },
      spec: { rules: [{ backendRefs: [{ name: 'httpd', namespace: 'default', port: 80 }] }] },
    });
    const { f } = await until('missing-reference-grant', 'route:HTTPRoute:team/cross');
    assert.match(f.observed, /sends traffic to Service default\/httpd, and no ReferenceGrant in namespace default/);
  });

  it('gateway-not-ready: the controller did not program the Gateway (no address)', async () => {
    cluster.create({
      apiVersion: GW,
      kind: 'Gateway',
      metadata: { name: 'noaddr', namespace: 'default' },
      spec: { gatewayClassName: 'haproxy-lb', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] },
    });
    const { f } = await until('gateway-not-ready', 'gw:default/noaddr');
    assert.match(f.observed, /is not Programmed: AddressNotAssigned/);
  });
});

describe(
  'doctor rules that read Gateway API state, on a real kube-apiserver',
  {
    skip: skipRealKube()
      ? `${SKIP_ENV}=1`
      : !realKubeAvailable()
        ? `the real kube-apiserver is not built: ${missingBinariesMessage()}`
        : false,
    timeout: 300_000,
  },
  () => {
    let cp: ControlPlane;
    let kube: KubernetesService;
    const request = async (method: string, p: string, body: unknown, status: number) => {
      const res = await cp.request({ method, path: p, body });
      assert.equal(res.status, status, `${method} ${p}: ${res.text}`);
      return res;
    };
    const condition = (type: string, status: string, reason: string, message: string, generation = 1) => ({
      type,
      status,
      reason,
      message,
      observedGeneration: generation,
      lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    });
    const until = (rule: RuleId, subject: string) =>
      waitFor(`${rule} on ${subject}`, async () => {
        const g = await gatherDoctorInput({
          kube,
          connections: [],
          pools: POOLS,
          ourClasses: OUR_LOAD_BALANCER_CLASSES,
        });
        return findings(g, rule, subject)[0];
      });

    before(async () => {
      cp = await startControlPlane();
      kube = new KubernetesService({ kubeconfigSetting: () => cp.kubeconfigPath, ...FAST });
      await request(
        'POST',
        `/apis/${GW}/gatewayclasses`,
        {
          apiVersion: GW,
          kind: 'GatewayClass',
          metadata: { name: 'haproxy-lb' },
          spec: { controllerName: 'haproxy-gateway.io/test-controller' },
        },
        201,
      );
      await request(
        'POST',
        '/api/v1/namespaces',
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } },
        201,
      );
    });
    after(async () => {
      kube?.dispose();
      await cp?.stop();
    });

    it('gateway-not-ready: Accepted False with the controller reason and message', async () => {
      await request(
        'POST',
        `/apis/${GW}/namespaces/default/gateways`,
        {
          apiVersion: GW,
          kind: 'Gateway',
          metadata: { name: 'gw' },
          spec: { gatewayClassName: 'haproxy-lb', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] },
        },
        201,
      );
      await request(
        'PATCH',
        `/apis/${GW}/namespaces/default/gateways/gw/status`,
        {
          status: {
            conditions: [condition('Accepted', 'False', 'InvalidParameters', 'the parameters Secret is missing')],
          },
        },
        200,
      );
      const f = await until('gateway-not-ready', 'gw:default/gw');
      assert.match(
        f.observed,
        /Gateway default\/gw is not Accepted: InvalidParameters: the parameters Secret is missing/,
      );
    });

    it('route-not-accepted and missing-reference-grant: a cross-namespace backendRef the Gateway refused', async () => {
      await request(
        'POST',
        `/apis/${GW}/namespaces/team/httproutes`,
        {
          apiVersion: GW,
          kind: 'HTTPRoute',
          metadata: { name: 'cross' },
          spec: {
            parentRefs: [{ name: 'gw', namespace: 'default' }],
            rules: [{ backendRefs: [{ name: 'httpd', namespace: 'default', port: 80 }] }],
          },
        },
        201,
      );
      await request(
        'PATCH',
        `/apis/${GW}/namespaces/team/httproutes/cross/status`,
        {
          status: {
            parents: [
              {
                parentRef: { group: GATEWAY_GROUP, kind: 'Gateway', name: 'gw', namespace: 'default' },
                controllerName: 'haproxy-gateway.io/test-controller',
                conditions: [
                  condition('Accepted', 'True', 'Accepted', 'accepted'),
                  condition('ResolvedRefs', 'False', 'RefNotPermitted', 'no ReferenceGrant allows default/httpd'),
                ],
              },
            ],
          },
        },
        200,
      );
      const refused = await until('route-not-accepted', 'route:HTTPRoute:team/cross');
      assert.match(refused.observed, /is not ResolvedRefs by Gateway default\/gw: RefNotPermitted/);
      const grant = await until('missing-reference-grant', 'route:HTTPRoute:team/cross');
      assert.match(grant.observed, /no ReferenceGrant in namespace default allows it/);
      // The grant makes the second finding go away.
      await request(
        'POST',
        `/apis/${GATEWAY_GROUP}/v1beta1/namespaces/default/referencegrants`,
        {
          apiVersion: `${GATEWAY_GROUP}/v1beta1`,
          kind: 'ReferenceGrant',
          metadata: { name: 'team-routes' },
          spec: {
            from: [{ group: GATEWAY_GROUP, kind: 'HTTPRoute', namespace: 'team' }],
            to: [{ group: '', kind: 'Service' }],
          },
        },
        201,
      );
      await waitFor('the ReferenceGrant is read', async () => {
        const g = await gatherDoctorInput({
          kube,
          connections: [],
          pools: POOLS,
          ourClasses: OUR_LOAD_BALANCER_CLASSES,
        });
        return findings(g, 'missing-reference-grant', 'route:HTTPRoute:team/cross').length === 0;
      });
    });
  },
);
