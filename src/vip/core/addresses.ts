// Every address decision of the VIP feature in one place: what an address is (through the shared
// haproxy-config address module), the pools setting, the address a Service requests (annotation,
// spec.loadBalancerIP, MetalLB's or kube-vip's annotation), which addresses are in use, the one to
// suggest, and whether a typed address is acceptable or needs a confirmation because it lies outside
// every pool.
import { UserFacingError, errorMessage } from '../../shared/errors';
import { canonicalIp, formatIp, ipValue, type IpFamily } from '../../shared/haproxy-config/address';
import {
  KUBE_VIP_IPS_ANNOTATION,
  LBAPI_IP_ANNOTATION,
  METALLB_IPS_ANNOTATION,
  METALLB_LEGACY_IPS_ANNOTATION,
  OUR_LOAD_BALANCER_CLASSES,
  type ServiceLike,
} from './kubeShapes';
import type { ExistingBind } from './planner';

export type { IpFamily } from '../../shared/haproxy-config/address';

export interface AddressRange {
  family: IpFamily;
  first: bigint;
  last: bigint;
  /** As the user wrote it, for messages. */
  source: string;
}

export interface PoolSetting {
  /** CIDR (`10.0.0.0/24`, `fd00::/120`) or range (`10.0.0.10-10.0.0.50`). */
  range: string;
  /** Only for Services in these namespaces; every namespace when absent or empty. */
  namespaces?: string[];
}

// --- what an address is --------------------------------------------------------------------------

/** The value of an IP address; throws a message for the user when `text` is not one. */
export function parseIp(text: string): { family: IpFamily; value: bigint } {
  const v = ipValue(text);
  if (!v) throw new UserFacingError(`"${text}" is not an IPv4 or IPv6 address`);
  return v;
}

/** Canonical text of an address, so differently spelled IPv6 forms compare equal. Throws when not one. */
export function canonicalAddress(text: string): string {
  const { family, value } = parseIp(text);
  return formatIp(family, value);
}

// --- pools ---------------------------------------------------------------------------------------

export function parseRange(text: string): AddressRange {
  const source = text.trim();
  if (source.includes('/')) {
    const [addr, bitsText] = source.split('/') as [string, string];
    const { family, value } = parseIp(addr);
    const width = family === 4 ? 32 : 128;
    const bits = Number(bitsText);
    if (!/^\d+$/.test(bitsText) || bits < 0 || bits > width)
      throw new UserFacingError(`"${source}": the prefix length must be 0 to ${width}`);
    const hostBits = BigInt(width - bits);
    let first = (value >> hostBits) << hostBits;
    let last = first + (1n << hostBits) - 1n;
    // An IPv4 network and broadcast address are never a VIP (except in /31 and /32).
    if (family === 4 && bits <= 30) {
      first += 1n;
      last -= 1n;
    }
    return { family, first, last, source };
  }
  if (source.includes('-')) {
    // IPv6 has no '-' in its spelling, so the first '-' separates the two ends.
    const dash = source.indexOf('-');
    const a = parseIp(source.slice(0, dash));
    const b = parseIp(source.slice(dash + 1));
    if (a.family !== b.family)
      throw new UserFacingError(`"${source}": both ends of a range must be of the same family`);
    if (b.value < a.value) throw new UserFacingError(`"${source}": the range ends before it starts`);
    return { family: a.family, first: a.value, last: b.value, source };
  }
  const single = ipValue(source);
  if (!single) throw new UserFacingError(`"${source}" is not a CIDR, a range or an IP address`);
  return { family: single.family, first: single.value, last: single.value, source };
}

/** How many addresses a range holds. */
export function rangeSize(range: AddressRange): bigint {
  return range.last - range.first + 1n;
}

export function rangeContains(range: AddressRange, address: string): boolean {
  const { family, value } = parseIp(address);
  return family === range.family && value >= range.first && value <= range.last;
}

/** The pools that apply to a namespace: its own if any name it, otherwise the shared ones. */
export function poolsFor(pools: PoolSetting[], namespace: string): AddressRange[] {
  const own = pools.filter((p) => p.namespaces?.includes(namespace));
  const chosen = own.length > 0 ? own : pools.filter((p) => !p.namespaces || p.namespaces.length === 0);
  return chosen.map((p) => parseRange(p.range));
}

function insidePools(pools: PoolSetting[], namespace: string, address: string): boolean {
  return poolsFor(pools, namespace).some((r) => rangeContains(r, address));
}

