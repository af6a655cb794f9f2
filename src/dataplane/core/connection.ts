// A connection to one Data Plane API server: what lives in settings (no secrets) and what lives
// in secret storage, plus validation of everything a user can type.
import { MAX_PEM_CHARS } from '../../shared/limits';

export type AuthKind = 'basic' | 'mtls';

/** Stored in settings: never a password, key or certificate. */
/**
 * What stored secrets are bound to: the server they were entered for and how it is verified. A
 * password must not follow a connection id to another URL, nor to the same URL with verification
 * turned off or another TLS name (a man in the middle could then read it).
 */
export interface SecretsBinding {
  url: string;
  insecure: boolean;
  serverName: string;
}

export function secretsBinding(s: Pick<ConnectionSettings, 'url' | 'insecure' | 'serverName'>): SecretsBinding {
  return { url: s.url, insecure: s.insecure === true, serverName: s.serverName ?? '' };
}

/** Why stored secrets may not be used for these settings, or undefined when they may. */
export function bindingMismatch(
  stored: Partial<Record<keyof SecretsBinding, unknown>>,
  settings: Pick<ConnectionSettings, 'url' | 'insecure' | 'serverName'>,
): string | undefined {
  const now = secretsBinding(settings);
  if (stored.url !== now.url)
    return `they were entered for ${String(stored.url)}, and the connection now points at ${now.url}`;
  if ((stored.insecure === true) !== now.insecure)
    return now.insecure
      ? 'TLS verification was turned off since they were entered'
      : 'TLS verification was turned on since they were entered';
  if ((typeof stored.serverName === 'string' ? stored.serverName : '') !== now.serverName)
    return `the TLS server name changed since they were entered (now "${now.serverName || "the URL's host"}")`;
  return undefined;
}

export interface ConnectionSettings {
  /** Stable key for secret storage and URIs: [a-z0-9-]. */
  id: string;
  /** Display name. */
  name: string;
  /** Base URL: scheme, host, port and optionally a path prefix or /v2, /v3. */
  url: string;
  auth: AuthKind;
  /** For basic auth. */
  username?: string;
  /** TLS: verify the certificate against this name instead of the URL's host. */
  serverName?: string;
  /** TLS: skip certificate verification (explicit, per connection; off by default). */
  insecure?: boolean;
}

/** Stored in secret storage only. PEMs are kept there too so settings stay small and clean. */
export interface ConnectionSecrets {
  password?: string;
  caPem?: string;
  certPem?: string;
  keyPem?: string;
}

export interface Connection {
  settings: ConnectionSettings;
  secrets: ConnectionSecrets;
}

const ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Returns a message for the first problem of a URL typed by the user, or undefined. */
export function checkUrl(raw: string): string | undefined {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    return 'Enter a URL such as https://lb.example.com:5556 or http://127.0.0.1:5555';
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return 'The URL must start with http:// or https://';
  if (u.username || u.password) return 'Do not put the user or password in the URL; you are asked for them next';
  if (u.search || u.hash) return 'The URL must not have a query or fragment';
  return undefined;
}

export function checkName(raw: string): string | undefined {
  const s = raw.trim();
  if (!s) return 'Enter a name';
  if (s.length > 80) return 'Use at most 80 characters';
  if (/[\\/]/.test(s)) return 'The name must not contain / or \\';
  return undefined;
}

export function checkPem(raw: string, kind: 'certificate' | 'key'): string | undefined {
  if (raw.length > MAX_PEM_CHARS) return `This PEM ${kind} is larger than ${MAX_PEM_CHARS / 1024 / 1024} MiB`;
  // The first BEGIN line, then an END line after it: a lazy `[\s\S]+?` between them was tried
  // again from every BEGIN of a text without END (quadratic).
  const begin = (
    kind === 'certificate' ? /-----BEGIN CERTIFICATE-----/ : /-----BEGIN [A-Z ]{0,40}PRIVATE KEY-----/
  ).exec(raw);
  if (!begin) return `This is not a PEM ${kind}`;
  const rest = raw.slice(begin.index + begin[0].length + 1);
  const end = kind === 'certificate' ? /-----END CERTIFICATE-----/ : /-----END [A-Z ]{0,40}PRIVATE KEY-----/;
  return end.test(rest) ? undefined : `This is not a PEM ${kind}`;
}

/** A connection id from a name, unique among `taken`. */
export function connectionId(name: string, taken: ReadonlySet<string>): string {
  const base =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'server';
  let id = base;
  for (let i = 2; taken.has(id); i++) id = `${base}-${i}`;
  return id;
}

/** Validates settings read back from the user's settings.json (they may have been hand-edited). */
export function parseConnectionSettings(v: unknown): { ok: ConnectionSettings[]; problems: string[] } {
  const ok: ConnectionSettings[] = [];
  const problems: string[] = [];
  if (!Array.isArray(v))
    return {
      ok,
      problems: v === undefined || v === null ? [] : ['haproxyGateway.dataplane.connections must be an array'],
    };
  const seen = new Set<string>();
  v.forEach((item, i) => {
    const where = `haproxyGateway.dataplane.connections[${i}]`;
    if (typeof item !== 'object' || item === null) return void problems.push(`${where} is not an object`);
    const o = item as Record<string, unknown>;
    const id = o.id,
      name = o.name,
      url = o.url,
      auth = o.auth ?? 'basic';
    if (typeof id !== 'string' || !ID.test(id)) return void problems.push(`${where}.id must match ${ID.source}`);
    if (seen.has(id)) return void problems.push(`${where}.id "${id}" is used twice`);
    if (typeof name !== 'string' || checkName(name))
      return void problems.push(`${where}.name: ${typeof name === 'string' ? checkName(name) : 'missing'}`);
    if (typeof url !== 'string' || checkUrl(url))
      return void problems.push(`${where}.url: ${typeof url === 'string' ? checkUrl(url) : 'missing'}`);
    if (auth !== 'basic' && auth !== 'mtls') return void problems.push(`${where}.auth must be "basic" or "mtls"`);
    if (o.username !== undefined && typeof o.username !== 'string')
      return void problems.push(`${where}.username must be a string`);
    if (o.serverName !== undefined && typeof o.serverName !== 'string')
      return void problems.push(`${where}.serverName must be a string`);
    if (o.insecure !== undefined && typeof o.insecure !== 'boolean')
      return void problems.push(`${where}.insecure must be true or false`);
    seen.add(id);
    ok.push({
      id,
      name: name.trim(),
      url: url.trim(),
      auth,
      username: o.username as string | undefined,
      serverName: o.serverName as string | undefined,
      insecure: o.insecure === true ? true : undefined,
    });
  });
  return { ok, problems };
}
