// The kinds the browser reads, and how their URLs are built once a version is known.

export const GATEWAY_GROUP = 'gateway.networking.k8s.io';

export const ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'] as const;
export type RouteKind = (typeof ROUTE_KINDS)[number];
export const GATEWAY_KINDS = ['GatewayClass', 'Gateway', ...ROUTE_KINDS, 'ReferenceGrant'] as const;
export type GatewayKind = (typeof GATEWAY_KINDS)[number];
export const CORE_KINDS = ['Namespace', 'Service', 'Endpoints', 'EndpointSlice', 'Secret', 'Event'] as const;
export type CoreKind = (typeof CORE_KINDS)[number];
export type KindName = GatewayKind | CoreKind;

/** A kind at the version this cluster serves. */
export interface ResolvedKind {
  kind: KindName;
  group: string;
  version: string;
  plural: string;
  namespaced: boolean;
}

export function apiVersionOf(k: ResolvedKind): string {
  return k.group ? `${k.group}/${k.version}` : k.version;
}

/** Built-in kinds are at fixed versions on every cluster this extension supports (Kubernetes ≥ 1.21). */
export const BUILTIN: Record<CoreKind, ResolvedKind> = {
  Namespace: { kind: 'Namespace', group: '', version: 'v1', plural: 'namespaces', namespaced: false },
  Service: { kind: 'Service', group: '', version: 'v1', plural: 'services', namespaced: true },
  Endpoints: { kind: 'Endpoints', group: '', version: 'v1', plural: 'endpoints', namespaced: true },
  EndpointSlice: {
    kind: 'EndpointSlice',
    group: 'discovery.k8s.io',
    version: 'v1',
    plural: 'endpointslices',
    namespaced: true,
  },
  Secret: { kind: 'Secret', group: '', version: 'v1', plural: 'secrets', namespaced: true },
  Event: { kind: 'Event', group: '', version: 'v1', plural: 'events', namespaced: true },
};

/** `/api/v1/namespaces/ns/services/name/status` and friends. */
export function resourcePath(k: ResolvedKind, namespace?: string, name?: string, subresource?: string): string {
  const base = k.group ? `/apis/${k.group}/${k.version}` : `/api/${k.version}`;
  const ns = k.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  const item = name ? `/${encodeURIComponent(name)}${subresource ? `/${subresource}` : ''}` : '';
  return `${base}${ns}/${k.plural}${item}`;
}

/** "gateways "web" in namespace "default"" or "gatewayclasses "haproxy-lb"" for messages. */
export function describeResource(k: ResolvedKind, namespace?: string, name?: string): string {
  const what = name ? `${k.plural} "${name}"` : k.plural;
  if (!k.namespaced) return what;
  return namespace ? `${what} in namespace "${namespace}"` : `${what} in all namespaces`;
}
