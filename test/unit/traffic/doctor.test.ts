import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  diagnose,
  recordedConnectionRules,
  findingsFor,
  FIX_COMMANDS,
  gatewayRules,
  graphRules,
  referenceGrantRules,
  reloadAlerts,
  reloadRules,
  serviceVipRules,
} from '../../../src/traffic/core/doctor';
import { buildTrafficGraph, nodeId } from '../../../src/traffic/core/graph';
import { parseNativeStats } from '../../../src/traffic/core/stats';
import type { KubeObject } from '../../../src/kubernetes/core/types';
import { VIP_CFG, exchange, gatewayModel, service, slice, views } from './fixtures';

const lab = { id: 'lab' };
const POOL = [{ range: '127.0.200.0/24' }];

describe('doctor: why a Service has no VIP', () => {
  const rule = (svc: KubeObject, extra: Parameters<typeof serviceVipRules>[0] = {}) =>
    serviceVipRules({ pools: POOL, connections: [lab], ...extra, services: [svc, ...(extra.services ?? [])] }).filter(
      (f) => f.subject === 'svc:default/web',
    );

  test('another controller owns it: loadBalancerClass, MetalLB pool annotation', () => {
    const [f] = rule(service('web', { loadBalancerClass: 'kube-vip.io/kube-vip-class' }));
    assert.equal(f.rule, 'service-owned-elsewhere');
    assert.match(f.observed, /spec\.loadBalancerClass is "kube-vip\.io\/kube-vip-class"/);
    assert.equal(
      rule(service('web', { annotations: { 'metallb.io/address-pool': 'prod' } }))[0].rule,
      'service-owned-elsewhere',
    );
  });

  test('no Data Plane API connection', () => {
    const [f] = rule(service('web'), { connections: [] });
    assert.equal(f.rule, 'service-no-connection');
    assert.deepEqual(f.fix, {
      title: 'Add a Data Plane API connection',
      command: FIX_COMMANDS.addConnection,
      args: [],
    });
  });

  test('no pool covers its namespace', () => {
    const [f] = rule(service('web'), { pools: [{ range: '10.0.0.0/24', namespaces: ['team'] }] });
    assert.equal(f.rule, 'service-no-pool');
    assert.match(f.observed, /namespace "default"/);
  });

  test('the pool is exhausted', () => {
    const [f] = rule(service('web'), {
      pools: [{ range: '10.0.0.1-10.0.0.2' }],
      services: [service('a', { ingress: ['10.0.0.1'] }), service('b', { ingress: ['10.0.0.2'] })],
    });
    assert.equal(f.rule, 'service-pool-exhausted');
  });

  test('otherwise: no VIP was created yet (Create VIP), naming a requested address outside the pools', () => {
    const [f] = rule(service('web', { annotations: { 'lbapi.run.tanzu.vmware.com/ip-address': '192.0.2.10' } }));
    assert.equal(f.rule, 'service-no-vip');
    assert.match(f.observed, /asks for 192\.0\.2\.10, outside its pools/);
    assert.deepEqual(f.fix, {
      title: 'Create a VIP',
      command: FIX_COMMANDS.createVip,
      args: [{ service: { namespace: 'default', name: 'web' } }],
    });
  });

  test('a Service with an address, or not of type LoadBalancer, is fine', () => {
    assert.deepEqual(rule(service('web', { ingress: ['127.0.200.2'] })), []);
    assert.deepEqual(rule(service('web', { type: 'ClusterIP' })), []);
  });
});

describe('doctor: reloads', () => {
  for (const version of ['v2.9.27', 'v3.4.2'] as const) {
    test(`bind impossible: port in use (recording 13, ${version})`, () => {
      const body = exchange(version, '13-bind-taken-port.verdict-reload', 'GET reloads/{id} after the reload').response
        .body as { id: string; status: 'failed'; response: string };
      const [f] = reloadRules({ connections: [{ id: 'lab', lastReload: body }] });
      assert.equal(f.rule, 'bind-port-in-use');
      assert.match(f.observed, /frontend vip_bad cannot bind 127\.0\.0\.1:18083 \(Address already in use\)/);
    });

    test(`bind impossible: address not local (recording 14, ${version})`, () => {
      const body = exchange(version, '14-bind-foreign-address.verdict-reload', 'GET reloads/{id} after the reload')
        .response.body as { id: string; status: 'failed'; response: string };
      const [f] = reloadRules({ connections: [{ id: 'lab', lastReload: body }] });
      assert.equal(f.rule, 'bind-not-local');
      assert.match(f.observed, /cannot bind 198\.51\.100\.7:80 \(Cannot assign requested address\)/);
      assert.equal(f.subject, 'conn:lab');
    });
  }

  test("another failure: HAProxy's own alerts, without the process ids", () => {
    const response =
      '[NOTICE]   (1) : Reloading HAProxy\n' +
      '[ALERT]    (1) : config : parsing [/etc/haproxy/haproxy.cfg:12] : ' +
      "unknown keyword 'bindd' in 'frontend' section\n" +
      '[ALERT]    (1) : config : Fatal errors found in configuration.\n' +
      '[WARNING]  (1) : Loading failure!\n';
    assert.deepEqual(reloadAlerts(response), [
      "config : parsing [/etc/haproxy/haproxy.cfg:12] : unknown keyword 'bindd' in 'frontend' section",
      'config : Fatal errors found in configuration.',
    ]);
    const [f] = reloadRules({
      connections: [{ id: 'lab', lastReload: { id: '2026-12-02-3', status: 'failed', response } }],
    });
    assert.equal(f.rule, 'reload-failed');
    assert.equal(
      f.observed,
      'Reload 2026-12-02-3 on lab failed: config : parsing [/etc/haproxy/haproxy.cfg:12] : ' +
        "unknown keyword 'bindd' in 'frontend' section",
    );
  });

  test('a succeeded reload says nothing', () => {
    const body = exchange('v3.4.2', '13-bind-taken-port.verdict-reload', 'GET reloads/{id} (fix)').response.body as {
      id: string;
      status: 'succeeded';
    };
    assert.deepEqual(reloadRules({ connections: [{ id: 'lab', lastReload: body }] }), []);
  });
});

