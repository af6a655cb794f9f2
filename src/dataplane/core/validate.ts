// Hand-written validators for the answer shapes this client reads, written from the schemas of
// the v2.9 and v3.4.2 specifications (test/unit/dataplane/validate.test.ts checks them against the
// specs' examples and enums). Each returns the typed value or throws ShapeError naming the path.

export class ShapeError extends Error {
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(`${path}: ${problem}`);
    this.name = 'ShapeError';
  }
}

type Obj = Record<string, unknown>;

export function obj(v: unknown, path: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ShapeError(path, 'expected an object');
  return v as Obj;
}
export function arr(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) throw new ShapeError(path, 'expected an array');
  return v;
}
export function str(v: unknown, path: string): string {
  if (typeof v !== 'string') throw new ShapeError(path, 'expected a string');
  return v;
}
export function optStr(v: unknown, path: string): string | undefined {
  return v === undefined || v === null ? undefined : str(v, path);
}
export function int(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new ShapeError(path, 'expected an integer');
  return v;
}
export function optInt(v: unknown, path: string): number | undefined {
  return v === undefined || v === null ? undefined : int(v, path);
}
export function oneOf<T extends string>(v: unknown, allowed: readonly T[], path: string): T {
  const s = str(v, path);
  if (!(allowed as readonly string[]).includes(s))
    throw new ShapeError(path, `expected one of ${allowed.join(', ')}, got "${s}"`);
  return s as T;
}

// --- info ---------------------------------------------------------------------------------
export interface Info {
  apiVersion: string;
  buildDate?: string;
  hostname?: string;
}
export function info(v: unknown): Info {
  const o = obj(v, 'info');
  const api = obj(o.api, 'info.api');
  const system = o.system === undefined ? {} : obj(o.system, 'info.system');
  return {
    apiVersion: str(api.version, 'info.api.version'),
    buildDate: optStr(api.build_date, 'info.api.build_date'),
    hostname: optStr(system.hostname, 'info.system.hostname'),
  };
}

/** `process_info` (v3: one object; v2: an array, one per process) → HAProxy's version string. */
export function haproxyVersion(v: unknown): string | undefined {
  const first = Array.isArray(v) ? v[0] : v;
  if (first === undefined) return undefined;
  const o = obj(first, 'process_info');
  if (typeof o.error === 'string' && o.error !== '') throw new ShapeError('process_info.error', o.error);
  return o.info === undefined
    ? undefined
    : optStr(obj(o.info, 'process_info.info').version, 'process_info.info.version');
}

// --- reloads ------------------------------------------------------------------------------
export const RELOAD_STATUSES = ['failed', 'in_progress', 'succeeded'] as const;
export type ReloadStatus = (typeof RELOAD_STATUSES)[number];
export interface Reload {
  id: string;
  status: ReloadStatus;
  response?: string;
  /** Seconds since the epoch, as the server sends it. */
  reloadTimestamp?: number;
}
const RELOAD_ID = /^\d{4}-\d{2}-\d{2}-\d+$/;
/**
 * `requestedId`: the id asked for. A reload the agent has not run yet answers
 * `{"status":"in_progress"}` without an id (real v2.9 and v3.4): that is "pending", not a bad answer.
 */
export function reload(v: unknown, path = 'reload', requestedId?: string): Reload {
  const o = obj(v, path);
  const status = oneOf(o.status, RELOAD_STATUSES, `${path}.status`);
  const id =
    o.id === undefined && status === 'in_progress' && requestedId !== undefined ? requestedId : str(o.id, `${path}.id`);
  if (!RELOAD_ID.test(id)) throw new ShapeError(`${path}.id`, `"${id}" is not a reload id (YYYY-MM-DD-N)`);
  return {
    id,
    status,
    response: optStr(o.response, `${path}.response`),
    reloadTimestamp: optInt(o.reload_timestamp, `${path}.reload_timestamp`),
  };
}
export function reloads(v: unknown): Reload[] {
  return arr(v ?? [], 'reloads').map((r, i) => reload(r, `reloads[${i}]`));
}
export function isReloadId(s: string): boolean {
  return RELOAD_ID.test(s);
}

