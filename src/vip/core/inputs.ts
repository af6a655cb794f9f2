// Everything the VIP feature reads from outside, checked before use: Kubernetes objects as the API
// server sent them, the pools setting as the user wrote it, the arguments a command is run with,
// and the annotations this extension wrote earlier (a user may have edited them).
import { UserFacingError } from '../../shared/errors';
import { canonicalIp } from '../../shared/haproxy-config/address';
import { canonicalAddress } from './addresses';
import {
  VIP_ANNOTATIONS,
  type EndpointSliceLike,
  type EndpointsLike,
  type ServiceLike,
  type ServicePortLike,
} from './kubeShapes';
import { BALANCE_ALGORITHMS, type BalanceAlgorithm } from './planner';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

export function isDnsLabel(s: string): boolean {
  return s.length <= 63 && DNS_LABEL.test(s);
}

/** A Service as the API server sent it → the shape the planner reads; throws on what cannot be a Service. */
export function serviceFromObject(o: unknown): ServiceLike {
  if (!isObj(o) || !isObj(o.metadata)) throw new UserFacingError('The API server sent a Service without metadata.');
  const name = str(o.metadata.name);
  const namespace = str(o.metadata.namespace) ?? 'default';
  if (!name || !DNS_SUBDOMAIN.test(name))
    throw new UserFacingError(
      `The API server sent a Service with an invalid name (${JSON.stringify(o.metadata.name)}).`,
    );
  const annotations: Record<string, string> = {};
  if (isObj(o.metadata.annotations))
    for (const [k, v] of Object.entries(o.metadata.annotations)) if (typeof v === 'string') annotations[k] = v;
  const spec = isObj(o.spec) ? o.spec : {};
  const ports: ServicePortLike[] = [];
  for (const p of Array.isArray(spec.ports) ? spec.ports : []) {
    if (!isObj(p) || !Number.isInteger(p.port) || (p.port as number) < 1 || (p.port as number) > 65535)
      throw new UserFacingError(`Service ${namespace}/${name} has a port without a valid number.`);
    const port: ServicePortLike = { port: p.port as number, protocol: str(p.protocol) ?? 'TCP' };
    if (str(p.name)) port.name = str(p.name);
    if (typeof p.targetPort === 'number' || typeof p.targetPort === 'string') port.targetPort = p.targetPort;
    if (str(p.appProtocol)) port.appProtocol = str(p.appProtocol);
    ports.push(port);
  }
  const ingress: { ip?: string; hostname?: string }[] = [];
  const lb = isObj(o.status) && isObj(o.status.loadBalancer) ? o.status.loadBalancer : undefined;
  for (const i of lb && Array.isArray(lb.ingress) ? lb.ingress : [])
    if (isObj(i)) ingress.push({ ip: str(i.ip), hostname: str(i.hostname) });
  return {
    metadata: { name, namespace, annotations },
    spec: {
      type: str(spec.type) ?? 'ClusterIP',
      ports,
      loadBalancerIP: str(spec.loadBalancerIP),
      loadBalancerClass: str(spec.loadBalancerClass),
      selector: isObj(spec.selector) ? (spec.selector as Record<string, string>) : undefined,
    },
    status: { loadBalancer: { ingress } },
  };
}

/** EndpointSlices: malformed entries are dropped (they cannot be routed to), never guessed. */
export function slicesFromObjects(list: unknown[]): EndpointSliceLike[] {
  const out: EndpointSliceLike[] = [];
  for (const s of list) {
    if (!isObj(s) || typeof s.addressType !== 'string') continue;
    const endpoints = (Array.isArray(s.endpoints) ? s.endpoints : []).filter(isObj).map((e) => ({
      addresses: (Array.isArray(e.addresses) ? e.addresses : []).filter(
        (a): a is string => typeof a === 'string' && validIp(a),
      ),
      conditions: isObj(e.conditions)
        ? {
            ready: e.conditions.ready as boolean | null | undefined,
            serving: e.conditions.serving as boolean | null | undefined,
            terminating: e.conditions.terminating as boolean | null | undefined,
          }
        : undefined,
    }));
    const ports = (Array.isArray(s.ports) ? s.ports : [])
      .filter(isObj)
      .filter((p) => p.port === undefined || p.port === null || validPort(p.port))
      .map((p) => ({
        name: str(p.name) ?? null,
        port: (p.port as number | null | undefined) ?? null,
        protocol: str(p.protocol) ?? null,
      }));
    out.push({ addressType: s.addressType, endpoints, ports });
  }
  return out;
}

