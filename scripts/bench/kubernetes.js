#!/usr/bin/env node
// Kubernetes browser benchmark against the test API server (HTTPS on loopback, real client-node):
// a cluster of 200 namespaces, 5,000 Services and 500 Gateways. Measures the time to compute the
// first two tree levels (GatewayClasses → namespaces of Gateways, Services → namespaces) from a cold
// start, the HTTP requests that took (lists by page, never per item), and the time from a watch
// event to the model refreshed (production debounce included). Returns figures, asserts nothing.
// Needs the compiled sources: npx tsc -p tsconfig.test.json
// Targets: treeRenderMs < 1000, watchLatencyMs < 500.
'use strict';

const { requireCompiled, runAlone, serviceWatchLatencyMs } = require('./_support');
const path = require('node:path');
const fs = require('node:fs');
const os = require('node:os');

const NAMESPACES = 200;
const SERVICES = 5000;
const GATEWAYS = 500;
const WATCH_SAMPLES = 7;

function seed(server) {
  for (let n = 0; n < NAMESPACES; n++)
    server.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `team-${n}` } });
  for (const name of ['haproxy-lb', 'internal', 'edge']) {
    server.create({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'GatewayClass',
      metadata: { name },
      spec: { controllerName: `bench.example/${name}` },
    });
  }
  for (let i = 0; i < SERVICES; i++) {
    server.create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: `svc-${i}`, namespace: `team-${i % NAMESPACES}`, labels: { app: `app-${i}` } },
      spec: { selector: { app: `app-${i}` }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
    });
  }
  const classes = ['haproxy-lb', 'internal', 'edge'];
  for (let i = 0; i < GATEWAYS; i++) {
    server.create({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: `gw-${i}`, namespace: `team-${i % NAMESPACES}` },
      spec: {
        gatewayClassName: classes[i % classes.length],
        listeners: [
          { name: 'http', protocol: 'HTTP', port: 80 },
          { name: 'tcp', protocol: 'TCP', port: 9000 + (i % 100) },
        ],
      },
    });
  }
}

async function run() {
  const { startKubeApiServer } = requireCompiled('test/fixtures/kube-api-server/index.js');
  const { KubernetesService } = requireCompiled('src/kubernetes/core/service.js');
  const server = await startKubeApiServer();
  const service = { current: undefined };
  try {
    seed(server);
    const kubeconfig = server.writeKubeconfig(
      path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kube-bench-')), 'config'),
    );
    server.resetRequests();

    // Cold start: discovery, then every list the first two levels need, as the tree asks for them.
    const svc = new KubernetesService({ kubeconfigSetting: () => kubeconfig });
    service.current = svc;
    const t0 = performance.now();
    const [gateways, services] = await Promise.all([svc.gatewayTree('classes'), svc.serviceTree(false)]);
    const level2 =
      gateways.model.classes.reduce((n, c) => n + c.namespaces.length, 0) + services.index.byNamespace.length;
    const treeRenderMs = performance.now() - t0;
    if (
      gateways.state !== 'ok' ||
      gateways.model.gateways.length !== GATEWAYS ||
      services.index.byKey.size !== SERVICES ||
      level2 === 0
    ) {
      throw new Error(
        `unexpected tree: ${gateways.model?.gateways.length} Gateways, ${services.index.byKey.size} Services`,
      );
    }
    const requests = server.requests.length;

    // Watch latency: from a Service created on the server to the model that shows it.
    const watchLatencyMs = await serviceWatchLatencyMs(
      svc,
      'team-0',
      (name) => {
        server.create({
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name, namespace: 'team-0' },
          spec: { ports: [{ port: 80 }] },
        });
      },
      WATCH_SAMPLES,
    );
    return {
      'kube.treeRenderMs': Math.round(treeRenderMs),
      'kube.requests': requests,
      'kube.watchLatencyMs': watchLatencyMs,
    };
  } finally {
    service.current?.dispose();
    await server.stop();
  }
}

module.exports = { run };

runAlone(module, run);
