// Deterministic HAProxy object names for a Service port: the same Service always maps to the same
// names, so running "Create VIP" twice updates instead of duplicating.
import { createHash } from 'node:crypto';

/** What the Data Plane API accepts for frontend and backend names (both spec versions). */
export const HAPROXY_NAME_PATTERN = /^[A-Za-z0-9\-_.:]+$/;
/** Long enough to stay readable in `show stat`, short enough for every HAProxy field. */
export const MAX_NAME_LENGTH = 63;
const HASH_LENGTH = 8;

/**
 * `prefix_namespace_service_port`, sanitised; when it is too long or sanitising lost information, it
 * is cut and suffixed with a hash of the exact identity, so two different Services never collide.
 */
export function haproxyObjectName(prefix: string, namespace: string, service: string, port: string | number): string {
  const identity = `${prefix}/${namespace}/${service}/${port}`;
  const raw = [prefix, namespace, service, String(port)].join('_');
  const sanitised = raw.replace(/[^A-Za-z0-9\-_.]/g, '-');
  if (sanitised === raw && sanitised.length <= MAX_NAME_LENGTH) return sanitised;
  const hash = createHash('sha256').update(identity).digest('hex').slice(0, HASH_LENGTH);
  return `${sanitised.slice(0, MAX_NAME_LENGTH - HASH_LENGTH - 1)}_${hash}`;
}

export interface VipNames {
  frontend: string;
  backend: string;
  bind: string;
}

/** Names of the objects that serve one Service port. `port` is the port's name or number. */
export function vipNames(namespace: string, service: string, port: string | number): VipNames {
  return {
    frontend: haproxyObjectName('vip', namespace, service, port),
    backend: haproxyObjectName('vipbe', namespace, service, port),
    bind: haproxyObjectName('vipbind', namespace, service, port),
  };
}

/** A server name for an endpoint address and port, stable across resyncs. */
export function serverName(address: string, port: number): string {
  const raw = `ep_${address}_${port}`;
  const sanitised = raw.replace(/[^A-Za-z0-9\-_.]/g, '-');
  return sanitised === raw
    ? raw
    : `${sanitised}_${createHash('sha256').update(raw).digest('hex').slice(0, HASH_LENGTH)}`;
}