export function endpointsFromObject(o: unknown): EndpointsLike | undefined {
  if (!isObj(o)) return undefined;
  const addresses = (v: unknown) =>
    (Array.isArray(v) ? v : [])
      .filter(isObj)
      .map((a) => str(a.ip))
      .filter((ip): ip is string => !!ip && validIp(ip))
      .map((ip) => ({ ip }));
  return {
    subsets: (Array.isArray(o.subsets) ? o.subsets : []).filter(isObj).map((s) => ({
      addresses: addresses(s.addresses),
      notReadyAddresses: addresses(s.notReadyAddresses),
      ports: (Array.isArray(s.ports) ? s.ports : [])
        .filter(isObj)
        .filter((p) => validPort(p.port))
        .map((p) => ({ name: str(p.name), port: p.port as number, protocol: str(p.protocol) })),
    })),
  };
}

function validIp(a: string): boolean {
  return canonicalIp(a) !== undefined;
}

function validPort(p: unknown): boolean {
  return Number.isInteger(p) && (p as number) >= 1 && (p as number) <= 65535;
}

// --- what this extension recorded on a Service -------------------------------------------------

export interface RecordedVip {
  vip: string;
  connections: string[];
  frontends: string[];
  backends: string[];
  /** Options the VIP was created with (for resync); absent on records of older versions. */
  healthChecks?: boolean;
  balance?: BalanceAlgorithm;
  ports?: string[];
}

export const VIP_OPTIONS_ANNOTATION = 'haproxy-gateway.io/options';
const HAPROXY_NAME = /^[A-Za-z0-9\-_.:]+$/;

/** Our annotations on a Service, validated; undefined when it carries none (or unusable ones). */
export function recordedVip(service: ServiceLike): RecordedVip | undefined {
  const a = service.metadata.annotations ?? {};
  const address = a[VIP_ANNOTATIONS.address];
  if (!address) return undefined;
  let vip: string;
  try {
    vip = canonicalAddress(address);
  } catch {
    return undefined;
  }
  const list = (key: string, ok: (s: string) => boolean) =>
    (a[key] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '' && ok(s));
  const out: RecordedVip = {
    vip,
    connections: list(VIP_ANNOTATIONS.connections, (s) => /^[a-z0-9][a-z0-9-]{0,62}$/.test(s)),
    frontends: list(VIP_ANNOTATIONS.frontends, (s) => HAPROXY_NAME.test(s)),
    backends: list(VIP_ANNOTATIONS.backends, (s) => HAPROXY_NAME.test(s)),
  };
  const options = a[VIP_OPTIONS_ANNOTATION];
  if (options) {
    for (const pair of options.split(',')) {
      const [k, v] = pair.split('=').map((s) => s.trim());
      if (k === 'checks' && (v === 'on' || v === 'off')) out.healthChecks = v === 'on';
      if (k === 'balance' && (BALANCE_ALGORITHMS as readonly string[]).includes(v ?? ''))
        out.balance = v as BalanceAlgorithm;
      if (k === 'ports' && v) out.ports = v.split('+').filter(Boolean);
    }
  }
  return out;
}

