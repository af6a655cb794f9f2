// Structured reading of the statements other features query most: bind lines (addresses and
// options), server-like lines (server, server-template, default-server, peer, mailer, nameserver)
// and their options. Option arity (flag or option with a value) comes from the keyword data when the
// caller has it; the built-in flag sets below are the flags HAProxy 2.6 registers
// (`haproxy -dKall`), so the query API works without loading keyword data.

import { ADDRESS_RULES, parseAddress, type AddressError, type AddressRules, type ParsedAddress } from './address';
import type { Directive } from './model';
import type { SectionKind } from './sections';
import type { Word } from './tokenizer';

/** How many values an option takes: 0 for a flag, undefined when unknown. */
export type OptionArity = (name: string) => number | undefined;

const BIND_FLAGS = new Set([
  'accept-proxy',
  'allow-0rtt',
  'defer-accept',
  'force-sslv3',
  'force-tlsv10',
  'force-tlsv11',
  'force-tlsv12',
  'force-tlsv13',
  'generate-certificates',
  'no-ca-names',
  'no-sslv3',
  'no-tls-tickets',
  'no-tlsv10',
  'no-tlsv11',
  'no-tlsv12',
  'no-tlsv13',
  'prefer-client-ciphers',
  'strict-sni',
  'tfo',
  'transparent',
  'v4v6',
  'v6only',
  'ssl',
  'quic-force-retry',
  'no-alpn',
]);

const SERVER_FLAGS = new Set([
  'agent-check',
  'allow-0rtt',
  'backup',
  'check',
  'check-send-proxy',
  'check-ssl',
  'check-via-socks4',
  'disabled',
  'enabled',
  'force-sslv3',
  'force-tlsv10',
  'force-tlsv11',
  'force-tlsv12',
  'force-tlsv13',
  'no-agent-check',
  'no-backup',
  'no-check',
  'no-check-send-proxy',
  'no-check-ssl',
  'no-send-proxy',
  'no-send-proxy-v2',
  'no-send-proxy-v2-ssl',
  'no-send-proxy-v2-ssl-cn',
  'no-ssl',
  'no-ssl-reuse',
  'no-sslv3',
  'no-tfo',
  'no-tls-tickets',
  'no-tlsv10',
  'no-tlsv11',
  'no-tlsv12',
  'no-tlsv13',
  'non-stick',
  'send-proxy',
  'send-proxy-v2',
  'send-proxy-v2-ssl',
  'send-proxy-v2-ssl-cn',
  'ssl',
  'ssl-reuse',
  'stick',
  'tfo',
  'tls-tickets',
]);

export const defaultBindArity: OptionArity = (name) => (BIND_FLAGS.has(name) ? 0 : 1);
export const defaultServerArity: OptionArity = (name) => (SERVER_FLAGS.has(name) ? 0 : 1);

export interface StatementOption {
  readonly name: Word;
  /** Values following the option (one for most options, none for flags). */
  readonly values: readonly Word[];
}

export interface AddressItem {
  /** The word holding the address list. */
  readonly word: Word;
  /** This address's text (one item of a comma-separated list). */
  readonly text: string;
  /** Character range of this item in the line (the whole word when it is quoted). */
  readonly start: number;
  readonly end: number;
  readonly address?: ParsedAddress;
  readonly error?: AddressError;
}

export interface BindStatement {
  readonly directive: Directive;
  readonly addressWord?: Word;
  readonly addresses: readonly AddressItem[];
  readonly options: readonly StatementOption[];
}

export interface ServerStatement {
  readonly directive: Directive;
  /** server, server-template, default-server, peer, mailer, nameserver (or server in a peers section). */
  readonly keyword: string;
  readonly name?: Word;
  /** server-template: the number or range of servers. */
  readonly count?: Word;
  readonly addressWord?: Word;
  readonly address?: AddressItem;
  readonly options: readonly StatementOption[];
}

/** Splits an address word on commas (bind lists) and parses each item. */
export function parseAddressList(word: Word, rules: AddressRules, allowList: boolean): AddressItem[] {
  const value = word.value;
  // Positions map to the source only for plain words; a quoted or escaped word is reported whole.
  const exact = word.raw === word.value;
  if (!allowList || !value.includes(',')) return [addressItem(word, value, word.start, exact, rules)];
  const items: AddressItem[] = [];
  const parts = value.split(',');
  let offset = 0;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    const start = word.start + (exact ? offset : 0);
    offset += part.length + 1;
    // HAProxy ignores an empty item after a trailing comma but not elsewhere.
    if (part === '' && i === parts.length - 1 && i > 0) continue;
    items.push(addressItem(word, part, start, exact, rules));
  }
  return items;
}

function addressItem(word: Word, part: string, start: number, exact: boolean, rules: AddressRules): AddressItem {
  const end = exact ? start + part.length : word.end;
  const result = parseAddress(part, rules);
  const e = result.error;
  if (e) {
    const error = {
      message: e.message,
      start: exact ? start + e.start : word.start,
      end: exact ? start + Math.max(e.end, e.start + 1) : word.end,
    };
    return result.address
      ? { word, text: part, start, end, address: result.address, error }
      : { word, text: part, start, end, error };
  }
  return { word, text: part, start, end, address: result.address };
}

