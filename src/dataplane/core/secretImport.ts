// Imports connections from the Secret format of the 2020 "Load Balancer API" HAProxy controller:
// YAML with `servers` (base URLs such as https://HOST:5556/v2), `serverName`,
// `certificateAuthorityData`, `clientCertificateData`, `clientKeyData` (base64 PEM) and `debug`.
// Accepts that YAML itself or a whole Kubernetes Secret holding it under the key `value`.
import { parse as parseYaml } from 'yaml';
import { UserFacingError } from '../../shared/errors';
import { MAX_SECRET_FIELD_CHARS } from '../../shared/limits';
import { yamlErrorPosition } from '../../shared/yamlErrors';
import { checkPem, checkUrl, connectionId, type Connection } from './connection';

export interface ImportResult {
  connections: Connection[];
  /** `debug: true` in the Secret: the UI may raise the log level. */
  debug: boolean;
}

export function importLoadBalancerSecret(text: string, takenIds: ReadonlySet<string> = new Set()): ImportResult {
  // The size check comes first: its own message, not a YAML error.
  const yaml = capped(text, 'The Secret');
  let doc: unknown;
  try {
    doc = parseYaml(yaml);
  } catch (err) {
    throw new UserFacingError(`This is not YAML: error at ${yamlErrorPosition(err)}.`);
  }
  return importLoadBalancerSecretObject(doc, takenIds);
}

/** The same from parsed data: the format's fields, or a Secret as the Kubernetes API returns it. */
export function importLoadBalancerSecretObject(
  input: unknown,
  takenIds: ReadonlySet<string> = new Set(),
): ImportResult {
  const doc = unwrapSecret(input);
  if (typeof doc !== 'object' || doc === null)
    throw new UserFacingError('Expected YAML with a "servers" list (the Load Balancer API Secret format).');
  const o = doc as Record<string, unknown>;
  if (!Array.isArray(o.servers) || o.servers.length === 0)
    throw new UserFacingError('The Secret has no "servers" list of Data Plane API URLs.');
  const serverName = optionalString(o.serverName, 'serverName');
  const caPem = pem(o.certificateAuthorityData, 'certificateAuthorityData', 'certificate');
  const certPem = pem(o.clientCertificateData, 'clientCertificateData', 'certificate');
  const keyPem = pem(o.clientKeyData, 'clientKeyData', 'key');
  if ((certPem === undefined) !== (keyPem === undefined))
    throw new UserFacingError('The Secret has a client certificate without its key, or a key without its certificate.');
  const taken = new Set(takenIds);
  const connections = o.servers.map((u, i): Connection => {
    if (typeof u !== 'string' || checkUrl(u))
      throw new UserFacingError(`servers[${i}] is not a URL: ${typeof u === 'string' ? checkUrl(u) : typeof u}`);
    const url = new URL(u);
    const name = `${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
    const id = connectionId(name, taken);
    taken.add(id);
    return {
      settings: { id, name, url: u, auth: certPem ? 'mtls' : 'basic', serverName, insecure: undefined },
      secrets: { caPem, certPem, keyPem },
    };
  });
  return { connections, debug: o.debug === true || o.debug === 'true' };
}

function unwrapSecret(doc: unknown): unknown {
  if (typeof doc !== 'object' || doc === null) return doc;
  const o = doc as Record<string, unknown>;
  if (o.kind !== 'Secret') return doc;
  const data = o.data as Record<string, unknown> | undefined;
  const stringData = o.stringData as Record<string, unknown> | undefined;
  let inner: string | undefined;
  if (typeof stringData?.value === 'string') inner = capped(stringData.value, 'stringData.value');
  else if (typeof data?.value === 'string') inner = decodeBase64(capped(data.value, 'data.value'), 'data.value');
  if (inner === undefined) throw new UserFacingError('The Kubernetes Secret has no key "value".');
  try {
    return parseYaml(inner);
  } catch (err) {
    throw new UserFacingError(`The Secret's "value" is not YAML: error at ${yamlErrorPosition(err)}.`);
  }
}

function optionalString(v: unknown, field: string): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw new UserFacingError(`"${field}" must be a string.`);
  return capped(v, field);
}

/** A field of the Secret within the size cap (a certificate chain is a few KiB). */
function capped(v: string, field: string): string {
  if (v.length > MAX_SECRET_FIELD_CHARS)
    throw new UserFacingError(`"${field}" is larger than ${MAX_SECRET_FIELD_CHARS / 1024 / 1024} MiB.`);
  return v;
}

function pem(v: unknown, field: string, kind: 'certificate' | 'key'): string | undefined {
  const s = optionalString(v, field);
  if (s === undefined) return undefined;
  const decoded = decodeBase64(s, field);
  const problem = checkPem(decoded, kind);
  if (problem) throw new UserFacingError(`"${field}" does not decode to a PEM ${kind}.`);
  return decoded;
}

function decodeBase64(s: string, field: string): string {
  const compact = s.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) throw new UserFacingError(`"${field}" is not base64.`);
  return Buffer.from(compact, 'base64').toString('utf8');
}
