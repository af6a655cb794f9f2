import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { buildTrafficGraph, nodeId } from '../../../src/traffic/core/graph';
import { counterRate, recordSamples } from '../../../src/traffic/core/history';
import { readTopology } from '../../../src/traffic/core/haproxy';
import { parseNativeStats, StatsShapeError } from '../../../src/traffic/core/stats';
import { VIP_CFG, exchange, gatewayModel, service, slice, views } from './fixtures';

const statsRow = (type: string, name: string, stats: Record<string, unknown>, backend?: string) => ({
  type,
  name,
  ...(backend ? { backend_name: backend } : {}),
  stats,
});

describe('stats/native', () => {
  for (const version of ['v2.9.27', 'v3.4.2'] as const) {
    const shape = version.startsWith('v2') ? 'an array per process' : 'one object';
    test(`reads the recorded ${version} answer (${shape})`, () => {
      const rows = parseNativeStats(exchange(version, '07-stats-native', 'GET stats/native').response.body);
      const web3 = rows.find((r) => r.type === 'server' && r.name === 'web3')!;
      assert.equal(web3.backendName, 'be_app');
      assert.equal(web3.status, 'DOWN');
      assert.equal(web3.checkStatus, 'L4CON');
      assert.equal(web3.checkDesc, 'Layer4 connection problem');
      const web1 = rows.find((r) => r.name === 'web1')!;
      assert.deepEqual(
        [web1.status, web1.checkCode, web1.weight, web1.addr, web1.scur],
        ['UP', 200, 10, '127.0.0.1:18081', 0],
      );
      assert.deepEqual(rows.map((r) => r.type).sort(), ['backend', 'frontend', 'server', 'server', 'server']);
    });
  }

  test('refuses a wrong shape with the path of the field', () => {
    assert.throws(
      () => parseNativeStats({ stats: [statsRow('server', 'a', { scur: 'many' }, 'b')] }),
      (e: Error) => e instanceof StatsShapeError && /\$\.stats\[0\]\.stats\.scur/.test(e.message),
    );
    assert.throws(() => parseNativeStats([{ error: 'cannot read socket' }]), /cannot read socket/);
    assert.throws(
      () => parseNativeStats({ stats: [{ type: 'listener', name: 'x' }] }),
      /is not frontend, backend or server/,
    );
    assert.deepEqual(parseNativeStats({ runtimeAPI: '/s', stats: null }), []);
  });
});

