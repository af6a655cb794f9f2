// Parses socket addresses the way HAProxy 2.6's str2sa_range() does: optional socket-type and family
// prefixes, IPv4 (inet_aton forms), IPv6 (bare with the port after the last ':' or in brackets),
// host names, UNIX paths, abstract sockets, file descriptors, ports, port ranges and port offsets.
// What each statement accepts differs (ports mandatory on bind, ranges on bind only, offsets on
// servers only...): callers pass the rules of their statement. Messages use HAProxy's wording.

import { isIPv4, isIPv6 } from 'node:net';

export type AddressFamily = 'ipv4' | 'ipv6' | 'ip' | 'unix' | 'abns' | 'fd' | 'sockpair';

export interface PortSpec {
  readonly text: string;
  readonly low: number;
  readonly high: number;
  /** `+N` / `-N`: an offset from the client's destination port (servers). */
  readonly offset: boolean;
  /** Offsets of the port text in the address text. */
  readonly start: number;
  readonly end: number;
}

export interface ParsedAddress {
  /** The address text as HAProxy sees it (after quote removal). */
  readonly text: string;
  /** `stream+`, `dgram+`, `ipv4@`, `unix@`, ... as written (empty when absent). */
  readonly prefix: string;
  readonly family: AddressFamily;
  readonly socketType?: 'stream' | 'dgram';
  /** Host part for IP families ('' for "any"), path for unix/abns, number for fd/sockpair. */
  readonly host: string;
  readonly hostStart: number;
  readonly hostEnd: number;
  /** True for a name that needs DNS (never judged statically: resolution depends on the machine). */
  readonly isHostname: boolean;
  readonly port?: PortSpec;
  /** True when environment variables make the real value unknown. */
  readonly dynamic: boolean;
}

export interface AddressError {
  readonly message: string;
  /** Offsets in the address text. */
  readonly start: number;
  readonly end: number;
}

export interface AddressRules {
  readonly portRequired: boolean;
  readonly portRange: boolean;
  readonly portOffset: boolean;
  /** Lowest acceptable port number (bind refuses 0, servers accept it). */
  readonly minPort: number;
  readonly stream: boolean;
  readonly dgram: boolean;
  /** Datagram unless a prefix says otherwise (log, nameserver). */
  readonly defaultDgram?: boolean;
  readonly fd: boolean;
}

/** The rules of each statement that takes an address (from str2sa_range() callers in HAProxy 2.6). */
export const ADDRESS_RULES = {
  bind: { portRequired: true, portRange: true, portOffset: false, minPort: 1, stream: true, dgram: false, fd: true },
  dgramBind: {
    portRequired: true,
    portRange: true,
    portOffset: false,
    minPort: 1,
    stream: false,
    dgram: true,
    defaultDgram: true,
    fd: true,
  },
  server: {
    portRequired: false,
    portRange: false,
    portOffset: true,
    minPort: 0,
    stream: true,
    dgram: false,
    fd: false,
  },
  serverParam: {
    portRequired: false,
    portRange: false,
    portOffset: false,
    minPort: 0,
    stream: true,
    dgram: false,
    fd: false,
  },
  serverSource: {
    portRequired: false,
    portRange: true,
    portOffset: false,
    minPort: 0,
    stream: true,
    dgram: false,
    fd: false,
  },
  proxySource: {
    portRequired: false,
    portRange: false,
    portOffset: false,
    minPort: 0,
    stream: true,
    dgram: false,
    fd: false,
  },
  socks4: {
    portRequired: true,
    portRange: false,
    portOffset: false,
    minPort: 0,
    stream: true,
    dgram: false,
    fd: false,
  },
  log: {
    portRequired: false,
    portRange: false,
    portOffset: false,
    minPort: 0,
    stream: true,
    dgram: true,
    defaultDgram: true,
    fd: true,
  },
  nameserver: {
    portRequired: true,
    portRange: false,
    portOffset: false,
    minPort: 0,
    stream: true,
    dgram: true,
    defaultDgram: true,
    fd: false,
  },
  peer: { portRequired: true, portRange: false, portOffset: false, minPort: 0, stream: true, dgram: false, fd: false },
  mailer: {
    portRequired: true,
    portRange: false,
    portOffset: false,
    minPort: 0,
    stream: true,
    dgram: false,
    fd: false,
  },
} satisfies Record<string, AddressRules>;

