// Keywords HAProxy 2.6 rejects because they were removed, with what replaces them. The keyword data
// lists only some of them (it records what the binary registers); these are the ones the 2.6 parser
// refuses by name (checked with `haproxy -c`). Messages are ours.

export interface RemovedKeyword {
  readonly since: string;
  /** What to write instead, when there is a direct replacement. */
  readonly instead?: string;
  /** A replacement that keeps the line's arguments, offered as a quick fix. */
  readonly replaceWith?: string;
}

// Maps, not object literals: a keyword such as 'constructor' must not find Object.prototype.
function entries(table: Record<string, RemovedKeyword>): ReadonlyMap<string, RemovedKeyword> {
  return new Map(Object.entries(table));
}

/** Proxy keywords (frontend, backend, listen, defaults). */
export const REMOVED_PROXY_KEYWORDS: ReadonlyMap<string, RemovedKeyword> = entries({
  reqrep: {
    since: '2.1',
    instead: "'http-request replace-path', 'http-request replace-uri' or 'http-request replace-header'",
  },
  reqirep: {
    since: '2.1',
    instead: "'http-request replace-path', 'http-request replace-uri' or 'http-request replace-header'",
  },
  reqadd: { since: '2.1', instead: "'http-request add-header'" },
  reqdel: { since: '2.1', instead: "'http-request del-header'" },
  reqidel: { since: '2.1', instead: "'http-request del-header'" },
  reqdeny: { since: '2.1', instead: "'http-request deny'" },
  reqideny: { since: '2.1', instead: "'http-request deny'" },
  reqallow: { since: '2.1', instead: "'http-request allow'" },
  reqiallow: { since: '2.1', instead: "'http-request allow'" },
  reqpass: { since: '2.1', instead: 'nothing (remove the line)' },
  reqipass: { since: '2.1', instead: 'nothing (remove the line)' },
  reqtarpit: { since: '2.1', instead: "'http-request tarpit'" },
  reqitarpit: { since: '2.1', instead: "'http-request tarpit'" },
  rsprep: { since: '2.1', instead: "'http-response replace-header'" },
  rspirep: { since: '2.1', instead: "'http-response replace-header'" },
  rspadd: { since: '2.1', instead: "'http-response add-header'" },
  rspdel: { since: '2.1', instead: "'http-response del-header'" },
  rspidel: { since: '2.1', instead: "'http-response del-header'" },
  rspdeny: { since: '2.1', instead: "'http-response deny'" },
  rspideny: { since: '2.1', instead: "'http-response deny'" },
  block: { since: '2.1', instead: "'http-request deny' (same syntax)", replaceWith: 'http-request deny' },
  redispatch: { since: '2.1', instead: "'option redispatch'", replaceWith: 'option redispatch' },
  'monitor-net': { since: '2.2', instead: "'http-request return status 200 if { src <network> }'" },
  appsession: { since: '1.6', instead: "'cookie' persistence or stick tables" },
  grace: { since: '2.5' },
  clitimeout: { since: '2.1', instead: "'timeout client'", replaceWith: 'timeout client' },
  contimeout: { since: '2.1', instead: "'timeout connect'", replaceWith: 'timeout connect' },
  srvtimeout: { since: '2.1', instead: "'timeout server'", replaceWith: 'timeout server' },
});

/** Names after `option` that 2.6 refuses. */
export const REMOVED_OPTIONS: ReadonlyMap<string, RemovedKeyword> = entries({
  forceclose: { since: '2.0', instead: "'option httpclose' if really needed", replaceWith: 'option httpclose' },
  'http-tunnel': { since: '2.1', instead: 'nothing (remove the line)' },
  http_proxy: { since: '2.5', instead: "'http-request set-dst' and 'http-request set-dst-port'" },
  'http-use-htx': { since: '2.1', instead: 'nothing (HTX is always on)' },
});

export const REMOVED_GLOBAL_KEYWORDS: ReadonlyMap<string, RemovedKeyword> = entries({
  nbproc: { since: '2.5', instead: "'nbthread' (threads are used automatically)" },
  'tune.chksize': { since: '2.0', instead: "'tune.bufsize'" },
  debug: { since: '2.6', instead: "the '-d' command-line option" },
});

/** `mode` values 2.6 accepts. */
export const PROXY_MODES = new Set(['http', 'tcp', 'log']);

/** Prefixes `no` and `default` are only accepted before these keywords (HAProxy 2.6 readcfgfile). */
export const MODIFIABLE_KEYWORDS = new Set([
  'option',
  'log',
  'busy-polling',
  'set-dumpable',
  'strict-limits',
  'insecure-fork-wanted',
  'numa-cpu-mapping',
]);

/** Keywords that need a build feature; the keyword data cannot tell them from parser built-ins. */
export const FEATURE_KEYWORD_PREFIXES: readonly (readonly [prefix: string, feature: string])[] = [
  ['51degrees-', '51DEGREES'],
  ['deviceatlas-', 'DEVICEATLAS'],
  ['wurfl-', 'WURFL'],
  ['ssl-engine', 'ENGINE'],
  ['tune.quic.', 'QUIC'],
];

/** Predefined ACLs of HAProxy 2.6 (acl.c default_acl_list). */
export const PREDEFINED_ACLS: ReadonlyMap<string, string> = new Map([
  ['TRUE', 'always match'],
  ['FALSE', 'never match'],
  ['LOCALHOST', 'match connection from local host (src 127.0.0.1/8 ::1)'],
  ['HTTP', 'match if protocol is valid HTTP'],
  ['HTTP_1.0', 'match HTTP version 1.0'],
  ['HTTP_1.1', 'match HTTP version 1.1'],
  ['HTTP_2.0', 'match HTTP version 2.0'],
  ['HTTP_CONTENT', 'match an existing content-length in the HTTP request'],
  ['HTTP_URL_ABS', 'match absolute URL with scheme'],
  ['HTTP_URL_SLASH', 'match URL beginning with "/"'],
  ['HTTP_URL_STAR', 'match URL equal to "*"'],
  ['METH_CONNECT', 'match HTTP CONNECT method'],
  ['METH_DELETE', 'match HTTP DELETE method'],
  ['METH_GET', 'match HTTP GET or HEAD method'],
  ['METH_HEAD', 'match HTTP HEAD method'],
  ['METH_OPTIONS', 'match HTTP OPTIONS method'],
  ['METH_POST', 'match HTTP POST method'],
  ['METH_PUT', 'match HTTP PUT method'],
  ['METH_TRACE', 'match HTTP TRACE method'],
  ['RDP_COOKIE', 'match presence of an RDP cookie in the request buffer'],
  ['REQ_CONTENT', 'match data in the request buffer'],
  ['WAIT_END', 'wait for end of content analysis'],
]);

/** Variable scopes HAProxy 2.6 accepts (`txn.name`). */
export const VARIABLE_SCOPES = ['proc', 'sess', 'txn', 'req', 'res', 'check'] as const;

/** `timeout` names HAProxy 2.6 knows. */
export const TIMEOUT_NAMES = new Set([
  'client',
  'server',
  'connect',
  'queue',
  'tarpit',
  'http-request',
  'http-keep-alive',
  'check',
  'tunnel',
  'client-fin',
  'server-fin',
]);
