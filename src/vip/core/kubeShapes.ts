// The parts of Kubernetes objects the VIP planner reads. Structural, so objects from
// @kubernetes/client-node, from YAML or from tests all fit, and nothing here needs a cluster.

export interface ServicePortLike {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: string;
  appProtocol?: string;
}

export interface ServiceLike {
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  spec?: {
    type?: string;
    ports?: ServicePortLike[];
    loadBalancerIP?: string;
    loadBalancerClass?: string;
    selector?: Record<string, string>;
  };
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
}

export interface EndpointSliceLike {
  addressType: string;
  endpoints?: {
    addresses: string[];
    conditions?: { ready?: boolean | null; serving?: boolean | null; terminating?: boolean | null };
  }[];
  ports?: { name?: string | null; port?: number | null; protocol?: string | null }[] | null;
}

export interface EndpointsLike {
  subsets?: {
    addresses?: { ip: string }[];
    notReadyAddresses?: { ip: string }[];
    ports?: { name?: string; port: number; protocol?: string }[];
  }[];
}

/** The annotation the 2020 Load Balancer API controller read a requested VIP from. */
export const LBAPI_IP_ANNOTATION = 'lbapi.run.tanzu.vmware.com/ip-address';
/** The annotations MetalLB (0.13+, and before) and kube-vip users already write to request addresses. */
export const METALLB_IPS_ANNOTATION = 'metallb.io/loadBalancerIPs';
export const METALLB_LEGACY_IPS_ANNOTATION = 'metallb.universe.tf/loadBalancerIPs';
export const KUBE_VIP_IPS_ANNOTATION = 'kube-vip.io/loadbalancerIPs';
/**
 * The `spec.loadBalancerClass` values this extension serves. A Service naming any other class
 * belongs to that class's controller and is left alone (no status patch, no pool allocation).
 */
export const VIP_LOAD_BALANCER_CLASS = 'haproxy-gateway.io/vip';
export const OUR_LOAD_BALANCER_CLASSES: readonly string[] = [VIP_LOAD_BALANCER_CLASS];
/** Annotations this extension writes on a Service to record what it created. */
export const VIP_ANNOTATIONS = {
  address: 'haproxy-gateway.io/vip',
  connections: 'haproxy-gateway.io/connections',
  frontends: 'haproxy-gateway.io/frontends',
  backends: 'haproxy-gateway.io/backends',
} as const;

export interface Endpoint {
  address: string;
  port: number;
  ready: boolean;
}

/**
 * Endpoints of one Service port, from EndpointSlices (preferred) or, for selectorless Services
 * whose owners wrote only an Endpoints object, from Endpoints. Ports are matched by the Service
 * port's name, as kube-proxy does; an unnamed single port matches the unnamed endpoint port.
 */
export function endpointsForPort(
  port: ServicePortLike,
  slices: EndpointSliceLike[],
  endpoints?: EndpointsLike,
): Endpoint[] {
  const portName = port.name ?? '';
  const protocol = port.protocol ?? 'TCP';
  const seen = new Map<string, Endpoint>();
  const add = (address: string, p: number, ready: boolean) => {
    const key = `${address}|${p}`;
    const prior = seen.get(key);
    // The same endpoint in two slices (during a slice rewrite) counts once, ready if either says so.
    seen.set(key, { address, port: p, ready: ready || (prior?.ready ?? false) });
  };
  if (slices.length > 0) {
    for (const slice of slices) {
      if (slice.addressType !== 'IPv4' && slice.addressType !== 'IPv6') continue;
      const match = (slice.ports ?? []).find(
        (sp) => (sp.name ?? '') === portName && (sp.protocol ?? 'TCP') === protocol,
      );
      if (!match || !match.port) continue;
      for (const ep of slice.endpoints ?? []) {
        // A nil ready condition means ready (EndpointSlice API contract); terminating is not.
        const ready = ep.conditions?.ready !== false && ep.conditions?.terminating !== true;
        for (const address of ep.addresses) add(address, match.port, ready);
      }
    }
  } else if (endpoints) {
    for (const subset of endpoints.subsets ?? []) {
      const match = (subset.ports ?? []).find(
        (sp) => (sp.name ?? '') === portName && (sp.protocol ?? 'TCP') === protocol,
      );
      if (!match) continue;
      for (const a of subset.addresses ?? []) add(a.ip, match.port, true);
      for (const a of subset.notReadyAddresses ?? []) add(a.ip, match.port, false);
    }
  }
  return [...seen.values()].sort((a, b) =>
    a.address === b.address ? a.port - b.port : a.address < b.address ? -1 : 1,
  );
}
