// What the doctor (and the pools view) read, gathered once: Services with endpoints, Gateways,
// Routes and ReferenceGrants from the cluster; each Data Plane API server's live configuration,
// stats (one request) and recent reloads. Editor-free: it takes the Kubernetes service and the
// Data Plane clients, so the live tests run it against the real stack. A part that cannot be read
// is reported in `problems` and the rules run on the rest.
import type { DataPlaneClient } from '../../dataplane/api';
import {
  buildGatewayModel,
  indexServices,
  ROUTE_KINDS,
  type GatewayView,
  type KubeObject,
  type KubernetesService,
  type RouteView,
  type ServiceView,
} from '../../kubernetes/api';
import type { ConnectionInput, DoctorInput, ReloadInput } from './doctor';
import { buildTrafficGraph, type HaproxyInput } from './graph';
import { readTopology, type HaproxyTopology } from './haproxy';
import type { PoolInput, PoolUsageInput } from './pools';
import { parseNativeStats } from './stats';

/** One configured Data Plane API connection: its client, or why there is none (no password...). */
export interface GatherConnection {
  id: string;
  client?: DataPlaneClient;
  error?: string;
}

export interface GatherSources {
  /** Undefined when no cluster is configured: the Kubernetes rules are skipped. */
  kube?: KubernetesService;
  connections: readonly GatherConnection[];
  pools: readonly PoolInput[];
  ourClasses: readonly string[];
  signal?: AbortSignal;
}

export interface GatheredServer {
  connectionId: string;
  topology?: HaproxyTopology;
  error?: string;
}

