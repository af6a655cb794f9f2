#!/usr/bin/env node
// Traffic map benchmark: a Service with 100 ready endpoints behind 2 Data Plane API servers, each
// serving a haproxy.cfg whose frontend binds the Service's VIP and whose backend has one server per
// endpoint, and stats for every frontend, backend and server (the real field names).
// - map.firstPaintMs: the map's work from command to a drawn graph, WITHOUT the editor: the first
//   refresh (stats + haproxy.cfg of both servers from an in-process source, parsed and joined), the
//   model the panel posts (JSON round trip, as postMessage copies it), the webview's checks of it,
//   and the webview's scene (the dagre layout, texts, classes, ARIA labels, keyboard neighbours).
//   Not covered: creating the webview panel, loading dist/webview/map.js and the browser's own DOM
//   and SVG painting (the workbench test drives those; its rendered report is not timed here).
//   Median of 7 cold runs (a new refresher each: no cached configuration). Target < 500 ms.
// - map.requestsPerRefresh: requests per Data Plane API server of a steady refresh (the stats
//   answer carries an unchanged Configuration-Version, so haproxy.cfg is not read again). Target <= 1.
// - map.webviewBytes: dist/webview/map.js + map.css as built by esbuild.js (minified). Target < 300 KB.
// Figures are printed, never asserted. Needs the compiled sources: npx tsc -p tsconfig.test.json
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { requireCompiled, runAlone } = require('./_support');

const ENDPOINTS = 100;
const SERVERS = ['lb-a', 'lb-b'];
const VIP = '127.0.200.2';
const RUNS = 7;

function fixture() {
  const { indexServices } = requireCompiled('src/kubernetes/core/model.js');
  const addresses = Array.from({ length: ENDPOINTS }, (_, i) => `10.244.${Math.floor(i / 200)}.${(i % 200) + 10}`);
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default', annotations: { 'lbapi.run.tanzu.vmware.com/ip-address': VIP } },
    spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }] },
    status: { loadBalancer: { ingress: [{ ip: VIP }] } },
  };
  const slice = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'web-abcde', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
    addressType: 'IPv4',
    ports: [{ port: 8080, protocol: 'TCP' }],
    endpoints: addresses.map((a) => ({ addresses: [a], conditions: { ready: true } })),
  };
  const services = [...indexServices([service], [slice], []).byKey.values()];
  const config = [
    'global',
    '  daemon',
    'defaults',
    '  mode http',
    '  timeout connect 5s',
    '  timeout client 30s',
    '  timeout server 30s',
    'frontend vip_web_80',
    `  bind ${VIP}:80`,
    '  default_backend be_web',
    'backend be_web',
    '  balance roundrobin',
    ...addresses.map((a, i) => `  server ep${i} ${a}:8080 check`),
    '',
  ].join('\n');
  const row = (type, name, stats, extra = {}) => ({ type, name, ...extra, stats });
  const stats = {
    runtimeAPI: '/var/run/haproxy.sock',
    stats: [
      row('frontend', 'vip_web_80', { status: 'OPEN', scur: 12, rate: 40, req_rate: 40, ereq: 0 }),
      row('backend', 'be_web', { status: 'UP', scur: 12, rate: 40, econ: 0, eresp: 0 }),
      ...addresses.map((a, i) =>
        row(
          'server',
          `ep${i}`,
          { status: 'UP', scur: i % 3, rate: 1, check_status: 'L7OK', check_code: 200, addr: `${a}:8080`, weight: 1 },
          { backend_name: 'be_web' },
        ),
      ),
    ],
  };
  return { services, config, stats };
}

function source(f, counter) {
  return {
    stats: async () => {
      counter.requests++;
      return { body: JSON.parse(JSON.stringify(f.stats)), configVersion: 7 };
    },
    config: async () => {
      counter.requests++;
      return { text: f.config, version: 7 };
    },
  };
}

async function run() {
  const root = path.resolve(__dirname, '..', '..');
  const { TrafficRefresher, nodeId } = requireCompiled('src/traffic/core/api.js');
  const { mapModel } = requireCompiled('src/traffic/ui/mapModel.js');
  const { parseHostMessage } = requireCompiled('src/traffic/ui/mapProtocol.js');
  const { buildScene } = requireCompiled('src/traffic/ui/webview/scene.js');
  const f = fixture();
  const focus = nodeId.service('default', 'web');
  const times = [];
  let scene;
  for (let i = 0; i < RUNS; i++) {
    const counter = { requests: 0 };
    const refresher = new TrafficRefresher(source(f, counter));
    const start = performance.now();
    const result = await refresher.refresh({ services: f.services, connectionIds: SERVERS, focus });
    const model = mapModel(result, { title: 'Service default/web', focus }, Date.now(), 1);
    const received = parseHostMessage(JSON.parse(JSON.stringify({ type: 'model', model })));
    if (!received) throw new Error('the webview would refuse the model');
    scene = buildScene(received.model).scene;
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  // Steady state: the same refresher again, the configuration version unchanged.
  const counter = { requests: 0 };
  const refresher = new TrafficRefresher(source(f, counter));
  await refresher.refresh({ services: f.services, connectionIds: SERVERS, focus });
  counter.requests = 0;
  const steady = await refresher.refresh({ services: f.services, connectionIds: SERVERS, focus });
  if (steady.requests !== counter.requests) throw new Error('the refresher miscounted its requests');

  const js = path.join(root, 'dist', 'webview', 'map.js');
  const css = path.join(root, 'dist', 'webview', 'map.css');
  const built = spawnSync('node', ['esbuild.js'], { cwd: root, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`esbuild.js failed: ${built.stderr}`);
  return {
    'map.firstPaintMs': Math.round(times[Math.floor(times.length / 2)]),
    'map.nodes': scene.nodes.length,
    'map.requestsPerRefresh': counter.requests / SERVERS.length,
    'map.webviewBytes': fs.statSync(js).size + fs.statSync(css).size,
  };
}

module.exports = { run, fixture, source };
runAlone(module, run);
