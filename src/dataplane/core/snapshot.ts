// Loads everything the tree shows for one server in a fixed number of requests, whatever the size
// of its configuration: the raw configuration (parsed here), the native stats (live states) and,
// when asked, the open transactions. No request per frontend, backend or server. Full stats are
// 35–70 fields a row (5.7 MB and seconds of server time for 10,000 servers): above
// FULL_STATS_MAX_SERVERS the tree asks only for the backend rows (their `act`/`bck` give the up
// counts) and a backend's server rows when it is expanded (`loadStates`, one request).
import { CfgBind, extractTree } from './liveConfig';
import type { ApiMajor, DataPlaneClient } from './client';
import type { Info, NativeStat, Transaction } from './validate';
import type { RequestMeter } from './http';

export type LiveState = 'UP' | 'DOWN' | 'MAINT' | 'DRAIN' | 'NOLB' | 'NO CHECK' | 'UNKNOWN';

export interface ServerNode {
  name: string;
  address: string;
  port?: number;
  /** Weight as configured. */
  weight: number;
  /** Weight HAProxy uses now (from stats), which runtime changes make differ from the configured one. */
  liveWeight?: number;
  state: LiveState;
  /** HAProxy's status text as sent, e.g. "UP 1/3" or "no check". */
  statusText?: string;
  checkStatus?: string;
  backup: boolean;
}

export interface BackendNode {
  name: string;
  mode: string;
  balance: string;
  servers: ServerNode[];
  /** BACKEND row status from stats (UP/DOWN). */
  state: LiveState;
  /** Servers UP (active + backup) from the BACKEND row, when the server rows were not loaded. */
  upServers?: number;
  /**
   * Present when the server rows were not loaded with the tree: loads them (one request) and
   * returns the servers with their live states.
   */
  loadStates?: (signal?: AbortSignal) => Promise<ServerNode[]>;
}

export interface FrontendNode {
  name: string;
  mode: string;
  binds: CfgBind[];
  defaultBackend?: string;
  state?: string;
}

export interface TreeSnapshot {
  major: ApiMajor;
  info: Info;
  version: number;
  rawText: string;
  frontends: FrontendNode[];
  backends: BackendNode[];
  transactions?: Transaction[];
  /** HTTP exchanges this load made (connect included on first use). */
  requests: number;
  loadedAt: number;
}

export function liveState(status: string | undefined): LiveState {
  if (status === undefined) return 'UNKNOWN';
  const s = status.toUpperCase();
  if (s.startsWith('UP')) return 'UP';
  if (s.startsWith('DOWN')) return 'DOWN';
  if (s.startsWith('MAINT')) return 'MAINT';
  if (s.startsWith('DRAIN')) return 'DRAIN';
  if (s.startsWith('NOLB')) return 'NOLB';
  if (s === 'NO CHECK') return 'NO CHECK';
  return 'UNKNOWN';
}

/** Up to this many servers the full stats come in one request; above, backend rows only. */
export const FULL_STATS_MAX_SERVERS = 1_000;

// The size of each server's configuration at its last load, to choose the stats request without
// waiting for the raw configuration (both go out at once from the second load on).
const lastServerCount = new WeakMap<DataPlaneClient, number>();

export interface LoadTreeOptions {
  transactions?: boolean;
  signal?: AbortSignal;
  /** Above this many servers only backend stats rows are loaded (default FULL_STATS_MAX_SERVERS). */
  fullStatsMaxServers?: number;
}

export async function loadTree(client: DataPlaneClient, opts: LoadTreeOptions = {}): Promise<TreeSnapshot> {
  // Its own requests only: a write or the status bar may use the same connection meanwhile.
  const meter = client.transport.meter();
  return meter.run(() => loadTreeMetered(client, opts, meter));
}

async function loadTreeMetered(
  client: DataPlaneClient,
  opts: LoadTreeOptions,
  meter: RequestMeter,
): Promise<TreeSnapshot> {
  const max = opts.fullStatsMaxServers ?? FULL_STATS_MAX_SERVERS;
  const { major, info } = await client.connect(opts.signal);
  const rawP = client.rawConfig(opts.signal);
  const transactionsP = opts.transactions ? client.transactions(opts.signal) : Promise.resolve(undefined);
  // First load: the raw configuration says how large it is before the stats are asked for.
  const known = lastServerCount.get(client) ?? serverCount(extractTree((await rawP).text));
  const full = known <= max;
  const statsP = client.nativeStats(opts.signal, full ? {} : { type: 'backend' });
  const [raw, stats, transactions] = await Promise.all([rawP, statsP, transactionsP]);
  const tree = merge(raw.text, stats, full ? undefined : client);
  lastServerCount.set(
    client,
    tree.backends.reduce((n, b) => n + b.servers.length, 0),
  );
  const requests = meter.count;
  return {
    major,
    info,
    version: raw.version,
    rawText: raw.text,
    ...tree,
    transactions,
    requests,
    loadedAt: Date.now(),
  };
}

function serverCount(cfg: ReturnType<typeof extractTree>): number {
  return cfg.backends.reduce((n, b) => n + b.servers.length, 0);
}

/** Joins the configuration with the stats rows (indexed once: O(servers)). */
export function merge(
  text: string,
  stats: readonly NativeStat[],
  lazyServers?: DataPlaneClient,
): { frontends: FrontendNode[]; backends: BackendNode[] } {
  const cfg = extractTree(text);
  const serverStats = new Map<string, NativeStat>();
  const proxyStats = new Map<string, NativeStat>();
  for (const s of stats) {
    if (s.type === 'server' && s.backendName !== undefined) serverStats.set(`${s.backendName}\u0000${s.name}`, s);
    else proxyStats.set(`${s.type}\u0000${s.name}`, s);
  }
  return {
    frontends: cfg.frontends.map((f) => ({
      name: f.name,
      mode: f.mode,
      binds: f.binds,
      defaultBackend: f.defaultBackend,
      state: proxyStats.get(`frontend\u0000${f.name}`)?.status,
    })),
    backends: cfg.backends.map((b) => {
      const row = proxyStats.get(`backend\u0000${b.name}`);
      const servers = (rows: Map<string, NativeStat>): ServerNode[] =>
        b.servers.map((s) => {
          const st = rows.get(`${b.name}\u0000${s.name}`);
          return {
            name: s.name,
            address: s.address,
            port: s.port,
            weight: s.weight,
            liveWeight: st?.weight,
            state: s.disabled && !st ? 'MAINT' : liveState(st?.status),
            statusText: st?.status,
            checkStatus: st?.checkStatus,
            backup: s.backup,
          };
        });
      const node: BackendNode = {
        name: b.name,
        mode: b.mode,
        balance: b.balance,
        state: liveState(row?.status),
        servers: servers(serverStats),
      };
      if (lazyServers) {
        if (row?.activeUp !== undefined) node.upServers = row.activeUp + (row.backupUp ?? 0);
        node.loadStates = async (signal) => {
          const rows = await lazyServers.nativeStats(signal, { type: 'server', parent: b.name });
          return servers(new Map(rows.map((r) => [`${b.name}\u0000${r.name}`, r])));
        };
      }
      return node;
    }),
  };
}