interface PrefixInfo {
  readonly family: AddressFamily;
  readonly socketType?: 'stream' | 'dgram';
}

const FAMILY_PREFIXES: Readonly<Record<string, PrefixInfo>> = {
  'ip@': { family: 'ip' },
  'ipv4@': { family: 'ipv4' },
  'ipv6@': { family: 'ipv6' },
  'unix@': { family: 'unix' },
  'abns@': { family: 'abns' },
  'fd@': { family: 'fd' },
  'sockpair@': { family: 'sockpair' },
  'tcp@': { family: 'ip', socketType: 'stream' },
  'tcp4@': { family: 'ipv4', socketType: 'stream' },
  'tcp6@': { family: 'ipv6', socketType: 'stream' },
  'udp@': { family: 'ip', socketType: 'dgram' },
  'udp4@': { family: 'ipv4', socketType: 'dgram' },
  'udp6@': { family: 'ipv6', socketType: 'dgram' },
  'uxst@': { family: 'unix', socketType: 'stream' },
  'uxdg@': { family: 'unix', socketType: 'dgram' },
  // QUIC prefixes exist in 2.6 but need a QUIC build; the Debian build has none.
  'quic4@': { family: 'ipv4', socketType: 'dgram' },
  'quic6@': { family: 'ipv6', socketType: 'dgram' },
};

/** Prefixes shown by completion. */
export const ADDRESS_PREFIXES: readonly string[] = Object.keys(FAMILY_PREFIXES);

export type AddressResult =
  | { readonly address: ParsedAddress; readonly error?: undefined }
  | { readonly address?: ParsedAddress; readonly error: AddressError };

interface HostPort {
  host: string;
  hostStart: number;
  hostEnd: number;
  portText?: string;
  portStart: number;
}

/** The host and port text of an IP address `rest` (at `pos` of `text`): [v6]:port, or host:port. */
function splitHostPort(
  text: string,
  rest: string,
  pos: number,
  family: AddressFamily,
  dynamic: boolean,
): HostPort | { error: AddressError } {
  let host: string;
  let hostStart = pos;
  let hostEnd: number;
  let portText: string | undefined;
  let portStart = text.length;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) {
      const colon = rest.lastIndexOf(':');
      const bad = colon > 0 ? rest.slice(0, colon) : rest;
      return { error: { message: `invalid address: '${bad}' in '${text}'`, start: pos, end: pos + bad.length } };
    }
    host = rest.slice(1, close);
    hostStart = pos + 1;
    hostEnd = pos + close;
    const after = rest.slice(close + 1);
    if (after.startsWith(':')) {
      portText = after.slice(1);
      portStart = pos + close + 2;
    } else if (after !== '') {
      return { error: { message: `invalid address: '${rest}' in '${text}'`, start: pos, end: text.length } };
    }
    if (!dynamic && !isIPv6(host)) {
      return {
        error: {
          message: `invalid address: '${rest.slice(0, close + 1)}' in '${text}'`,
          start: pos,
          end: pos + close + 1,
        },
      };
    }
    if (family === 'ipv4' && !dynamic) {
      return {
        error: {
          message: `invalid address: '${rest.slice(0, close + 1)}' in '${text}'`,
          start: pos,
          end: pos + close + 1,
        },
      };
    }
  } else {
    const colon = rest.lastIndexOf(':');
    if (colon >= 0) {
      host = rest.slice(0, colon);
      hostEnd = pos + colon;
      portText = rest.slice(colon + 1);
      portStart = pos + colon + 1;
    } else {
      host = rest;
      hostEnd = text.length;
    }
  }
  return { host, hostStart, hostEnd, portText, portStart };
}

