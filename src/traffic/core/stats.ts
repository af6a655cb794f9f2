// The live half of the traffic map: the rows of GET /services/haproxy/stats/native (one request per
// Data Plane API server per refresh), validated field by field. v3 answers one object
// `{ runtimeAPI, stats: [...] }`, v2 an array of them (one per process); both are flattened here.
// Field names are HAProxy's CSV stats columns (scur, rate, check_status, hrsp_5xx, econ...).
import type { LiveState } from '../../dataplane/api';

export class StatsShapeError extends Error {
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`The Data Plane API answered stats/native with an unexpected shape at ${path}: ${detail}`);
    this.name = 'StatsShapeError';
  }
}

export interface StatRow {
  type: 'frontend' | 'backend' | 'server';
  name: string;
  /** Servers only: the backend the server belongs to. */
  backendName?: string;
  /** HAProxy's status text as sent: UP, DOWN, MAINT, DRAIN, NOLB, "no check", "UP 1/3", OPEN... */
  status?: string;
  /** Current sessions. */
  scur?: number;
  /** Sessions per second over the last second. */
  rate?: number;
  /** Frontends: HTTP requests per second over the last second. */
  reqRate?: number;
  checkStatus?: string;
  checkDesc?: string;
  checkCode?: number;
  /** Seconds since the last UP/DOWN transition. */
  lastChange?: number;
  weight?: number;
  /** Servers: the address HAProxy connects to, `ip:port`. */
  addr?: string;
  http5xx?: number;
  /** Connection errors (econ), response errors (eresp), request errors (ereq). */
  econ?: number;
  eresp?: number;
  ereq?: number;
  /** Failed checks (chkfail) and UP→DOWN transitions (chkdown). */
  chkfail?: number;
  chkdown?: number;
}

const TYPES = ['frontend', 'backend', 'server'] as const;
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function optNum(o: Record<string, unknown>, key: string, path: string): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new StatsShapeError(`${path}.${key}`, `expected a number, got ${JSON.stringify(v)?.slice(0, 40)}`);
  return v;
}

function optStr(o: Record<string, unknown>, key: string, path: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new StatsShapeError(`${path}.${key}`, 'expected a string');
  return v;
}

function row(v: unknown, path: string): StatRow {
  if (!isObj(v)) throw new StatsShapeError(path, 'expected an object');
  const type = v.type;
  if (typeof type !== 'string' || !(TYPES as readonly string[]).includes(type))
    throw new StatsShapeError(`${path}.type`, `"${String(type)}" is not frontend, backend or server`);
  if (typeof v.name !== 'string' || v.name === '') throw new StatsShapeError(`${path}.name`, 'expected a name');
  const s = v.stats === undefined || v.stats === null ? {} : v.stats;
  if (!isObj(s)) throw new StatsShapeError(`${path}.stats`, 'expected an object');
  const p = `${path}.stats`;
  return {
    type: type as StatRow['type'],
    name: v.name,
    backendName: optStr(v, 'backend_name', path),
    status: optStr(s, 'status', p),
    scur: optNum(s, 'scur', p),
    rate: optNum(s, 'rate', p),
    reqRate: optNum(s, 'req_rate', p),
    checkStatus: optStr(s, 'check_status', p),
    checkDesc: optStr(s, 'check_desc', p),
    checkCode: optNum(s, 'check_code', p),
    lastChange: optNum(s, 'lastchg', p),
    weight: optNum(s, 'weight', p),
    addr: optStr(s, 'addr', p),
    http5xx: optNum(s, 'hrsp_5xx', p),
    econ: optNum(s, 'econ', p),
    eresp: optNum(s, 'eresp', p),
    ereq: optNum(s, 'ereq', p),
    chkfail: optNum(s, 'chkfail', p),
    chkdown: optNum(s, 'chkdown', p),
  };
}

/** Parses the stats/native body of either API major version. Throws StatsShapeError. */
export function parseNativeStats(body: unknown): StatRow[] {
  const groups = Array.isArray(body) ? body : [body];
  const out: StatRow[] = [];
  groups.forEach((g, gi) => {
    const path = Array.isArray(body) ? `[${gi}]` : '$';
    if (!isObj(g)) throw new StatsShapeError(path, 'expected an object');
    // A process the API could not read reports an error instead of rows.
    if (typeof g.error === 'string' && g.error !== '') throw new StatsShapeError(`${path}.error`, g.error);
    if (g.stats === undefined || g.stats === null) return;
    if (!Array.isArray(g.stats)) throw new StatsShapeError(`${path}.stats`, 'expected an array');
    g.stats.forEach((r, i) => out.push(row(r, `${path}.stats[${i}]`)));
  });
  return out;
}

/** Key of a stats row, the same for the configuration's sections: `server/be/name`, `backend/be`. */
export function statKey(type: StatRow['type'], name: string, backendName?: string): string {
  return type === 'server' ? `server/${backendName ?? ''}/${name}` : `${type}/${name}`;
}

export function indexStats(rows: readonly StatRow[]): Map<string, StatRow> {
  return new Map(rows.map((r) => [statKey(r.type, r.name, r.backendName), r]));
}

/** The state a node shows, from HAProxy's status text. */
export function liveStateOf(status: string | undefined): LiveState {
  if (status === undefined) return 'UNKNOWN';
  const s = status.toUpperCase();
  for (const state of ['UP', 'DOWN', 'MAINT', 'DRAIN', 'NOLB'] as const) if (s.startsWith(state)) return state;
  if (s === 'NO CHECK') return 'NO CHECK';
  // Frontends report OPEN/STOP: open is "up" for the map.
  if (s === 'OPEN') return 'UP';
  if (s === 'STOP') return 'DOWN';
  return 'UNKNOWN';
}

/** What a map node shows of its live state. */
export interface LiveView {
  state: LiveState;
  statusText?: string;
  /** `L7OK 200 Layer7 check passed`-like summary of the last check. */
  lastCheck?: string;
  sessions?: number;
  /** Sessions (or, on frontends, requests) per second. */
  rate?: number;
  /** Connection + response + request errors + 5xx answers, cumulated since HAProxy started. */
  errors?: number;
  weight?: number;
  lastChangeSeconds?: number;
}

export function liveView(r: StatRow): LiveView {
  const errorParts = [r.econ, r.eresp, r.ereq, r.http5xx].filter((n): n is number => n !== undefined);
  const check = [r.checkStatus, r.checkCode, r.checkDesc].filter((x) => x !== undefined && x !== '').join(' ');
  return {
    state: liveStateOf(r.status),
    statusText: r.status,
    lastCheck: check || undefined,
    sessions: r.scur,
    rate: r.type === 'frontend' && r.reqRate !== undefined ? r.reqRate : r.rate,
    errors: errorParts.length ? errorParts.reduce((a, b) => a + b, 0) : undefined,
    weight: r.weight,
    lastChangeSeconds: r.lastChange,
  };
}
