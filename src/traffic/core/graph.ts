// The traffic map's graph: Gateway → listener → Route → Service → endpoints, joined to each Data
// Plane API server's bind (by VIP address and port) → frontend → backend → server, and server →
// endpoint (by address and port). Pure: plain inputs in, `{ nodes, edges, mismatches }` out.
// Node ids are stable across refreshes (the webview diffs on them, "reveal" and "open" use them).
import type { EndpointView, GatewayView, ServiceView } from '../../kubernetes/api';
import type { LiveState } from '../../dataplane/api';
import {
  readTopology,
  type CfgBackendRef,
  type CfgBindRef,
  type CfgServerRef,
  type CfgFrontendRef,
  type HaproxyTopology,
} from './haproxy';
import { canonicalIp } from './ip';
import { recordedVipOf, serviceAddresses } from './services';
import { indexStats, liveView, statKey, type LiveView, type StatRow } from './stats';

export type TrafficNodeKind =
  'gateway' | 'listener' | 'route' | 'service' | 'endpoint' | 'bind' | 'frontend' | 'backend' | 'server';

/** Where a node comes from: enough to reveal it in a tree, open its YAML or its line in haproxy.cfg. */
export type TrafficSource =
  | { type: 'kubernetes'; kind: string; namespace?: string; name: string; listener?: string; endpoint?: string }
  | {
      type: 'haproxy';
      connectionId: string;
      sectionKind: 'frontend' | 'backend' | 'listen';
      section: string;
      line: number;
      server?: string;
    };

export type Health = 'ok' | 'warning' | 'error' | 'unknown';

export interface TrafficNode {
  id: string;
  kind: TrafficNodeKind;
  label: string;
  /** One line under the label: ports, addresses, reasons. */
  detail?: string;
  source: TrafficSource;
  health: Health;
  /** HAProxy frontends, backends and servers: their state from the last stats. */
  live?: LiveView;
  /** Referenced but not in the inputs (a Route's backend Service that does not exist, ...). */
  missing?: boolean;
}

export type TrafficEdgeKind =
  'listener' | 'route' | 'backendRef' | 'endpoint' | 'vip' | 'bind' | 'backend' | 'server' | 'target';

export interface TrafficEdge {
  id: string;
  from: string;
  to: string;
  kind: TrafficEdgeKind;
  /** A `vip` edge to a wildcard bind (`:80`): it carries the VIP only when the address is local. */
  wildcard?: boolean;
}

export type MismatchKind =
  'endpoint-without-server' | 'server-without-endpoint' | 'vip-partially-bound' | 'vip-not-bound';

export interface Mismatch {
  kind: MismatchKind;
  message: string;
  /** The Service concerned. */
  serviceId: string;
  /** The nodes to highlight. */
  nodeIds: string[];
  connectionIds: string[];
}

export interface TrafficGraph {
  nodes: TrafficNode[];
  edges: TrafficEdge[];
  mismatches: Mismatch[];
}

export interface HaproxyInput {
  connectionId: string;
  /** The live haproxy.cfg (GET configuration/raw); or the topology read from it beforehand. */
  configText?: string;
  topology?: HaproxyTopology;
  stats?: readonly StatRow[];
  /** Why the server could not be read: its nodes are absent, its binds count as unknown. */
  error?: string;
}

export interface TrafficInput {
  gateways?: readonly GatewayView[];
  services: readonly ServiceView[];
  haproxy: readonly HaproxyInput[];
  /** Keep only what is connected to this node id (the map opened from a Service, a backend...). */
  focus?: string;
}

// ---- ids ---------------------------------------------------------------------------------------

export const nodeId = {
  gateway: (ns: string, name: string) => `gw:${ns}/${name}`,
  listener: (ns: string, name: string, listener: string) => `gw:${ns}/${name}/l:${listener}`,
  route: (kind: string, ns: string, name: string) => `route:${kind}:${ns}/${name}`,
  service: (ns: string, name: string) => `svc:${ns}/${name}`,
  endpoint: (ns: string, name: string, address: string) => `ep:${ns}/${name}/${address}`,
  frontend: (conn: string, name: string) => `hap:${conn}/fe:${name}`,
  bind: (conn: string, frontend: string, text: string) => `hap:${conn}/fe:${frontend}/bind:${text}`,
  backend: (conn: string, name: string) => `hap:${conn}/be:${name}`,
  server: (conn: string, backend: string, name: string) => `hap:${conn}/be:${backend}/srv:${name}`,
};

