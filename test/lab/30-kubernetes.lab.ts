// A Kubernetes API with the objects of the 2020 Load Balancer API walkthrough. By default the test
// API server, because the walkthrough's endpoint (127.0.0.3:8080) is a loopback address, which a
// real API server refuses in Endpoints and EndpointSlices. LAB_KUBE=real starts the real
// kube-apiserver (when scripts/install-k8s-testbin.sh has built it) with the same objects but
// without endpoints.
import * as path from 'node:path';
import { DEMO_CONTROLLER_NAME, seedDemo, startKubeApiServer, writeKubeconfig } from '../fixtures/kube-api-server';
import { realKubeAvailable, startControlPlane, type ControlPlane } from '../fixtures/real-kube/controlPlane';
import type { LabContext, LabService } from './types';

/** The walkthrough's objects as API requests, for the real API server (no controllers run there). */
async function seedReal(cp: ControlPlane): Promise<void> {
  const create = async (apiPath: string, body: object) => {
    const res = await cp.request({ method: 'POST', path: apiPath, body });
    if (res.status >= 300) throw new Error(`lab: creating ${apiPath} failed: ${res.status} ${res.text}`);
  };
  await create('/api/v1/namespaces/default/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'haproxy-lb-config' }, type: 'Opaque', stringData: { note: 'parameters of the haproxy-lb GatewayClass' } });
  await create('/apis/gateway.networking.k8s.io/v1/gatewayclasses', {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'GatewayClass',
    metadata: { name: 'haproxy-lb' },
    spec: { controllerName: DEMO_CONTROLLER_NAME, parametersRef: { group: '', kind: 'Secret', name: 'haproxy-lb-config', namespace: 'default' } },
  });
  await create('/api/v1/namespaces/default/services', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'httpd', labels: { app: 'httpd' } },
    spec: { type: 'LoadBalancer', ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] },
  });
  // No Endpoints or EndpointSlice: a real API server refuses loopback addresses in both
  // ("may not be in the loopback range"), and the lab's application listens on loopback only.
}

export async function start(ctx: LabContext): Promise<LabService> {
  if (process.env.LAB_KUBE === 'real') {
    if (!realKubeAvailable()) throw new Error('LAB_KUBE=real: the real kube-apiserver is not built; run bash scripts/install-k8s-testbin.sh');
    const cp = await startControlPlane();
    try {
      await seedReal(cp);
    } catch (err) {
      await cp.stop();
      throw err;
    }
    return {
      settings: { 'haproxyGateway.kubernetes.kubeconfig': cp.kubeconfigPath },
      describe: [`Kubernetes: a real kube-apiserver (no controllers) at ${cp.server}, kubeconfig ${cp.kubeconfigPath}; Service httpd has no endpoints (a real API server refuses loopback endpoints)`],
      stop: () => cp.stop(),
    };
  }
  const server = await startKubeApiServer({ controller: { controllerName: DEMO_CONTROLLER_NAME, delayMs: 200 } });
  seedDemo(server);
  const kubeconfig = writeKubeconfig(path.join(ctx.labDir, 'kubeconfig'), [{ name: 'lab', server: server.url, caFile: server.caFile, user: 'lab-admin', token: 'admin-token' }], 'lab');
  return {
    settings: { 'haproxyGateway.kubernetes.kubeconfig': kubeconfig },
    describe: [`Kubernetes: the test API server at ${server.url}, kubeconfig ${kubeconfig} (LAB_KUBE=real for the real kube-apiserver)`],
    stop: () => server.stop(),
  };
}
