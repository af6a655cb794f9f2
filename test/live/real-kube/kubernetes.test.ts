// The extension's Kubernetes core and the cluster side of the VIP feature against a real
// kube-apiserver v1.34.4 (test/fixtures/real-kube): the Gateway API tree, watches, context switching,
// RBAC denial for a user with a narrow Role, CRD validation messages, Service status through the
// status subresource, and Gateway mode writing a Gateway and TCPRoute that the real schema and CEL
// rules accept. No controllers run in this control plane: the tests create EndpointSlices and write
// Gateway statuses themselves, as a controller would. What a real server cannot easily be made to do
// (dropped watches, 410 Gone, slow answers) stays with the test API server in ../kubernetes/.
import { after, before, describe, test as nodeTest } from 'node:test';
import * as assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { KubeApiError } from '../../../src/kubernetes/core/errors';
import { KubernetesService, type GatewayTreeResult } from '../../../src/kubernetes/core/service';
import {
  createViaGateway,
  deleteGatewayModeObjects,
  gatewayModeObjects,
  loadService,
  planFor,
  recordDirect,
  resyncOptions,
  unrecord,
} from '../../../src/vip/core/workflow';
import {
  GATEWAY_GROUP,
  SKIP_ENV,
  missingBinariesMessage,
  skipRealKube,
  startControlPlane,
  waitForTestbin,
  type ControlPlane,
  type KubeResponse,
} from '../../fixtures/real-kube/controlPlane';
import { waitFor } from '../../support/wait';
import { FAST } from '../../support/kube';

const GW = `${GATEWAY_GROUP}/v1`;
const NS = 'default';
const CLASS = 'haproxy-lb';
const CONTROLLER = 'haproxy-gateway.io/test-controller';

function ok(result: GatewayTreeResult): Extract<GatewayTreeResult, { state: 'ok' }> {
  assert.equal(result.state, 'ok', JSON.stringify(result));
  return result as Extract<GatewayTreeResult, { state: 'ok' }>;
}

function expectStatus(res: KubeResponse, status: number, what: string): KubeResponse {
  assert.equal(res.status, status, `${what}: ${res.text}`);
  return res;
}

function conditions(generation: number, types: string[]): object[] {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  return types.map((type) => ({
    type,
    status: 'True',
    reason: type,
    message: `${type} by the test, acting as the controller`,
    observedGeneration: generation,
    lastTransitionTime: now,
  }));
}

