// Address management for VIPs: pools are CIDRs or ranges, IPv4 or IPv6, optionally per namespace.
import { isIP } from 'node:net';
import { UserFacingError } from '../../shared/errors';

export type IpFamily = 4 | 6;

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

export function parseAddress(text: string): { family: IpFamily; value: bigint } {
  const trimmed = text.trim();
  const family = isIP(trimmed);
  if (family === 4) {
    const value = trimmed.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
    return { family: 4, value };
  }
  if (family === 6) return { family: 6, value: parseIpv6(trimmed) };
  throw new UserFacingError(`"${text}" is not an IPv4 or IPv6 address`);
}

function parseIpv6(text: string): bigint {
  let head = text;
  let embeddedV4: bigint | undefined;
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    embeddedV4 = parseAddress(text.slice(lastColon + 1)).value;
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const [left, right] = head.includes('::') ? head.split('::') : [head, undefined];
  const l = left ? left.split(':') : [];
  const r = right !== undefined && right !== '' ? right.split(':') : [];
  const groups = right === undefined ? l : [...l, ...Array(8 - l.length - r.length).fill('0'), ...r];
  let value = groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
  if (embeddedV4 !== undefined) value = (value & ~0xffffffffn) | embeddedV4;
  return value;
}

export function formatAddress(family: IpFamily, value: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 0xffn)).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn));
  // RFC 5952: compress the longest run (of two or more) of zero groups.
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** Canonical text of an address, so `127.0.200.02`-like spellings and IPv6 forms compare equal. */
export function canonicalAddress(text: string): string {
  const { family, value } = parseAddress(text);
  return formatAddress(family, value);
}

export function parseRange(text: string): AddressRange {
  const source = text.trim();
  if (source.includes('/')) {
    const [addr, bitsText] = source.split('/');
    const { family, value } = parseAddress(addr);
    const width = family === 4 ? 32 : 128;
    const bits = Number(bitsText);
    if (!/^\d+$/.test(bitsText) || bits < 0 || bits > width) throw new UserFacingError(`"${source}": the prefix length must be 0 to ${width}`);
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
    const a = parseAddress(source.slice(0, dash));
    const b = parseAddress(source.slice(dash + 1));
    if (a.family !== b.family) throw new UserFacingError(`"${source}": both ends of a range must be of the same family`);
    if (b.value < a.value) throw new UserFacingError(`"${source}": the range ends before it starts`);
    return { family: a.family, first: a.value, last: b.value, source };
  }
  const single = parseAddress(source);
  return { family: single.family, first: single.value, last: single.value, source };
}

export function rangeContains(range: AddressRange, address: string): boolean {
  const { family, value } = parseAddress(address);
  return family === range.family && value >= range.first && value <= range.last;
}

/** The pools that apply to a namespace: its own if any name it, otherwise the shared ones. */
export function poolsFor(pools: PoolSetting[], namespace: string): AddressRange[] {
  const own = pools.filter((p) => p.namespaces?.includes(namespace));
  const chosen = own.length > 0 ? own : pools.filter((p) => !p.namespaces || p.namespaces.length === 0);
  return chosen.map((p) => parseRange(p.range));
}

/**
 * The first address of the pools that is not in use. `inUse` holds canonical addresses (bound by a
 * frontend on a target server, or a load balancer ingress of another Service).
 */
export function nextFreeAddress(ranges: AddressRange[], inUse: ReadonlySet<string>, maxScan = 1_000_000): string | undefined {
  for (const range of ranges) {
    let scanned = 0;
    for (let v = range.first; v <= range.last && scanned < maxScan; v++, scanned++) {
      const candidate = formatAddress(range.family, v);
      if (!inUse.has(candidate)) return candidate;
    }
  }
  return undefined;
}
