// VIP pool usage: per pool, used/free/total and who holds each address (a Service by its recorded
// VIP, status or request; a frontend bind on a Data Plane API server; a backend server), with the
// conflicts flagged (two Services on one address, an address held by a Service and by a server).
// Services whose loadBalancerClass is not ours belong to another controller and are left alone.
import type { KubeObject } from '../../kubernetes/api';
import { rangeContains, rangeSize, type AddressRange } from '../../vip/api';
import { canonicalIp, ipValue, parseSpan } from './ip';
import { foreignOwner, ingressAddresses, recordedVipOf, requestedAddresses } from './services';

export interface PoolInput {
  /** CIDR, `a-b` range or one address. */
  range: string;
  namespaces?: string[];
}

export type Holder =
  | { kind: 'service'; namespace: string; name: string; how: 'recorded' | 'status' | 'requested' }
  | { kind: 'bind'; connectionId: string; frontend: string; port?: number }
  | { kind: 'server'; connectionId: string; backend: string; server: string };

export interface AddressUse {
  address: string;
  holders: Holder[];
  /** Why this address is a problem, when it is. */
  conflict?: string;
}

export interface PoolUsage {
  range: string;
  namespaces: string[];
  total: bigint;
  used: number;
  free: bigint;
  addresses: AddressUse[];
  error?: string;
}

export interface PoolUsageInput {
  pools: readonly PoolInput[];
  services: readonly KubeObject[];
  binds?: readonly { connectionId: string; frontend: string; address: string; port?: number }[];
  servers?: readonly { connectionId: string; backend: string; server: string; address: string }[];
  /** loadBalancerClass values this extension serves (none by default: any class is foreign). */
  ourClasses?: readonly string[];
}

export interface PoolUsageResult {
  pools: PoolUsage[];
  /** Services left alone, and why. */
  skipped: { namespace: string; name: string; reason: string }[];
}

const sameHolder = (a: Holder, b: Holder) => JSON.stringify(a) === JSON.stringify(b);

function conflictOf(holders: readonly Holder[]): string | undefined {
  const services = [
    ...new Set(
      holders.filter((h) => h.kind === 'service').map((h) => (h.kind === 'service' ? `${h.namespace}/${h.name}` : '')),
    ),
  ];
  if (services.length > 1) return `held by ${services.length} Services: ${services.join(', ')}`;
  const server = holders.find((h) => h.kind === 'server');
  if (server && server.kind === 'server' && holders.some((h) => h.kind !== 'server')) {
    return (
      `also the address of server ${server.server} (backend ${server.backend} on ${server.connectionId}): ` +
      `a VIP must not be a backend's address`
    );
  }
  return undefined;
}

function serviceHolders(svc: KubeObject): { address: string; holder: Holder }[] {
  const ns = svc.metadata.namespace ?? 'default';
  const name = svc.metadata.name;
  const out: { address: string; holder: Holder }[] = [];
  const add = (address: string, how: 'recorded' | 'status' | 'requested') => {
    if (!out.some((o) => o.address === address))
      out.push({ address, holder: { kind: 'service', namespace: ns, name, how } });
  };
  const rec = recordedVipOf(svc);
  if (rec) add(rec.vip, 'recorded');
  for (const a of ingressAddresses(svc)) add(a, 'status');
  for (const r of requestedAddresses(svc).requested) add(r.address, 'requested');
  return out;
}

export function poolUsage(input: PoolUsageInput): PoolUsageResult {
  const skipped: PoolUsageResult['skipped'] = [];
  const held = new Map<string, Holder[]>();
  const hold = (address: string, holder: Holder) => {
    const list = held.get(address) ?? [];
    if (!list.some((h) => sameHolder(h, holder))) list.push(holder);
    held.set(address, list);
  };
  for (const svc of input.services) {
    const owner = foreignOwner(svc, input.ourClasses);
    if (owner) {
      skipped.push({
        namespace: svc.metadata.namespace ?? 'default',
        name: svc.metadata.name,
        reason:
          owner.kind === 'loadBalancerClass'
            ? `loadBalancerClass "${owner.value}" is another controller's`
            : `annotation ${owner.key}=${owner.value} names another controller`,
      });
      continue;
    }
    for (const { address, holder } of serviceHolders(svc)) hold(address, holder);
  }
  for (const b of input.binds ?? []) {
    const v = ipValue(b.address);
    if (v)
      hold(canonicalIp(b.address)!, { kind: 'bind', connectionId: b.connectionId, frontend: b.frontend, port: b.port });
  }
  for (const s of input.servers ?? []) {
    if (ipValue(s.address))
      hold(canonicalIp(s.address)!, {
        kind: 'server',
        connectionId: s.connectionId,
        backend: s.backend,
        server: s.server,
      });
  }
  const pools = input.pools.map((p): PoolUsage => {
    const span = parseSpan(p.range);
    const namespaces = p.namespaces ?? [];
    if ('error' in span)
      return { range: p.range, namespaces, total: 0n, used: 0, free: 0n, addresses: [], error: span.error };
    const addresses = usesIn(span, held);
    const total = rangeSize(span);
    return {
      range: span.source,
      namespaces,
      total,
      used: addresses.length,
      free: total - BigInt(addresses.length),
      addresses,
    };
  });
  return { pools, skipped };
}

function usesIn(span: AddressRange, held: Map<string, Holder[]>): AddressUse[] {
  const out: AddressUse[] = [];
  for (const [address, holders] of held) {
    // Held addresses are canonical literals (rangeContains throws on anything else).
    if (!ipValue(address) || !rangeContains(span, address)) continue;
    // Only what a Service or a bind holds uses the pool; a server's address alone does not.
    if (!holders.some((h) => h.kind !== 'server')) continue;
    const conflict = conflictOf(holders);
    out.push(conflict ? { address, holders, conflict } : { address, holders });
  }
  return out.sort((a, b) => (ipValue(a.address)!.value < ipValue(b.address)!.value ? -1 : 1));
}
