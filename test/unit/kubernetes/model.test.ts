import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildGatewayModel, indexServices } from '../../../src/kubernetes/core/model';
import { mergePatchBetween } from '../../../src/kubernetes/core/actions';
import type { KubeObject } from '../../../src/kubernetes/core/types';

const o = (
  kind: string,
  name: string,
  namespace: string | undefined,
  rest: Record<string, unknown>,
  generation?: number,
): KubeObject => ({ kind, metadata: { name, namespace, generation }, ...rest });

describe('tree model', () => {
  it('takes endpoints and readiness from EndpointSlices, or from Endpoints when a Service has no slice', () => {
    const services = [
      o('Service', 'web', 'a', {
        spec: {
          selector: { app: 'web' },
          type: 'LoadBalancer',
          ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }],
        },
        status: { loadBalancer: { ingress: [{ ip: '127.0.200.9' }] } },
      }),
      o('Service', 'legacy', 'a', { spec: { ports: [{ port: 80 }] } }),
    ];
    const slices = [
      o('EndpointSlice', 'web-x', 'a', {
        metadata: { name: 'web-x', namespace: 'a', labels: { 'kubernetes.io/service-name': 'web' } },
        ports: [{ port: 8080 }],
        endpoints: [
          { addresses: ['10.0.0.2'], conditions: { ready: false, terminating: true } },
          { addresses: ['10.0.0.1'], conditions: {} },
        ],
      }),
    ];
    const endpoints = [
      o('Endpoints', 'legacy', 'a', {
        subsets: [
          { addresses: [{ ip: '127.0.0.3' }], notReadyAddresses: [{ ip: '127.0.0.4' }], ports: [{ port: 8080 }] },
        ],
      }),
    ];
    const index = indexServices(services, slices, endpoints);
    const web = index.byKey.get('a/web')!;
    assert.equal(web.endpointSource, 'EndpointSlice');
    assert.deepEqual(
      web.endpoints.map((e) => [e.address, e.ready, e.terminating]),
      [
        ['10.0.0.1', true, undefined],
        ['10.0.0.2', false, true],
      ],
    );
    assert.equal(web.readyCount, 1);
    assert.deepEqual(web.loadBalancerIngress, ['127.0.200.9']);
    assert.equal(web.selectorless, false);
    const legacy = index.byKey.get('a/legacy')!;
    assert.equal(legacy.selectorless, true);
    assert.equal(legacy.endpointSource, 'Endpoints');
    assert.deepEqual(
      legacy.endpoints.map((e) => [e.address, e.ready]),
      [
        ['127.0.0.3', true],
        ['127.0.0.4', false],
      ],
    );
  });

  it(
    'attaches routes to listeners by sectionName, port, protocol, kinds and namespaces; ' +
      'keeps Gateways of a missing class',
    () => {
      const gw = o(
        'Gateway',
        'gw',
        'a',
        {
          spec: {
            gatewayClassName: 'lb',
            listeners: [
              { name: 'http', protocol: 'HTTP', port: 80 },
              { name: 'tcp', protocol: 'TCP', port: 9000, allowedRoutes: { namespaces: { from: 'All' } } },
              { name: 'only-grpc', protocol: 'HTTP', port: 8080, allowedRoutes: { kinds: [{ kind: 'GRPCRoute' }] } },
            ],
          },
          status: {
            conditions: [{ type: 'Accepted', status: 'True', reason: 'Accepted', message: '', observedGeneration: 1 }],
          },
        },
        2,
      );
      const routes = {
        HTTPRoute: [
          o('HTTPRoute', 'any-http', 'a', { spec: { parentRefs: [{ name: 'gw' }] } }),
          o('HTTPRoute', 'by-section', 'a', { spec: { parentRefs: [{ name: 'gw', sectionName: 'http' }] } }),
          o('HTTPRoute', 'other-ns', 'b', { spec: { parentRefs: [{ name: 'gw', namespace: 'a' }] } }),
        ],
        GRPCRoute: [o('GRPCRoute', 'grpc', 'a', { spec: { parentRefs: [{ name: 'gw', port: 8080 }] } })],
        TCPRoute: [o('TCPRoute', 'tcp-b', 'b', { spec: { parentRefs: [{ name: 'gw', namespace: 'a' }] } })],
      };
      const orphan = o('Gateway', 'lost', 'c', { spec: { gatewayClassName: 'gone', listeners: [] } });
      const model = buildGatewayModel({
        gatewayClasses: [o('GatewayClass', 'lb', undefined, { spec: { controllerName: 'x/y' } })],
        gateways: [gw, orphan],
        routes,
        services: [],
        endpointSlices: [],
        endpoints: [],
      });
      const view = model.gateways.find((g) => g.name === 'gw')!;
      assert.deepEqual(
        view.listeners.map((l) => [l.name, l.attachedRoutes]),
        [
          ['http', 2],
          ['tcp', 1],
          ['only-grpc', 1],
        ],
      );
      assert.equal(view.accepted?.stale, true, 'observedGeneration 1 < generation 2');
      assert.ok(
        view.routes.some((r) => r.name === 'other-ns'),
        'a route that matches no listener still shows under its Gateway',
      );
      assert.deepEqual(
        model.classes.map((c) => [c.name, c.exists, c.gatewayCount]),
        [
          ['lb', true, 1],
          ['gone', false, 1],
        ],
      );
    },
  );

  it('computes a minimal merge patch', () => {
    assert.deepEqual(mergePatchBetween({ a: 1, b: { c: 2, d: 3 }, e: [1] }, { a: 1, b: { c: 5 }, e: [1, 2], f: 'x' }), {
      b: { d: null, c: 5 },
      e: [1, 2],
      f: 'x',
    });
  });
});
