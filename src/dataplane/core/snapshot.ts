// Loads everything the tree shows for one server in a fixed number of requests, whatever the size
// of its configuration: the raw configuration (parsed here), the native stats (live server
// states) and, when asked, the open transactions. No request per frontend, backend or server.
import { CfgBind, extractTree } from './cfgExtract';
import type { ApiMajor, DataPlaneClient } from './client';
import type { Info, NativeStat, Transaction } from './validate';

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

export async function loadTree(client: DataPlaneClient, opts: { transactions?: boolean; signal?: AbortSignal } = {}): Promise<TreeSnapshot> {
  const before = client.transport.requestCount;
  const { major, info } = await client.connect(opts.signal);
  const [raw, stats, transactions] = await Promise.all([
    client.rawConfig(opts.signal),
    client.nativeStats(opts.signal),
    opts.transactions ? client.transactions(opts.signal) : Promise.resolve(undefined),
  ]);
  return { major, info, version: raw.version, rawText: raw.text, ...merge(raw.text, stats), transactions, requests: client.transport.requestCount - before, loadedAt: Date.now() };
}

/** Joins the configuration with the stats rows (indexed once: O(servers)). */
export function merge(text: string, stats: readonly NativeStat[]): { frontends: FrontendNode[]; backends: BackendNode[] } {
  const cfg = extractTree(text);
  const serverStats = new Map<string, NativeStat>();
  const proxyStats = new Map<string, NativeStat>();
  for (const s of stats) {
    if (s.type === 'server' && s.backendName !== undefined) serverStats.set(`${s.backendName}\u0000${s.name}`, s);
    else proxyStats.set(`${s.type}\u0000${s.name}`, s);
  }
  return {
    frontends: cfg.frontends.map((f) => ({ name: f.name, mode: f.mode, binds: f.binds, defaultBackend: f.defaultBackend, state: proxyStats.get(`frontend\u0000${f.name}`)?.status })),
    backends: cfg.backends.map((b) => ({
      name: b.name,
      mode: b.mode,
      balance: b.balance,
      state: liveState(proxyStats.get(`backend\u0000${b.name}`)?.status),
      servers: b.servers.map((s) => {
        const st = serverStats.get(`${b.name}\u0000${s.name}`);
        return { name: s.name, address: s.address, port: s.port, weight: s.weight, liveWeight: st?.weight, state: s.disabled && !st ? 'MAINT' : liveState(st?.status), statusText: st?.status, checkStatus: st?.checkStatus, backup: s.backup };
      }),
    })),
  };
}
