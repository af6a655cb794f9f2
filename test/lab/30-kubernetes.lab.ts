// Kubernetes for the lab, with the objects of the 2020 Load Balancer API walkthrough, in one
// kubeconfig with two contexts:
//   lab       (current) the test API server. The walkthrough's endpoint, 127.0.0.3:8080, is a
//             loopback address, which a real API server refuses in Endpoints and EndpointSlices
//             ("may not be in the loopback range"), so traffic through a VIP needs this one.
//   lab-real  the real kube-apiserver v1.34.4 with etcd, when scripts/install-k8s-testbin.sh has
//             built them: real CRD validation, CEL rules, status subresource, RBAC and watches. Its
//             httpd Service has an EndpointSlice with pod-network addresses that nothing serves.
//             No controllers run there; the lab plays the Gateway controller for haproxy-lb.
// LAB_KUBE=test starts only the test API server; LAB_KUBE=real insists on the real one.
import * as path from 'node:path';
import {
  DEMO_CONTROLLER_NAME,
  seedDemo,
  startKubeApiServer,
  writeKubeconfig,
  type KubeconfigEntry,
} from '../fixtures/kube-api-server';
import {
  missingBinariesMessage,
  realKubeAvailable,
  startControlPlane,
  type ControlPlane,
} from '../fixtures/real-kube/controlPlane';
import type { LabContext, LabService } from './types';

const GW = 'gateway.networking.k8s.io/v1';
/** The 2020 walkthrough's Service asks for its VIP with this annotation; the lab's curl uses it. */
export const LAB_VIP = '127.0.200.2';
export const LAB_VIP_ANNOTATION = { 'lbapi.run.tanzu.vmware.com/ip-address': LAB_VIP };

function now(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}

/** The walkthrough's objects as API requests, with what its controllers would write. */
async function seedReal(cp: ControlPlane): Promise<void> {
  const send = async (method: string, apiPath: string, body: object) => {
    const res = await cp.request({ method, path: apiPath, body });
    if (res.status >= 300) throw new Error(`lab: ${method} ${apiPath} failed: ${res.status} ${res.text}`);
  };
  await send('POST', '/api/v1/namespaces/default/secrets', {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'haproxy-lb-config' },
    type: 'Opaque',
    stringData: { note: 'parameters of the haproxy-lb GatewayClass' },
  });
  await send('POST', `/apis/${GW}/gatewayclasses`, {
    apiVersion: GW,
    kind: 'GatewayClass',
    metadata: { name: 'haproxy-lb' },
    spec: {
      controllerName: DEMO_CONTROLLER_NAME,
      description: 'HAProxy load balancer configured through the Data Plane API',
      parametersRef: { group: '', kind: 'Secret', name: 'haproxy-lb-config', namespace: 'default' },
    },
  });
  await send('PATCH', `/apis/${GW}/gatewayclasses/haproxy-lb/status`, {
    status: {
      conditions: [
        {
          type: 'Accepted',
          status: 'True',
          reason: 'Accepted',
          message: 'accepted by the lab',
          observedGeneration: 1,
          lastTransitionTime: now(),
        },
      ],
    },
  });
  await send('POST', '/api/v1/namespaces/default/services', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'httpd', labels: { app: 'httpd' }, annotations: LAB_VIP_ANNOTATION },
    spec: {
      type: 'LoadBalancer',
      selector: { app: 'httpd' },
      ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
    },
  });
  await send('POST', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices', {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: 'httpd-lab',
      labels: {
        'kubernetes.io/service-name': 'httpd',
        'endpointslice.kubernetes.io/managed-by': 'lab.haproxy-gateway.io',
      },
    },
    addressType: 'IPv4',
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    endpoints: [
      { addresses: ['10.244.1.5'], conditions: { ready: true } },
      { addresses: ['10.244.2.7'], conditions: { ready: true } },
    ],
  });
}

/**
 * Plays the Gateway controller of the haproxy-lb class: every Gateway of that class is marked
 * Accepted and Programmed at its generation, with its requested addresses. Returns a stop function.
 */