/** Parses one address (a bind line's comma-separated list is split by the caller). */
export function parseAddress(text: string, rules: AddressRules = ADDRESS_RULES.bind): AddressResult {
  const dynamic = text.includes('$');
  if (text.length === 0)
    return { error: { message: "'' resolves to an empty address (environment variable missing?)", start: 0, end: 0 } };

  let pos = 0;
  let socketType: 'stream' | 'dgram' | undefined;
  const first = text.charCodeAt(0);
  if (first === 115 /* s */ && text.startsWith('stream+')) {
    socketType = 'stream';
    pos = 7;
  } else if (first === 100 /* d */ && text.startsWith('dgram+')) {
    socketType = 'dgram';
    pos = 6;
  }

  let family: AddressFamily = 'ip';
  const at = text.indexOf('@', pos);
  const atPos = text.charCodeAt(pos);
  if (at >= 0 && atPos !== 47 /* / */ && atPos !== 91 /* [ */) {
    const candidate = text.slice(pos, at + 1);
    const info = FAMILY_PREFIXES[candidate];
    if (!info || (socketType && info.socketType)) {
      return { error: { message: `invalid address: '${text.slice(0, at + 1)}' in '${text}'`, start: 0, end: at + 1 } };
    }
    family = info.family;
    socketType = info.socketType ?? socketType;
    pos = at + 1;
  } else if (atPos === 47 /* / */) {
    family = 'unix';
  }
  const prefix = text.slice(0, pos);
  const effectiveType = socketType ?? (rules.defaultDgram ? 'dgram' : 'stream');

  // QUIC: datagram sockets carrying a stream transport, which needs a QUIC build.
  if (pos > 0 && prefix.startsWith('quic')) {
    return {
      error: {
        message:
          `unsupported stream protocol for datagram family address '${text}'; QUIC is not compiled in if ` +
          `this is what you were looking for`,
        start: 0,
        end: pos,
      },
    };
  }
  if (effectiveType === 'dgram' && !rules.dgram) {
    return { error: { message: `dgram-type address not acceptable in '${text}'`, start: 0, end: text.length } };
  }
  if (effectiveType === 'stream' && !rules.stream) {
    return { error: { message: `stream-type address not acceptable in '${text}'`, start: 0, end: text.length } };
  }

  const rest = text.slice(pos);

  if (family === 'unix' || family === 'abns') {
    return {
      address: makeAddress(text, prefix, family, socketType, rest, pos, text.length, false, undefined, dynamic),
    };
  }
  if (family === 'fd' || family === 'sockpair') {
    if (!rules.fd)
      return {
        error: { message: `a file descriptor is not acceptable here in '${text}'`, start: 0, end: text.length },
      };
    if (!dynamic && !/^\d+$/.test(rest)) {
      return { error: { message: `invalid file descriptor '${rest}' in '${text}'`, start: pos, end: text.length } };
    }
    return {
      address: makeAddress(text, prefix, family, socketType, rest, pos, text.length, false, undefined, dynamic),
    };
  }

  // IP families: the host, then the port after the last ':' (outside brackets).
  const split = splitHostPort(text, rest, pos, family, dynamic);
  if ('error' in split) return split;
  const { host, hostStart, hostEnd, portText, portStart } = split;

  let isHostname = false;
  if (!dynamic) {
    const hostError = checkHost(host, family, text);
    if (hostError === 'hostname') isHostname = true;
    else if (hostError)
      return {
        error: {
          message: hostError,
          start: hostStart - (rest.startsWith('[') ? 1 : 0),
          end: hostEnd + (rest.startsWith('[') ? 1 : 0),
        },
      };
  }

  let port: PortSpec | undefined;
  if (portText === undefined || portText === '') {
    if (rules.portRequired && !dynamic) {
      return { error: { message: `missing port specification in '${text}'`, start: 0, end: text.length } };
    }
  } else {
    const parsed = parsePort(portText, portStart, text, rules, dynamic);
    if ('message' in parsed) return { error: parsed };
    port = parsed;
  }

  return {
    address: makeAddress(text, prefix, family, socketType, host, hostStart, hostEnd, isHostname, port, dynamic),
  };
}

function makeAddress(
  text: string,
  prefix: string,
  family: AddressFamily,
  socketType: 'stream' | 'dgram' | undefined,
  host: string,
  hostStart: number,
  hostEnd: number,
  isHostname: boolean,
  port: PortSpec | undefined,
  dynamic: boolean,
): ParsedAddress {
  return { text, prefix, family, socketType, host, hostStart, hostEnd, isHostname, port, dynamic };
}

