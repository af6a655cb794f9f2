// An in-process Data Plane API v3 that behaves like the recorded real server where concurrent
// writers meet (../shared/reference/dataplaneapi/recordings, 04 and 05): a commit outdates every
// other open transaction at once; a change in an outdated one answers 400 "transaction does not
// exist" with Configuration-Version: 0, its commit 406; opening at an old version 409; a reload is
// `{"status":"in_progress"}` without an id until it has run. The error texts are the recorded ones.
// Frontends, binds, backends and servers only: enough for the VIP and server writes, for the race
// tests and scripts/bench/concurrency.js. No HAProxy behind it.
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { recording, step } from './recorded';

interface Bind {
  name: string;
  address: string;
  port?: number;
}
interface Frontend {
  name: string;
  mode?: string;
  default_backend?: string;
  forwardfor?: boolean;
  binds: Map<string, Bind>;
}
interface Server {
  name: string;
  address: string;
  port?: number;
  check?: string;
  weight?: number;
}
interface Backend {
  name: string;
  mode?: string;
  balance?: string;
  servers: Map<string, Server>;
}
interface Config {
  frontends: Map<string, Frontend>;
  backends: Map<string, Backend>;
}
interface Tx {
  id: string;
  version: number;
  status: 'in_progress' | 'outdated' | 'success' | 'failed';
  config: Config;
}

type Answer = { status: number; body?: unknown; headers?: Record<string, string> };

const clone = (c: Config): Config => ({
  frontends: new Map(
    [...c.frontends].map(([k, f]) => [k, { ...f, binds: new Map([...f.binds].map(([n, b]) => [n, { ...b }])) }]),
  ),
  backends: new Map(
    [...c.backends].map(([k, b]) => [k, { ...b, servers: new Map([...b.servers].map(([n, s]) => [n, { ...s }])) }]),
  ),
});

/** The recorded texts, with the recorded ids and versions replaced. */
function recordedTexts() {
  const rec = recording('3.4.2', '05-transaction-outdated');
  const b = (step(rec, 'POST transactions B').response.body as { id: string }).id;
  const msg = (s: string) => (step(rec, s).response.body as { message: string }).message.split(b).join('{id}');
  return {
    doesNotExist: msg('POST server mine2 in B'),
    outdated: msg('PUT transactions/B'),
    gone: msg('GET transactions/B after delete'),
    mismatch: (step(rec, 'POST transactions?version=old').response.body as { message: string }).message.replace(
      /is \d+, given version is \d+/,
      'is {now}, given version is {given}',
    ),
  };
}

export interface FakeHooks {
  /** Runs before a commit is processed (e.g. a competing writer), once per call to `once`. */
  beforeCommit?: (txId: string) => Promise<void>;
}

export class FakeDataplane {
  version = 1;
  config: Config = { frontends: new Map(), backends: new Map() };
  readonly transactions = new Map<string, Tx>();
  hooks: FakeHooks = {};
  commits = 0;
  private reloadSeq = 0;
  private readonly reloadPolls = new Map<string, number>();
  private readonly texts = recordedTexts();
  private server!: http.Server;
  private readonly sockets = new Set<Socket>();
  private nextId = 0;