describe('doctor: from the traffic graph', () => {
  const svc = service('httpd', {
    annotations: { 'haproxy-gateway.io/vip': '127.0.200.2', 'haproxy-gateway.io/connections': 'a,b' },
  });
  const eps = slice('httpd', [{ ip: '10.244.1.5' }, { ip: '10.244.2.7' }]);

  test('a VIP recorded but not bound on a server: Resync with a preview', () => {
    const g = buildTrafficGraph({
      services: views([svc], [eps]),
      haproxy: [
        { connectionId: 'a', configText: VIP_CFG },
        { connectionId: 'b', configText: 'global\n' },
      ],
    });
    const [f] = graphRules(g);
    assert.equal(f.rule, 'vip-not-bound');
    assert.match(f.observed, /bound on a but not on b/);
    assert.deepEqual(f.fix, {
      title: 'Resync the VIP (preview)',
      command: FIX_COMMANDS.resyncVip,
      args: [{ service: { namespace: 'default', name: 'httpd' }, preview: true }],
    });
  });

  test('endpoints and backend servers out of sync: one finding per Service', () => {
    const moved = slice('httpd', [{ ip: '10.244.1.5' }, { ip: '10.244.3.9' }]);
    const g = buildTrafficGraph({
      services: views([service('httpd', { ingress: ['127.0.200.2'] })], [moved]),
      haproxy: [{ connectionId: 'a', configText: VIP_CFG }],
    });
    const found = graphRules(g);
    assert.deepEqual(
      found.map((f) => f.rule),
      ['endpoints-out-of-sync'],
    );
    assert.match(found[0].observed, /ep2 .*matches no endpoint[\s\S]*10\.244\.3\.9 .*has no server/);
    assert.equal(found[0].fix?.command, FIX_COMMANDS.resyncVip);
  });

  test('all backend servers DOWN, with their check status (recording 07 shape)', () => {
    const stats = parseNativeStats({
      stats: [
        {
          type: 'server',
          name: 'ep1',
          backend_name: 'vip_default_httpd_80',
          stats: { status: 'DOWN', check_status: 'L4CON', check_desc: 'Layer4 connection problem' },
        },
        {
          type: 'server',
          name: 'ep2',
          backend_name: 'vip_default_httpd_80',
          stats: { status: 'DOWN', check_status: 'L7STS', check_code: 503, check_desc: 'Layer7 wrong status' },
        },
      ],
    });
    const g = buildTrafficGraph({ services: [], haproxy: [{ connectionId: 'a', configText: VIP_CFG, stats }] });
    const [f] = graphRules(g);
    assert.equal(f.rule, 'backend-all-down');
    assert.equal(f.subject, nodeId.backend('a', 'vip_default_httpd_80'));
    assert.match(f.observed, /ep1: L4CON Layer4 connection problem; ep2: L7STS 503 Layer7 wrong status/);
    assert.deepEqual(f.fix?.args, ['a', 13]);
    const oneUp = parseNativeStats({
      stats: [{ type: 'server', name: 'ep1', backend_name: 'vip_default_httpd_80', stats: { status: 'UP' } }],
    });
    assert.deepEqual(
      graphRules(
        buildTrafficGraph({ services: [], haproxy: [{ connectionId: 'a', configText: VIP_CFG, stats: oneUp }] }),
      ),
      [],
    );
  });
});