describe('the traffic graph', () => {
  const svc = service('httpd', {
    annotations: { 'haproxy-gateway.io/vip': '127.0.200.2', 'haproxy-gateway.io/connections': 'a' },
    ingress: ['127.0.200.2'],
  });
  const eps = slice('httpd', [{ ip: '10.244.1.5' }, { ip: '10.244.2.7' }]);
  const stats = parseNativeStats({
    stats: [
      statsRow('frontend', 'vip_default_httpd_80', { status: 'OPEN', scur: 3, req_rate: 12 }),
      statsRow('backend', 'vip_default_httpd_80', { status: 'UP' }),
      statsRow(
        'server',
        'ep1',
        { status: 'UP', check_status: 'L7OK', check_code: 200, scur: 2, rate: 5, econ: 1, eresp: 0, hrsp_5xx: 2 },
        'vip_default_httpd_80',
      ),
      statsRow('server', 'ep2', { status: 'DRAIN', check_status: 'L7OK', scur: 1 }, 'vip_default_httpd_80'),
    ],
  });

  test('joins the Service to the bind of its VIP and its endpoints to the backend servers, with live state', () => {
    const g = buildTrafficGraph({
      services: views([svc], [eps]),
      haproxy: [{ connectionId: 'a', configText: VIP_CFG, stats }],
    });
    const sid = nodeId.service('default', 'httpd');
    const bind = nodeId.bind('a', 'vip_default_httpd_80', '127.0.200.2:80');
    const ep1 = nodeId.endpoint('default', 'httpd', '10.244.1.5');
    const srv1 = nodeId.server('a', 'vip_default_httpd_80', 'ep1');
    const edges = g.edges.map((e) => `${e.from} ${e.kind} ${e.to}`);
    assert.ok(edges.includes(`${sid} vip ${bind}`));
    assert.ok(edges.includes(`${bind} bind ${nodeId.frontend('a', 'vip_default_httpd_80')}`));
    assert.ok(
      edges.includes(
        `${nodeId.frontend('a', 'vip_default_httpd_80')} backend ${nodeId.backend('a', 'vip_default_httpd_80')}`,
      ),
    );
    assert.ok(edges.includes(`${srv1} target ${ep1}`));
    const server = g.nodes.find((n) => n.id === srv1)!;
    assert.deepEqual(server.live, {
      state: 'UP',
      statusText: 'UP',
      lastCheck: 'L7OK 200',
      sessions: 2,
      rate: 5,
      errors: 3,
      weight: undefined,
      lastChangeSeconds: undefined,
    });
    assert.deepEqual(server.source, {
      type: 'haproxy',
      connectionId: 'a',
      sectionKind: 'backend',
      section: 'vip_default_httpd_80',
      line: 15,
      server: 'ep1',
    });
    assert.equal(g.nodes.find((n) => n.id === nodeId.server('a', 'vip_default_httpd_80', 'ep2'))!.health, 'warning');
    assert.equal(g.nodes.find((n) => n.id === nodeId.frontend('a', 'vip_default_httpd_80'))!.live?.rate, 12);
    assert.deepEqual(g.mismatches, []);
  });

  test('ids are stable across refreshes and inputs in another order', () => {
    const a = buildTrafficGraph({
      services: views([svc], [eps]),
      haproxy: [{ connectionId: 'a', configText: VIP_CFG, stats }],
    });
    const b = buildTrafficGraph({
      services: views([svc], [eps]),
      haproxy: [{ connectionId: 'a', configText: VIP_CFG, stats: [...stats].reverse() }],
    });
    assert.deepEqual(a.nodes.map((n) => n.id).sort(), b.nodes.map((n) => n.id).sort());
    assert.deepEqual(a.edges.map((n) => n.id).sort(), b.edges.map((n) => n.id).sort());
  });

  test('draws an endpoint without a server and a server without an endpoint', () => {
    const moved = slice('httpd', [{ ip: '10.244.1.5' }, { ip: '10.244.3.9' }]);
    const g = buildTrafficGraph({
      services: views([svc], [moved]),
      haproxy: [{ connectionId: 'a', configText: VIP_CFG }],
    });
    assert.deepEqual(
      g.mismatches.map((m) => [m.kind, m.nodeIds]),
      [
        ['server-without-endpoint', [nodeId.server('a', 'vip_default_httpd_80', 'ep2')]],
        ['endpoint-without-server', [nodeId.endpoint('default', 'httpd', '10.244.3.9')]],
      ],
    );
  });

  test('flags a VIP bound on one server of an HA pair only, and a recorded VIP bound nowhere', () => {
    const pair = service('httpd', {
      annotations: { 'haproxy-gateway.io/vip': '127.0.200.2', 'haproxy-gateway.io/connections': 'a,b' },
    });
    const other = VIP_CFG.replace('127.0.200.2:80', '127.0.200.9:80');
    const g = buildTrafficGraph({
      services: views([pair], [eps]),
      haproxy: [
        { connectionId: 'a', configText: VIP_CFG },
        { connectionId: 'b', configText: other },
      ],
    });
    assert.deepEqual(
      g.mismatches.map((m) => [m.kind, m.connectionIds]),
      [['vip-partially-bound', ['b']]],
    );
    const none = buildTrafficGraph({
      services: views([pair], [eps]),
      haproxy: [
        { connectionId: 'a', configText: other },
        { connectionId: 'b', configText: other },
      ],
    });
    assert.deepEqual(
      none.mismatches.map((m) => [m.kind, m.connectionIds]),
      [['vip-not-bound', ['a', 'b']]],
    );
    // A server that could not be read is not blamed.
    const down = buildTrafficGraph({
      services: views([pair], [eps]),
      haproxy: [
        { connectionId: 'a', configText: VIP_CFG },
        { connectionId: 'b', error: 'connect ECONNREFUSED' },
      ],
    });
    assert.deepEqual(down.mismatches, []);
  });

  test('a wildcard bind carries the VIP only when no exact bind does, and is marked', () => {
    const cfg = VIP_CFG.replace('bind 127.0.200.2:80 name vip', 'bind :80');
    const g = buildTrafficGraph({ services: views([svc], [eps]), haproxy: [{ connectionId: 'a', configText: cfg }] });
    const e = g.edges.find((x) => x.kind === 'vip')!;
    assert.equal(e.wildcard, true);
    assert.equal(e.to, nodeId.bind('a', 'vip_default_httpd_80', ':80'));
  });

  test('Gateway → listener → Route → Service, the listener joined to the bind of the Gateway address', () => {
    const model = gatewayModel({
      gateways: [
        {
          apiVersion: 'gateway.networking.k8s.io/v1',
          kind: 'Gateway',
          metadata: { name: 'gw', namespace: 'default', generation: 1 },
          spec: { gatewayClassName: 'haproxy-lb', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] },
          status: {
            addresses: [{ type: 'IPAddress', value: '127.0.200.2' }],
            conditions: [
              { type: 'Accepted', status: 'True', reason: 'Accepted', observedGeneration: 1 },
              { type: 'Programmed', status: 'True', reason: 'Programmed', observedGeneration: 1 },
            ],
          },
        },
      ],
      routes: [
        {
          apiVersion: 'gateway.networking.k8s.io/v1',
          kind: 'HTTPRoute',
          metadata: { name: 'web', namespace: 'default' },
          spec: {
            parentRefs: [{ name: 'gw' }],
            rules: [
              {
                backendRefs: [
                  { name: 'httpd', port: 80 },
                  { name: 'gone', port: 80 },
                ],
              },
            ],
          },
        },
      ],
    });
    const g = buildTrafficGraph({
      gateways: model.gateways,
      services: views([service('httpd')], [eps]),
      haproxy: [{ connectionId: 'a', configText: VIP_CFG }],
    });
    const edges = g.edges.map((e) => `${e.from} ${e.kind} ${e.to}`);
    const l = nodeId.listener('default', 'gw', 'http');
    const r = nodeId.route('HTTPRoute', 'default', 'web');
    assert.ok(edges.includes(`${nodeId.gateway('default', 'gw')} listener ${l}`));
    assert.ok(edges.includes(`${l} route ${r}`));
    assert.ok(edges.includes(`${r} backendRef ${nodeId.service('default', 'httpd')}`));
    assert.ok(edges.includes(`${l} vip ${nodeId.bind('a', 'vip_default_httpd_80', '127.0.200.2:80')}`));
    assert.equal(g.nodes.find((n) => n.id === nodeId.service('default', 'gone'))?.missing, true);
  });

  test('focus keeps what is connected to one node', () => {
    const cfg =
      `${VIP_CFG}\nfrontend other\n  bind 127.0.0.1:9000\n  default_backend unrelated\n\n` +
      'backend unrelated\n  server x 10.9.9.9:80\n';
    const g = buildTrafficGraph({
      services: views([svc, service('lonely')], [eps]),
      haproxy: [{ connectionId: 'a', configText: cfg }],
      focus: nodeId.service('default', 'httpd'),
    });
    const ids = g.nodes.map((n) => n.id);
    assert.ok(ids.includes(nodeId.server('a', 'vip_default_httpd_80', 'ep1')));
    assert.ok(!ids.includes(nodeId.frontend('a', 'other')));
    assert.ok(!ids.includes(nodeId.service('default', 'lonely')));
  });

  test("the topology keeps each section's line, listen sections included; dynamic use_backend is skipped", () => {
    const topo = readTopology(
      'listen l1\n  bind [::1]:8443\n  server s [::1]:80\n' +
        'frontend f\n  bind *:80\n  use_backend %[req.hdr(host)]\n  use_backend b if TRUE\n' +
        'backend b\n  server s1 127.0.0.3:8080 disabled backup\n',
    );
    assert.deepEqual(
      topo.frontends.map((f) => [
        f.name,
        f.kind,
        f.line,
        f.binds.map((b) => [b.host, b.port, b.wildcard]),
        f.backends.map((b) => b.name),
      ]),
      [
        ['l1', 'listen', 0, [['::1', 8443, false]], []],
        ['f', 'frontend', 3, [['', 80, true]], ['b']],
      ],
    );
    assert.deepEqual(topo.backends.find((b) => b.name === 'b')!.servers, [
      { name: 's1', address: '127.0.0.3', port: 8080, line: 8, disabled: true, backup: true },
    ]);
  });
});

describe('history', () => {
  test('keeps a bounded history per live node and forgets nodes that left', () => {
    const node = (id: string, sessions: number) => ({
      id,
      kind: 'server' as const,
      label: id,
      source: { type: 'haproxy' as const, connectionId: 'a', sectionKind: 'backend' as const, section: 'b', line: 0 },
      health: 'ok' as const,
      live: { state: 'UP' as const, sessions, errors: sessions * 10 },
    });
    let h: ReadonlyMap<string, readonly import('../../../src/traffic/core/history').Sample[]> = new Map();
    for (let i = 0; i < 5; i++)
      h = recordSamples(h, { nodes: [node('x', i), ...(i < 2 ? [node('gone', i)] : [])] }, 1000 * i, 3);
    assert.deepEqual(
      h.get('x')!.map((s) => s.sessions),
      [2, 3, 4],
    );
    assert.equal(h.has('gone'), false);
    assert.equal(counterRate(h.get('x')!, 'errors'), 10);
    h = recordSamples(h, { nodes: [node('x', 9)] }, 4000, 3);
    assert.deepEqual(
      h.get('x')!.map((s) => s.sessions),
      [2, 3, 9],
      'the same instant replaces',
    );
  });
});