describe(
  'the extension against a real kube-apiserver',
  { skip: skipRealKube() ? `${SKIP_ENV}=1` : false, timeout: 300_000 },
  () => {
    let cp: ControlPlane;
    let startError: Error | undefined;
    const services: KubernetesService[] = [];

    const request = async (method: string, path: string, body: unknown, status: number): Promise<KubeResponse> =>
      expectStatus(await cp.request({ method, path, body }), status, `${method} ${path}`);

    /** The test plays the Gateway controller: Accepted and Programmed, with the spec's addresses. */
    const programGateway = async (name: string): Promise<void> => {
      const gw = (await request('GET', `/apis/${GW}/namespaces/${NS}/gateways/${name}`, undefined, 200)).body;
      await request(
        'PATCH',
        `/apis/${GW}/namespaces/${NS}/gateways/${name}/status`,
        {
          status: {
            addresses: (gw.spec.addresses ?? []).map((a: { value: string }) => ({ type: 'IPAddress', value: a.value })),
            conditions: conditions(gw.metadata.generation, ['Accepted', 'Programmed']),
          },
        },
        200,
      );
    };

    const service = (initialContext?: string): KubernetesService => {
      const svc = new KubernetesService({ kubeconfigSetting: () => cp.kubeconfigPath, initialContext, ...FAST });
      services.push(svc);
      return svc;
    };

    before(async () => {
      try {
        if (!(await waitForTestbin(undefined, (m) => console.log(`# ${m}`)))) throw new Error(missingBinariesMessage());
        cp = await startControlPlane();
        // What a cluster with the HAProxy controller installed holds. No controller runs, so the test
        // writes the statuses and the EndpointSlice that the controllers would write.
        await request(
          'POST',
          `/apis/${GW}/gatewayclasses`,
          { apiVersion: GW, kind: 'GatewayClass', metadata: { name: CLASS }, spec: { controllerName: CONTROLLER } },
          201,
        );
        await request(
          'PATCH',
          `/apis/${GW}/gatewayclasses/${CLASS}/status`,
          { status: { conditions: conditions(1, ['Accepted']) } },
          200,
        );
        await request(
          'POST',
          `/api/v1/namespaces/${NS}/services`,
          {
            apiVersion: 'v1',
            kind: 'Service',
            metadata: { name: 'httpd', labels: { app: 'httpd' } },
            spec: {
              type: 'LoadBalancer',
              selector: { app: 'httpd' },
              ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP', appProtocol: 'http' }],
            },
          },
          201,
        );
        await request(
          'POST',
          `/apis/discovery.k8s.io/v1/namespaces/${NS}/endpointslices`,
          {
            apiVersion: 'discovery.k8s.io/v1',
            kind: 'EndpointSlice',
            metadata: {
              name: 'httpd-abcde',
              labels: {
                'kubernetes.io/service-name': 'httpd',
                'endpointslice.kubernetes.io/managed-by': 'test.haproxy-gateway.io',
              },
            },
            addressType: 'IPv4',
            ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
            endpoints: [
              { addresses: ['10.244.1.5'], conditions: { ready: true } },
              { addresses: ['10.244.2.7'], conditions: { ready: false } },
            ],
          },
          201,
        );
        await request(
          'POST',
          `/api/v1/namespaces/${NS}/services`,
          {
            apiVersion: 'v1',
            kind: 'Service',
            metadata: { name: 'internal' },
            spec: { type: 'ClusterIP', ports: [{ name: 'http', port: 80 }] },
          },
          201,
        );
        // A second user who may only read Gateway API objects, Services and EndpointSlices in "default".
        await request(
          'POST',
          `/apis/rbac.authorization.k8s.io/v1/namespaces/${NS}/roles`,
          {
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: 'Role',
            metadata: { name: 'gateway-reader' },
            rules: [
              {
                apiGroups: [GATEWAY_GROUP],
                resources: ['gateways', 'httproutes', 'grpcroutes', 'tcproutes', 'tlsroutes', 'udproutes'],
                verbs: ['get', 'list', 'watch'],
              },
              { apiGroups: [''], resources: ['services', 'endpoints'], verbs: ['get', 'list', 'watch'] },
              { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
            ],
          },
          201,
        );
        await request(
          'POST',
          `/apis/rbac.authorization.k8s.io/v1/namespaces/${NS}/rolebindings`,
          {
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: 'RoleBinding',
            metadata: { name: 'narrow-gateway-reader' },
            roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'gateway-reader' },
            subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'narrow' }],
          },
          201,
        );
      } catch (err) {
        startError = err instanceof Error ? err : new Error(String(err));
      }
    });

    after(async () => {
      for (const svc of services) svc.dispose();
      await cp?.stop();
    });

    /** A test that needs the running, seeded control plane. */
    const test = (name: string, fn: () => Promise<void>): void => {
      nodeTest(name, async () => {
        if (startError) throw startError;
        await fn();
      });
    };

    test(
      'the Gateway API tree: a Gateway programmed by its controller, its listeners, ' +
        'routes and backends with EndpointSlice endpoints',
      async () => {
        await request(
          'POST',
          `/apis/${GW}/namespaces/${NS}/gateways`,
          {
            apiVersion: GW,
            kind: 'Gateway',
            metadata: { name: 'edge' },
            spec: {
              gatewayClassName: CLASS,
              addresses: [{ type: 'IPAddress', value: '192.0.2.10' }],
              listeners: [
                { name: 'web', protocol: 'HTTP', port: 80 },
                { name: 'db', protocol: 'TCP', port: 5432 },
              ],
            },
          },
          201,
        );
        await request(
          'POST',
          `/apis/${GW}/namespaces/${NS}/httproutes`,
          {
            apiVersion: GW,
            kind: 'HTTPRoute',
            metadata: { name: 'web' },
            spec: {
              parentRefs: [{ name: 'edge', sectionName: 'web' }],
              hostnames: ['www.example.com'],
              rules: [{ backendRefs: [{ name: 'httpd', port: 80 }] }],
            },
          },
          201,
        );
        await request(
          'POST',
          `/apis/${GW}/namespaces/${NS}/tcproutes`,
          {
            apiVersion: GW,
            kind: 'TCPRoute',
            metadata: { name: 'db' },
            spec: {
              parentRefs: [{ name: 'edge', sectionName: 'db' }],
              rules: [{ backendRefs: [{ name: 'missing', port: 5432 }] }],
            },
          },
          201,
        );

        const svc = service();
        const before = ok(await svc.gatewayTree('backends')).model.gateways.find((g) => g.name === 'edge');
        assert.equal(
          before?.programmed?.status,
          'Unknown',
          'the CRD default: Programmed Unknown until a controller answers',
        );
        assert.equal(before?.programmed?.reason, 'Pending');

        await programGateway('edge');
        const gw = await waitFor('edge programmed, seen through the watch', async () => {
          const g = ok(await svc.gatewayTree('backends')).model.gateways.find((x) => x.name === 'edge');
          return g?.programmed?.status === 'True' ? g : undefined;
        });
        assert.deepEqual(gw.addresses, ['192.0.2.10']);
        assert.equal(gw.addressesFromStatus, true);
        assert.deepEqual(
          gw.listeners.map((l) => [l.name, l.protocol, l.port, l.attachedRoutes]),
          [
            ['web', 'HTTP', 80, 1],
            ['db', 'TCP', 5432, 1],
          ],
        );
        const web = gw.routes.find((r) => r.kind === 'HTTPRoute')!;
        assert.equal(web.backends[0]!.service?.endpointSource, 'EndpointSlice');
        assert.deepEqual(
          web.backends[0]!.service?.endpoints.map((e) => [e.address, e.ports, e.ready]),
          [
            ['10.244.1.5', [8080], true],
            ['10.244.2.7', [8080], false],
          ],
        );
        assert.equal(
          gw.routes.find((r) => r.kind === 'TCPRoute')!.backends[0]!.service,
          undefined,
          'a missing backend stays unresolved',
        );
        const tree = ok(await svc.gatewayTree());
        assert.deepEqual(
          tree.model.classes.map((c) => [c.name, c.controllerName]),
          [[CLASS, CONTROLLER]],
        );
        assert.deepEqual(tree.errors, []);
      },
    );

    test('watches: a Service and a route created by someone else arrive without a new list', async () => {
      const svc = service();
      await svc.gatewayTree('backends');
      const lists = (await svc.stats()).lists;
      let changes = 0;
      const sub = svc.onDidChange(() => changes++);
      try {
        await request(
          'POST',
          `/api/v1/namespaces/${NS}/services`,
          { apiVersion: 'v1', kind: 'Service', metadata: { name: 'arrives' }, spec: { ports: [{ port: 8080 }] } },
          201,
        );
        await request(
          'POST',
          `/apis/${GW}/namespaces/${NS}/httproutes`,
          {
            apiVersion: GW,
            kind: 'HTTPRoute',
            metadata: { name: 'arrives' },
            spec: {
              parentRefs: [{ name: 'edge', sectionName: 'web' }],
              rules: [{ backendRefs: [{ name: 'arrives', port: 8080 }] }],
            },
          },
          201,
        );
        await waitFor('a change notification', () => changes > 0);
        await waitFor('the new route attached to edge', async () => {
          const gw = ok(await svc.gatewayTree('backends')).model.gateways.find((g) => g.name === 'edge');
          return gw?.routes.some((r) => r.name === 'arrives' && r.backends[0]?.service?.name === 'arrives');
        });
        assert.ok((await svc.serviceTree(false)).index.byKey.has('default/arrives'));
        assert.equal((await svc.stats()).lists, lists, 'the watches delivered them: no list was needed');
      } finally {
        sub.dispose();
      }
    });

    test(
      'switching context to a user with a narrow Role: the real 403 message, ' +
        'named by context, and what that user may read',
      async () => {
        const svc = service();
        assert.deepEqual(
          svc.contexts().map((c) => c.name),
          ['admin', 'narrow'],
        );
        assert.equal(ok(await svc.gatewayTree()).errors.length, 0);
        svc.selectContext('narrow');
        assert.equal(svc.currentContext(), 'narrow');
        const tree = ok(await svc.gatewayTree('routes'));
        const denied = (kind: string) => tree.errors.find((e) => e.kind === kind)?.error;
        for (const kind of ['GatewayClass', 'Gateway']) {
          const err = denied(kind);
          assert.ok(err instanceof KubeApiError, `${kind}: ${String(err)}`);
          assert.equal(err.code, 403);
        }
        assert.match(
          (denied('Gateway') as Error).message,
          /Cannot list gateways in all namespaces \(context "narrow"\): gateways\.gateway\.networking\.k8s\.io is forbidden: User "narrow" cannot list resource "gateways" in API group "gateway\.networking\.k8s\.io" at the cluster scope \(403 Forbidden\)/,
        );
        assert.match((denied('GatewayClass') as Error).message, /User "narrow" cannot list resource "gatewayclasses"/);

        svc.setNamespaceFilter([NS]);
        const filtered = ok(await svc.gatewayTree('routes'));
        assert.deepEqual(
          filtered.errors.filter((e) => e.kind !== 'GatewayClass').map((e) => [e.kind, String(e.error)]),
          [],
          'the Role allows everything namespaced in "default"',
        );
        assert.ok(
          filtered.model.gateways.some((g) => g.name === 'edge'),
          'Gateways of "default" are listed',
        );
        const actions = await svc.actions();
        await assert.rejects(
          actions.delete({ kind: 'Gateway', name: 'edge', namespace: NS }),
          (err) =>
            err instanceof KubeApiError &&
            err.code === 403 &&
            /User "narrow" cannot delete resource "gateways"/.test(err.message) &&
            /context "narrow"/.test(err.message),
        );

        svc.selectContext('admin');
        svc.setNamespaceFilter(undefined);
        assert.deepEqual(ok(await svc.gatewayTree()).errors, [], 'back to the admin context');
      },
    );

    test(
      'editing YAML: a patch applies, the schema and CEL rules reject ' +
        "bad edits with the server's message, a stale edit gets 409",
      async () => {
        await request(
          'POST',
          `/apis/${GW}/namespaces/${NS}/gateways`,
          {
            apiVersion: GW,
            kind: 'Gateway',
            metadata: { name: 'editme' },
            spec: {
              gatewayClassName: 'unreconciled',
              listeners: [
                { name: 'web', protocol: 'HTTP', port: 80 },
                { name: 'db', protocol: 'TCP', port: 5432 },
              ],
            },
          },
          201,
        );
        const svc = service();
        const actions = await svc.actions();
        const ref = { kind: 'Gateway', name: 'editme', namespace: NS };
        const { yaml, object } = await actions.getYaml(ref);
        assert.match(yaml, /^apiVersion: gateway\.networking\.k8s\.io\/v1\nkind: Gateway\n/);
        assert.doesNotMatch(yaml, /managedFields/);
        assert.match(
          yaml,
          /allowedRoutes:\n\s+namespaces:\n\s+from: Same/,
          'the CRD schema default, applied by the server',
        );

        const applied = await actions.applyYaml(object, yaml.replace('port: 5432', 'port: 5433'));
        assert.equal(applied.unchanged, false);
        assert.equal((applied.object.spec as { listeners: { port: number }[] }).listeners[1]!.port, 5433);
        assert.equal(applied.object.metadata.generation, 2);

        await assert.rejects(
          actions.applyYaml(applied.object, stringify(applied.object).replace('port: 5433', 'port: 70000')),
          (err) => {
            assert.ok(err instanceof KubeApiError, String(err));
            assert.equal(err.code, 422);
            assert.match(
              err.message,
              /Cannot patch gateways "editme" in namespace "default" \(context "admin"\): Gateway\.gateway\.networking\.k8s\.io "editme" is invalid: spec\.listeners\[1\]\.port: Invalid value: 70000: spec\.listeners\[1\]\.port in body should be less than or equal to 65535 \(422 Invalid\)/,
            );
            return true;
          },
        );
        // A CEL rule of the v1.6.1 CRD, evaluated by the real API server.
        await assert.rejects(
          actions.applyYaml(applied.object, stringify(applied.object).replace('name: db', 'name: web')),
          (err) => {
            assert.ok(err instanceof KubeApiError, String(err));
            assert.equal(err.code, 422);
            assert.match(err.message, /Listener name must be unique within the Gateway/);
            return true;
          },
        );
        await assert.rejects(
          actions.applyYaml(object, yaml.replace('port: 80', 'port: 81')),
          (err) => err instanceof KubeApiError && err.code === 409 && /the object has been modified/.test(err.message),
        );
        const stored = (await request('GET', `/apis/${GW}/namespaces/${NS}/gateways/editme`, undefined, 200)).body;
        assert.deepEqual(
          stored.spec.listeners.map((l: { port: number }) => l.port),
          [80, 5433],
          'only the accepted edit was stored',
        );

        await actions.delete(ref);
        await assert.rejects(actions.get(ref), (err) => err instanceof KubeApiError && err.code === 404);
      },
    );

    test(
      'VIP: reads the real Service and its EndpointSlice, ' +
        'records the VIP through the status subresource, and removes it',
      async () => {
        const svc = service();
        const ctx = await loadService(svc, { namespace: NS, name: 'httpd' });
        const real = (await request('GET', `/api/v1/namespaces/${NS}/services/httpd`, undefined, 200)).body;
        assert.match(real.spec.clusterIP, /^10\.96\.\d+\.\d+$/, 'a ClusterIP allocated by the API server');
        assert.ok(real.spec.ports[0].nodePort >= 30000, 'and a node port, as for every LoadBalancer Service');
        const options = { vip: '192.0.2.20', balance: 'leastconn' as const, healthChecks: true };
        const plan = planFor(ctx, options);
        assert.deepEqual(
          plan.ports[0]!.servers.map((s) => [s.address, s.port]),
          [['10.244.1.5', 8080]],
        );
        assert.equal(plan.ports[0]!.notReady.length, 1);
        assert.equal(plan.ports[0]!.frontend.mode, 'http');

        assert.deepEqual(await recordDirect(svc, ctx, plan, ['lb1', 'lb2'], options), {
          annotations: 'written',
          status: 'written',
        });
        const stored = (await request('GET', `/api/v1/namespaces/${NS}/services/httpd`, undefined, 200)).body;
        // Kubernetes 1.34 defaults ipMode to VIP: a field the server adds to what we wrote.
        assert.deepEqual(stored.status.loadBalancer, { ingress: [{ ip: '192.0.2.20', ipMode: 'VIP' }] });
        assert.equal(stored.metadata.annotations['haproxy-gateway.io/vip'], '192.0.2.20');

        const again = await loadService(svc, { namespace: NS, name: 'httpd' });
        assert.deepEqual(resyncOptions(again).options, {
          vip: '192.0.2.20',
          ports: undefined,
          balance: 'leastconn',
          healthChecks: true,
        });
        assert.deepEqual(await unrecord(svc, again), { annotations: 'written', status: 'written' });
        const cleared = (await request('GET', `/api/v1/namespaces/${NS}/services/httpd`, undefined, 200)).body;
        assert.deepEqual(cleared.status.loadBalancer, {}, 'the API server drops the emptied ingress list');
        assert.deepEqual(
          Object.keys(cleared.metadata.annotations ?? {}).filter((k) => k.startsWith('haproxy-gateway.io/')),
          [],
        );

        const internal = await loadService(svc, { namespace: NS, name: 'internal' });
        const skipped = await recordDirect(svc, internal, planFor(internal, options), ['lb1'], options);
        assert.deepEqual([skipped.annotations, skipped.status], ['written', 'skipped']);
        assert.match(skipped.detail ?? '', /type ClusterIP/);
      },
    );

    test(
      'VIP in Gateway mode: the Gateway and TCPRoute pass the real schema and CEL rules; ' +
        "programmed by the test's controller; a second run updates",
      async () => {
        const svc = service();
        assert.equal(await svc.tcpRouteVersion(), 'v1');
        const ctx = await loadService(svc, { namespace: NS, name: 'httpd' });
        // The test answers as the controller would, once the Gateway exists.
        let stop = false;
        let controllerError: unknown;
        const controller = (async () => {
          while (!stop) {
            const res = await cp.request({ path: `/apis/${GW}/namespaces/${NS}/gateways/vip-httpd` });
            if (
              res.status === 200 &&
              res.body.status?.conditions?.find((c: { type: string }) => c.type === 'Programmed')
                ?.observedGeneration !== res.body.metadata.generation
            ) {
              await programGateway('vip-httpd');
            }
            await new Promise((r) => setTimeout(r, 50));
          }
        })().catch((err: unknown) => {
          controllerError = err;
        });
        try {
          const out = await createViaGateway(svc, ctx, {
            vip: '192.0.2.30',
            gatewayClassName: CLASS,
            intervalMs: 50,
            timeoutMs: 30_000,
          });
          assert.equal(out.routeVersion, 'v1');
          assert.deepEqual(out.readiness, { state: 'programmed', addresses: ['192.0.2.30'] });
          const route = (await request('GET', `/apis/${GW}/namespaces/${NS}/tcproutes/httpd-http`, undefined, 200))
            .body;
          assert.deepEqual(
            route.spec.parentRefs.map((p: { name: string }) => p.name),
            ['vip-httpd'],
          );
          assert.deepEqual(
            route.spec.rules[0].backendRefs.map((b: { name: string; port: number }) => [b.name, b.port]),
            [['httpd', 80]],
          );

          const second = await createViaGateway(svc, ctx, {
            vip: '192.0.2.31',
            gatewayClassName: CLASS,
            intervalMs: 50,
            timeoutMs: 30_000,
          });
          assert.deepEqual(second.readiness, { state: 'programmed', addresses: ['192.0.2.31'] });
          const gw = (await request('GET', `/apis/${GW}/namespaces/${NS}/gateways/vip-httpd`, undefined, 200)).body;
          assert.deepEqual(gw.spec.addresses, [{ type: 'IPAddress', value: '192.0.2.31' }]);
          assert.equal(gw.metadata.generation, 2);
          assert.equal(
            (await request('GET', `/api/v1/namespaces/${NS}/services/httpd`, undefined, 200)).body.metadata.annotations[
              'haproxy-gateway.io/gateway'
            ],
            'vip-httpd',
          );

          // Delete VIP in Gateway mode: found again by label selector, routes before the Gateway.
          const annotated = await loadService(svc, { namespace: NS, name: 'httpd' });
          const refs = await gatewayModeObjects(svc, annotated);
          assert.deepEqual(
            refs.map((r) => `${r.kind} ${r.name}`),
            ['TCPRoute httpd-http', 'Gateway vip-httpd'],
          );
          const { deleted, failed } = await deleteGatewayModeObjects(svc, annotated, refs);
          assert.deepEqual([deleted.length, failed], [2, []]);
          await request('GET', `/apis/${GW}/namespaces/${NS}/tcproutes/httpd-http`, undefined, 404);
          assert.equal(
            (await request('GET', `/api/v1/namespaces/${NS}/services/httpd`, undefined, 200)).body.metadata
              .annotations?.['haproxy-gateway.io/gateway'],
            undefined,
          );
        } finally {
          stop = true;
          await controller;
        }
        assert.equal(controllerError, undefined, `the test's controller failed: ${String(controllerError)}`);
      },
    );

    test(
      'VIP in Gateway mode: a Gateway nobody programs ' + "stays pending with the CRD's own default condition",
      async () => {
        const svc = service();
        const ctx = await loadService(svc, { namespace: NS, name: 'internal' });
        const out = await createViaGateway(svc, ctx, {
          vip: '192.0.2.40',
          gatewayClassName: 'nobody-programs-this',
          intervalMs: 50,
          timeoutMs: 500,
        });
        assert.deepEqual(out.readiness, { state: 'pending', reason: 'Pending', message: 'Waiting for controller' });
      },
    );
  },
);