// --- transactions -------------------------------------------------------------------------
export const TRANSACTION_STATUSES = ['failed', 'outdated', 'in_progress', 'success'] as const;
export type TransactionStatus = (typeof TRANSACTION_STATUSES)[number];
export interface Transaction {
  id: string;
  /**
   * The version it was opened at. Absent on transactions listed after they were outdated, and on
   * one that a change racing its DELETE brought back (`{"id":…,"status":"in_progress"}`).
   */
  version?: number;
  status: TransactionStatus;
}
export function transaction(v: unknown, path = 'transaction'): Transaction {
  const o = obj(v, path);
  const id = str(o.id, `${path}.id`);
  if (!/^[^\s]+$/.test(id)) throw new ShapeError(`${path}.id`, 'contains white space');
  return {
    id,
    version: optInt(o._version, `${path}._version`),
    status: oneOf(o.status, TRANSACTION_STATUSES, `${path}.status`),
  };
}
export function transactions(v: unknown): Transaction[] {
  // A server with none may answer null.
  return arr(v ?? [], 'transactions').map((t, i) => transaction(t, `transactions[${i}]`));
}

// --- stats --------------------------------------------------------------------------------
export interface NativeStat {
  type: 'backend' | 'server' | 'frontend';
  name: string;
  backendName?: string;
  /** HAProxy's status text as sent (UP, DOWN, MAINT, DRAIN, NOLB, "no check", "UP 1/3", ...). */
  status?: string;
  weight?: number;
  checkStatus?: string;
  currentSessions?: number;
  /** Backend rows: servers UP, active and backup (HAProxy's `act` and `bck`). */
  activeUp?: number;
  backupUp?: number;
}
const STAT_TYPES = ['backend', 'server', 'frontend'] as const;
function nativeStat(v: unknown, path: string): NativeStat {
  const o = obj(v, path);
  const stats = o.stats === undefined || o.stats === null ? {} : obj(o.stats, `${path}.stats`);
  return {
    type: oneOf(o.type, STAT_TYPES, `${path}.type`),
    name: str(o.name, `${path}.name`),
    backendName: optStr(o.backend_name, `${path}.backend_name`),
    status: optStr(stats.status, `${path}.stats.status`),
    weight: optInt(stats.weight, `${path}.stats.weight`),
    checkStatus: optStr(stats.check_status, `${path}.stats.check_status`),
    currentSessions: optInt(stats.scur, `${path}.stats.scur`),
    activeUp: o.type === 'backend' ? optInt(stats.act, `${path}.stats.act`) : undefined,
    backupUp: o.type === 'backend' ? optInt(stats.bck, `${path}.stats.bck`) : undefined,
  };
}
/** v3 answers one `native_stats` object, v2 an array of them (one per process): both flattened. */
export function nativeStats(v: unknown): NativeStat[] {
  const groups = Array.isArray(v) ? v : [v];
  const out: NativeStat[] = [];
  groups.forEach((g, gi) => {
    const o = obj(g, `stats[${gi}]`);
    if (typeof o.error === 'string' && o.error !== '') throw new ShapeError(`stats[${gi}].error`, o.error);
    arr(o.stats ?? [], `stats[${gi}].stats`).forEach((s, i) => out.push(nativeStat(s, `stats[${gi}].stats[${i}]`)));
  });
  return out;
}

// --- runtime servers ----------------------------------------------------------------------
export const ADMIN_STATES = ['ready', 'maint', 'drain'] as const;
export type AdminState = (typeof ADMIN_STATES)[number];
export interface RuntimeServer {
  name: string;
  adminState?: AdminState;
  operationalState?: string;
  weight?: number;
}
export function runtimeServer(v: unknown, path = 'runtime_server'): RuntimeServer {
  const o = obj(v, path);
  return {
    name: str(o.name, `${path}.name`),
    adminState: o.admin_state === undefined ? undefined : oneOf(o.admin_state, ADMIN_STATES, `${path}.admin_state`),
    operationalState: optStr(o.operational_state, `${path}.operational_state`),
    weight: optInt(o.weight, `${path}.weight`),
  };
}

// --- errors and versions ------------------------------------------------------------------
/** `{code, message}`; returns the message or undefined when the body is not that shape. */
export function apiErrorMessage(body: string): string | undefined {
  try {
    const o = JSON.parse(body) as unknown;
    if (typeof o === 'object' && o !== null && typeof (o as Obj).message === 'string')
      return (o as Obj).message as string;
  } catch {
    // not JSON
  }
  return undefined;
}

export function configVersion(v: unknown): number {
  const n = int(v, 'version');
  if (n < 0) throw new ShapeError('version', 'negative');
  return n;
}

/** Configuration-Version header value → integer, or undefined when absent/garbled. */
export function versionHeader(h: string | undefined): number | undefined {
  if (h === undefined || !/^\d+$/.test(h.trim())) return undefined;
  return Number(h.trim());
}

/** v2 wraps GET bodies of configuration resources in `{_version, data}`. */
export function unwrapV2(v: unknown, path: string): { version?: number; data: unknown } {
  const o = obj(v, path);
  if (!('data' in o)) throw new ShapeError(path, 'expected {_version, data}');
  return { version: optInt(o._version, `${path}._version`), data: o.data };
}