/** The options annotation value: `balance=roundrobin,checks=on,ports=http+metrics`. */
export function optionsAnnotation(o: {
  balance: BalanceAlgorithm;
  healthChecks: boolean;
  ports?: (string | number)[];
}): string {
  return [
    `balance=${o.balance}`,
    `checks=${o.healthChecks ? 'on' : 'off'}`,
    ...(o.ports?.length ? [`ports=${o.ports.join('+')}`] : []),
  ].join(',');
}

// --- command arguments ---------------------------------------------------------------------------

export type VipMode = 'direct' | 'gateway';

/** What "Create VIP for Service…" can be given instead of asking (tests, automation). */
export interface CreateVipArgs {
  service?: { namespace: string; name: string };
  mode?: VipMode;
  connections?: string[];
  vip?: string;
  /** Confirms a VIP outside every pool. */
  allowOutsidePools?: boolean;
  ports?: (string | number)[];
  balance?: BalanceAlgorithm;
  healthChecks?: boolean;
  gatewayClassName?: string;
  /** Continue when the Service has no ready endpoint. */
  allowNoEndpoints?: boolean;
  /** Apply without showing the preview's Apply / Cancel choice. */
  confirm?: boolean;
  /** Open the preview diff even when confirming by argument. */
  preview?: boolean;
}

export function parseCreateArgs(v: unknown): CreateVipArgs {
  if (v === undefined || v === null) return {};
  if (!isObj(v)) throw new UserFacingError('Create VIP: the argument must be an object.');
  const out: CreateVipArgs = {};
  const bad = (what: string) => new UserFacingError(`Create VIP: ${what}.`);
  if (v.service !== undefined) out.service = serviceRef(v.service);
  if (v.mode !== undefined) {
    if (v.mode !== 'direct' && v.mode !== 'gateway') throw bad('mode must be "direct" or "gateway"');
    out.mode = v.mode;
  }
  if (v.connections !== undefined) {
    if (!Array.isArray(v.connections) || !v.connections.every((c) => typeof c === 'string' && c !== ''))
      throw bad('connections must be a list of connection ids');
    out.connections = v.connections as string[];
  }
  if (v.vip !== undefined) {
    if (typeof v.vip !== 'string') throw bad('vip must be an address');
    out.vip = canonicalAddress(v.vip);
  }
  if (v.ports !== undefined) {
    if (
      !Array.isArray(v.ports) ||
      !v.ports.every(
        (p) => typeof p === 'string' || (Number.isInteger(p) && (p as number) > 0 && (p as number) < 65536),
      )
    )
      throw bad('ports must be a list of port names or numbers');
    out.ports = v.ports as (string | number)[];
  }
  if (v.balance !== undefined) {
    if (!(BALANCE_ALGORITHMS as readonly unknown[]).includes(v.balance))
      throw bad(`balance must be one of ${BALANCE_ALGORITHMS.join(', ')}`);
    out.balance = v.balance as BalanceAlgorithm;
  }
  if (v.gatewayClassName !== undefined) {
    if (typeof v.gatewayClassName !== 'string' || !DNS_SUBDOMAIN.test(v.gatewayClassName))
      throw bad('gatewayClassName must be a GatewayClass name');
    out.gatewayClassName = v.gatewayClassName;
  }
  for (const flag of ['allowOutsidePools', 'healthChecks', 'allowNoEndpoints', 'confirm', 'preview'] as const) {
    if (v[flag] === undefined) continue;
    if (typeof v[flag] !== 'boolean') throw bad(`${flag} must be true or false`);
    out[flag] = v[flag] as boolean;
  }
  return out;
}

export function serviceRef(v: unknown): { namespace: string; name: string } {
  if (
    !isObj(v) ||
    typeof v.name !== 'string' ||
    !DNS_SUBDOMAIN.test(v.name) ||
    (v.namespace !== undefined && (typeof v.namespace !== 'string' || !isDnsLabel(v.namespace)))
  ) {
    throw new UserFacingError('A Service is named by { namespace, name }.');
  }
  return { namespace: (v.namespace as string | undefined) ?? 'default', name: v.name };
}
