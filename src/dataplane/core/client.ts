// One interface over Data Plane API v2 and v3. The differences (paths of binds and servers, v2's
// `{_version,data}` wrapping, raw configuration as JSON or text, stats as array or object) stay
// inside this file; callers see the same methods and shapes.
import { MAX_QUOTED_CHARS, MAX_REJECTION_CHARS, truncateForMessage } from '../../shared/limits';
import type { Connection } from './connection';
import {
  ConfigurationRejectedError,
  DataPlaneHttpError,
  InvalidAnswerError,
  RawConfigConflictError,
  TooManyTransactionsError,
  TransactionOutdatedError,
  VersionConflictError,
} from './errors';
import { HttpAnswer, HttpRequest, Transport, TransportOptions } from './http';
import * as v from './validate';

export type ApiMajor = 2 | 3;

export interface ServerSpec {
  name: string;
  address: string;
  port?: number;
  weight?: number;
  check?: boolean;
}

export interface BackendSpec {
  name: string;
  mode?: 'http' | 'tcp';
  balance?: string;
}

export interface FrontendSpec {
  name: string;
  mode?: 'http' | 'tcp';
  defaultBackend?: string;
  /** `option forwardfor` (HTTP mode). */
  forwardfor?: boolean;
}

export interface BindSpec {
  name: string;
  /** An IPv4 or IPv6 address without brackets, or `*` / empty for every address. */
  address: string;
  port?: number;
}

export interface RawConfig {
  text: string;
  version: number;
}

export interface WriteResult {
  /** Configuration version after the write, from the Configuration-Version header. */
  version?: number;
  /** Present when the write requested a reload (HTTP 202). */
  reloadId?: string;
  status: number;
}

export class DataPlaneClient {
  readonly transport: Transport;
  private major: ApiMajor | undefined;
  private infoCache: v.Info | undefined;
  /** Sees every whole configuration text read from or written to the server (the history keeps them). */
  onConfigText?: (e: { text: string; version?: number; source: 'read' | 'write' }) => void;

  constructor(
    readonly connection: Connection,
    opts: TransportOptions,
  ) {
    this.transport = new Transport(connection, opts);
  }

  get name(): string {
    return this.connection.settings.name;
  }

  get apiMajor(): ApiMajor | undefined {
    return this.major;
  }

  dispose(): Promise<void> {
    return this.transport.close();
  }

  // --- detection ------------------------------------------------------------------------

  /** Finds out whether the server speaks /v3 or /v2 (trying the URL's hint first) and reads /info. */
  async connect(signal?: AbortSignal): Promise<{ major: ApiMajor; info: v.Info }> {
    if (this.major && this.infoCache) return { major: this.major, info: this.infoCache };
    const order: ApiMajor[] = this.transport.versionHint === 2 ? [2, 3] : [3, 2];
    let last: HttpAnswer | undefined;
    for (const major of order) {
      const res = await this.transport.request({ method: 'GET', path: `/v${major}/info`, signal });
      // 404: that base path is not served; anything else is this server's answer.
      if (res.status === 404) {
        last = res;
        continue;
      }
      this.check(res, 'GET /info');
      const info = this.parse(res, 'GET /info', v.info);
      this.major = major;
      this.infoCache = info;
      return { major, info };
    }
    throw new InvalidAnswerError(
      this.name,
      'GET /v3/info and /v2/info',
      `both answered ${last?.status ?? '?'}; neither /v3 nor /v2 is served at ` +
        `${this.transport.origin}${this.transport.prefix}`,
    );
  }

  // --- reads ----------------------------------------------------------------------------

  async configVersion(signal?: AbortSignal): Promise<number> {
    const res = await this.get('/services/haproxy/configuration/version', {}, signal);
    return this.parse(res, 'configuration version', (b) => v.configVersion(b));
  }

