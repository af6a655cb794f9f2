// What a server's live haproxy.cfg says about VIPs, read from ONE raw-configuration request: every
// bind (for conflict checks), and our frontends and backends as Data Plane API models (to compute
// the difference with a plan). Pure: text in, data out.
import { sections, type CfgSection } from '../../dataplane/api';
export { stripServerHeader } from '../../dataplane/api';
import { ADDRESS_RULES, parseAddress, serverAddress } from '../../shared/haproxy-config/address';
import type { ExistingBind, FrontendModel, ServerModel } from './planner';
import { haproxyObjectName } from './names';

export interface LiveBind {
  name?: string;
  address: string;
  port?: number;
}

export interface LiveFrontend {
  name: string;
  mode?: string;
  defaultBackend?: string;
  forwardfor: boolean;
  binds: LiveBind[];
}

export interface LiveBackend {
  name: string;
  mode?: string;
  balance?: string;
  servers: ServerModel[];
}

export interface LiveState {
  /** Every bind of every frontend and listen section, for checkConflicts. */
  binds: ExistingBind[];
  frontends: Map<string, LiveFrontend>;
  backends: Map<string, LiveBackend>;
}

export function readLiveState(text: string): LiveState {
  const binds: ExistingBind[] = [];
  const frontends = new Map<string, LiveFrontend>();
  const backends = new Map<string, LiveBackend>();
  for (const s of sections(text)) {
    if (s.kind === 'frontend' || s.kind === 'listen') {
      const own: LiveBind[] = [];
      for (const d of s.directives) {
        if (d.words[0] !== 'bind' || !d.words[1]) continue;
        const nameAt = d.words.indexOf('name');
        const name = nameAt > 1 ? d.words[nameAt + 1] : undefined;
        for (const b of parseBindAddress(d.words[1])) {
          binds.push({ frontend: s.name, ...b });
          own.push({ name, address: b.address, port: b.port });
        }
      }
      if (s.kind === 'frontend') {
        frontends.set(s.name, {
          name: s.name,
          mode: keyword(s, 'mode'),
          defaultBackend: keyword(s, 'default_backend'),
          forwardfor: s.directives.some((d) => d.words[0] === 'option' && d.words[1] === 'forwardfor'),
          binds: own,
        });
      }
    }
    if (s.kind === 'backend') {
      const servers: ServerModel[] = s.directives
        .filter((d) => d.words[0] === 'server' && d.words.length >= 3)
        .map((d) => {
          const { address, port } = serverAddress(d.words[2]!);
          const server: ServerModel = {
            name: d.words[1]!,
            address,
            port: port ?? 0,
            check: d.words.includes('check') ? 'enabled' : 'disabled',
          };
          if (d.words.includes('disabled')) server.maintenance = 'enabled';
          return server;
        });
      backends.set(s.name, { name: s.name, mode: keyword(s, 'mode'), balance: keyword(s, 'balance'), servers });
    }
  }
  return { binds, frontends, backends };
}

function keyword(s: CfgSection, kw: string): string | undefined {
  return s.directives.find((d) => d.words[0] === kw)?.words[1];
}

/**
 * The addresses and ports of one bind's first argument (`1.2.3.4:80`, `:80`, `*:80`, `[::1]:80`,
 * `:::80`, `ipv4@1.2.3.4:80`, port ranges, comma lists), read with the haproxy.cfg parser's address
 * module. Sockets (unix@, abns@, fd@, paths) are not network addresses and yield nothing; nor does
 * what HAProxy itself would refuse.
 */
export function parseBindAddress(text: string): { address: string; port?: number; portRangeEnd?: number }[] {
  const out: { address: string; port?: number; portRangeEnd?: number }[] = [];
  for (const part of text.split(',')) {
    const { address } = parseAddress(part, ADDRESS_RULES.bind);
    if (!address?.port || (address.family !== 'ip' && address.family !== 'ipv4' && address.family !== 'ipv6')) continue;
    const { low, high } = address.port;
    out.push({
      address: address.host === '' ? '*' : address.host,
      port: low,
      ...(high !== low ? { portRangeEnd: high } : {}),
    });
  }
  return out;
}

/** A server line's address and port (`host:port`, `[v6]:port`); sockets keep their text, without a port. */

/** A frontend of ours as the planner would write it, from the live section (for diffs). */
export function liveFrontendModel(f: LiveFrontend): Partial<FrontendModel> {
  return {
    name: f.name,
    mode: f.mode as FrontendModel['mode'],
    default_backend: f.defaultBackend,
    ...(f.forwardfor ? { forwardfor: { enabled: 'enabled' as const } } : {}),
  };
}

/** A VIP this server serves: one of our frontends (by the naming scheme) with its binds and backend. */
export interface ServedVip {
  frontend: string;
  /** Namespace, Service and port when the name can be read back (names cut with a hash cannot). */
  identity?: { namespace: string; service: string; port: string };
  binds: LiveBind[];
  backend?: string;
  servers: number;
}

/** Frontends named by our scheme (`vip_…`), read from the live configuration. */
export function servedVips(state: LiveState): ServedVip[] {
  const out: ServedVip[] = [];
  for (const f of state.frontends.values()) {
    if (!f.name.startsWith('vip_')) continue;
    const backend = f.defaultBackend;
    out.push({
      frontend: f.name,
      identity: vipIdentity(f.name),
      binds: f.binds,
      backend,
      servers: backend ? (state.backends.get(backend)?.servers.length ?? 0) : 0,
    });
  }
  return out.sort((a, b) => a.frontend.localeCompare(b.frontend));
}

/**
 * Reads `vip_<namespace>_<service>_<port>` back. Kubernetes names have no `_`, so the split is
 * unambiguous; the result is checked by rebuilding the name, which rejects hashed (cut) names.
 */
export function vipIdentity(frontend: string): { namespace: string; service: string; port: string } | undefined {
  const parts = frontend.split('_');
  if (parts.length !== 4 || parts[0] !== 'vip') return undefined;
  const [, namespace, service, port] = parts as [string, string, string, string];
  return haproxyObjectName('vip', namespace, service, port) === frontend ? { namespace, service, port } : undefined;
}
