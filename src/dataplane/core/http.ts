// HTTP transport for one connection: one keep-alive undici Pool, timeouts, cancellation, retries
// for idempotent reads, a log line per request, and network/TLS failures turned into messages a
// user can act on. Never logs a header or a body: they can carry credentials.
import { sleep } from '../../shared/abort';
import { AsyncLocalStorage } from 'node:async_hooks';
import * as tls from 'node:tls';
import type { Pool } from 'undici';
import { OperationCancelledError, UserFacingError } from '../../shared/errors';
import { MAX_DATAPLANE_BODY_BYTES } from '../../shared/limits';
import type { Logger as CoreLogger } from '../../shared/logger';
import type { Connection } from './connection';
import { DataPlaneConnectError, isTlsCode } from './errors';

/**
 * The part of the one core Logger (src/shared/logger.ts) the transport uses. An alias, not a second
 * interface: src/vip still builds a logger without `error` (TODO(arch-vip): use coreLogger(log)).
 */
export type Logger = Pick<CoreLogger, 'debug' | 'info' | 'warn'>;

export interface TransportOptions {
  logger: Logger;
  /** TCP + TLS handshake. */
  connectTimeoutMs?: number;
  /** Whole request, from sending to the last byte of the answer. */
  requestTimeoutMs?: number;
  /** Extra attempts for idempotent reads after a network error or a 5xx. */
  retries?: number;
  retryBaseMs?: number;
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path below the base path, e.g. `/v3/info`; the query goes in `query`. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: string;
  contentType?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface HttpAnswer {
  status: number;
  /** Lower-cased names: HTTP header names compare case-insensitively (Reload-ID vs Reload-Id). */
  headers: Record<string, string>;
  body: string;
  contentType: string;
}

const RETRY_STATUS = new Set([500, 502, 503, 504]);
// Timeouts are not retried: the user would wait several times as long.
const RETRY_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

// undici is required on first connection, not at import time: activating the extension for a
// haproxy.cfg must not pay for parsing it (esbuild ships it as a lazily required vendor bundle).
let undici: typeof import('undici') | undefined;
function loadUndici(): typeof import('undici') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  undici ??= require('undici') as typeof import('undici');
  return undici;
}

/**
 * The requests of one operation: those it starts (and what it awaits starts), not those that other
 * callers make on the same connection meanwhile (the tree's refresh, the status bar's polls).
 */
export interface RequestMeter {
  /** Requests started so far inside `run`. */
  readonly count: number;
  run<T>(fn: () => Promise<T>): Promise<T>;
}

interface MeterFrame {
  count: number;
  parent: MeterFrame | undefined;
}

export class Transport {
  readonly origin: string;
  /** The URL's path without a trailing slash and without a trailing /v2 or /v3. */
  readonly prefix: string;
  /** /v2 or /v3 when the URL named it. */
  readonly versionHint: 2 | 3 | undefined;
  private readonly pool: Pool;
  private readonly authorization: string | undefined;
  private readonly connectTimeoutMs: number;
  private readonly requestTimeoutMs: number;
  private readonly retries: number;
  private readonly retryBaseMs: number;
  /** Counts HTTP exchanges of every caller (for the benchmark); one operation's: `meter()`. */
  requestCount = 0;
  private readonly meters = new AsyncLocalStorage<MeterFrame>();

  constructor(
    private readonly conn: Connection,
    private readonly opts: TransportOptions,
  ) {
    const url = new URL(conn.settings.url);
    this.origin = url.origin;
    // Trailing slashes first: `\/*$` after a lazy `.*?` was quadratic on a path of slashes.
    const m = /^(.*?)(?:\/(v[23]))?$/.exec(url.pathname.replace(/(?<!\/)\/+$/, '')) ?? ['', '', undefined];
    this.prefix = m[1] ?? '';
    this.versionHint = m[2] === 'v2' ? 2 : m[2] === 'v3' ? 3 : undefined;
    this.connectTimeoutMs = opts.connectTimeoutMs ?? 5_000;
    this.requestTimeoutMs = opts.requestTimeoutMs ?? 15_000;
    this.retries = opts.retries ?? 2;
    this.retryBaseMs = opts.retryBaseMs ?? 200;
    const s = conn.settings;
    if (s.auth === 'basic' && s.username !== undefined) {
      this.authorization = `Basic ${Buffer.from(`${s.username}:${conn.secrets.password ?? ''}`).toString('base64')}`;
    }
    const https = url.protocol === 'https:';
    this.pool = new (loadUndici().Pool)(this.origin, {
      connections: 4,
      pipelining: 1,
      keepAliveTimeout: 30_000,
      connect: https
        ? {
            timeout: this.connectTimeoutMs,
            ca: conn.secrets.caPem || undefined,
            cert: s.auth === 'mtls' ? conn.secrets.certPem : undefined,
            key: s.auth === 'mtls' ? conn.secrets.keyPem : undefined,
            servername: s.serverName || (tlsHostIsIp(url.hostname) ? undefined : url.hostname),
            rejectUnauthorized: s.insecure !== true,
          }
        : { timeout: this.connectTimeoutMs },
    });
  }

