// The real control plane of test/fixtures/real-kube (etcd v3.6.4 and kube-apiserver v1.34.4 built from
// Go modules) behaves as a cluster does for Gateway API objects: CRDs Established, schema and CEL
// validation with 422, the status subresource, RBAC 403 and watches. Fails when the binaries are
// missing (run `bash scripts/install-k8s-testbin.sh`) unless HAPROXY_GATEWAY_SKIP_REAL_KUBE=1.
import { after, before, describe, test as nodeTest } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as k8s from '@kubernetes/client-node';
import {
  GATEWAY_GROUP,
  KUBE_VERSION,
  SKIP_ENV,
  gatewayApiCrds,
  missingBinariesMessage,
  skipRealKube,
  startControlPlane,
  waitForTestbin,
  type ControlPlane,
} from '../../fixtures/real-kube/controlPlane';

const NS = 'default';
const GATEWAYS = `/apis/${GATEWAY_GROUP}/v1/namespaces/${NS}/gateways`;

function gateway(name: string, listeners: unknown[]): Record<string, unknown> {
  return {
    apiVersion: `${GATEWAY_GROUP}/v1`,
    kind: 'Gateway',
    metadata: { name, namespace: NS },
    spec: { gatewayClassName: 'haproxy', listeners },
  };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe(
  'real Kubernetes control plane (etcd + kube-apiserver)',
  { skip: skipRealKube() ? `${SKIP_ENV}=1` : false },
  () => {
    let cp: ControlPlane;
    /** Why the control plane did not start: every test fails with it (missing binaries: the install hint). */
    let startError: Error | undefined;

    before(async () => {
      try {
        if (!(await waitForTestbin(undefined, (m) => console.log(`# ${m}`)))) throw new Error(missingBinariesMessage());
        cp = await startControlPlane();
        console.log(
          `# control plane ready in ${(cp.readyMs / 1000).toFixed(1)} s, ` +
            `CRDs Established and first write done at ${(cp.startupMs / 1000).toFixed(1)} s`,
        );
      } catch (err) {
        startError = err instanceof Error ? err : new Error(String(err));
      }
    });

    /** A test that needs the running control plane. */
    const test = (name: string, fn: () => Promise<void>): void => {
      nodeTest(name, async () => {
        if (startError) throw startError;
        await fn();
      });
    };

    after(async () => {
      await cp?.stop();
    });

    test(`serves Kubernetes ${KUBE_VERSION}`, async () => {
      const res = await cp.request({ path: '/version' });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.gitVersion, KUBE_VERSION);
    });

    test('the Gateway API v1.6.1 CRDs are Established and served', async () => {
      const crds = gatewayApiCrds();
      assert.equal(crds.length, 8);
      for (const crd of crds) {
        const res = await cp.request({
          path: `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`,
        });
        assert.equal(res.status, 200, res.text);
        const established = res.body.status.conditions.find((c: { type: string }) => c.type === 'Established');
        assert.equal(
          established?.status,
          'True',
          `${crd.metadata.name}: ${JSON.stringify(res.body.status.conditions)}`,
        );
        assert.equal(res.body.metadata.annotations['gateway.networking.k8s.io/bundle-version'], 'v1.6.1');
      }
      const discovery = await cp.request({ path: `/apis/${GATEWAY_GROUP}/v1` });
      assert.equal(discovery.status, 200, discovery.text);
      const names = discovery.body.resources.map((r: { name: string }) => r.name);
      for (const name of ['gatewayclasses', 'gateways', 'gateways/status', 'httproutes', 'grpcroutes'])
        assert.ok(names.includes(name), name);
    });

    test('creating a valid Gateway works, with the defaults of the CRD schema applied', async () => {
      const res = await cp.request({
        method: 'POST',
        path: GATEWAYS,
        body: gateway('web', [{ name: 'http', protocol: 'HTTP', port: 80 }]),
      });
      assert.equal(res.status, 201, res.text);
      assert.equal(res.body.metadata.name, 'web');
      assert.equal(res.body.metadata.generation, 1);
      assert.deepEqual(res.body.spec.listeners[0].allowedRoutes, { namespaces: { from: 'Same' } });
      // The CRD defaults status.conditions to Accepted/Programmed Unknown "Pending".
      const accepted = res.body.status.conditions.find((c: { type: string }) => c.type === 'Accepted');
      assert.equal(accepted.status, 'Unknown');
      assert.equal(accepted.reason, 'Pending');
    });

    test('a listener port 0 is rejected by the OpenAPI schema with 422', async () => {
      const res = await cp.request({
        method: 'POST',
        path: GATEWAYS,
        body: gateway('port-zero', [{ name: 'http', protocol: 'HTTP', port: 0 }]),
      });
      assert.equal(res.status, 422, res.text);
      assert.equal(res.body.reason, 'Invalid');
      assert.match(
        res.body.message,
        /spec\.listeners\[0\]\.port: Invalid value: 0: spec\.listeners\[0\]\.port in body should be greater than or equal to 1/,
      );
    });

    test('duplicate listener names are rejected by the CEL rule with 422', async () => {
      const res = await cp.request({
        method: 'POST',
        path: GATEWAYS,
        body: gateway('dup', [
          { name: 'http', protocol: 'HTTP', port: 80 },
          { name: 'http', protocol: 'HTTP', port: 8080 },
        ]),
      });
      assert.equal(res.status, 422, res.text);
      assert.match(res.body.message, /Listener name must be unique within the Gateway/);
      const get = await cp.request({ path: `${GATEWAYS}/dup` });
      assert.equal(get.status, 404);
    });

    test('the status subresource takes a status merge patch and leaves the spec alone', async () => {
      const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      const status = {
        addresses: [{ type: 'IPAddress', value: '127.0.0.10' }],
        conditions: [
          {
            type: 'Accepted',
            status: 'True',
            reason: 'Accepted',
            message: 'accepted by the test',
            observedGeneration: 1,
            lastTransitionTime: now,
          },
          {
            type: 'Programmed',
            status: 'True',
            reason: 'Programmed',
            message: 'programmed by the test',
            observedGeneration: 1,
            lastTransitionTime: now,
          },
        ],
      };
      const res = await cp.request({
        method: 'PATCH',
        path: `${GATEWAYS}/web/status`,
        body: { spec: { gatewayClassName: 'ignored' }, status },
      });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body.status.addresses, status.addresses);
      assert.equal(res.body.status.conditions.find((c: { type: string }) => c.type === 'Programmed').status, 'True');
      assert.equal(res.body.spec.gatewayClassName, 'haproxy', 'the status endpoint must not change the spec');
      assert.equal(res.body.metadata.generation, 1, 'a status change does not bump the generation');

      // And a status outside the schema is refused there too.
      const bad = await cp.request({
        method: 'PATCH',
        path: `${GATEWAYS}/web/status`,
        body: { status: { addresses: [{ type: 'IPAddress', value: 'not an ip' }] } },
      });
      assert.equal(bad.status, 422, bad.text);
    });

    test('the user "narrow" gets 403 (RBAC), over plain HTTPS and through the kubeconfig context', async () => {
      const res = await cp.request({ path: GATEWAYS, token: cp.narrowToken });
      assert.equal(res.status, 403, res.text);
      assert.match(
        res.body.message,
        /gateways\.gateway\.networking\.k8s\.io is forbidden: User "narrow" cannot list resource "gateways" in API group "gateway\.networking\.k8s\.io" in the namespace "default"/,
      );

      const kc = new k8s.KubeConfig();
      kc.loadFromFile(cp.kubeconfigPath);
      assert.deepEqual(
        kc
          .getContexts()
          .map((c) => c.name)
          .sort(),
        ['admin', 'narrow'],
      );
      kc.setCurrentContext('narrow');
      const narrow = kc.makeApiClient(k8s.CustomObjectsApi);
      await assert.rejects(
        narrow.listNamespacedCustomObject({ group: GATEWAY_GROUP, version: 'v1', namespace: NS, plural: 'gateways' }),
        (err: unknown) => err instanceof k8s.ApiException && err.code === 403,
      );
      kc.setCurrentContext('admin');
      const admin = kc.makeApiClient(k8s.CustomObjectsApi);
      const list = await admin.listNamespacedCustomObject({
        group: GATEWAY_GROUP,
        version: 'v1',
        namespace: NS,
        plural: 'gateways',
      });
      assert.deepEqual(
        list.items.map((g: { metadata: { name: string } }) => g.metadata.name),
        ['web'],
      );
    });

    test('a watch delivers an ADDED event for a new HTTPRoute', async () => {
      const kc = new k8s.KubeConfig();
      kc.loadFromFile(cp.kubeconfigPath);
      const watch = new k8s.Watch(kc);
      const path = `/apis/${GATEWAY_GROUP}/v1/namespaces/${NS}/httproutes`;
      const list = await cp.request({ path });
      assert.equal(list.status, 200, list.text);
      let controller: AbortController | undefined;
      const added = new Promise<{ name: string; parent: string }>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no ADDED event within 60 s')), 60_000);
        watch
          .watch(
            path,
            { resourceVersion: list.body.metadata.resourceVersion },
            (phase, obj) => {
              if (phase === 'ADDED') {
                clearTimeout(timer);
                resolve({ name: obj.metadata.name, parent: obj.spec.parentRefs[0].name });
              }
            },
            (err) => {
              if (err && err.name !== 'AbortError') reject(err);
            },
          )
          .then((c) => (controller = c), reject);
      });
      // Watching from the list's resourceVersion: the creation below is delivered even if it wins the race.
      while (!controller) await new Promise((r) => setTimeout(r, 20));
      const created = await cp.request({
        method: 'POST',
        path,
        body: {
          apiVersion: `${GATEWAY_GROUP}/v1`,
          kind: 'HTTPRoute',
          metadata: { name: 'route-a', namespace: NS },
          spec: { parentRefs: [{ name: 'web' }], rules: [{ backendRefs: [{ name: 'svc', port: 8080 }] }] },
        },
      });
      assert.equal(created.status, 201, created.text);
      try {
        assert.deepEqual(await added, { name: 'route-a', parent: 'web' });
      } finally {
        controller.abort();
      }
    });

    test('stop() ends etcd and kube-apiserver and removes the temporary directory', async () => {
      const { etcdPid, apiserverPid, dir } = cp;
      assert.ok(processAlive(etcdPid) && processAlive(apiserverPid));
      await cp.stop();
      assert.equal(processAlive(etcdPid), false, 'etcd still runs');
      assert.equal(processAlive(apiserverPid), false, 'kube-apiserver still runs');
      assert.equal(fs.existsSync(dir), false, `${dir} still exists`);
    });
  },
);
