// Turns a Service, its endpoints and a VIP into the HAProxy objects that serve it: one frontend
// (bound to VIP:port) and one backend per Service port. Pure: the same input gives the same plan.
import { UserFacingError } from '../../shared/errors';
import { canonicalAddress, parseIp } from './addresses';
import {
  Endpoint,
  EndpointSliceLike,
  EndpointsLike,
  ServiceLike,
  ServicePortLike,
  endpointsForPort,
} from './kubeShapes';
import { serverName, vipNames, VipNames } from './names';

/** Data Plane API models (fields common to the v2 and v3 specifications). */
export interface FrontendModel {
  name: string;
  mode: 'http' | 'tcp';
  default_backend: string;
  forwardfor?: { enabled: 'enabled' };
}
export interface BindModel {
  name: string;
  address: string;
  port: number;
}
export interface BackendModel {
  name: string;
  mode: 'http' | 'tcp';
  balance: { algorithm: string };
}
export interface ServerModel {
  name: string;
  address: string;
  port: number;
  check: 'enabled' | 'disabled';
  maintenance?: 'enabled' | 'disabled';
}

export const BALANCE_ALGORITHMS = ['roundrobin', 'static-rr', 'leastconn', 'first', 'source', 'random'] as const;
export type BalanceAlgorithm = (typeof BALANCE_ALGORITHMS)[number];

export interface VipPlanOptions {
  vip: string;
  balance?: BalanceAlgorithm;
  healthChecks?: boolean;
  /** Service ports to serve, by name or number; all when absent. */
  ports?: (string | number)[];
}

export interface PlannedPort {
  servicePort: ServicePortLike;
  names: VipNames;
  frontend: FrontendModel;
  bind: BindModel;
  backend: BackendModel;
  servers: ServerModel[];
  /** Endpoints left out because they are not ready. */
  notReady: Endpoint[];
}

export interface VipPlan {
  namespace: string;
  service: string;
  vip: string;
  ports: PlannedPort[];
  warnings: string[];
}

/** http for `appProtocol` http/https-ish values (HTTP/1 and h2c are proxied in HTTP mode), tcp otherwise. */
export function modeFor(port: ServicePortLike): 'http' | 'tcp' {
  const app = (port.appProtocol ?? '').toLowerCase();
  return app === 'http' || app === 'kubernetes.io/h2c' || app === 'kubernetes.io/http' ? 'http' : 'tcp';
}

export function planVip(
  service: ServiceLike,
  slices: EndpointSliceLike[],
  endpoints: EndpointsLike | undefined,
  options: VipPlanOptions,
): VipPlan {
  const namespace = service.metadata.namespace ?? 'default';
  const name = service.metadata.name;
  const vip = canonicalAddress(options.vip);
  const balance = options.balance ?? 'roundrobin';
  if (!(BALANCE_ALGORITHMS as readonly string[]).includes(balance)) {
    throw new UserFacingError(`Unknown balance algorithm "${balance}" (one of ${BALANCE_ALGORITHMS.join(', ')})`);
  }
  const healthChecks = options.healthChecks ?? true;
  const allPorts = service.spec?.ports ?? [];
  if (allPorts.length === 0) throw new UserFacingError(`Service ${namespace}/${name} has no ports to serve`);
  const wanted = options.ports?.map(String);
  const ports = wanted
    ? allPorts.filter((p) => wanted.includes(String(p.port)) || (p.name !== undefined && wanted.includes(p.name)))
    : allPorts;
  if (wanted && ports.length !== wanted.length) {
    const known = allPorts.map((p) => p.name ?? String(p.port)).join(', ');
    const missing = wanted.filter((w) => !ports.some((p) => String(p.port) === w || p.name === w)).join(', ');
    throw new UserFacingError(`Service ${namespace}/${name} has no port ${missing} (ports: ${known})`);
  }
  const warnings: string[] = [];
  const planned = ports.map((port): PlannedPort => {
    if ((port.protocol ?? 'TCP') !== 'TCP') {
      throw new UserFacingError(
        `Port ${port.name ?? port.port} of ${namespace}/${name} is ${port.protocol}: HAProxy load-balances TCP only`,
      );
    }
    const names = vipNames(namespace, name, port.name ?? port.port);
    const mode = modeFor(port);
    const all = endpointsForPort(port, slices, endpoints);
    const ready = all.filter((e) => e.ready);
    const notReady = all.filter((e) => !e.ready);
    if (all.length === 0)
      warnings.push(`Port ${port.name ?? port.port} has no endpoints: its backend will have no servers.`);
    else if (ready.length === 0)
      warnings.push(`Port ${port.name ?? port.port} has no ready endpoint (${notReady.length} not ready).`);
    const frontend: FrontendModel = { name: names.frontend, mode, default_backend: names.backend };
    if (mode === 'http') frontend.forwardfor = { enabled: 'enabled' };
    return {
      servicePort: port,
      names,
      frontend,
      bind: { name: names.bind, address: vip, port: port.port },
      backend: { name: names.backend, mode, balance: { algorithm: balance } },
      servers: ready.map((e) => ({
        name: serverName(e.address, e.port),
        address: e.address,
        port: e.port,
        check: healthChecks ? 'enabled' : 'disabled',
      })),
      notReady,
    };
  });
  return { namespace, service: name, vip, ports: planned, warnings };
}