function healthOf(state: LiveState | undefined): Health {
  if (state === 'UP' || state === 'NO CHECK') return 'ok';
  if (state === 'DOWN') return 'error';
  if (state === 'DRAIN' || state === 'MAINT' || state === 'NOLB') return 'warning';
  return 'unknown';
}

function conditionHealth(...conds: ({ status: string } | undefined)[]): Health {
  if (conds.some((c) => c?.status === 'False')) return 'error';
  if (conds.some((c) => c === undefined || c.status === 'Unknown')) return 'unknown';
  return 'ok';
}

class Builder {
  readonly nodes = new Map<string, TrafficNode>();
  readonly edges = new Map<string, TrafficEdge>();
  node(n: TrafficNode): TrafficNode {
    const prior = this.nodes.get(n.id);
    if (prior && !prior.missing) return prior;
    this.nodes.set(n.id, n);
    return n;
  }
  edge(from: string, to: string, kind: TrafficEdgeKind, wildcard?: boolean): void {
    const id = `${from}->${to}`;
    if (!this.edges.has(id)) this.edges.set(id, wildcard ? { id, from, to, kind, wildcard } : { id, from, to, kind });
  }
}

interface LoadedServer {
  conn: string;
  topo: HaproxyTopology;
  stats: Map<string, StatRow>;
  backends: Map<string, CfgBackendRef>;
}

function addGateways(b: Builder, gateways: readonly GatewayView[], services: Map<string, ServiceView>): void {
  for (const gw of gateways) {
    const gid = nodeId.gateway(gw.namespace, gw.name);
    const reason = [gw.accepted, gw.programmed].find((c) => c?.status === 'False');
    b.node({
      id: gid,
      kind: 'gateway',
      label: gw.name,
      detail: reason ? `${reason.type}: ${reason.reason}` : gw.addresses.join(', ') || undefined,
      source: { type: 'kubernetes', kind: 'Gateway', namespace: gw.namespace, name: gw.name },
      health: conditionHealth(gw.accepted, gw.programmed),
    });
    for (const l of gw.listeners) {
      const lid = nodeId.listener(gw.namespace, gw.name, l.name);
      b.node({
        id: lid,
        kind: 'listener',
        label: l.name,
        detail: `${l.protocol}/${l.port}${l.hostname ? ` ${l.hostname}` : ''}`,
        source: { type: 'kubernetes', kind: 'Gateway', namespace: gw.namespace, name: gw.name, listener: l.name },
        health: l.conditions.some((c) => c.status === 'False') ? 'error' : 'ok',
      });
      b.edge(gid, lid, 'listener');
      for (const r of l.routes) {
        const rid = nodeId.route(r.kind, r.namespace, r.name);
        const parent = r.parents.find((p) => p.gatewayName === gw.name && p.gatewayNamespace === gw.namespace);
        b.node({
          id: rid,
          kind: 'route',
          label: r.name,
          detail: `${r.kind}${r.hostnames.length ? ` ${r.hostnames.join(', ')}` : ''}`,
          source: { type: 'kubernetes', kind: r.kind, namespace: r.namespace, name: r.name },
          health: conditionHealth(parent?.accepted, parent?.resolvedRefs),
        });
        b.edge(lid, rid, 'route');
        for (const be of r.backends) {
          if (be.kind !== 'Service' || (be.group !== '' && be.group !== 'core')) continue;
          const sid = nodeId.service(be.namespace, be.name);
          if (!services.has(`${be.namespace}/${be.name}`)) {
            b.node({
              id: sid,
              kind: 'service',
              label: be.name,
              detail: 'not found',
              source: { type: 'kubernetes', kind: 'Service', namespace: be.namespace, name: be.name },
              health: 'error',
              missing: true,
            });
          }
          b.edge(rid, sid, 'backendRef');
        }
      }
    }
  }
}

