// The real dataplaneapi's recorded answers (../shared/reference/dataplaneapi/recordings), read at
// test time so the tests cannot drift from them, and a scripted HTTP server that replays them.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import * as path from 'node:path';
import { referenceDir } from '../../support/paths';

export type RecordedVersion = '3.4.2' | '2.9.27';

export interface Exchange {
  step: string;
  request: { method: string; path: string; query: Record<string, unknown>; body?: unknown };
  response: { status: number; headers: Record<string, string>; body: unknown };
}

export const recordingsDir = path.join(referenceDir, 'dataplaneapi', 'recordings');

export function recording(version: RecordedVersion, scenario: string): Exchange[] {
  const file = path.join(recordingsDir, `v${version}`, `${scenario}.json`);
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { exchanges: Exchange[] }).exchanges;
}

/** The exchange whose step starts with `step` (throws when the recording has none: no silent drift). */
export function step(exchanges: Exchange[], stepPrefix: string): Exchange {
  const e = exchanges.find((x) => x.step.startsWith(stepPrefix));
  if (!e) throw new Error(`no recorded step "${stepPrefix}" in [${exchanges.map((x) => x.step).join(' | ')}]`);
  return e;
}

/** The recorded /info answer of that version (from 01-info-auth). */
export function infoExchange(version: RecordedVersion): Exchange {
  return step(recording(version, '01-info-auth'), 'GET /info');
}

/** A copy with another Configuration-Version (for an answer the recording has at another version). */
export function atVersion(e: Exchange, version: number, body?: unknown): Exchange {
  return {
    ...e,
    response: {
      ...e.response,
      headers: { ...e.response.headers, 'Configuration-Version': String(version) },
      body: body === undefined ? e.response.body : body,
    },
  };
}

export function bodyText(body: unknown): string {
  return typeof body === 'string' ? body : JSON.stringify(body);
}

const key = (method: string, p: string, query: Record<string, unknown>) =>
  `${method} ${p}?${Object.entries(query)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${String(v)}`)
    .sort()
    .join('&')}`;

/**
 * Answers each request with the first not yet served recorded exchange of the same method, path
 * and query; when all of those are served, with the last one again (a poll repeats). A request
 * the script lacks gets 599 and is listed in `unexpected`. `dropAnswer(step)` closes the
 * connection after the answer is decided (the server acted, the client never hears).
 */
export class ReplayServer {
  readonly served: string[] = [];
  readonly unexpected: string[] = [];
  private readonly used = new Set<number>();
  private readonly last = new Map<string, Exchange>();
  private server!: http.Server;
  private readonly sockets = new Set<Socket>();
  dropAnswer: (e: Exchange) => boolean = () => false;

  private constructor(private readonly script: Exchange[]) {}

  static async start(script: Exchange[]): Promise<ReplayServer> {
    const s = new ReplayServer(script);
    s.server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => s.answer(req, res));
    });
    s.server.on('connection', (c) => {
      s.sockets.add(c);
      c.on('close', () => s.sockets.delete(c));
    });
    await new Promise<void>((r) => s.server.listen(0, '127.0.0.1', () => r()));
    return s;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Recorded exchanges never asked for. */
  unserved(): string[] {
    return this.script.filter((_, i) => !this.used.has(i)).map((e) => e.step);
  }

  private answer(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const k = key(req.method ?? 'GET', url.pathname, Object.fromEntries(url.searchParams));
    const i = this.script.findIndex(
      (e, j) => !this.used.has(j) && key(e.request.method, e.request.path, e.request.query) === k,
    );
    const e = i >= 0 ? this.script[i] : this.last.get(k);
    if (!e) {
      this.unexpected.push(k);
      res
        .writeHead(599, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ code: 599, message: `not in the script: ${k}` }));
      return;
    }
    if (i >= 0) this.used.add(i);
    this.last.set(k, e);
    this.served.push(e.step);
    if (this.dropAnswer(e)) {
      req.socket.destroy();
      return;
    }
    const headers: Record<string, string> = {};
    for (const [h, v] of Object.entries(e.response.headers))
      if (!/^(content-length|connection|date|vary)$/i.test(h)) headers[h] = v;
    res.writeHead(e.response.status, headers).end(e.response.status === 204 ? undefined : bodyText(e.response.body));
  }

  async stop(): Promise<void> {
    for (const c of this.sockets) c.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
