// The core against the test API server, through the real @kubernetes/client-node.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { KubeApiError } from '../../../src/kubernetes/core/errors';
import { KubernetesService, type GatewayTreeResult } from '../../../src/kubernetes/core/service';
import {
  DEMO_CONTROLLER_NAME,
  seedDemo,
  startKubeApiServer,
  writeKubeconfig,
  type KubeApiServer,
} from '../../fixtures/kube-api-server';
import { waitFor } from '../../support/wait';
import { FAST, tempDir } from '../../support/kube';

function ok(result: GatewayTreeResult): Extract<GatewayTreeResult, { state: 'ok' }> {
  assert.equal(result.state, 'ok');
  return result as Extract<GatewayTreeResult, { state: 'ok' }>;
}

const GW = 'gateway.networking.k8s.io/v1';

function gateway(name: string, namespace: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: GW,
    kind: 'Gateway',
    metadata: { name, namespace },
    spec: {
      gatewayClassName: 'haproxy-lb',
      listeners: [
        { name: 'web', protocol: 'HTTP', port: 80 },
        { name: 'db', protocol: 'TCP', port: 5432 },
      ],
      ...extra,
    },
  };
}

describe('Kubernetes core against the test API server', () => {
  let demo: KubeApiServer;
  let bare: KubeApiServer;
  let kubeconfig: string;

  before(async () => {
    demo = await startKubeApiServer({
      controller: { controllerName: DEMO_CONTROLLER_NAME, delayMs: 10 },
      bookmarkIntervalMs: 200,
    });
    seedDemo(demo);
    bare = await startKubeApiServer({ gatewayApi: false });
    const entries = [
      ...demo.users.map((u) => ({
        name: `demo-${u.name}`,
        server: demo.url,
        caFile: demo.caFile,
        user: `demo-${u.name}`,
        token: u.token,
        namespace: u.name === 'limited' ? 'default' : undefined,
      })),
      { name: 'bare-admin', server: bare.url, caFile: bare.caFile, user: 'bare-admin', token: 'admin-token' },
    ];
    kubeconfig = writeKubeconfig(path.join(tempDir(), 'config'), entries, 'demo-admin');
  });

  after(async () => {
    await demo.stop();
    await bare.stop();
  });

  function service(extra: Partial<ConstructorParameters<typeof KubernetesService>[0]> = {}): KubernetesService {
    return new KubernetesService({ kubeconfigSetting: () => kubeconfig, ...FAST, ...extra });
  }

  it('lists contexts and switches between clusters; a cluster without the CRDs explains itself', async () => {
    const svc = service();
    try {
      assert.deepEqual(
        svc.contexts().map((c) => c.name),
        ['demo-admin', 'demo-expired', 'demo-limited', 'bare-admin'],
      );
      assert.equal(svc.currentContext(), 'demo-admin');
      const tree = ok(await svc.gatewayTree());
      assert.deepEqual(
        tree.model.classes.map((c) => [c.name, c.controllerName]),
        [['haproxy-lb', DEMO_CONTROLLER_NAME]],
      );
      svc.selectContext('bare-admin');
      const bareTree = await svc.gatewayTree();
      assert.equal(bareTree.state, 'notInstalled');
      assert.match((bareTree as { explanation: string }).explanation, /Gateway API CRDs are not installed/);
      const services = await svc.serviceTree();
      assert.equal(services.context, 'bare-admin');
      assert.deepEqual(
        services.index.byNamespace.map((g) => g.namespace),
        [],
        'the bare cluster has no Service',
      );
    } finally {
      svc.dispose();
    }
  });

  it('names the context and keeps the server message for an expired token (401) and an RBAC denial (403)', async () => {
    const svc = service({ initialContext: 'demo-expired' });
    try {
      await assert.rejects(svc.gatewayTree(), (err) => {
        assert.ok(err instanceof KubeApiError);
        assert.equal(err.code, 401);
        assert.match(
          err.message,
          /^Cannot discover API groups \(context "demo-expired"\): Unauthorized \(401 Unauthorized\)\. The credentials of this context were refused/,
        );
        return true;
      });
      svc.selectContext('demo-limited');
      const tree = ok(await svc.gatewayTree());
      const denied = tree.errors.find((e) => e.kind === 'Gateway')?.error;
      assert.ok(denied instanceof KubeApiError);
      assert.equal(denied.code, 403);
      assert.match(
        denied.message,
        /Cannot list gateways in all namespaces \(context "demo-limited"\): gateways\.gateway\.networking\.k8s\.io is forbidden: User "limited" cannot list resource "gateways" in API group "gateway\.networking\.k8s\.io" at the cluster scope \(403 Forbidden\)/,
      );
      svc.setNamespaceFilter(['default']);
      const filtered = ok(await svc.gatewayTree());
      assert.deepEqual(
        filtered.errors.filter((e) => e.kind === 'Gateway'),
        [],
        'reading one allowed namespace works',
      );
    } finally {
      svc.dispose();
    }
  });

  it('builds the tree from one paginated list per kind, and a new Service arrives through the watch', async () => {
    for (let i = 0; i < 5; i++)
      demo.create({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: `page-${i}`, namespace: 'kube-public' },
        spec: { ports: [{ port: 80 }] },
      });
    demo.resetRequests();
    const svc = service({ pageSize: 2 });
    try {
      const first = await svc.serviceTree(false);
      const names = first.index.byNamespace.find((g) => g.namespace === 'kube-public')?.items.map((s) => s.name);
      assert.deepEqual(names, ['page-0', 'page-1', 'page-2', 'page-3', 'page-4']);
      const serviceLists = demo.requests.filter(
        (r) => r.method === 'GET' && r.path.startsWith('/api/v1/services?') && !r.path.includes('watch=true'),
      );
      assert.equal(
        serviceLists.length,
        Math.ceil(first.index.byKey.size / 2),
        'one request per page of 2, none per item',
      );
      assert.ok(serviceLists.slice(1).every((r) => r.path.includes('continue=')));
      let changes = 0;
      svc.onDidChange(() => changes++);
      demo.create({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'arrives', namespace: 'default' },
        spec: { ports: [{ port: 8080 }] },
      });
      // The notification may come first for another change (a busy machine delivers late): wait for
      // both the notification and the Service in the tree.
      await waitFor(
        'the new Service through the watch, and a change notification',
        async () => changes > 0 && (await svc.serviceTree(false)).index.byKey.has('default/arrives'),
      );
      assert.equal(
        demo.requests.filter((r) => r.path.startsWith('/api/v1/services?') && !r.path.includes('watch=true')).length,
        serviceLists.length,
        'no new list: the watch delivered it',
      );
    } finally {
      svc.dispose();
    }
  });

  it('restarts a dropped watch, and lists again after 410 Gone', async () => {
    const svc = service();
    try {
      await svc.serviceTree(false);
      const listsBefore = (await svc.stats()).lists;
      await waitFor('a watch open', () => demo.openWatches > 0);
      demo.dropWatches();
      demo.create({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'after-drop', namespace: 'default' },
        spec: { ports: [{ port: 1 }] },
      });
      await waitFor('the Service created while the watch was down', async () =>
        (await svc.serviceTree(false)).index.byKey.has('default/after-drop'),
      );
      assert.ok((await svc.stats()).watches >= 2, 'the watch was opened again');
      assert.equal((await svc.stats()).lists, listsBefore, 'resumed from its resourceVersion without a list');

      await waitFor('the watch open again', () => demo.openWatches > 0);
      // In one tick: the watch goes down, a change happens, and history is compacted past it.
      demo.dropWatches();
      demo.create({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'after-gone', namespace: 'default' },
        spec: { ports: [{ port: 2 }] },
      });
      demo.compact();
      await waitFor('a relist after 410', async () => (await svc.stats()).lists > listsBefore);
      await waitFor('the Service seen by the relist', async () =>
        (await svc.serviceTree(false)).index.byKey.has('default/after-gone'),
      );
    } finally {
      svc.dispose();
    }
  });

  it('keeps watching through a server that drops every watch after a while', async () => {
    const flaky = await startKubeApiServer();
    flaky.faults.dropWatchesAfterMs = 100;
    const file = flaky.writeKubeconfig(path.join(tempDir(), 'config'));
    const svc = new KubernetesService({ kubeconfigSetting: () => file, ...FAST });
    try {
      await svc.serviceTree(false);
      // Dropped twice and opened again each time (however long that takes on a busy machine).
      await waitFor('the watch opened a third time', async () => (await svc.stats()).watches >= 3);
      flaky.create({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'late', namespace: 'default' },
        spec: { ports: [{ port: 3 }] },
      });
      await waitFor('the Service through a fresh watch', async () =>
        (await svc.serviceTree(false)).index.byKey.has('default/late'),
      );
    } finally {
      svc.dispose();
      await flaky.stop();
    }
  });

  it('shows Gateways with conditions, listeners, attached routes and backends with endpoints', async () => {
    demo.create(gateway('edge', 'default', { addresses: [{ type: 'IPAddress', value: '127.0.200.2' }] }));
    demo.create({
      apiVersion: GW,
      kind: 'HTTPRoute',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        parentRefs: [{ name: 'edge', sectionName: 'web' }],
        hostnames: ['www.example.com'],
        rules: [{ backendRefs: [{ name: 'httpd', port: 80 }] }],
      },
    });
    demo.create({
      apiVersion: GW,
      kind: 'TCPRoute',
      metadata: { name: 'db', namespace: 'default' },
      spec: { parentRefs: [{ name: 'edge' }], rules: [{ backendRefs: [{ name: 'missing', port: 5432 }] }] },
    });
    const svc = service();
    try {
      const gw = await waitFor('edge programmed', async () => {
        const tree = ok(await svc.gatewayTree('backends'));
        const g = tree.model.gateways.find((x) => x.name === 'edge');
        return g?.programmed?.status === 'True' ? g : undefined;
      });
      assert.deepEqual(gw.addresses, ['127.0.200.2']);
      assert.equal(gw.addressesFromStatus, true);
      assert.equal(gw.accepted?.status, 'True');
      assert.deepEqual(
        gw.listeners.map((l) => [l.name, l.protocol, l.port, l.attachedRoutes]),
        [
          ['web', 'HTTP', 80, 1],
          ['db', 'TCP', 5432, 1],
        ],
      );
      assert.equal(gw.listeners[0].reportedAttachedRoutes, 1);
      const web = gw.routes.find((r) => r.kind === 'HTTPRoute')!;
      assert.equal(
        web.backends[0].service?.endpoints[0].address,
        '127.0.0.3',
        'selectorless Service endpoints from Endpoints',
      );
      assert.equal(web.backends[0].service?.endpointSource, 'Endpoints');
      const db = gw.routes.find((r) => r.kind === 'TCPRoute')!;
      assert.equal(db.backends[0].service, undefined, 'a missing backend stays unresolved');
      const tree = ok(await svc.gatewayTree());
      assert.deepEqual(
        tree.model.classes[0].namespaces.map((n) => [n.namespace, n.items.map((g) => g.name)]),
        [['default', ['edge']]],
      );
    } finally {
      svc.dispose();
    }
  });

  it(
    'gets YAML, applies an edit as a patch, shows the CRD validation message, ' +
      'refuses a stale apply, describes and deletes',
    async () => {
      // A class no controller reconciles: nothing else moves the resourceVersion during the test.
      demo.create(gateway('editme', 'default', { gatewayClassName: 'unreconciled' }));
      demo.create({
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: 'editme.1', namespace: 'default' },
        involvedObject: { kind: 'Gateway', name: 'editme', namespace: 'default' },
        reason: 'Synced',
        message: 'configuration pushed to HAProxy',
        type: 'Normal',
        lastTimestamp: '2026-01-01T00:00:00Z',
      });
      const svc = service();
      try {
        const actions = await svc.actions();
        const ref = { kind: 'Gateway', name: 'editme', namespace: 'default' };
        const { yaml, object } = await actions.getYaml(ref);
        assert.match(yaml, /^apiVersion: gateway\.networking\.k8s\.io\/v1\nkind: Gateway\n/);
        assert.doesNotMatch(yaml, /managedFields/);

        const applied = await actions.applyYaml(object, yaml.replace('port: 5432', 'port: 5433'));
        assert.equal(applied.unchanged, false);
        assert.equal((applied.object.spec as { listeners: { port: number }[] }).listeners[1].port, 5433);
        assert.equal(applied.object.metadata.generation, 2);

        await assert.rejects(
          actions.applyYaml(applied.object, stringify(applied.object).replace('port: 5433', 'port: 70000')),
          (err) => {
            assert.ok(err instanceof KubeApiError);
            assert.equal(err.code, 422);
            assert.match(
              err.message,
              /Cannot patch gateways "editme" in namespace "default" \(context "demo-admin"\): Gateway\.gateway\.networking\.k8s\.io "editme" is invalid: spec\.listeners\[1\]\.port: Invalid value: 70000: spec\.listeners\[1\]\.port in body should be less than or equal to 65535 \(422 Invalid\)/,
            );
            return true;
          },
        );
        await assert.rejects(
          actions.applyYaml(object, yaml.replace('port: 80', 'port: 81')),
          (err) => err instanceof KubeApiError && err.code === 409 && /the object has been modified/.test(err.message),
        );
        await assert.rejects(
          actions.applyYaml(object, yaml.replace('name: editme', 'name: other')),
          /metadata\.name cannot change/,
        );

        const text = await actions.describe(ref);
        assert.match(text, /^Name: +editme$/m);
        assert.match(text, /Synced .*\n +configuration pushed to HAProxy/);
        await actions.delete(ref);
        await assert.rejects(
          actions.get(ref),
          (err) =>
            err instanceof KubeApiError &&
            err.code === 404 &&
            /gateways\.gateway\.networking\.k8s\.io "editme" not found/.test(err.message),
        );
      } finally {
        svc.dispose();
      }
    },
  );

  it(
    'uses TCPRoute v1alpha2 on a cluster that serves only that, ' + 'and patches Service status and annotations',
    async () => {
      const old = await startKubeApiServer({ tcpRouteV1alpha2Only: true });
      seedDemo(old);
      const file = old.writeKubeconfig(path.join(tempDir(), 'config'));
      const svc = new KubernetesService({ kubeconfigSetting: () => file, ...FAST });
      try {
        assert.equal(await svc.tcpRouteVersion(), 'v1alpha2');
        const route = await svc.create({
          apiVersion: 'gateway.networking.k8s.io/v1alpha2',
          kind: 'TCPRoute',
          metadata: { name: 'r', namespace: 'default' },
          spec: { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'httpd', port: 80 }] }] },
        });
        assert.equal(route.apiVersion, 'gateway.networking.k8s.io/v1alpha2');
        const tree = ok(await svc.gatewayTree('routes'));
        assert.equal(tree.errors.length, 0);
        await assert.rejects(
          svc.create({
            apiVersion: 'gateway.networking.k8s.io/v1',
            kind: 'TCPRoute',
            metadata: { name: 'x', namespace: 'default' },
          }),
          /serves TCPRoute as v1alpha2, not v1/,
        );

        const listed = await svc.servicesWithEndpoints('default');
        const httpd = listed.find((s) => s.service.metadata.name === 'httpd')!;
        assert.equal((httpd.endpoints?.subsets as { addresses: { ip: string }[] }[])[0].addresses[0].ip, '127.0.0.3');
        await svc.patchServiceStatus('default', 'httpd', { loadBalancer: { ingress: [{ ip: '127.0.200.2' }] } });
        await svc.patchServiceAnnotations('default', 'httpd', { 'haproxy-gateway/vip': '127.0.200.2' });
        const after = old.get('v1', 'Service', 'httpd', 'default')!;
        assert.deepEqual((after.status as { loadBalancer: unknown }).loadBalancer, {
          ingress: [{ ip: '127.0.200.2' }],
        });
        assert.equal(
          (after.metadata as { annotations: Record<string, string> }).annotations['haproxy-gateway/vip'],
          '127.0.200.2',
        );
      } finally {
        svc.dispose();
        await old.stop();
      }
    },
  );

  it('reports a server that answers too slowly, naming the context', async () => {
    const slow = await startKubeApiServer();
    // The server never answers (rather than late: a late answer races the client's clock), and the
    // timeout is generous enough for every answer of a busy machine once it answers again.
    slow.faults.hang = true;
    const file = slow.writeKubeconfig(path.join(tempDir(), 'config'));
    const svc = new KubernetesService({ kubeconfigSetting: () => file, ...FAST, requestTimeoutMs: 3_000 });
    try {
      await assert.rejects(
        svc.gatewayTree(),
        /The API server of context "kube-test-admin" at https:\/\/127\.0\.0\.1:\d+ did not answer in time\./,
      );
      slow.faults.hang = false;
      assert.equal((await svc.gatewayTree()).state, 'ok', 'the next try succeeds once the server is fast again');
    } finally {
      svc.dispose();
      await slow.stop();
    }
  });

  it('stops every watch when inactive', async () => {
    const quiet = await startKubeApiServer();
    const file = quiet.writeKubeconfig(path.join(tempDir(), 'config'));
    const svc = new KubernetesService({ kubeconfigSetting: () => file, ...FAST });
    try {
      await svc.gatewayTree('backends');
      await waitFor('watches open', () => quiet.openWatches >= 5);
      svc.setActive(false);
      await waitFor('watches closed', () => quiet.openWatches === 0);
      const before = quiet.requests.length;
      await svc.serviceTree();
      assert.equal(quiet.requests.length, before, 'an inactive browser sends nothing');
    } finally {
      svc.dispose();
      await quiet.stop();
    }
  });
});