  static async start(): Promise<FakeDataplane> {
    const f = new FakeDataplane();
    f.server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => void f.handle(req, body, res));
    });
    f.server.on('connection', (c) => {
      f.sockets.add(c);
      c.on('close', () => f.sockets.delete(c));
    });
    await new Promise<void>((r) => f.server.listen(0, '127.0.0.1', () => r()));
    return f;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v3`;
  }

  async stop(): Promise<void> {
    for (const c of this.sockets) c.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  openTransactions(): Tx[] {
    return [...this.transactions.values()].filter((t) => t.status === 'in_progress');
  }

  /** `VIP:port` bound by more than one frontend. */
  duplicateBinds(): string[] {
    const seen = new Map<string, number>();
    for (const f of this.config.frontends.values())
      for (const b of f.binds.values())
        seen.set(`${b.address}:${b.port}`, (seen.get(`${b.address}:${b.port}`) ?? 0) + 1);
    return [...seen].filter(([, n]) => n > 1).map(([k]) => k);
  }

  rawText(c: Config = this.config): string {
    const out = [
      `# _version=${this.version}`,
      'global',
      '  log stderr local0',
      '',
      'defaults unnamed_defaults_1',
      '  mode http',
      '',
    ];
    for (const f of c.frontends.values()) {
      out.push(`frontend ${f.name}`);
      if (f.mode) out.push(`  mode ${f.mode}`);
      for (const b of f.binds.values()) out.push(`  bind ${b.address}:${b.port ?? ''} name ${b.name}`);
      if (f.forwardfor) out.push('  option forwardfor');
      if (f.default_backend) out.push(`  default_backend ${f.default_backend}`);
      out.push('');
    }
    for (const b of c.backends.values()) {
      out.push(`backend ${b.name}`);
      if (b.mode) out.push(`  mode ${b.mode}`);
      if (b.balance) out.push(`  balance ${b.balance}`);
      for (const s of b.servers.values())
        out.push(
          `  server ${s.name} ${s.address}:${s.port ?? ''}` +
            (s.check === 'enabled' ? ' check' : '') +
            (s.weight !== undefined ? ` weight ${s.weight}` : ''),
        );
      out.push('');
    }
    return out.join('\n');
  }

  private async handle(req: http.IncomingMessage, body: string, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    let a: Answer;
    try {
      a = await this.route(req.method ?? 'GET', url.pathname.replace(/^\/v3/, ''), url.searchParams, body);
    } catch (err) {
      a = { status: 500, body: { code: 500, message: String(err) } };
    }
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'Configuration-Version': String(this.version),
      ...a.headers,
    };
    if (a.status === 204) return void res.writeHead(204, headers).end();
    const text =
      typeof a.body === 'string' && headers['Content-Type'] === 'text/plain' ? a.body : JSON.stringify(a.body);
    res.writeHead(a.status, headers).end(text);
  }

  private err(status: number, message: string, headers?: Record<string, string>): Answer {
    return { status, body: { code: status, message }, headers };
  }

  private async route(method: string, p: string, q: URLSearchParams, body: string): Promise<Answer> {
    if (p === '/info') return { status: 200, body: { api: { version: 'v3.4.2 fake' }, system: {} } };
    if (p === '/services/haproxy/configuration/version') return { status: 200, body: this.version };
    if (p === '/services/haproxy/configuration/raw' && method === 'GET')
      return { status: 200, body: this.rawText(), headers: { 'Content-Type': 'text/plain' } };
    const reload = /^\/services\/haproxy\/reloads\/(.+)$/.exec(p);
    if (reload) return this.reload(reload[1]!);
    if (p === '/services/haproxy/transactions' && method === 'GET') {
      const status = q.get('status');
      return {
        status: 200,
        body: [...this.transactions.values()]
          .filter((t) => !status || t.status === status)
          .map((t) =>
            t.status === 'in_progress'
              ? { _version: t.version, id: t.id, status: t.status }
              : { id: t.id, status: t.status },
          ),
      };
    }
    if (p === '/services/haproxy/transactions' && method === 'POST') {
      const given = Number(q.get('version'));
      if (given !== this.version)
        return this.err(
          409,
          this.texts.mismatch.replace('{now}', String(this.version)).replace('{given}', String(given)),
        );
      const id = `00000000-0000-4000-8000-${String(++this.nextId).padStart(12, '0')}`;
      this.transactions.set(id, { id, version: this.version, status: 'in_progress', config: clone(this.config) });
      return { status: 201, body: { _version: this.version, id, status: 'in_progress' } };
    }
    const txPath = /^\/services\/haproxy\/transactions\/([^/]+)$/.exec(p);
    if (txPath) return this.transaction(method, txPath[1]!);
    const txId = q.get('transaction_id');
    if (txId === null) return this.err(400, 'version or transaction not specified');
    const tx = this.transactions.get(txId);
    if (!tx || tx.status !== 'in_progress')
      return this.err(400, this.texts.doesNotExist.replace('{id}', txId), { 'Configuration-Version': '0' });
    return this.change(tx.config, method, p, body ? (JSON.parse(body) as Record<string, unknown>) : {});
  }

  private reload(id: string): Answer {
    const seen = this.reloadPolls.get(id);
    if (seen === undefined) return this.err(404, `Reload with ID ${id} does not exist`);
    const polls = seen + 1;
    this.reloadPolls.set(id, polls);
    // As recorded: id-less while pending, then done.
    return polls === 1
      ? { status: 200, body: { status: 'in_progress' } }
      : {
          status: 200,
          body: {
            id,
            status: 'succeeded',
            reload_timestamp: 1796221931,
            response: '[NOTICE]   (1) : Loading success.',
          },
        };
  }

  private async transaction(method: string, id: string): Promise<Answer> {
    const tx = this.transactions.get(id);
    if (method === 'GET')
      return tx
        ? {
            status: 200,
            body:
              tx.status === 'in_progress' ? { _version: tx.version, id, status: tx.status } : { id, status: tx.status },
          }
        : this.err(404, this.texts.gone.replace('{id}', id));
    if (method === 'DELETE') {
      if (!tx) return this.err(404, this.texts.gone.replace('{id}', id));
      this.transactions.delete(id);
      return { status: 204 };
    }
    if (!tx) return this.err(404, this.texts.gone.replace('{id}', id));
    if (this.hooks.beforeCommit) await this.hooks.beforeCommit(id);
    if (tx.status !== 'in_progress' || tx.version !== this.version) {
      tx.status = 'outdated';
      return this.err(406, this.texts.outdated.replace('{id}', id));
    }
    this.config = tx.config;
    this.version++;
    this.commits++;
    this.transactions.delete(id);
    for (const other of this.transactions.values()) if (other.status === 'in_progress') other.status = 'outdated';
    const reloadId = `2026-12-02-${this.reloadSeq++}`;
    this.reloadPolls.set(reloadId, 0);
    return { status: 202, body: { _version: tx.version, id, status: 'success' }, headers: { 'Reload-Id': reloadId } };
  }

  private change(c: Config, method: string, p: string, b: Record<string, unknown>): Answer {
    const cfg = '/services/haproxy/configuration';
    const ok = (): Answer => ({ status: method === 'DELETE' ? 204 : 202, body: b });
    const exists = (what: string) => this.err(409, `${what} already exists`);
    const missing = (what: string) => this.err(404, `missing object: ${what} does not exist`);
    let m: RegExpExecArray | null;
    if (p === `${cfg}/backends` && method === 'POST') {
      if (c.backends.has(b.name as string)) return exists(`backend ${String(b.name)}`);
      c.backends.set(b.name as string, {
        name: b.name as string,
        mode: b.mode as string,
        balance: (b.balance as { algorithm?: string } | undefined)?.algorithm,
        servers: new Map(),
      });
      return ok();
    }
    if ((m = new RegExp(`^${cfg}/backends/([^/]+)$`).exec(p))) {
      const name = decodeURIComponent(m[1]!);
      const be = c.backends.get(name);
      if (!be) return missing(`backend ${name}`);
      if (method === 'DELETE') c.backends.delete(name);
      else Object.assign(be, { mode: b.mode, balance: (b.balance as { algorithm?: string } | undefined)?.algorithm });
      return ok();
    }
    if ((m = new RegExp(`^${cfg}/backends/([^/]+)/servers(?:/([^/]+))?$`).exec(p))) {
      const be = c.backends.get(decodeURIComponent(m[1]!));
      if (!be) return this.err(400, 'missing parent');
      const name = m[2] ? decodeURIComponent(m[2]) : (b.name as string);
      if (method === 'POST' && be.servers.has(name)) return exists(`server ${name}`);
      if (method !== 'POST' && !be.servers.has(name)) return missing(`server ${name}`);
      if (method === 'DELETE') be.servers.delete(name);
      else
        be.servers.set(name, {
          name,
          address: b.address as string,
          port: b.port as number,
          check: b.check as string,
          weight: b.weight as number,
        });
      return ok();
    }
    if (p === `${cfg}/frontends` && method === 'POST') {
      if (c.frontends.has(b.name as string)) return exists(`frontend ${String(b.name)}`);
      c.frontends.set(b.name as string, {
        name: b.name as string,
        mode: b.mode as string,
        default_backend: b.default_backend as string,
        forwardfor: b.forwardfor !== undefined,
        binds: new Map(),
      });
      return ok();
    }
    if ((m = new RegExp(`^${cfg}/frontends/([^/]+)$`).exec(p))) {
      const name = decodeURIComponent(m[1]!);
      const fe = c.frontends.get(name);
      if (!fe) return missing(`frontend ${name}`);
      if (method === 'DELETE') c.frontends.delete(name);
      else
        Object.assign(fe, { mode: b.mode, default_backend: b.default_backend, forwardfor: b.forwardfor !== undefined });
      return ok();
    }
    if ((m = new RegExp(`^${cfg}/frontends/([^/]+)/binds(?:/([^/]+))?$`).exec(p))) {
      const fe = c.frontends.get(decodeURIComponent(m[1]!));
      if (!fe) return this.err(400, 'missing parent');
      const name = m[2] ? decodeURIComponent(m[2]) : (b.name as string);
      if (method === 'POST' && fe.binds.has(name)) return exists(`bind ${name}`);
      if (method === 'DELETE') fe.binds.delete(name);
      else fe.binds.set(name, { name, address: b.address as string, port: b.port as number });
      return ok();
    }
    return this.err(404, `path ${p} was not found`);
  }
}