/** A bind as the live configuration has it, with its frontend's name. */
export interface ExistingBind {
  frontend: string;
  address: string;
  port?: number;
  portRangeEnd?: number;
}

const WILDCARDS = new Set(['', '*', '0.0.0.0', '::', '[::]']);

/**
 * Refuses a plan that would collide with what other frontends bind: the VIP itself held by a
 * foreign frontend, or the same port bound on a wildcard address. Our own frontends (same names)
 * are updated, not conflicts.
 */
export function checkConflicts(plan: VipPlan, existing: ExistingBind[]): void {
  const ours = new Set(plan.ports.map((p) => p.frontend.name));
  for (const bind of existing) {
    if (ours.has(bind.frontend)) continue;
    const address = normaliseBindAddress(bind.address);
    if (address === plan.vip) {
      throw new UserFacingError(
        `${plan.vip} is already bound by frontend "${bind.frontend}" (bind ` +
          `${bind.address}${bind.port ? `:${bind.port}` : ''}); choose another address`,
      );
    }
    if (WILDCARDS.has(address)) {
      for (const p of plan.ports) {
        const end = bind.portRangeEnd ?? bind.port;
        if (bind.port !== undefined && end !== undefined && p.bind.port >= bind.port && p.bind.port <= end) {
          throw new UserFacingError(
            `Port ${p.bind.port} is already bound on all addresses by frontend "${bind.frontend}" (bind ` +
              `${bind.address || '*'}:${bind.port}${bind.portRangeEnd ? `-${bind.portRangeEnd}` : ''})`,
          );
        }
      }
    }
  }
}

function normaliseBindAddress(address: string): string {
  const bare = address.replace(/^(ipv4@|ipv6@|mptcp@|mptcp4@|mptcp6@)/, '').replace(/^\[(.*)\]$/, '$1');
  if (WILDCARDS.has(bare)) return bare;
  try {
    return canonicalAddress(bare);
  } catch {
    return bare;
  }
}

/** The plan as haproxy.cfg text, for the preview diff. */
/** The plan as haproxy.cfg sections, indented with `indent` (the Data Plane API writes 2 spaces). */
export function renderPlan(plan: VipPlan, indent = '  '): string {
  const lines: string[] = [];
  for (const p of plan.ports) {
    const addr = parseIp(p.bind.address).family === 6 ? `[${p.bind.address}]` : p.bind.address;
    lines.push(`frontend ${p.frontend.name}`);
    lines.push(`${indent}mode ${p.frontend.mode}`);
    if (p.frontend.forwardfor) lines.push(`${indent}option forwardfor`);
    lines.push(`${indent}bind ${addr}:${p.bind.port} name ${p.bind.name}`);
    lines.push(`${indent}default_backend ${p.backend.name}`);
    lines.push('');
    lines.push(`backend ${p.backend.name}`);
    lines.push(`${indent}mode ${p.backend.mode}`);
    lines.push(`${indent}balance ${p.backend.balance.algorithm}`);
    for (const s of p.servers) {
      const sAddr = s.address.includes(':') ? `[${s.address}]` : s.address;
      lines.push(
        `${indent}server ${s.name} ` +
          `${sAddr}:${s.port}${s.check === 'enabled' ? ' check' : ''}${s.maintenance === 'enabled' ? ' disabled' : ''}`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}

export interface ServerDiff {
  add: ServerModel[];
  remove: ServerModel[];
  update: ServerModel[];
}

/** What a resync must change so that a backend's servers match the current endpoints. */
export function diffServers(current: ServerModel[], desired: ServerModel[]): ServerDiff {
  const byName = new Map(current.map((s) => [s.name, s]));
  const wanted = new Set(desired.map((s) => s.name));
  const add: ServerModel[] = [];
  const update: ServerModel[] = [];
  for (const s of desired) {
    const now = byName.get(s.name);
    if (!now) add.push(s);
    else if (now.address !== s.address || now.port !== s.port || now.check !== s.check) update.push(s);
  }
  const remove = current.filter((s) => !wanted.has(s.name));
  return { add, remove, update };
}
