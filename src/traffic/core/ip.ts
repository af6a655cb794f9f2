// IP arithmetic for the traffic map and pool usage: canonical addresses (so 127.0.200.2 written
// in a bind, a Service status and an annotation compare equal), CIDRs and ranges as bigints, and
// host:port splitting with the shared haproxy.cfg address parser (what HAProxy itself accepts).
import { isIP } from 'node:net';
import { ADDRESS_RULES, parseAddress } from '../../shared/haproxy-config/address';

export type IpFamily = 4 | 6;

export interface IpValue {
  readonly family: IpFamily;
  readonly value: bigint;
}

/** An inclusive span of addresses, as a pool is written (CIDR, `a-b` range or one address). */
export interface IpSpan {
  readonly family: IpFamily;
  readonly first: bigint;
  readonly last: bigint;
  /** As written, for messages and ids. */
  readonly source: string;
}

/** The value of a literal IPv4 or IPv6 address; undefined for anything else (names included). */
export function ipValue(text: string): IpValue | undefined {
  const t = text.trim().replace(/^\[(.*)\]$/, '$1');
  const family = isIP(t);
  if (family === 4) return { family: 4, value: t.split('.').reduce((acc, o) => (acc << 8n) | BigInt(Number(o)), 0n) };
  if (family === 6) return { family: 6, value: ipv6Value(t) };
  return undefined;
}

function ipv6Value(text: string): bigint {
  let head = text.split('%')[0];
  let v4: bigint | undefined;
  const lastColon = head.lastIndexOf(':');
  if (head.slice(lastColon + 1).includes('.')) {
    v4 = ipValue(head.slice(lastColon + 1))?.value;
    head = `${head.slice(0, lastColon + 1)}0:0`;
  }
  const [left, right] = head.includes('::') ? head.split('::') : [head, undefined];
  const l = left ? left.split(':') : [];
  const r = right ? right.split(':') : [];
  const groups = right === undefined ? l : [...l, ...Array<string>(8 - l.length - r.length).fill('0'), ...r];
  let value = groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
  if (v4 !== undefined) value = (value & ~0xffffffffn) | v4;
  return value;
}

export function formatIp(ip: IpValue): string {
  if (ip.family === 4) return [24n, 16n, 8n, 0n].map((s) => String((ip.value >> s) & 0xffn)).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => Number((ip.value >> BigInt(112 - 16 * i)) & 0xffffn));
  // RFC 5952: the longest run of two or more zero groups becomes '::'.
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i >= 2 && j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  return best < 0 ? hex.join(':') : `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** Canonical spelling of an IP literal, undefined when the text is not one. */
export function canonicalIp(text: string): string | undefined {
  const v = ipValue(text);
  return v ? formatIp(v) : undefined;
}

/** A pool as written: `10.0.0.0/24`, `10.0.0.10-10.0.0.50`, `fd00::/120` or one address. */
export function parseSpan(text: string): IpSpan | { error: string } {
  const source = text.trim();
  const slash = source.indexOf('/');
  if (slash >= 0) {
    const ip = ipValue(source.slice(0, slash));
    const bitsText = source.slice(slash + 1);
    if (!ip) return { error: `"${source}": "${source.slice(0, slash)}" is not an IP address` };
    const width = ip.family === 4 ? 32 : 128;
    if (!/^\d{1,3}$/.test(bitsText) || Number(bitsText) > width)
      return { error: `"${source}": the prefix length must be 0 to ${width}` };
    const hostBits = BigInt(width - Number(bitsText));
    let first = (ip.value >> hostBits) << hostBits;
    let last = first + (1n << hostBits) - 1n;
    // An IPv4 network's first and last addresses are not hosts (except in /31 and /32).
    if (ip.family === 4 && Number(bitsText) <= 30) [first, last] = [first + 1n, last - 1n];
    return { family: ip.family, first, last, source };
  }
  const dash = source.indexOf('-');
  if (dash >= 0) {
    const a = ipValue(source.slice(0, dash));
    const b = ipValue(source.slice(dash + 1));
    if (!a || !b) return { error: `"${source}": both ends of a range must be IP addresses` };
    if (a.family !== b.family) return { error: `"${source}": both ends of a range must be of the same family` };
    if (b.value < a.value) return { error: `"${source}": the range ends before it starts` };
    return { family: a.family, first: a.value, last: b.value, source };
  }
  const one = ipValue(source);
  if (!one) return { error: `"${source}" is not a CIDR, a range or an IP address` };
  return { family: one.family, first: one.value, last: one.value, source };
}

export function spanContains(span: IpSpan, ip: IpValue): boolean {
  return ip.family === span.family && ip.value >= span.first && ip.value <= span.last;
}

export function spanSize(span: IpSpan): bigint {
  return span.last - span.first + 1n;
}

/** Host and port of a `host:port` text as HAProxy reads a bind (`:80`, `[::1]:443`, `*:80`). */
export function splitHostPort(text: string): { host: string; port?: number; wildcard: boolean } | undefined {
  const parsed = parseAddress(text, { ...ADDRESS_RULES.bind, portRequired: false });
  if (
    !parsed.address ||
    (parsed.address.family !== 'ip' && parsed.address.family !== 'ipv4' && parsed.address.family !== 'ipv6')
  )
    return undefined;
  const { host, port } = parsed.address;
  const wildcard = host === '' || host === '*' || host === '0.0.0.0' || host === '::';
  const canonical = wildcard ? '' : (canonicalIp(host) ?? host);
  return { host: canonical, port: port && port.low === port.high && !port.offset ? port.low : undefined, wildcard };
}

/** The addresses of a comma-separated annotation value, canonical; the unusable items apart. */
export function addressList(value: string | undefined): { addresses: string[]; invalid: string[] } {
  const addresses: string[] = [];
  const invalid: string[] = [];
  for (const item of (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const c = canonicalIp(item);
    if (c) addresses.push(c);
    else invalid.push(item);
  }
  return { addresses, invalid };
}