function addService(b: Builder, svc: ServiceView): void {
  const sid = nodeId.service(svc.namespace, svc.name);
  const addresses = serviceAddresses(svc.object);
  b.node({
    id: sid,
    kind: 'service',
    label: svc.name,
    detail: [addresses.join(', ') || svc.type, svc.ports.map((p) => `${p.port}/${p.protocol}`).join(' ')]
      .filter(Boolean)
      .join(' · '),
    source: { type: 'kubernetes', kind: 'Service', namespace: svc.namespace, name: svc.name },
    health: svc.endpoints.length > 0 && svc.readyCount === 0 ? 'error' : 'ok',
  });
  for (const ep of svc.endpoints) {
    const eid = nodeId.endpoint(svc.namespace, svc.name, canonicalIp(ep.address) ?? ep.address);
    b.node({
      id: eid,
      kind: 'endpoint',
      label: ep.address,
      detail:
        [ep.ports.join(','), ep.target, ep.ready ? undefined : 'not ready'].filter(Boolean).join(' · ') || undefined,
      source: {
        type: 'kubernetes',
        kind: svc.endpointSource === 'Endpoints' ? 'Endpoints' : 'EndpointSlice',
        namespace: svc.namespace,
        name: svc.name,
        endpoint: ep.address,
      },
      health: ep.ready ? 'ok' : 'warning',
    });
    b.edge(sid, eid, 'endpoint');
  }
}

function addHaproxy(b: Builder, s: LoadedServer): void {
  const { conn, topo, stats } = s;
  for (const fe of topo.frontends) {
    const fid = nodeId.frontend(conn, fe.name);
    const live = stats.get(statKey('frontend', fe.name));
    b.node({
      id: fid,
      kind: 'frontend',
      label: fe.name,
      detail: conn,
      source: { type: 'haproxy', connectionId: conn, sectionKind: fe.kind, section: fe.name, line: fe.line },
      health: live ? healthOf(liveView(live).state) : 'unknown',
      ...(live ? { live: liveView(live) } : {}),
    });
    for (const bind of fe.binds) {
      const bid = nodeId.bind(conn, fe.name, bind.text);
      b.node({
        id: bid,
        kind: 'bind',
        label: bind.text,
        detail: conn,
        source: { type: 'haproxy', connectionId: conn, sectionKind: fe.kind, section: fe.name, line: bind.line },
        health: 'ok',
      });
      b.edge(bid, fid, 'bind');
    }
    for (const target of fe.backends) {
      if (s.backends.has(target.name)) b.edge(fid, nodeId.backend(conn, target.name), 'backend');
    }
  }
  for (const be of topo.backends) {
    const beId = nodeId.backend(conn, be.name);
    const live = stats.get(statKey('backend', be.name));
    b.node({
      id: beId,
      kind: 'backend',
      label: be.name,
      detail: conn,
      source: { type: 'haproxy', connectionId: conn, sectionKind: be.kind, section: be.name, line: be.line },
      health: live ? healthOf(liveView(live).state) : 'unknown',
      ...(live ? { live: liveView(live) } : {}),
    });
    if (be.kind === 'listen') b.edge(nodeId.frontend(conn, be.name), beId, 'backend');
    for (const srv of be.servers) {
      const live = stats.get(statKey('server', srv.name, be.name));
      const view = live ? liveView(live) : srv.disabled ? { state: 'MAINT' as const } : undefined;
      b.node({
        id: nodeId.server(conn, be.name, srv.name),
        kind: 'server',
        label: srv.name,
        detail: `${srv.address}${srv.port !== undefined ? `:${srv.port}` : ''}${srv.backup ? ' · backup' : ''}`,
        source: {
          type: 'haproxy',
          connectionId: conn,
          sectionKind: be.kind,
          section: be.name,
          line: srv.line,
          server: srv.name,
        },
        health: healthOf(view?.state),
        ...(view ? { live: view } : {}),
      });
      b.edge(beId, nodeId.server(conn, be.name, srv.name), 'server');
    }
  }
}

const servesPort = (ep: { ports: number[] }, port: number | undefined) =>
  port === undefined || ep.ports.length === 0 || ep.ports.includes(port);