  async rawConfig(signal?: AbortSignal): Promise<RawConfig> {
    const res = await this.get('/services/haproxy/configuration/raw', {}, signal);
    let text: string;
    let version = v.versionHeader(res.headers['configuration-version']);
    if (res.contentType === 'application/json') {
      // v2: {_version, data}; v3.0.0: {data}.
      const body = this.parse(res, 'raw configuration', (b) => v.unwrapV2(b, 'raw'));
      text = this.parse({ ...res, body: JSON.stringify(body.data) }, 'raw configuration', (d) => v.str(d, 'raw.data'));
      version = body.version ?? version;
    } else {
      text = res.body;
    }
    if (version === undefined) throw new InvalidAnswerError(this.name, 'raw configuration', 'no Configuration-Version');
    this.onConfigText?.({ text, version, source: 'read' });
    return { text, version };
  }

  /** HAProxy's own version (from its runtime API), e.g. "2.6.12-1+deb12u4". */
  async haproxyVersion(signal?: AbortSignal): Promise<string | undefined> {
    const res = await this.get('/services/haproxy/runtime/info', {}, signal);
    return this.parse(res, 'HAProxy process info', v.haproxyVersion);
  }

  async reloads(signal?: AbortSignal): Promise<v.Reload[]> {
    const res = await this.get('/services/haproxy/reloads', {}, signal);
    return this.parse(res, 'reloads', v.reloads);
  }

  async reload(id: string, signal?: AbortSignal): Promise<v.Reload> {
    if (!v.isReloadId(id)) throw new InvalidAnswerError(this.name, 'a Reload-ID header', `"${id}" is not a reload id`);
    const res = await this.get(`/services/haproxy/reloads/${encodeURIComponent(id)}`, {}, signal);
    return this.parse(res, `reload ${id}`, (b) => v.reload(b, 'reload', id));
  }

  async transactions(signal?: AbortSignal): Promise<v.Transaction[]> {
    const res = await this.get('/services/haproxy/transactions', { status: 'in_progress' }, signal);
    return this.parse(res, 'transactions', v.transactions);
  }

  /**
   * The open transactions with the current version from the same answer's Configuration-Version
   * header (one request instead of two; falls back to reading the version when the header is absent).
   */
  async openTransactions(signal?: AbortSignal): Promise<{ version: number; transactions: v.Transaction[] }> {
    const res = await this.get('/services/haproxy/transactions', { status: 'in_progress' }, signal);
    const transactions = this.parse(res, 'transactions', v.transactions);
    const header = v.versionHeader(res.headers['configuration-version']);
    return { version: header !== undefined && header > 0 ? header : await this.configVersion(signal), transactions };
  }

  /** One transaction by id, or undefined when the server no longer has it (committed or discarded). */
  async transactionById(id: string, signal?: AbortSignal): Promise<v.Transaction | undefined> {
    await this.ensure(signal);
    const res = await this.transport.request({
      method: 'GET',
      path: this.p(`/services/haproxy/transactions/${seg(id)}`),
      signal,
    });
    if (res.status === 404) return undefined;
    this.check(res, `transaction ${id}`);
    return this.parse(res, `transaction ${id}`, (b) => v.transaction(b));
  }

  /**
   * Native stats rows. The full set is 35–70 fields a row (5.7 MB for 10,000 servers on the real
   * server): ask for one type (and, for servers, one backend) where only that is shown. Rows of
   * other types are dropped here too, for a server that ignores the filter.
   */
  async nativeStats(
    signal?: AbortSignal,
    filter: { type?: v.NativeStat['type']; parent?: string } = {},
  ): Promise<v.NativeStat[]> {
    const res = await this.get('/services/haproxy/stats/native', { type: filter.type, parent: filter.parent }, signal);
    const rows = this.parse(res, 'stats', v.nativeStats);
    return rows.filter(
      (r) =>
        (!filter.type || r.type === filter.type) && (filter.parent === undefined || r.backendName === filter.parent),
    );
  }

  /**
   * The stats/native body as sent (JSON, unvalidated: the traffic map validates it field by field)
   * and the Configuration-Version header of the same answer, so one request tells whether the
   * configuration changed since it was last read.
   */
  async nativeStatsBody(signal?: AbortSignal): Promise<{ body: unknown; configVersion?: number }> {
    const res = await this.get('/services/haproxy/stats/native', {}, signal);
    const body = this.parse(res, 'stats', (b) => b);
    return { body, configVersion: v.versionHeader(res.headers['configuration-version']) };
  }

