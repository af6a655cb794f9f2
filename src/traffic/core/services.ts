// What a Service says about its load balancer address: the addresses it asks for (in every
// spelling users already write: the 2020 controller's annotation, spec.loadBalancerIP, MetalLB's
// and kube-vip's annotations), what this extension recorded on it, and whether another
// controller owns it (a loadBalancerClass that is not ours).
import type { KubeObject } from '../../kubernetes/api';
import { addressList, canonicalIp } from './ip';

export const ANNOTATIONS = {
  lbapi: 'lbapi.run.tanzu.vmware.com/ip-address',
  metallb: 'metallb.io/loadBalancerIPs',
  /** MetalLB before 0.13 */
  metallbLegacy: 'metallb.universe.tf/loadBalancerIPs',
  metallbPool: 'metallb.io/address-pool',
  kubeVip: 'kube-vip.io/loadbalancerIPs',
  /** What this extension records on a Service it gave a VIP. */
  vip: 'haproxy-gateway.io/vip',
  connections: 'haproxy-gateway.io/connections',
  frontends: 'haproxy-gateway.io/frontends',
  backends: 'haproxy-gateway.io/backends',
} as const;

export type RequestSource = 'annotation' | 'loadBalancerIP' | 'metallb' | 'kube-vip';

export interface RequestedAddress {
  address: string;
  source: RequestSource;
}

const annotationsOf = (o: KubeObject): Record<string, string> => {
  const a = o.metadata.annotations;
  return a && typeof a === 'object' ? a : {};
};
const specOf = (o: KubeObject): Record<string, unknown> => (o.spec && typeof o.spec === 'object' ? o.spec : {});

/** Every address the Service asks for, canonical, first spelling wins; invalid items apart. */
export function requestedAddresses(svc: KubeObject): {
  requested: RequestedAddress[];
  invalid: { text: string; source: RequestSource }[];
} {
  const a = annotationsOf(svc);
  const spec = specOf(svc);
  const requested: RequestedAddress[] = [];
  const invalid: { text: string; source: RequestSource }[] = [];
  const add = (value: string | undefined, source: RequestSource) => {
    const list = addressList(value);
    for (const address of list.addresses)
      if (!requested.some((r) => r.address === address)) requested.push({ address, source });
    for (const text of list.invalid) invalid.push({ text, source });
  };
  add(a[ANNOTATIONS.lbapi], 'annotation');
  add(typeof spec.loadBalancerIP === 'string' ? spec.loadBalancerIP : undefined, 'loadBalancerIP');
  add(a[ANNOTATIONS.metallb] ?? a[ANNOTATIONS.metallbLegacy], 'metallb');
  add(a[ANNOTATIONS.kubeVip], 'kube-vip');
  return { requested, invalid };
}

export interface RecordedVipRef {
  vip: string;
  connections: string[];
  frontends: string[];
  backends: string[];
}

/** What this extension recorded on the Service (undefined when it recorded nothing usable). */
export function recordedVipOf(svc: KubeObject): RecordedVipRef | undefined {
  const a = annotationsOf(svc);
  const vip = canonicalIp(a[ANNOTATIONS.vip] ?? '');
  if (!vip) return undefined;
  const list = (key: string) =>
    (a[key] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  return {
    vip,
    connections: list(ANNOTATIONS.connections),
    frontends: list(ANNOTATIONS.frontends),
    backends: list(ANNOTATIONS.backends),
  };
}

/** The addresses in status.loadBalancer.ingress, canonical. */
export function ingressAddresses(svc: KubeObject): string[] {
  const status = svc.status && typeof svc.status === 'object' ? svc.status : {};
  const lb = (status as Record<string, unknown>).loadBalancer as { ingress?: unknown } | undefined;
  const list = Array.isArray(lb?.ingress) ? lb.ingress : [];
  const out: string[] = [];
  for (const i of list) {
    const ip = i && typeof i === 'object' ? (i as Record<string, unknown>).ip : undefined;
    const c = typeof ip === 'string' ? canonicalIp(ip) : undefined;
    if (c && !out.includes(c)) out.push(c);
  }
  return out;
}

/**
 * Annotations that name another controller as the owner: MetalLB's pool choice (the user's) and its
 * record of the pool it allocated from, kube-vip's record of the node holding the VIP. The IP request
 * annotations are not among them: users write those for this extension too.
 */
export const OWNER_ANNOTATIONS: readonly string[] = [
  ANNOTATIONS.metallbPool,
  'metallb.universe.tf/address-pool',
  'metallb.io/ip-allocated-from-pool',
  'metallb.universe.tf/ip-allocated-from-pool',
  'kube-vip.io/vipHost',
];

/** Who owns the Service's load balancer when it is not this extension. */
export type ForeignOwner =
  { kind: 'loadBalancerClass'; value: string } | { kind: 'annotation'; key: string; value: string };

/**
 * Another controller owns the Service when it names a loadBalancerClass that is not one of ours, or
 * carries one of OWNER_ANNOTATIONS.
 */
export function foreignOwner(svc: KubeObject, ourClasses: readonly string[] = []): ForeignOwner | undefined {
  const cls = specOf(svc).loadBalancerClass;
  if (typeof cls === 'string' && cls !== '' && !ourClasses.includes(cls))
    return { kind: 'loadBalancerClass', value: cls };
  const a = annotationsOf(svc);
  for (const key of OWNER_ANNOTATIONS) if (a[key]) return { kind: 'annotation', key, value: a[key] };
  return undefined;
}

/** Every address that belongs to the Service: recorded VIP, status ingress, requested ones. */
export function serviceAddresses(svc: KubeObject): string[] {
  const out = new Set<string>();
  const recorded = recordedVipOf(svc);
  if (recorded) out.add(recorded.vip);
  for (const a of ingressAddresses(svc)) out.add(a);
  for (const r of requestedAddresses(svc).requested) out.add(r.address);
  return [...out];
}
