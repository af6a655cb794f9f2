#!/usr/bin/env node
// Kubernetes browser benchmark against the real kube-apiserver v1.34.4 and etcd of
// test/fixtures/real-kube (built by scripts/install-k8s-testbin.sh): the control plane's start-up
// with the Gateway API CRDs, the first two tree levels of a cluster of 100 namespaces, 2,000
// Services and 200 Gateways from a cold start, and the time from a watch event to the model
// refreshed. Also reports the cold build time of the binaries when builds.tsv recorded one.
// Returns figures, asserts nothing. Needs the compiled sources: npx tsc -p tsconfig.test.json
'use strict';

const { requireCompiled, runAlone, serviceWatchLatencyMs } = require('./_support');
const path = require('node:path');
const fs = require('node:fs');

const NAMESPACES = 100;
const SERVICES = 2000;
const GATEWAYS = 200;
const WATCH_SAMPLES = 7;
const PARALLEL = 16;

/** Sum of the newest cold build of each binary in a builds.tsv (date name seconds peak-MiB cold|warm). */
function coldBuildSeconds(buildsFile) {
  if (!fs.existsSync(buildsFile)) return undefined;
  const newest = new Map();
  for (const line of fs.readFileSync(buildsFile, 'utf8').split('\n')) {
    const [, name, seconds, , temperature] = line.split('\t');
    if (temperature === 'cold' && Number.isFinite(Number(seconds))) newest.set(name, Number(seconds));
  }
  return newest.has('etcd') && newest.has('kube-apiserver')
    ? newest.get('etcd') + newest.get('kube-apiserver')
    : undefined;
}

async function createAll(cp, items) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const [apiPath, body] = items[next++];
      const res = await cp.request({ method: 'POST', path: apiPath, body });
      if (res.status !== 201) throw new Error(`POST ${apiPath} answered ${res.status}: ${res.text.slice(0, 300)}`);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
}

async function run() {
  const cpModule = requireCompiled('test/fixtures/real-kube/controlPlane.js');
  const { KubernetesService } = requireCompiled('src/kubernetes/core/service.js');
  if (!cpModule.realKubeAvailable()) throw new Error(cpModule.missingBinariesMessage());
  const figures = {};
  const cold = coldBuildSeconds(path.join(cpModule.testbinCacheDir, 'builds.tsv'));
  if (cold !== undefined) figures['kube.testbinBuildS'] = cold;

  const cp = await cpModule.startControlPlane();
  let svc;
  try {
    figures['kube.real.startupMs'] = Math.round(cp.startupMs);
    const GW = 'gateway.networking.k8s.io/v1';
    const classes = ['haproxy-lb', 'internal', 'edge'];
    await createAll(cp, [
      ...Array.from({ length: NAMESPACES }, (_, n) => [
        '/api/v1/namespaces',
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `team-${n}` } },
      ]),
      ...classes.map((name) => [
        `/apis/${GW}/gatewayclasses`,
        { apiVersion: GW, kind: 'GatewayClass', metadata: { name }, spec: { controllerName: `bench.example/${name}` } },
      ]),
    ]);
    await createAll(cp, [
      ...Array.from({ length: SERVICES }, (_, i) => [
        `/api/v1/namespaces/team-${i % NAMESPACES}/services`,
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: `svc-${i}`, labels: { app: `app-${i}` } },
          spec: { selector: { app: `app-${i}` }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
        },
      ]),
      ...Array.from({ length: GATEWAYS }, (_, i) => [
        `/apis/${GW}/namespaces/team-${i % NAMESPACES}/gateways`,
        {
          apiVersion: GW,
          kind: 'Gateway',
          metadata: { name: `gw-${i}` },
          spec: {
            gatewayClassName: classes[i % classes.length],
            listeners: [
              { name: 'http', protocol: 'HTTP', port: 80 },
              { name: 'tcp', protocol: 'TCP', port: 9000 + (i % 100) },
            ],
          },
        },
      ]),
    ]);

    // Cold start of the extension's browser: discovery, then the lists of the first two levels.
    svc = new KubernetesService({ kubeconfigSetting: () => cp.kubeconfigPath });
    const t0 = performance.now();
    const [gateways, services] = await Promise.all([svc.gatewayTree('classes'), svc.serviceTree(false)]);
    figures['kube.real.treeRenderMs'] = Math.round(performance.now() - t0);
    // The API server adds the "kubernetes" Service of the default namespace.
    if (
      gateways.state !== 'ok' ||
      gateways.model.gateways.length !== GATEWAYS ||
      services.index.byKey.size < SERVICES
    ) {
      throw new Error(
        `unexpected tree: ${gateways.model?.gateways.length} Gateways, ${services.index.byKey.size} Services`,
      );
    }
    figures['kube.real.requests'] = (await svc.stats()).requests;

    figures['kube.real.watchLatencyMs'] = await serviceWatchLatencyMs(
      svc,
      'team-0',
      (name) =>
        createAll(cp, [
          [
            '/api/v1/namespaces/team-0/services',
            { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { ports: [{ port: 80 }] } },
          ],
        ]),
      WATCH_SAMPLES,
    );
    return figures;
  } finally {
    svc?.dispose();
    await cp.stop();
  }
}

module.exports = { run, coldBuildSeconds };

runAlone(module, run);
