// Which VIP a Service gets: the one it asks for, else the next free address of its pools.
import { UserFacingError } from '../../shared/errors';
import { canonicalAddress, nextFreeAddress, poolsFor, PoolSetting, rangeContains } from './ipam';
import { LBAPI_IP_ANNOTATION, ServiceLike } from './kubeShapes';

export type VipChoice =
  | { kind: 'requested'; address: string; source: 'annotation' | 'loadBalancerIP'; insidePools: boolean }
  | { kind: 'allocated'; address: string; pool: string };

/** The address a Service requests, through the 2020 controller's annotation or spec.loadBalancerIP. */
export function requestedVip(service: ServiceLike): { address: string; source: 'annotation' | 'loadBalancerIP' } | undefined {
  const annotated = service.metadata.annotations?.[LBAPI_IP_ANNOTATION];
  if (annotated) return { address: canonicalAddress(annotated), source: 'annotation' };
  const lbip = service.spec?.loadBalancerIP;
  if (lbip) return { address: canonicalAddress(lbip), source: 'loadBalancerIP' };
  return undefined;
}

/** Addresses other Services already use as load balancer ingress. */
export function ingressAddresses(services: ServiceLike[], except?: { namespace: string; name: string }): Set<string> {
  const used = new Set<string>();
  for (const s of services) {
    if (except && s.metadata.name === except.name && (s.metadata.namespace ?? 'default') === except.namespace) continue;
    for (const ingress of s.status?.loadBalancer?.ingress ?? []) {
      if (!ingress.ip) continue;
      try {
        used.add(canonicalAddress(ingress.ip));
      } catch {
        // A malformed status written by someone else does not block allocation.
      }
    }
  }
  return used;
}

export function chooseVip(service: ServiceLike, pools: PoolSetting[], inUse: ReadonlySet<string>): VipChoice {
  const namespace = service.metadata.namespace ?? 'default';
  const ranges = poolsFor(pools, namespace);
  const requested = requestedVip(service);
  if (requested) {
    return { kind: 'requested', ...requested, insidePools: ranges.some((r) => rangeContains(r, requested.address)) };
  }
  if (ranges.length === 0) {
    throw new UserFacingError(`No VIP pool applies to namespace "${namespace}": add one to the setting haproxyGateway.vip.pools, or type an address`);
  }
  const address = nextFreeAddress(ranges, inUse);
  if (!address) throw new UserFacingError(`Every address of the pools for namespace "${namespace}" is in use (${ranges.map((r) => r.source).join(', ')})`);
  const pool = ranges.find((r) => rangeContains(r, address))!;
  return { kind: 'allocated', address, pool: pool.source };
}