/** The first address of the pools that is not in use (`inUse` holds canonical addresses). */
export function nextFreeAddress(
  ranges: AddressRange[],
  inUse: ReadonlySet<string>,
  maxScan = 1_000_000,
): string | undefined {
  for (const range of ranges) {
    let scanned = 0;
    for (let v = range.first; v <= range.last && scanned < maxScan; v++, scanned++) {
      const candidate = formatIp(range.family, v);
      if (!inUse.has(candidate)) return candidate;
    }
  }
  return undefined;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `haproxyGateway.vip.pools` as written: valid pools kept, each problem named (for the log). */
export function parsePools(v: unknown): { pools: PoolSetting[]; problems: string[] } {
  const pools: PoolSetting[] = [];
  const problems: string[] = [];
  if (v === undefined || v === null) return { pools, problems };
  if (!Array.isArray(v))
    return {
      pools,
      problems: ['haproxyGateway.vip.pools must be an array of { "range": "...", "namespaces": [...] }'],
    };
  v.forEach((item, i) => {
    const where = `haproxyGateway.vip.pools[${i}]`;
    if (!isObj(item) || typeof item.range !== 'string') {
      return void problems.push(
        `${where} needs a "range" (a CIDR such as 10.0.0.0/24, or a range such as 10.0.0.10-10.0.0.50)`,
      );
    }
    try {
      parseRange(item.range);
    } catch (err) {
      return void problems.push(`${where}.range: ${errorMessage(err)}`);
    }
    const names = item.namespaces;
    if (
      names !== undefined &&
      (!Array.isArray(names) || !names.every((n) => typeof n === 'string' && n.length <= 63 && DNS_LABEL.test(n)))
    ) {
      return void problems.push(`${where}.namespaces must be a list of namespace names`);
    }
    pools.push({ range: item.range.trim(), namespaces: names as string[] | undefined });
  });
  return { pools, problems };
}

// --- which address a Service gets ------------------------------------------------------------------

export type RequestSource = 'annotation' | 'loadBalancerIP' | 'metallb' | 'kube-vip';

export type VipChoice =
  | { kind: 'requested'; address: string; source: RequestSource; insidePools: boolean }
  | { kind: 'allocated'; address: string; pool: string };

/** The first usable address of a comma-separated annotation value (MetalLB and kube-vip accept lists). */
function firstAddressOf(value: string | undefined): string | undefined {
  for (const item of (value ?? '').split(',')) {
    const address = canonicalIp(item.trim());
    if (address) return address;
  }
  return undefined;
}

/**
 * The address a Service requests: the 2020 controller's annotation, spec.loadBalancerIP, then the
 * annotations users already write for MetalLB (`metallb.io/loadBalancerIPs`, or its pre-0.13
 * spelling) and kube-vip (`kube-vip.io/loadbalancerIPs`); the first one set wins.
 */
export function requestedVip(service: ServiceLike): { address: string; source: RequestSource } | undefined {
  const annotations = service.metadata.annotations ?? {};
  const annotated = annotations[LBAPI_IP_ANNOTATION];
  if (annotated) return { address: canonicalAddress(annotated), source: 'annotation' };
  const lbip = service.spec?.loadBalancerIP;
  if (lbip) return { address: canonicalAddress(lbip), source: 'loadBalancerIP' };
  const metallb = annotations[METALLB_IPS_ANNOTATION] ?? annotations[METALLB_LEGACY_IPS_ANNOTATION];
  if (metallb) return { address: firstAddressOf(metallb) ?? canonicalAddress(metallb), source: 'metallb' };
  const kubeVip = annotations[KUBE_VIP_IPS_ANNOTATION];
  if (kubeVip) return { address: firstAddressOf(kubeVip) ?? canonicalAddress(kubeVip), source: 'kube-vip' };
  return undefined;
}

/** Whether another controller owns the Service: it names a loadBalancerClass that is not ours. */
export function foreignClassOf(
  service: ServiceLike,
  ours: readonly string[] = OUR_LOAD_BALANCER_CLASSES,
): string | undefined {
  const cls = service.spec?.loadBalancerClass;
  return cls && !ours.includes(cls) ? cls : undefined;
}

/** Addresses other Services already use as load balancer ingress. */
export function ingressAddresses(services: ServiceLike[], except?: { namespace: string; name: string }): Set<string> {
  const used = new Set<string>();
  for (const s of services) {
    if (except && s.metadata.name === except.name && (s.metadata.namespace ?? 'default') === except.namespace) continue;
    for (const ingress of s.status?.loadBalancer?.ingress ?? []) {
      // A malformed status written by someone else does not block allocation.
      const ip = ingress.ip && canonicalIp(ingress.ip);
      if (ip) used.add(ip);
    }
  }
  return used;
}

/** The address the Service requests, else the next free address of its pools; throws when there is none. */
export function chooseVip(service: ServiceLike, pools: PoolSetting[], inUse: ReadonlySet<string>): VipChoice {
  const namespace = service.metadata.namespace ?? 'default';
  const ranges = poolsFor(pools, namespace);
  const requested = requestedVip(service);
  if (requested) {
    return { kind: 'requested', ...requested, insidePools: ranges.some((r) => rangeContains(r, requested.address)) };
  }
  if (ranges.length === 0) {
    throw new UserFacingError(
      `No VIP pool applies to namespace "${namespace}": ` +
        'add one to the setting haproxyGateway.vip.pools, or type an address',
    );
  }
  const address = nextFreeAddress(ranges, inUse);
  if (!address)
    throw new UserFacingError(
      `Every address of the pools for namespace "${namespace}" is in use (${ranges.map((r) => r.source).join(', ')})`,
    );
  const pool = ranges.find((r) => rangeContains(r, address))!;
  return { kind: 'allocated', address, pool: pool.source };
}

/**
 * Addresses that are not free for a Service: bound by a frontend (other than its own) on any
 * target server, or load balancer ingress of another Service (`all`: every Service read).
 */
export function addressesInUse(
  service: ServiceLike,
  all: ServiceLike[],
  binds: ExistingBind[],
  ownFrontends: ReadonlySet<string>,
): Set<string> {
  const used = ingressAddresses(all, {
    namespace: service.metadata.namespace ?? 'default',
    name: service.metadata.name,
  });
  for (const b of binds) {
    if (ownFrontends.has(b.frontend)) continue;
    const ip = canonicalIp(b.address); // wildcards and names are not single addresses
    if (ip) used.add(ip);
  }
  return used;
}

/** The address to pre-fill: the one an earlier Create VIP recorded, else the one requested, else the next free one. */
export function suggestVip(
  service: ServiceLike,
  recorded: string | undefined,
  pools: PoolSetting[],
  inUse: ReadonlySet<string>,
): VipChoice | { kind: 'none'; reason: string } {
  if (recorded) {
    return {
      kind: 'requested',
      address: recorded,
      source: 'annotation',
      insidePools: insidePools(pools, service.metadata.namespace ?? 'default', recorded),
    };
  }
  const foreign = foreignClassOf(service);
  if (foreign)
    return {
      kind: 'none',
      reason: `The Service names loadBalancerClass "${foreign}": that controller gives it its address.`,
    };
  try {
    return chooseVip(service, pools, inUse);
  } catch (err) {
    return { kind: 'none', reason: errorMessage(err) };
  }
}

export type VipCheck = { ok: true; address: string; insidePools: boolean } | { ok: false; problem: string };

/** Checks an address typed by the user: an address, usable as a VIP, free, and whether it lies in a pool. */
export function checkVip(text: string, namespace: string, pools: PoolSetting[], inUse: ReadonlySet<string>): VipCheck {
  const address = canonicalIp(text);
  if (!address) return { ok: false, problem: `"${text}" is not an IPv4 or IPv6 address` };
  if (
    /^(0\.0\.0\.0|::|255\.255\.255\.255)$/.test(address) ||
    /^(22[4-9]|23\d)\./.test(address) ||
    /^ff/i.test(address)
  ) {
    return { ok: false, problem: `${address} cannot be a VIP (unspecified, broadcast or multicast)` };
  }
  if (inUse.has(address))
    return {
      ok: false,
      problem: `${address} is in use (bound on a target server, or load balancer ingress of another Service)`,
    };
  return { ok: true, address, insidePools: insidePools(pools, namespace, address) };
}

/**
 * Whether an address given without asking (argument, automation) may be used: checked like a typed
 * one, and outside every pool only when confirmed. Throws the reason otherwise.
 */
export function acceptVip(
  text: string,
  namespace: string,
  pools: PoolSetting[],
  inUse: ReadonlySet<string>,
  outsideConfirmed: boolean,
): { address: string; insidePools: boolean } {
  const c = checkVip(text, namespace, pools, inUse);
  if (!c.ok) throw new UserFacingError(c.problem);
  if (!c.insidePools && !outsideConfirmed) {
    throw new UserFacingError(
      `${c.address} lies outside every VIP pool for namespace ${namespace}; pass allowOutsidePools to use it anyway.`,
    );
  }
  return { address: c.address, insidePools: c.insidePools };
}

/** The address policy for one Service and its target servers, as the Create VIP questions use it. */
export interface AddressPolicy {
  readonly inUse: ReadonlySet<string>;
  /** What to pre-fill (or why there is nothing). */
  readonly suggestion: VipChoice | { kind: 'none'; reason: string };
  check(text: string): VipCheck;
  /** An address not typed (argument, automation): checked, never asked about. Throws the reason. */
  accept(text: string, outsideConfirmed: boolean): { address: string; insidePools: boolean };
}

export function addressPolicy(o: {
  service: ServiceLike;
  all: ServiceLike[];
  binds: ExistingBind[];
  ownFrontends: ReadonlySet<string>;
  recorded?: string;
  pools: PoolSetting[];
}): AddressPolicy {
  const namespace = o.service.metadata.namespace ?? 'default';
  const inUse = addressesInUse(o.service, o.all, o.binds, o.ownFrontends);
  return {
    inUse,
    suggestion: suggestVip(o.service, o.recorded, o.pools, inUse),
    check: (text) => checkVip(text, namespace, o.pools, inUse),
    accept: (text, confirmed) => acceptVip(text, namespace, o.pools, inUse, confirmed),
  };
}