export interface Gathered {
  input: DoctorInput;
  services: ServiceView[];
  servers: GatheredServer[];
  /** What could not be read (the findings do not cover it). */
  problems: string[];
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** GET stats/native through the client's transport: the raw JSON body the traffic core parses. */
export async function rawNativeStats(client: DataPlaneClient, signal?: AbortSignal): Promise<unknown> {
  const { major } = await client.connect(signal);
  const res = await client.transport.request({
    method: 'GET',
    path: `/v${major}/services/haproxy/stats/native`,
    signal,
  });
  if (res.status !== 200) throw new Error(`${client.name}: GET stats/native answered HTTP ${res.status}`);
  try {
    return JSON.parse(res.body);
  } catch {
    throw new Error(`${client.name}: GET stats/native did not answer JSON`);
  }
}

/** The newest reload of a list (by timestamp, then by the sequence number ending its id). */
export function lastReload(
  list: readonly { id: string; status: string; response?: string; reloadTimestamp?: number }[],
): ReloadInput | undefined {
  const seq = (id: string) => Number(/-(\d+)$/.exec(id)?.[1] ?? 0);
  const sorted = [...list].sort((a, b) => (a.reloadTimestamp ?? 0) - (b.reloadTimestamp ?? 0) || seq(a.id) - seq(b.id));
  const r = sorted.at(-1);
  if (!r || (r.status !== 'failed' && r.status !== 'succeeded' && r.status !== 'in_progress')) return undefined;
  return { id: r.id, status: r.status, ...(r.response !== undefined ? { response: r.response } : {}) };
}

async function readServer(
  c: GatherConnection,
  signal: AbortSignal | undefined,
): Promise<{ haproxy: HaproxyInput; connection: ConnectionInput }> {
  if (!c.client) {
    const error = c.error ?? 'not connected';
    return { haproxy: { connectionId: c.id, error }, connection: { id: c.id, error } };
  }
  const client = c.client;
  try {
    const [raw, stats, reloads] = await Promise.all([
      client.rawConfig(signal),
      rawNativeStats(client, signal),
      client.reloads(signal).catch(() => []),
    ]);
    const reload = lastReload(reloads);
    return {
      haproxy: { connectionId: c.id, topology: readTopology(raw.text), stats: parseNativeStats(stats) },
      connection: { id: c.id, ...(reload ? { lastReload: reload } : {}) },
    };
  } catch (err) {
    if (signal?.aborted) throw err;
    const error = messageOf(err);
    return { haproxy: { connectionId: c.id, error }, connection: { id: c.id, error } };
  }
}

/**
 * Fresh lists, not the tree's watch cache: that cache holds nothing while the Kubernetes view is
 * hidden, and a diagnosis must not depend on which view is open.
 */
async function readCluster(kube: KubernetesService, problems: string[]) {
  let services: ServiceView[];
  try {
    const list = await kube.servicesWithEndpoints();
    const endpoints = list.flatMap((s) => (s.endpoints ? [s.endpoints] : []));
    const index = indexServices(
      list.map((s) => s.service),
      list.flatMap((s) => s.endpointSlices),
      endpoints,
    );
    services = [...index.byKey.values()];
  } catch (err) {
    problems.push(`Kubernetes: ${messageOf(err)}`);
    return undefined;
  }
  let gateways: GatewayView[] = [];
  let routes: RouteView[] = [];
  let referenceGrants: KubeObject[] = [];
  try {
    const actions = await kube.actions();
    // A kind the cluster does not serve (no Gateway API, an old one) has nothing to find.
    const list = (kind: string) => actions.list(kind, undefined).catch(() => [] as KubeObject[]);
    const [gatewayClasses, gws, grants, ...routeLists] = await Promise.all([
      list('GatewayClass'),
      list('Gateway'),
      list('ReferenceGrant'),
      ...ROUTE_KINDS.map((k) => list(k)),
    ]);
    const model = buildGatewayModel({
      gatewayClasses,
      gateways: gws,
      routes: Object.fromEntries(ROUTE_KINDS.map((k, i) => [k, routeLists[i]!])),
      services: [],
      endpointSlices: [],
      endpoints: [],
    });
    gateways = model.gateways;
    routes = model.routes;
    referenceGrants = grants;
  } catch (err) {
    problems.push(`Gateway API: ${messageOf(err)}`);
  }
  return { services, gateways, routes, referenceGrants };
}

/** Reads everything the rules need; every server in parallel, one stats request each. */
export async function gatherDoctorInput(src: GatherSources): Promise<Gathered> {
  const problems: string[] = [];
  const [cluster, read] = await Promise.all([
    src.kube ? readCluster(src.kube, problems) : Promise.resolve(undefined),
    Promise.all(src.connections.map((c) => readServer(c, src.signal))),
  ]);
  for (const r of read) if (r.connection.error) problems.push(`${r.connection.id}: ${r.connection.error}`);
  const services = cluster?.services ?? [];
  const haproxy = read.map((r) => r.haproxy);
  const graph = buildTrafficGraph({ services, gateways: cluster?.gateways ?? [], haproxy });
  const input: DoctorInput = {
    ...(cluster
      ? {
          services: services.map((s) => s.object),
          gateways: cluster.gateways,
          routes: cluster.routes,
          referenceGrants: cluster.referenceGrants,
        }
      : {}),
    pools: src.pools,
    connections: read.map((r) => r.connection),
    graph,
    ourClasses: src.ourClasses,
  };
  const servers = haproxy.map((h) => ({ connectionId: h.connectionId, topology: h.topology, error: h.error }));
  return { input, services, servers, problems };
}

/** The pool usage input of what was gathered: Services, and the binds and servers of every topology. */
export function poolUsageInput(g: Gathered): PoolUsageInput {
  const binds: NonNullable<PoolUsageInput['binds']>[number][] = [];
  const servers: NonNullable<PoolUsageInput['servers']>[number][] = [];
  for (const s of g.servers) {
    for (const fe of s.topology?.frontends ?? [])
      for (const b of fe.binds)
        if (!b.wildcard) binds.push({ connectionId: s.connectionId, frontend: fe.name, address: b.host, port: b.port });
    for (const be of s.topology?.backends ?? [])
      for (const srv of be.servers)
        servers.push({ connectionId: s.connectionId, backend: be.name, server: srv.name, address: srv.address });
  }
  return {
    pools: g.input.pools ?? [],
    services: g.input.services ?? [],
    binds,
    servers,
    ourClasses: g.input.ourClasses,
  };
}