function parsePort(
  portText: string,
  portStart: number,
  text: string,
  rules: AddressRules,
  dynamic: boolean,
): PortSpec | AddressError {
  const end = portStart + portText.length;
  const err = (message: string): AddressError => ({ message, start: portStart, end });
  if (dynamic) return { text: portText, low: 0, high: 0, offset: false, start: portStart, end };

  if (portText.startsWith('+') || portText.startsWith('-')) {
    if (!rules.portOffset) return err(`port offset not permitted here in '${text}'`);
    const digits = portText.slice(1);
    const bad = firstNonDigit(digits);
    if (bad >= 0) return err(`invalid character '${digits[bad]}' in port number '${portText}' in '${text}'`);
    const value = parseInt(digits || '0', 10) * (portText.startsWith('-') ? -1 : 1);
    return { text: portText, low: value, high: value, offset: true, start: portStart, end };
  }

  const dash = portText.indexOf('-');
  const lowText = dash >= 0 ? portText.slice(0, dash) : portText;
  const highText = dash >= 0 ? portText.slice(dash + 1) : undefined;
  if (highText !== undefined && !rules.portRange) return err(`port range not permitted here in '${text}'`);

  const badLow = firstNonDigit(lowText);
  if (badLow >= 0) return err(`invalid character '${lowText[badLow]}' in port number '${lowText}' in '${text}'`);
  const low = parseInt(lowText, 10);
  if (!(low >= rules.minPort && low <= 65535)) return err(`invalid port '${lowText}'`);
  if (highText === undefined) return { text: portText, low, high: low, offset: false, start: portStart, end };

  if (highText === '' || firstNonDigit(highText) >= 0) return err(`invalid port '${highText}'`);
  const high = parseInt(highText, 10);
  if (!(high >= rules.minPort && high <= 65535)) return err(`invalid port '${highText}'`);
  if (high < low) return err(`invalid port range '${portText}'`);
  return { text: portText, low, high, offset: false, start: portStart, end };
}

function firstNonDigit(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return i;
  }
  return -1;
}

/** Undefined when the host is a literal of the right family, 'hostname' for a DNS name, else HAProxy's message. */
function checkHost(host: string, family: AddressFamily, text: string): string | 'hostname' | undefined {
  if (host === '' || host === '*') return undefined; // "any" address
  const v4 = looksNumericV4(host);
  if (v4) {
    if (!isInetAtonAddress(host)) return invalidHost(host, text);
    return family === 'ipv6' ? invalidHost(host, text) : undefined;
  }
  if (host.includes(':')) {
    if (!isIPv6(host)) return invalidHost(host, text);
    return family === 'ipv4' ? invalidHost(host, text) : undefined;
  }
  // A name: HAProxy resolves it when it parses the file; only syntax can be judged here.
  if (!isHostnameSyntax(host)) return invalidHost(host, text);
  return 'hostname';
}

function invalidHost(host: string, text: string): string {
  return `invalid address: '${host}' in '${text}'`;
}

