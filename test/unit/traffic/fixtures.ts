// Realistic inputs for the traffic core tests: the Data Plane API recordings and the lab's objects.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildGatewayModel, indexServices } from '../../../src/kubernetes/core/model';
import type { KubeObject } from '../../../src/kubernetes/core/types';
import { referenceDir } from '../../support/paths';

export const recordingsDir = path.join(referenceDir, 'dataplaneapi', 'recordings');

interface Exchange {
  step: string;
  request: { method: string; path: string };
  response: { status: number; body: unknown };
}

export function exchanges(version: 'v2.9.27' | 'v3.4.2', scenario: string): Exchange[] {
  return (
    JSON.parse(fs.readFileSync(path.join(recordingsDir, version, `${scenario}.json`), 'utf8')) as {
      exchanges: Exchange[];
    }
  ).exchanges;
}

export function exchange(version: 'v2.9.27' | 'v3.4.2', scenario: string, step: string): Exchange {
  const e = exchanges(version, scenario).find((x) => x.step === step);
  if (!e) throw new Error(`no step "${step}" in ${version}/${scenario}`);
  return e;
}

export function service(
  name: string,
  o: {
    namespace?: string;
    annotations?: Record<string, string>;
    ports?: number[];
    ingress?: string[];
    type?: string;
    loadBalancerClass?: string;
    loadBalancerIP?: string;
  } = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: o.namespace ?? 'default', ...(o.annotations ? { annotations: o.annotations } : {}) },
    spec: {
      type: o.type ?? 'LoadBalancer',
      ports: (o.ports ?? [80]).map((p) => ({ name: `p${p}`, port: p, targetPort: 8080, protocol: 'TCP' })),
      ...(o.loadBalancerClass ? { loadBalancerClass: o.loadBalancerClass } : {}),
      ...(o.loadBalancerIP ? { loadBalancerIP: o.loadBalancerIP } : {}),
    },
    status: { loadBalancer: { ingress: (o.ingress ?? []).map((ip) => ({ ip })) } },
  };
}

export function slice(
  serviceName: string,
  addresses: { ip: string; ready?: boolean }[],
  port = 8080,
  namespace = 'default',
): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${serviceName}-abc`, namespace, labels: { 'kubernetes.io/service-name': serviceName } },
    addressType: 'IPv4',
    ports: [{ name: `p80`, port, protocol: 'TCP' }],
    endpoints: addresses.map((a) => ({ addresses: [a.ip], conditions: { ready: a.ready ?? true } })),
  };
}

export function views(services: KubeObject[], slices: KubeObject[]) {
  return [...indexServices(services, slices, []).byKey.values()];
}

export function gatewayModel(objects: { gateways: KubeObject[]; routes: KubeObject[]; services?: KubeObject[] }) {
  return buildGatewayModel({
    gatewayClasses: [],
    gateways: objects.gateways,
    routes: { HTTPRoute: objects.routes },
    services: objects.services ?? [],
    endpointSlices: [],
    endpoints: [],
  });
}

/** A VIP as the extension creates it (recording 10's shape) plus the lab's application servers. */
export const VIP_CFG = `global
  stats socket /run/haproxy.sock mode 600 level admin

defaults
  mode http
  timeout connect 2s
  timeout client 10s
  timeout server 10s

frontend vip_default_httpd_80
  bind 127.0.200.2:80 name vip
  default_backend vip_default_httpd_80

backend vip_default_httpd_80
  balance roundrobin
  server ep1 10.244.1.5:8080 check
  server ep2 10.244.2.7:8080 check
`;
