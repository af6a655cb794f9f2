// The test API server answers the real @kubernetes/client-node as a Kubernetes API server would.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { waitFor } from '../../support/wait';
import { DEMO_CONTROLLER_NAME, seedDemo, startKubeApiServer, type KubeApiServer } from '../../fixtures/kube-api-server';

function clientFor(server: KubeApiServer, context: string): k8s.KubeConfig {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kas-test-'));
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(server.writeKubeconfig(path.join(dir, 'config')));
  kc.setCurrentContext(context);
  return kc;
}

function statusOf(err: unknown): { code: number; body: Record<string, unknown> } {
  assert.ok(err instanceof k8s.ApiException, `expected an ApiException, got ${String(err)}`);
  const body = typeof err.body === 'string' ? JSON.parse(err.body) : err.body;
  return { code: err.code, body };
}

describe('test Kubernetes API server with the real client', () => {
  let server: KubeApiServer;
  let core: k8s.CoreV1Api;
  let objects: k8s.KubernetesObjectApi;

  before(async () => {
    server = await startKubeApiServer({
      controller: { controllerName: DEMO_CONTROLLER_NAME, delayMs: 20 },
      bookmarkIntervalMs: 100,
    });
    seedDemo(server);
    const kc = clientFor(server, 'kube-test-admin');
    core = kc.makeApiClient(k8s.CoreV1Api);
    objects = k8s.KubernetesObjectApi.makeApiClient(kc);
  });
  after(() => server.stop());

  it('serves the demo objects through the typed client', async () => {
    const services = await core.listNamespacedService({ namespace: 'default' });
    assert.deepEqual(
      services.items.map((s) => s.metadata?.name),
      ['httpd'],
    );
    assert.equal(services.items[0].spec?.ports?.[0].targetPort, 8080);
    const ep = await core.readNamespacedEndpoints({ name: 'httpd', namespace: 'default' });
    assert.equal(ep.subsets?.[0].addresses?.[0].ip, '127.0.0.3');
  });

  it('answers 401 for an expired token and 403 with the RBAC wording', async () => {
    const expired = clientFor(server, 'kube-test-expired').makeApiClient(k8s.CoreV1Api);
    await assert.rejects(expired.listNamespace(), (err) => statusOf(err).code === 401);
    const limited = clientFor(server, 'kube-test-limited').makeApiClient(k8s.CoreV1Api);
    await assert.rejects(limited.listServiceForAllNamespaces(), (err) => {
      const { code, body } = statusOf(err);
      assert.equal(code, 403);
      assert.equal(
        body.message,
        'services is forbidden: User "limited" cannot list resource "services" in API group "" at the cluster scope',
      );
      return true;
    });
    assert.equal((await limited.listNamespacedService({ namespace: 'default' })).items.length, 1);
  });

  it('paginates with limit and continue', async () => {
    for (let i = 0; i < 7; i++)
      server.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: `page-${i}`, namespace: 'kube-public' } });
    const first = await core.listNamespacedSecret({ namespace: 'kube-public', limit: 3 });
    assert.equal(first.items.length, 3);
    assert.equal(first.metadata?.remainingItemCount, 4);
    const second = await core.listNamespacedSecret({
      namespace: 'kube-public',
      limit: 3,
      _continue: first.metadata?._continue,
    });
    const third = await core.listNamespacedSecret({
      namespace: 'kube-public',
      limit: 3,
      _continue: second.metadata?._continue,
    });
    assert.deepEqual(
      [...first.items, ...second.items, ...third.items].map((s) => s.metadata?.name),
      [0, 1, 2, 3, 4, 5, 6].map((i) => `page-${i}`),
    );
    assert.equal(third.metadata?._continue, undefined);
    server.compact();
    await assert.rejects(
      core.listNamespacedSecret({ namespace: 'kube-public', limit: 3, _continue: first.metadata?._continue }),
      (err) => statusOf(err).code === 410,
    );
  });

  it('filters by label and field selectors, and refuses an unsupported field label with 400', async () => {
    server.create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'labelled', namespace: 'default', labels: { tier: 'web', team: 'a' } },
      spec: { ports: [{ port: 80 }] },
    });
    const byLabel = await core.listServiceForAllNamespaces({ labelSelector: 'tier in (web,db),team!=b' });
    assert.deepEqual(
      byLabel.items.map((s) => s.metadata?.name),
      ['labelled'],
    );
    const byField = await core.listServiceForAllNamespaces({
      fieldSelector: 'metadata.name=httpd,metadata.namespace=default',
    });
    assert.deepEqual(
      byField.items.map((s) => s.metadata?.name),
      ['httpd'],
    );
    await assert.rejects(
      core.listServiceForAllNamespaces({ fieldSelector: 'spec.nope=1' }),
      (err) =>
        statusOf(err).code === 400 && /field label not supported: spec\.nope/.test(String(statusOf(err).body.message)),
    );
  });

  it('applies JSON patches and status patches, and refuses strategic merge on custom resources with 415', async () => {
    const patched = await core.patchNamespacedService(
      {
        name: 'labelled',
        namespace: 'default',
        body: [
          { op: 'add', path: '/metadata/annotations', value: { a: 'b' } },
          { op: 'replace', path: '/spec/ports/0/port', value: 81 },
        ],
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch),
    );
    assert.equal(patched.spec?.ports?.[0].port, 81);
    assert.deepEqual(patched.metadata?.annotations, { a: 'b' });
    const status = await core.patchNamespacedServiceStatus(
      {
        name: 'labelled',
        namespace: 'default',
        body: { status: { loadBalancer: { ingress: [{ ip: '127.0.200.9' }] } }, spec: { ports: [{ port: 1 }] } },
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    assert.equal(status.status?.loadBalancer?.ingress?.[0].ip, '127.0.200.9');
    assert.equal(status.spec?.ports?.[0].port, 81, 'the status subresource ignores spec');
    await assert.rejects(
      objects.patch(
        {
          apiVersion: 'gateway.networking.k8s.io/v1',
          kind: 'GatewayClass',
          metadata: { name: 'haproxy-lb' },
          spec: { description: 'x' },
        } as k8s.KubernetesObject,
        undefined,
        undefined,
        undefined,
        undefined,
        k8s.PatchStrategy.StrategicMergePatch,
      ),
      (err) => statusOf(err).code === 415,
    );
  });

  it('rejects a stale update with 409 and an invalid Gateway with 422 naming the field', async () => {
    const svc = await core.readNamespacedService({ name: 'httpd', namespace: 'default' });
    await core.patchNamespacedService(
      { name: 'httpd', namespace: 'default', body: { metadata: { annotations: { touched: 'yes' } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    await assert.rejects(
      core.replaceNamespacedService({ name: 'httpd', namespace: 'default', body: svc }),
      (err) => statusOf(err).code === 409,
    );
    await assert.rejects(
      objects.create({
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        metadata: { name: 'bad', namespace: 'default' },
        spec: { gatewayClassName: 'haproxy-lb', listeners: [{ name: 'l', protocol: 'TCP', port: 70000 }] },
      } as k8s.KubernetesObject),
      (err) => {
        const { code, body } = statusOf(err);
        assert.equal(code, 422);
        assert.match(
          String(body.message),
          /^Gateway\.gateway\.networking\.k8s\.io "bad" is invalid: spec\.listeners\[0\]\.port: Invalid value: 70000/,
        );
        return true;
      },
    );
  });

  it('applies CRD defaults, and the test controller programs a Gateway with its addresses', async () => {
    await objects.create({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'vip', namespace: 'default' },
      spec: {
        gatewayClassName: 'haproxy-lb',
        addresses: [{ value: '127.0.200.2' }],
        listeners: [{ name: 'tcp', protocol: 'TCP', port: 80 }],
      },
    } as k8s.KubernetesObject);
    const raw = server.get('gateway.networking.k8s.io/v1', 'Gateway', 'vip', 'default')!;
    assert.equal(
      (raw.spec as { addresses: { type: string }[] }).addresses[0].type,
      'IPAddress',
      'the schema default is applied',
    );
    await waitFor('the Gateway to become Programmed', () => {
      const gw = server.get('gateway.networking.k8s.io/v1', 'Gateway', 'vip', 'default')!;
      const conditions = (gw.status as { conditions?: Record<string, unknown>[] } | undefined)?.conditions ?? [];
      return conditions.find((c) => c.type === 'Programmed' && c.status === 'True');
    });
    const gw = server.get('gateway.networking.k8s.io/v1', 'Gateway', 'vip', 'default')!;
    assert.deepEqual((gw.status as { addresses: unknown }).addresses, [{ type: 'IPAddress', value: '127.0.200.2' }]);
  });

  it('watches from a resourceVersion, sends bookmarks, and answers a too-old one with an ERROR 410 event', async () => {
    const kc = clientFor(server, 'kube-test-admin');
    const list = await core.listNamespacedService({ namespace: 'default' });
    const events: { type: string; name?: string }[] = [];
    const done = new Promise<unknown>((resolve) => {
      void new k8s.Watch(kc).watch(
        '/api/v1/namespaces/default/services',
        { resourceVersion: list.metadata?.resourceVersion, allowWatchBookmarks: true },
        (type, obj) => {
          events.push({ type, name: obj?.metadata?.name });
        },
        resolve,
      );
    });
    server.create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'watched', namespace: 'default' },
      spec: { ports: [{ port: 81 }] },
    });
    await waitFor(
      'the new Service and a bookmark through the watch',
      () => events.some((e) => e.name === 'watched') && events.some((e) => e.type === 'BOOKMARK'),
    );
    assert.ok(
      events.some((e) => e.type === 'ADDED' && e.name === 'watched'),
      'the new Service arrives',
    );
    assert.ok(
      events.some((e) => e.type === 'BOOKMARK'),
      'a bookmark arrives',
    );
    assert.equal(server.dropWatches(), 1);
    await done;

    server.compact();
    const errors: Record<string, unknown>[] = [];
    await new Promise<unknown>((resolve) => {
      void new k8s.Watch(kc).watch(
        '/api/v1/namespaces/default/services',
        { resourceVersion: list.metadata?.resourceVersion },
        (type, obj) => {
          if (type === 'ERROR') errors.push(obj);
        },
        resolve,
      );
    });
    assert.equal(errors.length, 1);
    assert.equal(errors[0].code, 410);
    assert.equal(errors[0].reason, 'Expired');
  });

  it('serves no Gateway API group when asked, and TCPRoute only as v1alpha2 when asked', async () => {
    const bare = await startKubeApiServer({ gatewayApi: false });
    const old = await startKubeApiServer({ tcpRouteV1alpha2Only: true });
    try {
      const bareApis = clientFor(bare, 'kube-test-admin').makeApiClient(k8s.ApisApi);
      const groups = (await bareApis.getAPIVersions()).groups.map((g) => g.name);
      assert.ok(!groups.includes('gateway.networking.k8s.io'));
      const oldApis = clientFor(old, 'kube-test-admin').makeApiClient(k8s.ApisApi);
      const gw = (await oldApis.getAPIVersions()).groups.find((g) => g.name === 'gateway.networking.k8s.io');
      assert.deepEqual(
        gw?.versions.map((v) => v.version),
        ['v1', 'v1beta1', 'v1alpha2'],
      );
      const oldObjects = k8s.KubernetesObjectApi.makeApiClient(clientFor(old, 'kube-test-admin'));
      const created = await oldObjects.create({
        apiVersion: 'gateway.networking.k8s.io/v1alpha2',
        kind: 'TCPRoute',
        metadata: { name: 'r', namespace: 'default' },
        spec: { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'httpd', port: 80 }] }] },
      } as k8s.KubernetesObject);
      assert.equal(created.apiVersion, 'gateway.networking.k8s.io/v1alpha2');
      await assert.rejects(
        oldObjects.create({
          apiVersion: 'gateway.networking.k8s.io/v1',
          kind: 'TCPRoute',
          metadata: { name: 'r2', namespace: 'default' },
          spec: {},
        } as k8s.KubernetesObject),
      );
    } finally {
      await bare.stop();
      await old.stop();
    }
  });
});