describe('doctor: Gateway API', () => {
  const GW = 'gateway.networking.k8s.io/v1';
  const gateway = (conditions: object[]): KubeObject => ({
    apiVersion: GW,
    kind: 'Gateway',
    metadata: { name: 'gw', namespace: 'infra', generation: 2 },
    spec: { gatewayClassName: 'haproxy-lb', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] },
    status: { conditions },
  });
  const route = (backendNamespace: string, parentStatus: object[] = []): KubeObject => ({
    apiVersion: GW,
    kind: 'HTTPRoute',
    metadata: { name: 'web', namespace: 'apps', generation: 1 },
    spec: {
      parentRefs: [{ name: 'gw', namespace: 'infra' }],
      rules: [{ backendRefs: [{ name: 'httpd', namespace: backendNamespace, port: 80 }] }],
    },
    status: { parents: parentStatus },
  });

  test("a Gateway not Programmed: the controller's reason and message", () => {
    const m = gatewayModel({
      gateways: [
        gateway([
          { type: 'Accepted', status: 'True', reason: 'Accepted', observedGeneration: 2 },
          {
            type: 'Programmed',
            status: 'False',
            reason: 'AddressNotAssigned',
            message: 'no address in pool',
            observedGeneration: 2,
          },
        ]),
      ],
      routes: [],
    });
    const [f] = gatewayRules({ gateways: m.gateways });
    assert.equal(f.rule, 'gateway-not-ready');
    assert.equal(f.observed, 'Gateway infra/gw is not Programmed: AddressNotAssigned: no address in pool');
    assert.deepEqual(f.fix?.args, [{ kind: 'Gateway', namespace: 'infra', name: 'gw' }]);
  });

  test('a Route not Accepted by its parent', () => {
    const m = gatewayModel({
      gateways: [gateway([])],
      routes: [
        route('apps', [
          {
            parentRef: { name: 'gw', namespace: 'infra' },
            controllerName: 'x/y',
            conditions: [
              {
                type: 'Accepted',
                status: 'False',
                reason: 'NotAllowedByListeners',
                message: 'namespace apps not allowed',
                observedGeneration: 1,
              },
            ],
          },
        ]),
      ],
    });
    const [f] = gatewayRules({ routes: m.routes });
    assert.equal(f.rule, 'route-not-accepted');
    assert.match(
      f.observed,
      /HTTPRoute apps\/web is not Accepted by Gateway infra\/gw: NotAllowedByListeners: namespace apps not allowed/,
    );
  });

  test('a cross-namespace backendRef without a ReferenceGrant; with one it passes', () => {
    const m = gatewayModel({ gateways: [gateway([])], routes: [route('backends')] });
    const [f] = referenceGrantRules({ routes: m.routes });
    assert.equal(f.rule, 'missing-reference-grant');
    assert.match(
      f.observed,
      /sends traffic to Service backends\/httpd, and no ReferenceGrant in namespace backends allows it/,
    );
    const grant = (name?: string, namespace = 'backends'): KubeObject => ({
      apiVersion: 'gateway.networking.k8s.io/v1beta1',
      kind: 'ReferenceGrant',
      metadata: { name: 'g', namespace },
      spec: {
        from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'apps' }],
        to: [{ group: '', kind: 'Service', ...(name ? { name } : {}) }],
      },
    });
    assert.deepEqual(referenceGrantRules({ routes: m.routes, referenceGrants: [grant()] }), []);
    assert.deepEqual(referenceGrantRules({ routes: m.routes, referenceGrants: [grant('httpd')] }), []);
    assert.equal(referenceGrantRules({ routes: m.routes, referenceGrants: [grant('other')] }).length, 1);
    assert.equal(
      referenceGrantRules({ routes: m.routes, referenceGrants: [grant(undefined, 'apps')] }).length,
      1,
      'the grant must live in the target namespace',
    );
    assert.deepEqual(
      referenceGrantRules({ routes: gatewayModel({ gateways: [], routes: [route('apps')] }).routes }),
      [],
    );
  });
});

describe('doctor: everything at once', () => {
  test('errors first; findings per subject', () => {
    const body = exchange('v3.4.2', '14-bind-foreign-address.verdict-reload', 'GET reloads/{id} after the reload')
      .response.body as { id: string; status: 'failed'; response: string };
    const all = diagnose({ services: [service('web')], pools: POOL, connections: [{ id: 'lab', lastReload: body }] });
    assert.deepEqual(
      all.map((f) => [f.severity, f.rule]),
      [
        ['error', 'bind-not-local'],
        ['warning', 'service-no-vip'],
      ],
    );
    assert.deepEqual(
      findingsFor(all, 'svc:default/web').map((f) => f.rule),
      ['service-no-vip'],
    );
  });
});

describe('doctor: a VIP recorded for a connection that is not configured', () => {
  test('names the missing connection; a known one says nothing', () => {
    const svc = service('httpd', {
      ingress: ['127.0.200.2'],
      annotations: { 'haproxy-gateway.io/vip': '127.0.200.2', 'haproxy-gateway.io/connections': 'lab,edge-2' },
    });
    const [f] = recordedConnectionRules({ services: [svc], connections: [lab] });
    assert.equal(f.rule, 'vip-not-bound');
    assert.match(f.observed, /recorded for edge-2, which no configured connection is/);
    assert.deepEqual(recordedConnectionRules({ services: [svc], connections: [lab, { id: 'edge-2' }] }), []);
  });
});
