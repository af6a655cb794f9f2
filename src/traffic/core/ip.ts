// What the traffic map adds to the shared address helpers (src/shared/haproxy-config/address.ts) and
// the VIP pools (src/vip/api.ts): bracketed literals (`[::1]`) read as addresses, pools that report an
// unusable range instead of throwing, host:port of a bind as HAProxy reads it, annotation address lists.
import { errorMessage } from '../../shared/errors';
import {
  ADDRESS_RULES,
  canonicalIp as canonicalLiteral,
  ipValue as literalValue,
  parseAddress,
} from '../../shared/haproxy-config/address';
import { parseRange, type AddressRange } from '../../vip/api';

export { rangeSize as spanSize } from '../../vip/api';

const unbracketed = (text: string) => text.trim().replace(/^\[(.*)\]$/, '$1');

/** The value of a literal IPv4 or IPv6 address, bracketed or not; undefined for anything else (names included). */
export function ipValue(text: string): { family: 4 | 6; value: bigint } | undefined {
  return literalValue(unbracketed(text));
}

/** Canonical spelling of an IP literal (bracketed or not), undefined when the text is not one. */
export function canonicalIp(text: string): string | undefined {
  return canonicalLiteral(unbracketed(text));
}

/** A pool as written (`10.0.0.0/24`, `10.0.0.10-10.0.0.50`, `fd00::/120` or one address), or why it is unusable. */
export function parseSpan(text: string): AddressRange | { error: string } {
  try {
    return parseRange(text);
  } catch (err) {
    return { error: errorMessage(err) };
  }
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