  /** A meter for one operation; a meter inside another counts for both. */
  meter(): RequestMeter {
    const frame: MeterFrame = { count: 0, parent: this.meters.getStore() };
    return {
      get count() {
        return frame.count;
      },
      run: (fn) => this.meters.run(frame, fn),
    };
  }

  get connectionName(): string {
    return this.conn.settings.name;
  }

  async close(): Promise<void> {
    await this.pool.close().catch(() => this.pool.destroy());
  }

  /** One request; reads (GET) are retried with exponential backoff on network errors and 5xx. */
  async request(req: HttpRequest): Promise<HttpAnswer> {
    const attempts = req.method === 'GET' ? 1 + this.retries : 1;
    let lastError: unknown;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) await sleep(this.retryBaseMs * 2 ** (attempt - 1), req.signal);
      try {
        const answer = await this.once(req);
        if (attempt + 1 < attempts && RETRY_STATUS.has(answer.status)) {
          this.opts.logger.debug(`${req.method} ${req.path}: ${answer.status}, retrying`);
          lastError = undefined;
          continue;
        }
        return answer;
      } catch (err) {
        // An answer over the size cap is not retried: it would be as large the next time.
        if (err instanceof OperationCancelledError || err instanceof UserFacingError) throw err;
        lastError = err;
        const code = errorCode(err);
        if (attempt + 1 >= attempts || !RETRY_CODES.has(code)) break;
        this.opts.logger.debug(`${req.method} ${req.path}: ${code}, retrying`);
      }
    }
    throw await this.describe(lastError, req);
  }

  private async once(req: HttpRequest): Promise<HttpAnswer> {
    const timeoutMs = req.timeoutMs ?? this.requestTimeoutMs;
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, deadline]) : deadline;
    if (req.signal?.aborted) throw new OperationCancelledError();
    const headers: Record<string, string> = { accept: 'application/json, text/plain;q=0.9', ...req.headers };
    if (this.authorization) headers.authorization = this.authorization;
    if (req.body !== undefined) headers['content-type'] = req.contentType ?? 'application/json';
    const path = this.prefix + req.path + queryString(req.query);
    const started = performance.now();
    this.requestCount++;
    for (let f = this.meters.getStore(); f; f = f.parent) f.count++;
    try {
      const res = await this.pool.request({
        method: req.method,
        path,
        headers,
        body: req.body,
        signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const body = await readCapped(res.body, MAX_DATAPLANE_BODY_BYTES);
      const ms = performance.now() - started;
      this.opts.logger.info(`${req.method} ${path} → ${res.statusCode} (${ms.toFixed(0)} ms)`);
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers))
        if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
      return {
        status: res.statusCode,
        headers: out,
        body,
        contentType: (out['content-type'] ?? '').split(';')[0]!.trim().toLowerCase(),
      };
    } catch (err) {
      const ms = performance.now() - started;
      if (req.signal?.aborted) {
        this.opts.logger.info(`${req.method} ${path} → cancelled (${ms.toFixed(0)} ms)`);
        throw new OperationCancelledError();
      }
      const code = deadline.aborted ? 'REQUEST_TIMEOUT' : errorCode(err);
      this.opts.logger.info(`${req.method} ${path} → ${code} (${ms.toFixed(0)} ms)`);
      if (deadline.aborted)
        throw Object.assign(new Error(`timed out after ${timeoutMs} ms`), { code: 'REQUEST_TIMEOUT' });
      throw err;
    }
  }

  /** Turns a network or TLS failure into a message that says what failed and what to check. */
  private async describe(err: unknown, req: HttpRequest): Promise<DataPlaneConnectError> {
    const code = errorCode(err);
    const name = this.conn.settings.name;
    const where = `${this.origin}${this.prefix}`;
    const raw = err instanceof Error ? err.message : String(err);
    switch (code) {
      case 'ECONNREFUSED':
        return new DataPlaneConnectError(
          `Nothing listens at ${where} (connection "${name}" was refused). Check the host and port, and that the ` +
            `Data Plane API is running.`,
          code,
          raw,
        );
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
        return new DataPlaneConnectError(
          `The host of ${where} (connection "${name}") cannot be resolved. Check the URL.`,
          code,
          raw,
        );
      case 'UND_ERR_CONNECT_TIMEOUT':
        return new DataPlaneConnectError(
          `${where} did not accept a connection within ${this.connectTimeoutMs / 1000} s (connection "${name}"). ` +
            `Check the address and any firewall.`,
          code,
          raw,
        );
      case 'REQUEST_TIMEOUT':
      case 'UND_ERR_HEADERS_TIMEOUT':
      case 'UND_ERR_BODY_TIMEOUT':
        return new DataPlaneConnectError(
          `${where} did not answer ${req.method} ${req.path} within ` +
            `${(req.timeoutMs ?? this.requestTimeoutMs) / 1000} s (connection "${name}").`,
          code,
          raw,
        );
      case 'ECONNRESET':
      case 'UND_ERR_SOCKET':
      case 'EPIPE': {
        const https = new URL(this.origin).protocol === 'https:';
        const hint = !https
          ? ' If the server uses TLS, use an https:// URL.'
          : this.conn.settings.auth === 'mtls'
            ? ' It may not trust your client certificate: check the certificate and key of the connection.'
            : ' If it requires a client certificate (mutual TLS), edit the connection to use one.';
        return new DataPlaneConnectError(
          `${where} closed the connection unexpectedly (connection "${name}").${hint}`,
          code,
          raw,
        );
      }
    }
    if (isTlsCode(code)) return new DataPlaneConnectError(await this.describeTls(err, code), code, raw);
    return new DataPlaneConnectError(
      `Request to ${where} failed (connection "${name}"): ${raw}`,
      code || 'UNKNOWN',
      raw,
    );
  }

  private async describeTls(err: unknown, code: string): Promise<string> {
    const name = this.conn.settings.name;
    const url = new URL(this.origin);
    const expected = this.conn.settings.serverName || url.hostname;
    if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
      const e = err as { cert?: tls.PeerCertificate; reason?: string };
      const names = e.cert?.subjectaltname ?? `CN=${e.cert?.subject?.CN ?? '?'}`;
      return (
        `The certificate of ${this.origin} (connection "${name}") is for ${names}, not for "${expected}". ` +
        'Set the TLS server name of the connection to one of those names, or fix the certificate.'
      );
    }
    if (code.startsWith('ERR_SSL_') && /ALERT/.test(code)) {
      return `${this.origin} refused the TLS handshake (connection "${name}": ${code
        .replace(/^ERR_SSL_/, '')
        .toLowerCase()
        .replace(
          /_/g,
          ' ',
        )}). Check the client certificate and key of the connection, and that the server trusts their CA.`;
    }
    const peer = await peerCertificate(
      url.hostname,
      Number(url.port || 443),
      this.conn.settings.serverName || (tlsHostIsIp(url.hostname) ? undefined : url.hostname),
      this.connectTimeoutMs,
    );
    const who = peer ? `"${peer.subject}" (issued by "${peer.issuer}", valid until ${peer.validTo})` : 'of the server';
    const why: Record<string, string> = {
      DEPTH_ZERO_SELF_SIGNED_CERT: 'is self-signed and not trusted',
      SELF_SIGNED_CERT_IN_CHAIN: 'chains to a self-signed CA that is not trusted',
      UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'is signed by an unknown CA',
      UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'is signed by an unknown CA',
      UNABLE_TO_GET_ISSUER_CERT: 'is signed by an unknown CA',
      CERT_HAS_EXPIRED: 'has expired',
      CERT_NOT_YET_VALID: 'is not valid yet',
      CERT_SIGNATURE_FAILURE: 'has an invalid signature',
    };
    const reason = why[code] ?? `failed verification (${code})`;
    const fix =
      code.startsWith('CERT_') && code !== 'CERT_SIGNATURE_FAILURE'
        ? 'Renew the certificate on the server.'
        : `Give connection "${name}" the CA certificate that signed ` +
          `it${this.conn.secrets.caPem ? ' (the one it has does not)' : ''}, or, only for a test server, turn off ` +
          `verification for this connection.`;
    return `The server certificate ${who} at ${this.origin} ${reason}. ${fix}`;
  }
}

