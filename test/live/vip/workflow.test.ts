// The cluster side of the VIP feature against the test API server (through the real client): read
// and validate the Service, find free addresses, record status and annotations (and say why not),
// undo them, and Gateway mode with the server's test controller marking Gateways Programmed.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { KubernetesService } from '../../../src/kubernetes/core/service';
import { readLiveState } from '../../../src/vip/core/live';
import {
  addressPolicyFor,
  createViaGateway,
  listServices,
  loadService,
  ourNames,
  planFor,
  recordDirect,
  resyncOptions,
  unrecord,
  type KubeForVip,
} from '../../../src/vip/core/workflow';
import {
  DEMO_CONTROLLER_NAME,
  seedDemo,
  startKubeApiServer,
  writeKubeconfig,
  type KubeApiServer,
} from '../../fixtures/kube-api-server';
import { FAST, tempDir } from '../../support/kube';

describe('VIP workflow against the test API server', { timeout: 60_000 }, () => {
  let cluster: KubeApiServer;
  let old: KubeApiServer;
  let kube: KubernetesService;
  let oldKube: KubernetesService;

  before(async () => {
    cluster = await startKubeApiServer({ controller: { controllerName: DEMO_CONTROLLER_NAME, delayMs: 20 } });
    seedDemo(cluster);
    cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } });
    cluster.create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'taken', namespace: 'other' },
      spec: { type: 'LoadBalancer', ports: [{ port: 80 }] },
      status: { loadBalancer: { ingress: [{ ip: '127.0.200.1' }] } },
    });
    cluster.create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'internal', namespace: 'default' },
      spec: { type: 'ClusterIP', ports: [{ name: 'http', port: 80 }] },
    });
    old = await startKubeApiServer({
      tcpRouteV1alpha2Only: true,
      controller: { controllerName: DEMO_CONTROLLER_NAME, delayMs: 20 },
    });
    seedDemo(old);
    const dir = tempDir('vip-workflow-');
    kube = new KubernetesService({
      kubeconfigSetting: () =>
        writeKubeconfig(
          path.join(dir, 'a'),
          [{ name: 'a', server: cluster.url, caFile: cluster.caFile, user: 'a', token: 'admin-token' }],
          'a',
        ),
      ...FAST,
    });
    oldKube = new KubernetesService({
      kubeconfigSetting: () =>
        writeKubeconfig(
          path.join(dir, 'b'),
          [{ name: 'b', server: old.url, caFile: old.caFile, user: 'b', token: 'admin-token' }],
          'b',
        ),
      ...FAST,
    });
  });
  after(async () => {
    kube?.dispose();
    oldKube?.dispose();
    await cluster?.stop();
    await old?.stop();
  });

  it('reads the Service with its Endpoints and works out free addresses', async () => {
    const all = await listServices(kube);
    assert.ok(
      all.some((c) => c.service.metadata.name === 'taken'),
      'across namespaces',
    );
    const ctx = await loadService(kube, { namespace: 'default', name: 'httpd' });
    assert.equal(
      planFor(ctx, { vip: '127.0.200.2', balance: 'roundrobin', healthChecks: true }).ports[0]!.servers[0]!.address,
      '127.0.0.3',
    );
    await assert.rejects(loadService(kube, { namespace: 'default', name: 'nope' }), /no Service default\/nope/);
    const live = readLiveState(
      'frontend legacy\n  bind 127.0.200.2:443\n' +
        'frontend vip_default_httpd_http\n  bind 127.0.200.9:80 name vipbind_default_httpd_http\n',
    );
    const pools = [{ range: '127.0.200.0/24' }];
    const policy = addressPolicyFor(ctx, [live], pools);
    assert.deepEqual(
      [...policy.inUse].sort(),
      ['127.0.200.1', '127.0.200.2'],
      "other Services' ingress and other frontends' binds; its own frontend does not count",
    );
    assert.deepEqual(policy.suggestion, { kind: 'allocated', address: '127.0.200.3', pool: '127.0.200.0/24' });
    assert.deepEqual(addressPolicyFor(ctx, [live], []).suggestion, {
      kind: 'none',
      reason:
        'No VIP pool applies to namespace "default": ' +
        'add one to the setting haproxyGateway.vip.pools, or type an address',
    });
    assert.deepEqual(policy.check('127.0.200.9'), { ok: true, address: '127.0.200.9', insidePools: true });
    assert.deepEqual(policy.check('127.0.199.9'), { ok: true, address: '127.0.199.9', insidePools: false });
    assert.match((policy.check('127.0.200.2') as { problem: string }).problem, /in use/);
    assert.match((policy.check('239.1.1.1') as { problem: string }).problem, /multicast/);
    assert.match((policy.check('127.0.200') as { problem: string }).problem, /not an IPv4 or IPv6 address/);
    assert.throws(
      () => policy.accept('127.0.199.9', false),
      /outside every VIP pool for namespace default; pass allowOutsidePools/,
    );
    assert.deepEqual(policy.accept('127.0.199.9', true), { address: '127.0.199.9', insidePools: false });
  });

  it('counts load balancer addresses of namespaces the filter hides as in use', async () => {
    const dir = tempDir('vip-filter-');
    const filtered = new KubernetesService({
      kubeconfigSetting: () =>
        writeKubeconfig(
          path.join(dir, 'c'),
          [{ name: 'a', server: cluster.url, caFile: cluster.caFile, user: 'a', token: 'admin-token' }],
          'a',
        ),
      initialNamespaces: ['default'],
      ...FAST,
    });
    try {
      const listed = await listServices(filtered);
      assert.ok(
        listed.every((c) => c.service.metadata.namespace === 'default'),
        'only the namespaces shown are offered',
      );
      const ctx = listed.find((c) => c.service.metadata.name === 'httpd')!;
      const policy = addressPolicyFor(ctx, [], [{ range: '127.0.200.1-127.0.200.3' }]);
      assert.ok(policy.inUse.has('127.0.200.1'), 'other/taken holds 127.0.200.1 as ingress');
      assert.deepEqual(policy.suggestion, {
        kind: 'allocated',
        address: '127.0.200.2',
        pool: '127.0.200.1-127.0.200.3',
      });
    } finally {
      filtered.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('records the VIP in status and annotations, reads it back for resync, and removes it', async () => {
    const ctx = await loadService(kube, { namespace: 'default', name: 'httpd' });
    const options = { vip: '127.0.200.2', balance: 'leastconn' as const, healthChecks: false };
    const plan = planFor(ctx, options);
    assert.deepEqual(await recordDirect(kube, ctx, plan, ['lb1', 'lb2'], options), {
      annotations: 'written',
      status: 'written',
    });
    const stored = cluster.get('v1', 'Service', 'httpd', 'default')!;
    assert.deepEqual((stored.status as { loadBalancer: unknown }).loadBalancer, { ingress: [{ ip: '127.0.200.2' }] });
    const again = await loadService(kube, { namespace: 'default', name: 'httpd' });
    assert.deepEqual(resyncOptions(again).options, {
      vip: '127.0.200.2',
      ports: undefined,
      balance: 'leastconn',
      healthChecks: false,
    });
    assert.deepEqual(resyncOptions(again).recorded.connections, ['lb1', 'lb2']);
    assert.deepEqual(ourNames(again.service), {
      frontends: ['vip_default_httpd_http'],
      backends: ['vipbe_default_httpd_http'],
    });

    assert.deepEqual(await unrecord(kube, again), { annotations: 'written', status: 'written' });
    const cleared = cluster.get('v1', 'Service', 'httpd', 'default')!;
    assert.deepEqual((cleared.status as { loadBalancer: unknown }).loadBalancer, { ingress: [] });
    assert.deepEqual(
      Object.keys((cleared.metadata as { annotations?: object }).annotations ?? {}).filter((k) =>
        k.startsWith('haproxy-gateway.io/'),
      ),
      [],
    );
    assert.throws(
      () =>
        resyncOptions({
          ...again,
          service: { ...again.service, metadata: { ...again.service.metadata, annotations: {} } },
        }),
      /has no VIP created by this extension/,
    );
  });

  it('does not write status it does not own, says why, and reports a failed status patch precisely', async () => {
    const internal = await loadService(kube, { namespace: 'default', name: 'internal' });
    const options = { vip: '127.0.200.5', balance: 'roundrobin' as const, healthChecks: true };
    const r = await recordDirect(kube, internal, planFor(internal, options), ['lb1'], options);
    assert.equal(r.annotations, 'written');
    assert.equal(r.status, 'skipped');
    assert.match(r.detail ?? '', /type ClusterIP/);
    const failing: KubeForVip = Object.assign(Object.create(kube) as KubernetesService, {
      patchServiceStatus: () => Promise.reject(new Error('the API server is on fire')),
    });
    const httpd = await loadService(kube, { namespace: 'default', name: 'httpd' });
    const f = await recordDirect(failing, httpd, planFor(httpd, options), ['lb1'], options);
    assert.deepEqual([f.annotations, f.status], ['written', 'failed']);
    assert.match(f.detail ?? '', /status\.loadBalancer\.ingress could not be written: the API server is on fire/);
  });

  it(
    'Gateway mode: Gateway and TCPRoute (v1) created, ' +
      'the test controller marks it Programmed, a second run updates',
    async () => {
      const ctx = await loadService(kube, { namespace: 'default', name: 'httpd' });
      const seen: string[] = [];
      const out = await createViaGateway(kube, ctx, {
        vip: '127.0.200.7',
        gatewayClassName: 'haproxy-lb',
        intervalMs: 50,
        onUpdate: (r) => seen.push(r.state),
      });
      assert.equal(out.routeVersion, 'v1');
      assert.deepEqual(out.readiness, { state: 'programmed', addresses: ['127.0.200.7'] });
      assert.ok(
        cluster.get('gateway.networking.k8s.io/v1', 'TCPRoute', 'httpd-http', 'default'),
        'the TCPRoute exists',
      );
      const second = await createViaGateway(kube, ctx, {
        vip: '127.0.200.8',
        gatewayClassName: 'haproxy-lb',
        intervalMs: 50,
      });
      assert.equal(second.readiness.state, 'programmed');
      assert.deepEqual(
        (cluster.get('gateway.networking.k8s.io/v1', 'Gateway', 'vip-httpd', 'default')!.spec as { addresses: unknown })
          .addresses,
        [{ type: 'IPAddress', value: '127.0.200.8' }],
      );
    },
  );

  it(
    'Gateway mode: TCPRoute v1alpha2 where only that is served; ' +
      'a Gateway nobody programs stays pending with its reason',
    async () => {
      const ctx = await loadService(oldKube, { namespace: 'default', name: 'httpd' });
      const out = await createViaGateway(oldKube, ctx, {
        vip: '127.0.200.7',
        gatewayClassName: 'haproxy-lb',
        intervalMs: 50,
      });
      assert.equal(out.routeVersion, 'v1alpha2');
      assert.ok(old.get('gateway.networking.k8s.io/v1alpha2', 'TCPRoute', 'httpd-http', 'default'));
      const orphan = await createViaGateway(kube, await loadService(kube, { namespace: 'default', name: 'internal' }), {
        vip: '127.0.200.9',
        gatewayClassName: 'nobody-programs-this',
        intervalMs: 50,
        timeoutMs: 400,
      });
      // The Gateway API's own default condition, since no controller wrote another.
      assert.deepEqual(orphan.readiness, { state: 'pending', reason: 'Pending', message: 'Waiting for controller' });
    },
  );
});