function playGatewayController(cp: ControlPlane): () => Promise<void> {
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const list = await cp.request({ path: `/apis/${GW}/gateways` }).catch(() => undefined);
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the API server's objects, read loosely
      for (const gw of (list?.status === 200 ? list.body.items : []) as Array<Record<string, any>>) {
        if (gw.spec?.gatewayClassName !== 'haproxy-lb') continue;
        const programmed = (gw.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Programmed');
        if (programmed?.status === 'True' && programmed.observedGeneration === gw.metadata.generation) continue;
        const conditions = ['Accepted', 'Programmed'].map((type) => ({
          type,
          status: 'True',
          reason: type,
          message: `${type} by the lab's controller`,
          observedGeneration: gw.metadata.generation,
          lastTransitionTime: now(),
        }));
        await cp
          .request({
            method: 'PATCH',
            path: `/apis/${GW}/namespaces/${gw.metadata.namespace}/gateways/${gw.metadata.name}/status`,
            body: {
              status: {
                conditions,
                addresses: (gw.spec.addresses ?? []).map((a: { value: string }) => ({
                  type: 'IPAddress',
                  value: a.value,
                })),
              },
            },
          })
          .catch(() => undefined);
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  })();
  return async () => {
    stopped = true;
    await loop;
  };
}

export async function start(ctx: LabContext): Promise<LabService> {
  const mode = process.env.LAB_KUBE ?? 'auto';
  const wantReal = mode === 'real' || (mode !== 'test' && realKubeAvailable());
  if (mode === 'real' && !realKubeAvailable()) throw new Error(`LAB_KUBE=real: ${missingBinariesMessage()}`);

  const server = await startKubeApiServer({ controller: { controllerName: DEMO_CONTROLLER_NAME, delayMs: 200 } });
  seedDemo(server);
  server.patch('v1', 'Service', 'httpd', 'default', { metadata: { annotations: LAB_VIP_ANNOTATION } });
  const entries: KubeconfigEntry[] = [
    { name: 'lab', server: server.url, caFile: server.caFile, user: 'lab-admin', token: 'admin-token' },
  ];
  const describe = [
    `Kubernetes context "lab": the test API server at ${server.url}, ` +
      'Service httpd with the endpoint 127.0.0.3:8080 (VIPs with traffic)',
  ];
  const stops: Array<() => Promise<void>> = [() => server.stop()];

  let real: ControlPlane | undefined;
  if (wantReal) {
    try {
      real = await startControlPlane();
      await seedReal(real);
    } catch (err) {
      await real?.stop().catch(() => undefined);
      real = undefined;
      // The lab's main job (VIPs with traffic) needs only the test API server: go on without.
      if (mode === 'real') {
        await server.stop();
        throw err;
      }
      describe.push(
        'Kubernetes: the real kube-apiserver did not start, so the lab has only the test API server: ' +
          (err instanceof Error ? err.message.split('\n')[0] : String(err)),
      );
    }
  }
  if (real) {
    const cp = real;
    stops.unshift(playGatewayController(cp), () => cp.stop());
    entries.push({
      name: 'lab-real',
      server: cp.server,
      caFile: cp.caFile,
      user: 'lab-real-admin',
      token: cp.adminToken,
    });
    describe.push(
      `Kubernetes context "lab-real": a real kube-apiserver ${cp.server} ` +
        '(no controllers; the lab programs haproxy-lb Gateways); ' +
        'its endpoints are not reachable, since a real API server refuses loopback addresses',
    );
  } else if (!wantReal) {
    describe.push(
      mode === 'test'
        ? 'Kubernetes: LAB_KUBE=test, so no real kube-apiserver'
        : 'Kubernetes: the real kube-apiserver is not built (bash scripts/install-k8s-testbin.sh builds it), ' +
            'so the lab has only the test API server',
    );
  }
  const kubeconfig = writeKubeconfig(path.join(ctx.labDir, 'kubeconfig'), entries, 'lab');
  describe.push(`Kubernetes: kubeconfig ${kubeconfig}`);
  return {
    settings: { 'haproxyGateway.kubernetes.kubeconfig': kubeconfig },
    describe,
    stop: async () => {
      // Every one, even when an earlier one fails: nothing may keep running after the lab.
      const failures: unknown[] = [];
      for (const stop of stops) await stop().catch((err: unknown) => failures.push(err));
      if (failures.length) throw failures[0];
    },
  };
}