export function errorCode(err: unknown): string {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const c = (e as { code?: unknown }).code;
    if (typeof c === 'string' && c !== 'UND_ERR_ABORTED') return c;
  }
  return '';
}

function tlsHostIsIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}

interface PeerSummary {
  subject: string;
  issuer: string;
  validTo: string;
}

/** Reads the server's certificate without trusting it, only to name it in an error message. */
function peerCertificate(
  host: string,
  port: number,
  servername: string | undefined,
  timeoutMs: number,
): Promise<PeerSummary | undefined> {
  return new Promise((resolve) => {
    const socket = tls.connect(
      { host: host.replace(/^\[|\]$/g, ''), port, servername, rejectUnauthorized: false, timeout: timeoutMs },
      () => {
        const c = socket.getPeerCertificate();
        socket.destroy();
        if (!c || !c.subject) return resolve(undefined);
        resolve({ subject: dn(c.subject), issuer: dn(c.issuer), validTo: c.valid_to });
      },
    );
    socket.on('error', () => resolve(undefined));
    socket.on('timeout', () => {
      socket.destroy();
      resolve(undefined);
    });
  });
}

function dn(o: tls.Certificate | undefined): string {
  if (!o) return '?';
  return Object.entries(o)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`)
    .join(', ');
}

function queryString(q: HttpRequest['query']): string {
  if (!q) return '';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(q))
    if (v !== undefined) parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

export { sleep };

/**
 * A response body as text, refused past `max` bytes (a broken or hostile server must not fill the
 * extension host's memory): the rest of the stream is dropped and the request fails with a message.
 */
export async function readCapped(
  body: AsyncIterable<Uint8Array> & { destroy?(err?: Error): unknown },
  max: number,
): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > max) {
      body.destroy?.();
      throw new UserFacingError(
        `The server's answer is larger than ${Math.round(max / 1024 / 1024)} MiB; it was not read.`,
      );
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
