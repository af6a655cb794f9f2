// The section kinds HAProxy 2.6 registers, and the rules their headers follow (checked against
// `haproxy -c` 2.6.12: name requirements, which names share a namespace, which duplicates are errors).

export type SectionKind =
  | 'global'
  | 'defaults'
  | 'frontend'
  | 'backend'
  | 'listen'
  | 'userlist'
  | 'peers'
  | 'resolvers'
  | 'mailers'
  | 'program'
  | 'http-errors'
  | 'ring'
  | 'cache'
  | 'fcgi-app'
  | 'log-forward'
  | 'namespace_list'
  // HAProxy 3.1+ (log-profile) and 3.2+ (crt-store, traces, acme): the keyword data of the targeted
  // version says whether it knows them.
  | 'log-profile'
  | 'crt-store'
  | 'traces'
  | 'acme';

export interface SectionInfo {
  readonly kind: SectionKind;
  /** 'required': HAProxy rejects the header without a name; 'optional': defaults; 'none': takes no name. */
  readonly name: 'required' | 'optional' | 'none';
  /** Accepts `from <defaults>` after the name. */
  readonly from: boolean;
  /**
   * Sections whose names collide with each other (HAProxy keeps them in one table).
   * Frontends and backends may share a name; a listen section collides with both.
   */
  readonly namespace?:
    | 'proxy'
    | 'peers'
    | 'resolvers'
    | 'mailers'
    | 'program'
    | 'http-errors'
    | 'ring'
    | 'cache'
    | 'fcgi-app'
    | 'userlist';
  /** One-line description for outline and hover. */
  readonly summary: string;
}

export const SECTIONS: Readonly<Record<SectionKind, SectionInfo>> = {
  global: { kind: 'global', name: 'none', from: false, summary: 'Process-wide settings' },
  defaults: {
    kind: 'defaults',
    name: 'optional',
    from: true,
    summary: 'Default settings for the proxies that follow (or that name it with `from`)',
  },
  frontend: {
    kind: 'frontend',
    name: 'required',
    from: true,
    namespace: 'proxy',
    summary: 'Accepts client connections',
  },
  backend: {
    kind: 'backend',
    name: 'required',
    from: true,
    namespace: 'proxy',
    summary: 'Servers that receive forwarded connections',
  },
  listen: {
    kind: 'listen',
    name: 'required',
    from: true,
    namespace: 'proxy',
    summary: 'A frontend and a backend in one section',
  },
  userlist: {
    kind: 'userlist',
    name: 'required',
    from: false,
    namespace: 'userlist',
    summary: 'Users and groups for HTTP authentication',
  },
  peers: {
    kind: 'peers',
    name: 'required',
    from: false,
    namespace: 'peers',
    summary: 'Peers that synchronize stick tables',
  },
  resolvers: {
    kind: 'resolvers',
    name: 'required',
    from: false,
    namespace: 'resolvers',
    summary: 'DNS servers used to resolve server addresses',
  },
  mailers: {
    kind: 'mailers',
    name: 'required',
    from: false,
    namespace: 'mailers',
    summary: 'SMTP servers for e-mail alerts',
  },
  program: {
    kind: 'program',
    name: 'required',
    from: false,
    namespace: 'program',
    summary: 'External program run by the master process',
  },
  'http-errors': {
    kind: 'http-errors',
    name: 'required',
    from: false,
    namespace: 'http-errors',
    summary: 'Error pages shared by proxies',
  },
  ring: {
    kind: 'ring',
    name: 'required',
    from: false,
    namespace: 'ring',
    summary: 'In-memory ring buffer for logs and traces',
  },
  cache: { kind: 'cache', name: 'required', from: false, namespace: 'cache', summary: 'HTTP response cache' },
  'fcgi-app': {
    kind: 'fcgi-app',
    name: 'required',
    from: false,
    namespace: 'fcgi-app',
    summary: 'FastCGI application',
  },
  'log-forward': {
    kind: 'log-forward',
    name: 'required',
    from: false,
    namespace: 'proxy',
    summary: 'Syslog forwarding',
  },
  namespace_list: { kind: 'namespace_list', name: 'none', from: false, summary: 'Network namespaces' },
  'log-profile': {
    kind: 'log-profile',
    name: 'required',
    from: false,
    summary: 'Log formats per logging step (HAProxy 3.1+)',
  },
  'crt-store': {
    kind: 'crt-store',
    name: 'optional',
    from: false,
    summary: 'Certificates and keys loaded once (HAProxy 3.2+)',
  },
  traces: { kind: 'traces', name: 'none', from: false, summary: 'Trace sources and their settings (HAProxy 3.2+)' },
  acme: { kind: 'acme', name: 'required', from: false, summary: 'An ACME certificate provider (HAProxy 3.2+)' },
};

const SECTION_KINDS = new Set<string>(Object.keys(SECTIONS));

export function isSectionKeyword(word: string): word is SectionKind {
  return SECTION_KINDS.has(word);
}

/** Sections that are proxies (hold binds, servers, ACLs and rules). */
export function isProxyKind(kind: string): kind is 'frontend' | 'backend' | 'listen' | 'defaults' {
  return kind === 'frontend' || kind === 'backend' || kind === 'listen' || kind === 'defaults';
}

/** Proxies that accept connections. */
export function hasFrontendRole(kind: SectionKind): boolean {
  return kind === 'frontend' || kind === 'listen';
}

/** Proxies that hold servers. */
export function hasBackendRole(kind: SectionKind): boolean {
  return kind === 'backend' || kind === 'listen';
}

/**
 * Characters HAProxy accepts in proxy, server and ACL names (invalid_char() in HAProxy):
 * letters, digits, '-', '_', '.' and ':'.
 */
export function firstInvalidNameChar(name: string): number {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const ok =
      (c >= 48 && c <= 57) ||
      (c >= 65 && c <= 90) ||
      (c >= 97 && c <= 122) ||
      c === 45 ||
      c === 95 ||
      c === 46 ||
      c === 58;
    if (!ok) return i;
  }
  return -1;
}