  async runtimeServers(backend: string, signal?: AbortSignal): Promise<v.RuntimeServer[]> {
    const major = await this.ensure(signal);
    const res =
      major === 3
        ? await this.get(`/services/haproxy/runtime/backends/${seg(backend)}/servers`, {}, signal)
        : await this.get('/services/haproxy/runtime/servers', { backend }, signal);
    return this.parse(res, `runtime servers of ${backend}`, (b) =>
      v.arr(b ?? [], 'runtime_servers').map((s, i) => v.runtimeServer(s, `runtime_servers[${i}]`)),
    );
  }

  // --- runtime actions (no reload) --------------------------------------------------------

  async setServerState(backend: string, server: string, state: v.AdminState, signal?: AbortSignal): Promise<void> {
    if (!(v.ADMIN_STATES as readonly string[]).includes(state)) throw new Error(`invalid state ${state}`);
    await this.putRuntimeServer(backend, server, { admin_state: state }, signal);
  }

  /**
   * Sets a server's weight. v3's runtime API takes it directly; v2's runtime server has no weight,
   * so v2 changes the configured weight, which the Data Plane API applies through the runtime
   * API without a reload.
   */
  async setServerWeight(backend: string, server: string, weight: number, signal?: AbortSignal): Promise<WriteResult> {
    if (!Number.isInteger(weight) || weight < 0 || weight > 256)
      throw new RangeError('A weight is an integer from 0 to 256');
    const major = await this.ensure(signal);
    if (major === 3) {
      await this.putRuntimeServer(backend, server, { weight }, signal);
      return { status: 200 };
    }
    const current = await this.get(`/services/haproxy/configuration/servers/${seg(server)}`, { backend }, signal);
    const body = this.parse(current, `server ${server}`, (b) => v.obj(v.unwrapV2(b, 'server').data, 'server.data'));
    const version = await this.configVersion(signal);
    const res = await this.transport.request({
      method: 'PUT',
      path: this.p(`/services/haproxy/configuration/servers/${seg(server)}`),
      query: { backend, version },
      body: JSON.stringify({ ...body, weight }),
      signal,
    });
    return this.writeResult(res, `weight of ${backend}/${server}`);
  }