/** Binds of a server that carry `address:port` (exact ones first; wildcards only when no exact one). */
export function bindsFor(
  topo: HaproxyTopology,
  address: string,
  port: number,
): { frontend: CfgFrontendRef; bind: CfgBindRef; wildcard: boolean }[] {
  const exact: { frontend: CfgFrontendRef; bind: CfgBindRef; wildcard: boolean }[] = [];
  const wild: { frontend: CfgFrontendRef; bind: CfgBindRef; wildcard: boolean }[] = [];
  for (const frontend of topo.frontends) {
    for (const bind of frontend.binds) {
      if (bind.port !== port) continue;
      if (!bind.wildcard && bind.host === address) exact.push({ frontend, bind, wildcard: false });
      else if (bind.wildcard) wild.push({ frontend, bind, wildcard: true });
    }
  }
  return exact.length ? exact : wild;
}

function reachedBackends(s: LoadedServer, frontends: readonly CfgFrontendRef[]): CfgBackendRef[] {
  const out = new Map<string, CfgBackendRef>();
  for (const fe of frontends) {
    if (fe.kind === 'listen' && s.backends.has(fe.name)) out.set(fe.name, s.backends.get(fe.name)!);
    for (const t of fe.backends) {
      const be = s.backends.get(t.name);
      if (be) out.set(be.name, be);
    }
  }
  return [...out.values()];
}

/** Joins a Service to the binds carrying its addresses, its backends' servers to its endpoints. */
function joinService(b: Builder, svc: ServiceView, loaded: readonly LoadedServer[], mismatches: Mismatch[]): void {
  const sid = nodeId.service(svc.namespace, svc.name);
  const addresses = serviceAddresses(svc.object);
  const epId = (address: string) => nodeId.endpoint(svc.namespace, svc.name, canonicalIp(address) ?? address);
  // Endpoints by canonical address, once: the joins below are O(servers + endpoints).
  const byAddress = new Map<string, EndpointView[]>();
  for (const ep of svc.endpoints) {
    const key = canonicalIp(ep.address) ?? ep.address;
    byAddress.set(key, [...(byAddress.get(key) ?? []), ep]);
  }
  const endpointsOf = (srv: CfgServerRef) =>
    (byAddress.get(srv.address) ?? []).filter((ep) => servesPort(ep, srv.port));
  const boundOn = new Map<string, Set<string>>(); // "vip:port" -> connections with an exact bind
  for (const s of loaded) {
    const frontends: CfgFrontendRef[] = [];
    for (const address of addresses) {
      for (const p of svc.ports) {
        for (const hit of bindsFor(s.topo, address, p.port)) {
          b.edge(sid, nodeId.bind(s.conn, hit.frontend.name, hit.bind.text), 'vip', hit.wildcard);
          if (!frontends.includes(hit.frontend)) frontends.push(hit.frontend);
          if (!hit.wildcard) {
            const key = `${address}:${p.port}`;
            boundOn.set(key, (boundOn.get(key) ?? new Set()).add(s.conn));
          }
        }
      }
    }
    if (frontends.length === 0) continue;
    const servers = reachedBackends(s, frontends).flatMap((be) => be.servers.map((srv) => ({ be, srv })));
    for (const { be, srv } of servers) {
      const matches = endpointsOf(srv);
      for (const ep of matches) b.edge(nodeId.server(s.conn, be.name, srv.name), epId(ep.address), 'target');
      if (matches.length === 0) {
        mismatches.push({
          kind: 'server-without-endpoint',
          message:
            `Server ${srv.name} (${srv.address}${srv.port !== undefined ? `:${srv.port}` : ''}) of ` +
            `backend ${be.name} on ${s.conn} matches no endpoint of Service ${svc.namespace}/${svc.name}`,
          serviceId: sid,
          nodeIds: [nodeId.server(s.conn, be.name, srv.name)],
          connectionIds: [s.conn],
        });
      }
    }
    const served = new Set(servers.flatMap(({ srv }) => endpointsOf(srv)));
    for (const ep of svc.endpoints.filter((e) => e.ready)) {
      if (served.has(ep)) continue;
      mismatches.push({
        kind: 'endpoint-without-server',
        message:
          `Endpoint ${ep.address} of Service ${svc.namespace}/${svc.name} has no server in the backends ` +
          `on ${s.conn}`,
        serviceId: sid,
        nodeIds: [epId(ep.address)],
        connectionIds: [s.conn],
      });
    }
  }
  vipCoverage(svc, sid, loaded, boundOn, mismatches);
}