const NO_VALUES: readonly Word[] = Object.freeze([]);

/** Reads options (`name value...` or flags) from `words[from]` on. */
export function readOptions(words: readonly Word[], from: number, arity: OptionArity): StatementOption[] {
  const options: StatementOption[] = [];
  let i = from;
  while (i < words.length) {
    const name = words[i++];
    const n = optionValueCount(words.length, i, arity(name.value) ?? 1);
    const values = n === 0 ? NO_VALUES : words.slice(i, i + n);
    i += n;
    options.push({ name, values });
  }
  return options;
}

/**
 * How many values an option of arity `n` has when its values start at `words[i]` (i <= length):
 * `words.slice(i, Math.min(length, i + n)).length`, without the copy.
 */
export function optionValueCount(length: number, i: number, n: number): number {
  const rel = Math.min(length, i + n);
  // As Array.prototype.slice reads its end: truncated, negative from the end, within [0, length].
  let end = Number.isNaN(rel) ? 0 : Math.trunc(rel);
  end = end < 0 ? Math.max(length + end, 0) : Math.min(end, length);
  return Math.max(end - i, 0);
}

export function parseBind(directive: Directive, arity: OptionArity = defaultBindArity): BindStatement {
  const words = directive.words;
  const k = directive.keywordIndex;
  const addressWord = words[k + 1];
  const rules = directive.keyword === 'dgram-bind' ? ADDRESS_RULES.dgramBind : ADDRESS_RULES.bind;
  const addresses = addressWord ? parseAddressList(addressWord, rules, true) : [];
  const options = readOptions(words, k + 2, arity);
  return addressWord ? { directive, addressWord, addresses, options } : { directive, addresses, options };
}

const SERVER_LIKE: Readonly<Record<string, readonly SectionKind[]>> = {
  server: ['backend', 'listen', 'peers', 'defaults', 'frontend', 'ring'],
  'server-template': ['backend', 'listen', 'defaults', 'frontend'],
  'default-server': ['backend', 'listen', 'defaults', 'frontend', 'peers'],
  peer: ['peers'],
  mailer: ['mailers'],
  nameserver: ['resolvers'],
};

/** A server-like line without its options, which start at `optionsFrom` (see readOptions). */
export interface ServerHead {
  readonly keyword: string;
  readonly name?: Word;
  readonly count?: Word;
  readonly addressWord?: Word;
  readonly address?: AddressItem;
  readonly optionsFrom: number;
}

/**
 * Reads the start of a server-like line (what parseServer() returns but the options); undefined for any other keyword.
 */
export function readServerHead(directive: Directive, section: SectionKind): ServerHead | undefined {
  const keyword = directive.keyword;
  const where = SERVER_LIKE[keyword];
  if (!where || !where.includes(section)) return undefined;
  const words = directive.words;
  const k = directive.keywordIndex;
  if (keyword === 'default-server') return { keyword, optionsFrom: k + 1 };
  const rules: AddressRules =
    keyword === 'peer'
      ? ADDRESS_RULES.peer
      : keyword === 'mailer'
        ? ADDRESS_RULES.mailer
        : keyword === 'nameserver'
          ? ADDRESS_RULES.nameserver
          : ADDRESS_RULES.server;
  const name = words[k + 1];
  let next = k + 2;
  let count: Word | undefined;
  if (keyword === 'server-template') {
    count = words[next];
    next++;
  }
  const addressWord = words[next];
  // A server in a peers section may omit its address (the local peer): the next word is then an option.
  const peersLocal =
    section === 'peers' && keyword === 'server' && (!addressWord || !looksLikeAddress(addressWord.value));
  const address = addressWord && !peersLocal ? parseAddressList(addressWord, rules, false)[0] : undefined;
  return {
    keyword,
    name,
    count,
    addressWord: peersLocal ? undefined : addressWord,
    address,
    optionsFrom: peersLocal ? next : next + 1,
  };
}

/** Parses a server-like line; undefined for any other keyword. */
export function parseServer(
  directive: Directive,
  section: SectionKind,
  arity: OptionArity = defaultServerArity,
): ServerStatement | undefined {
  const head = readServerHead(directive, section);
  if (!head) return undefined;
  // Optional members are absent, not undefined (same keys, same order as written out).
  const stmt: { -readonly [K in keyof ServerStatement]: ServerStatement[K] } = {
    directive,
    keyword: head.keyword,
  } as ServerStatement;
  if (head.name) stmt.name = head.name;
  if (head.count) stmt.count = head.count;
  if (head.addressWord) stmt.addressWord = head.addressWord;
  if (head.address) stmt.address = head.address;
  stmt.options = readOptions(directive.words, head.optionsFrom, arity);
  return stmt;
}

function looksLikeAddress(value: string): boolean {
  return /[:/@.*\d]/.test(value);
}

/** The values of the first option with this name. */
export function optionValues(options: readonly StatementOption[], name: string): readonly Word[] | undefined {
  return options.find((o) => o.name.value === name)?.values;
}

export function hasOption(options: readonly StatementOption[], name: string): boolean {
  return options.some((o) => o.name.value === name);
}