/** /^[A-Za-z0-9._-]+$/ (host is not empty). */
function isHostnameSyntax(host: string): boolean {
  for (let i = 0; i < host.length; i++) {
    const c = host.charCodeAt(i);
    if (!(isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 46 || c === 95 || c === 45))
      return false;
  }
  return true;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isHexDigit(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/**
 * Dots, decimal digits and hex digits after 0x only: a numeric IPv4 form (or a typo of one).
 * /^(0[xX][0-9a-fA-F]*|[0-9]+)(\.(0[xX][0-9a-fA-F]*|[0-9]*))*$/, read by hand.
 */
function looksNumericV4(host: string): boolean {
  const n = host.length;
  let i = 0;
  for (let part = 0; ; part++) {
    // One part: 0x + hex digits, or decimal digits (at least one in the first part).
    const from = i;
    if (i + 1 < n && host.charCodeAt(i) === 48 && (host.charCodeAt(i + 1) === 120 || host.charCodeAt(i + 1) === 88)) {
      i += 2;
      while (i < n && isHexDigit(host.charCodeAt(i))) i++;
    } else {
      while (i < n && isDigit(host.charCodeAt(i))) i++;
      if (part === 0 && i === from) return false;
    }
    if (i === n) return true;
    if (host.charCodeAt(i) !== 46) return false;
    i++;
  }
}

/** inet_aton(): a, a.b, a.b.c or a.b.c.d; decimal, octal (leading 0) or hex (0x) parts. */
export function isInetAtonAddress(host: string): boolean {
  const n = host.length;
  let i = 0;
  for (let parts = 1; parts <= 4; parts++) {
    // One part up to the next '.': 0x + hex digits, 0 + octal digits, or a decimal number.
    if (i >= n) return false;
    let c = host.charCodeAt(i);
    if (c === 46) return false;
    let v = 0;
    if (c === 48 && i + 1 < n && (host.charCodeAt(i + 1) === 120 || host.charCodeAt(i + 1) === 88)) {
      i += 2;
      if (i >= n || host.charCodeAt(i) === 46) return false;
      for (; i < n && (c = host.charCodeAt(i)) !== 46; i++) {
        if (!isHexDigit(c)) return false;
        v = v * 16 + (c <= 57 ? c - 48 : (c | 32) - 87);
      }
    } else if (c === 48) {
      for (i++; i < n && (c = host.charCodeAt(i)) !== 46; i++) {
        if (c < 48 || c > 55) return false;
        v = v * 8 + (c - 48);
      }
    } else if (c >= 49 && c <= 57) {
      for (; i < n && (c = host.charCodeAt(i)) !== 46; i++) {
        if (!isDigit(c)) return false;
        v = v * 10 + (c - 48);
      }
    } else {
      return false;
    }
    // The last part fills the remaining bytes; the others are one byte each.
    if (i >= n) return v < 2 ** (8 * (5 - parts));
    if (v > 255) return false;
    i++;
  }
  return false;
}

// --- IP literals as numbers ----------------------------------------------------------------------
// For address arithmetic (VIP pools) and comparisons of differently spelled addresses. Strict: the
// dotted-quad IPv4 and the IPv6 text forms only (no inet_aton shorthands, no host names).

export type IpFamily = 4 | 6;

/** The numeric value of an IP literal; undefined when `text` is not one. */
export function ipValue(text: string): { family: IpFamily; value: bigint } | undefined {
  const t = text.trim();
  if (isIPv4(t)) return { family: 4, value: t.split('.').reduce((acc, o) => (acc << 8n) | BigInt(Number(o)), 0n) };
  if (!isIPv6(t)) return undefined;
  let head = t;
  let embeddedV4: bigint | undefined;
  const lastColon = t.lastIndexOf(':');
  if (t.slice(lastColon + 1).includes('.')) {
    embeddedV4 = ipValue(t.slice(lastColon + 1))?.value;
    if (embeddedV4 === undefined) return undefined;
    head = `${t.slice(0, lastColon + 1)}0:0`;
  }
  const [left, right] = head.includes('::') ? head.split('::') : [head, undefined];
  const l = left ? left.split(':') : [];
  const r = right !== undefined && right !== '' ? right.split(':') : [];
  const groups = right === undefined ? l : [...l, ...Array<string>(8 - l.length - r.length).fill('0'), ...r];
  let value = groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
  if (embeddedV4 !== undefined) value = (value & ~0xffffffffn) | embeddedV4;
  return { family: 6, value };
}

/** An IP value as text: dotted quad, or IPv6 with the longest zero run compressed (RFC 5952). */
export function formatIp(family: IpFamily, value: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 0xffn)).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
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

/** The canonical spelling of an IP literal (so spellings compare equal); undefined when not one. */
export function canonicalIp(text: string): string | undefined {
  const v = ipValue(text);
  return v && formatIp(v.family, v.value);
}

/** Host and port of a `server` line's address as HAProxy reads it; other families (unix@...) as written. */
export function serverAddress(text: string): { address: string; port?: number } {
  const { address } = parseAddress(text, ADDRESS_RULES.server);
  if (!address || (address.family !== 'ip' && address.family !== 'ipv4' && address.family !== 'ipv6'))
    return { address: text };
  return { address: address.host, port: address.port && !address.port.offset ? address.port.low : undefined };
}