/** A VIP must be bound on every server of the pair it was created for (or every server, if unrecorded). */
function vipCoverage(
  svc: ServiceView,
  sid: string,
  loaded: readonly LoadedServer[],
  boundOn: Map<string, Set<string>>,
  mismatches: Mismatch[],
): void {
  const recorded = recordedVipOf(svc.object);
  const loadedIds = loaded.map((s) => s.conn);
  const expected =
    recorded && recorded.connections.length ? recorded.connections.filter((c) => loadedIds.includes(c)) : loadedIds;
  const vips = recorded ? [recorded.vip] : [...new Set([...boundOn.keys()].map((k) => k.slice(0, k.lastIndexOf(':'))))];
  for (const vip of vips) {
    for (const p of svc.ports) {
      const bound = boundOn.get(`${vip}:${p.port}`) ?? new Set<string>();
      const missing = expected.filter((c) => !bound.has(c));
      if (missing.length === 0 || expected.length === 0) continue;
      if (bound.size === 0 && !recorded) continue;
      mismatches.push({
        kind: bound.size === 0 ? 'vip-not-bound' : 'vip-partially-bound',
        message:
          bound.size === 0
            ? `VIP ${vip}:${p.port} of Service ${svc.namespace}/${svc.name} is recorded but bound on no server ` +
              `(${missing.join(', ')})`
            : `VIP ${vip}:${p.port} of Service ${svc.namespace}/${svc.name} is bound on ${[...bound].join(
                ', ' + '',
              )} but not on ${missing.join(', ')}`,
        serviceId: sid,
        nodeIds: [sid],
        connectionIds: missing,
      });
    }
  }
}

function joinGateways(b: Builder, gateways: readonly GatewayView[], loaded: readonly LoadedServer[]): void {
  for (const gw of gateways) {
    for (const l of gw.listeners) {
      for (const address of gw.addresses.map((a) => canonicalIp(a)).filter((a): a is string => a !== undefined)) {
        for (const s of loaded) {
          for (const hit of bindsFor(s.topo, address, l.port)) {
            b.edge(
              nodeId.listener(gw.namespace, gw.name, l.name),
              nodeId.bind(s.conn, hit.frontend.name, hit.bind.text),
              'vip',
              hit.wildcard,
            );
          }
        }
      }
    }
  }
}

/** The nodes connected to `focus` (edges followed both ways). */
function component(focus: string, edges: readonly TrafficEdge[]): Set<string> {
  const adj = new Map<string, string[]>();
  for (const e of edges) {
    adj.set(e.from, [...(adj.get(e.from) ?? []), e.to]);
    adj.set(e.to, [...(adj.get(e.to) ?? []), e.from]);
  }
  const seen = new Set([focus]);
  const queue = [focus];
  while (queue.length) {
    for (const n of adj.get(queue.pop()!) ?? []) {
      if (seen.has(n)) continue;
      seen.add(n);
      queue.push(n);
    }
  }
  return seen;
}

export function buildTrafficGraph(input: TrafficInput): TrafficGraph {
  const b = new Builder();
  const services = new Map(input.services.map((s) => [`${s.namespace}/${s.name}`, s]));
  const loaded: LoadedServer[] = input.haproxy
    .filter((h) => !h.error && (h.topology || h.configText !== undefined))
    .map((h) => {
      const topo = h.topology ?? readTopology(h.configText!);
      return {
        conn: h.connectionId,
        topo,
        stats: indexStats(h.stats ?? []),
        backends: new Map(topo.backends.map((be) => [be.name, be])),
      };
    });
  for (const svc of input.services) addService(b, svc);
  addGateways(b, input.gateways ?? [], services);
  for (const s of loaded) addHaproxy(b, s);
  const mismatches: Mismatch[] = [];
  for (const svc of input.services) joinService(b, svc, loaded, mismatches);
  joinGateways(b, input.gateways ?? [], loaded);
  let nodes = [...b.nodes.values()];
  let edges = [...b.edges.values()];
  let kept = mismatches;
  if (input.focus !== undefined) {
    const keep = component(input.focus, edges);
    nodes = nodes.filter((n) => keep.has(n.id));
    edges = edges.filter((e) => keep.has(e.from) && keep.has(e.to));
    kept = mismatches.filter((m) => keep.has(m.serviceId));
  }
  return { nodes, edges, mismatches: kept };
}