  private async putRuntimeServer(
    backend: string,
    server: string,
    body: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<void> {
    const major = await this.ensure(signal);
    const res =
      major === 3
        ? await this.transport.request({
            method: 'PUT',
            path: this.p(`/services/haproxy/runtime/backends/${seg(backend)}/servers/${seg(server)}`),
            body: JSON.stringify(body),
            signal,
          })
        : await this.transport.request({
            method: 'PUT',
            path: this.p(`/services/haproxy/runtime/servers/${seg(server)}`),
            query: { backend },
            body: JSON.stringify(body),
            signal,
          });
    this.check(res, `runtime server ${backend}/${server}`);
  }

  // --- raw configuration ----------------------------------------------------------------

  /**
   * Posts a whole configuration at the version it was read at. A newer version on the server
   * raises RawConfigConflictError with their text; HAProxy's rejection raises
   * ConfigurationRejectedError with its message. `onlyValidate` checks without applying.
   */
  async postRawConfig(
    text: string,
    version: number,
    opts: { onlyValidate?: boolean; signal?: AbortSignal } = {},
  ): Promise<WriteResult> {
    const res = await this.transport.request({
      method: 'POST',
      path: this.p('/services/haproxy/configuration/raw'),
      query: { version, only_validate: opts.onlyValidate ? true : undefined },
      body: text,
      contentType: 'text/plain',
      signal: opts.signal,
    });
    if (res.status === 409) {
      const theirs = await this.rawConfig(opts.signal);
      throw new RawConfigConflictError(this.name, theirs.version, theirs.text);
    }
    if (res.status === 400) throw new ConfigurationRejectedError(this.name, this.serverText(res, MAX_REJECTION_CHARS));
    const result = this.writeResult(res, 'raw configuration');
    if (!opts.onlyValidate) this.onConfigText?.({ text, version: result.version, source: 'write' });
    return result;
  }

  // --- transactions and configuration writes --------------------------------------------

  async startTransaction(version: number, signal?: AbortSignal): Promise<v.Transaction & { version: number }> {
    const res = await this.transport.request({
      method: 'POST',
      path: this.p('/services/haproxy/transactions'),
      query: { version },
      signal,
    });
    if (res.status === 429) throw new TooManyTransactionsError(this.name, this.serverText(res));
    this.check(res, 'start transaction');
    const tx = this.parse(res, 'start transaction', (b) => v.transaction(b));
    if (tx.version === undefined)
      throw new InvalidAnswerError(this.name, 'start transaction', 'transaction._version: expected an integer');
    return { ...tx, version: tx.version };
  }

  async commitTransaction(id: string, signal?: AbortSignal): Promise<WriteResult> {
    const res = await this.transport.request({
      method: 'PUT',
      path: this.p(`/services/haproxy/transactions/${seg(id)}`),
      signal,
    });
    if (res.status === 406) throw new TransactionOutdatedError(this.name, this.serverText(res));
    return this.writeResult(res, 'commit transaction');
  }

  async deleteTransaction(id: string, signal?: AbortSignal): Promise<void> {
    const res = await this.transport.request({
      method: 'DELETE',
      path: this.p(`/services/haproxy/transactions/${seg(id)}`),
      signal,
    });
    // 404: already gone (committed or discarded by someone else): the goal is reached.
    if (res.status !== 404) this.check(res, `discard transaction ${id}`);
  }

  /** Applies one recorded change inside a transaction. */
  async applyChange(change: Change, transactionId: string, signal?: AbortSignal): Promise<void> {
    const major = await this.ensure(signal);
    const req = changeRequest(change, major, transactionId);
    const res = await this.transport.request({ ...req, path: this.p(req.path), signal });
    this.check(res, describeChange(change));
  }

  // --- helpers --------------------------------------------------------------------------

  private async ensure(signal?: AbortSignal): Promise<ApiMajor> {
    return this.major ?? (await this.connect(signal)).major;
  }

  /** Prefixes the API base path; only valid after connect(). */
  private p(path: string): string {
    if (!this.major) throw new Error('DataPlaneClient used before connect()');
    return `/v${this.major}${path}`;
  }

  private async get(path: string, query: HttpRequest['query'], signal?: AbortSignal): Promise<HttpAnswer> {
    await this.ensure(signal);
    const res = await this.transport.request({ method: 'GET', path: this.p(path), query, signal });
    this.check(res, `GET ${path}`);
    return res;
  }

  /** Parses a JSON answer, unwraps v2's `{_version,data}` for configuration resources, validates. */
  private parse<T>(res: HttpAnswer, what: string, validate: (body: unknown) => T): T {
    let body: unknown;
    try {
      body = JSON.parse(res.body);
    } catch {
      throw new InvalidAnswerError(this.name, what, `not JSON (${res.contentType || 'no content type'})`);
    }
    try {
      return validate(body);
    } catch (err) {
      throw new InvalidAnswerError(this.name, what, err instanceof Error ? err.message : String(err));
    }
  }

  private serverText(res: HttpAnswer, max = MAX_QUOTED_CHARS): string {
    // Quoted in notifications and the log: a server's whole body would bury the message.
    return truncateForMessage(v.apiErrorMessage(res.body) ?? res.body.trim() ?? `HTTP ${res.status}`, max);
  }

  private writeResult(res: HttpAnswer, what: string): WriteResult {
    this.check(res, what);
    const reloadId = res.headers['reload-id'];
    return {
      status: res.status,
      version: v.versionHeader(res.headers['configuration-version']),
      reloadId: reloadId && v.isReloadId(reloadId) ? reloadId : undefined,
    };
  }

  /** Throws a message the user can act on for any status outside 2xx. */
  private check(res: HttpAnswer, what: string): void {
    if (res.status >= 200 && res.status < 300) return;
    const text = this.serverText(res);
    const name = this.name;
    switch (res.status) {
      case 401:
        throw new DataPlaneHttpError(
          `Wrong user or password for connection "${name}" (the server answered 401). Edit the connection to fix them.`,
          401,
          text,
        );
      case 403:
        throw new DataPlaneHttpError(
          `User "${this.connection.settings.username ?? ''}" may not ${what} on "${name}" (403).`,
          403,
          text,
        );
      case 404:
        throw new DataPlaneHttpError(`"${name}" has no ${what.replace(/^GET /, '')} (404: ${text})`, 404, text);
      case 409:
        if (/version/i.test(text)) throw new VersionConflictError(name, text);
        throw new DataPlaneHttpError(`${what} on "${name}" conflicts with the configuration: ${text}`, 409, text);
      case 400:
        // A commit elsewhere outdates every other open transaction at once; a change in one of
        // them answers this (with Configuration-Version: 0), its commit 406.
        if (/^transaction does not exist/i.test(text)) throw new TransactionOutdatedError(name, text, 400);
        // Whole (up to its own cap): the fatal line comes after one non-fatal ALERT per proxy.
        throw new ConfigurationRejectedError(name, this.serverText(res, MAX_REJECTION_CHARS));
      case 429:
        throw new TooManyTransactionsError(name, text);
    }
    throw new DataPlaneHttpError(`${what} failed on "${name}" with HTTP ${res.status}: ${text}`, res.status, text);
  }
}

/** A change inside a transaction: recorded so it can be replayed at a newer version. */
export type Change =
  | { kind: 'addBackend'; backend: BackendSpec }
  | { kind: 'replaceBackend'; backend: BackendSpec }
  | { kind: 'deleteBackend'; name: string }
  | { kind: 'addServer'; backend: string; server: ServerSpec }
  | { kind: 'replaceServer'; backend: string; server: ServerSpec }
  | { kind: 'deleteServer'; backend: string; name: string }
  | { kind: 'addFrontend'; frontend: FrontendSpec }
  | { kind: 'replaceFrontend'; frontend: FrontendSpec }
  | { kind: 'deleteFrontend'; name: string }
  | { kind: 'addBind'; frontend: string; bind: BindSpec }
  | { kind: 'replaceBind'; frontend: string; bind: BindSpec }
  | { kind: 'deleteBind'; frontend: string; name: string };

export function describeChange(c: Change): string {
  switch (c.kind) {
    case 'addBackend':
      return `add backend ${c.backend.name}`;
    case 'replaceBackend':
      return `change backend ${c.backend.name}`;
    case 'deleteBackend':
      return `delete backend ${c.name}`;
    case 'addServer':
      return `add server ${c.backend}/${c.server.name}`;
    case 'replaceServer':
      return `change server ${c.backend}/${c.server.name}`;
    case 'deleteServer':
      return `delete server ${c.backend}/${c.name}`;
    case 'addFrontend':
      return `add frontend ${c.frontend.name}`;
    case 'replaceFrontend':
      return `change frontend ${c.frontend.name}`;
    case 'deleteFrontend':
      return `delete frontend ${c.name}`;
    case 'addBind':
      return `add bind ${c.frontend}/${c.bind.name}`;
    case 'replaceBind':
      return `change bind ${c.frontend}/${c.bind.name}`;
    case 'deleteBind':
      return `delete bind ${c.frontend}/${c.name}`;
  }
}

/**
 * The HTTP request of one change inside a transaction, for either API version (path below the
 * base path). Pure, so tests check every path and body against both specifications.
 */
export function changeRequest(change: Change, major: ApiMajor, transactionId: string): HttpRequest {
  const q = { transaction_id: transactionId };
  const cfg = '/services/haproxy/configuration';
  switch (change.kind) {
    case 'addBackend':
      return { method: 'POST', path: `${cfg}/backends`, query: q, body: JSON.stringify(backendBody(change.backend)) };
    case 'replaceBackend':
      return {
        method: 'PUT',
        path: `${cfg}/backends/${seg(change.backend.name)}`,
        query: q,
        body: JSON.stringify(backendBody(change.backend)),
      };
    case 'deleteBackend':
      return { method: 'DELETE', path: `${cfg}/backends/${seg(change.name)}`, query: q };
    case 'addServer':
      return major === 3
        ? {
            method: 'POST',
            path: `${cfg}/backends/${seg(change.backend)}/servers`,
            query: q,
            body: JSON.stringify(serverBody(change.server)),
          }
        : {
            method: 'POST',
            path: `${cfg}/servers`,
            query: { ...q, backend: change.backend },
            body: JSON.stringify(serverBody(change.server)),
          };
    case 'replaceServer':
      return major === 3
        ? {
            method: 'PUT',
            path: `${cfg}/backends/${seg(change.backend)}/servers/${seg(change.server.name)}`,
            query: q,
            body: JSON.stringify(serverBody(change.server)),
          }
        : {
            method: 'PUT',
            path: `${cfg}/servers/${seg(change.server.name)}`,
            query: { ...q, backend: change.backend },
            body: JSON.stringify(serverBody(change.server)),
          };
    case 'deleteServer':
      return major === 3
        ? { method: 'DELETE', path: `${cfg}/backends/${seg(change.backend)}/servers/${seg(change.name)}`, query: q }
        : { method: 'DELETE', path: `${cfg}/servers/${seg(change.name)}`, query: { ...q, backend: change.backend } };
    case 'addFrontend':
      return {
        method: 'POST',
        path: `${cfg}/frontends`,
        query: q,
        body: JSON.stringify(frontendBody(change.frontend)),
      };
    case 'replaceFrontend':
      return {
        method: 'PUT',
        path: `${cfg}/frontends/${seg(change.frontend.name)}`,
        query: q,
        body: JSON.stringify(frontendBody(change.frontend)),
      };
    case 'deleteFrontend':
      return { method: 'DELETE', path: `${cfg}/frontends/${seg(change.name)}`, query: q };
    case 'addBind':
      return major === 3
        ? {
            method: 'POST',
            path: `${cfg}/frontends/${seg(change.frontend)}/binds`,
            query: q,
            body: JSON.stringify(bindBody(change.bind)),
          }
        : {
            method: 'POST',
            path: `${cfg}/binds`,
            query: { ...q, frontend: change.frontend },
            body: JSON.stringify(bindBody(change.bind)),
          };
    case 'replaceBind':
      return major === 3
        ? {
            method: 'PUT',
            path: `${cfg}/frontends/${seg(change.frontend)}/binds/${seg(change.bind.name)}`,
            query: q,
            body: JSON.stringify(bindBody(change.bind)),
          }
        : {
            method: 'PUT',
            path: `${cfg}/binds/${seg(change.bind.name)}`,
            query: { ...q, frontend: change.frontend },
            body: JSON.stringify(bindBody(change.bind)),
          };
    case 'deleteBind':
      return major === 3
        ? { method: 'DELETE', path: `${cfg}/frontends/${seg(change.frontend)}/binds/${seg(change.name)}`, query: q }
        : { method: 'DELETE', path: `${cfg}/binds/${seg(change.name)}`, query: { ...q, frontend: change.frontend } };
  }
}

function backendBody(b: BackendSpec): Record<string, unknown> {
  return { name: b.name, mode: b.mode, balance: b.balance ? { algorithm: b.balance } : undefined };
}

function frontendBody(f: FrontendSpec): Record<string, unknown> {
  return {
    name: f.name,
    mode: f.mode,
    default_backend: f.defaultBackend,
    forwardfor: f.forwardfor ? { enabled: 'enabled' } : undefined,
  };
}

function bindBody(b: BindSpec): Record<string, unknown> {
  // The specs' bind address pattern forbids white space; ports are 1..65535.
  if (/\s/.test(b.address)) throw new RangeError(`"${b.address}" is not a bind address`);
  if (b.port !== undefined && (!Number.isInteger(b.port) || b.port < 1 || b.port > 65535))
    throw new RangeError(`${b.port} is not a port`);
  return { name: b.name, address: b.address, port: b.port };
}

function serverBody(s: ServerSpec): Record<string, unknown> {
  return {
    name: s.name,
    address: s.address,
    port: s.port,
    weight: s.weight,
    check: s.check === undefined ? undefined : s.check ? 'enabled' : 'disabled',
  };
}

/** One path segment; the spec forbids these characters in names anyway. */
function seg(s: string): string {
  if (!s || /[\r\n<>*;$#&{}"/]/.test(s)) throw new RangeError(`"${s}" is not a valid name`);
  return encodeURIComponent(s);
}
