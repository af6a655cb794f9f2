// A fault-injecting HTTP proxy on a loopback port, in front of one target (http only: faults are
// decided per request, which needs the request line). Faults: reset the connection, answer slowly or
// never, answer 500, or run an action (e.g. a concurrent writer) before forwarding. Rules are consumed in
// order by the requests they match, so a test states exactly which request fails and how often.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault =
  | { kind: 'reset' }
  | { kind: 'delay'; ms: number }
  /** Never answers: the request is held until the client gives up (a timeout that needs no clock race). */
  | { kind: 'hang' }
  | { kind: 'status'; status: number; body?: string }
  | { kind: 'before'; action: () => Promise<void> };

export interface FaultRule {
  /** Matches `METHOD path?query` (e.g. /^PUT .*\/transactions\//). */
  match: RegExp;
  fault: Fault;
  /** How many matching requests this rule applies to (default 1). */
  times?: number;
}

export interface SeenRequest {
  method: string;
  url: string;
  fault?: Fault['kind'];
}

export class FaultProxy {
  readonly seen: SeenRequest[] = [];
  private readonly rules: Array<FaultRule & { left: number }> = [];
  private server!: http.Server;
  private readonly agent = new http.Agent({ keepAlive: true });

  private constructor(private readonly target: URL) {}

  static async start(target: string): Promise<FaultProxy> {
    const p = new FaultProxy(new URL(target));
    if (p.target.protocol !== 'http:') throw new Error('FaultProxy forwards to http:// targets only');
    p.server = http.createServer((req, res) => void p.handle(req, res));
    await new Promise<void>((r) => p.server.listen(0, '127.0.0.1', () => r()));
    return p;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  add(rule: FaultRule): this {
    this.rules.push({ ...rule, left: rule.times ?? 1 });
    return this;
  }

  /** Rules not yet used up (a test asserts this is 0 to prove its faults really happened). */
  pending(): number {
    return this.rules.reduce((n, r) => n + r.left, 0);
  }

  async stop(): Promise<void> {
    this.agent.destroy();
    await new Promise<void>((r) => {
      this.server.close(() => r());
      this.server.closeAllConnections();
    });
  }

  private take(line: string): Fault | undefined {
    const rule = this.rules.find((r) => r.left > 0 && r.match.test(line));
    if (!rule) return undefined;
    rule.left--;
    return rule.fault;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const line = `${req.method} ${req.url}`;
    const fault = this.take(line);
    this.seen.push({ method: req.method ?? '', url: req.url ?? '', fault: fault?.kind });
    const body: Buffer[] = [];
    for await (const chunk of req) body.push(chunk as Buffer);
    if (fault?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'status') {
      res
        .writeHead(fault.status, { 'Content-Type': 'application/json' })
        .end(fault.body ?? JSON.stringify({ code: fault.status, message: 'injected fault' }));
      return;
    }
    if (fault?.kind === 'hang') {
      if (!req.socket.destroyed) await new Promise((r) => req.socket.once('close', r));
      return;
    }
    if (fault?.kind === 'delay') await new Promise((r) => setTimeout(r, fault.ms));
    if (fault?.kind === 'before') await fault.action();
    if (req.socket.destroyed) return;
    const upstream = http.request(
      {
        host: this.target.hostname,
        port: this.target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: this.target.host },
        agent: this.agent,
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => req.socket.destroy());
    upstream.end(Buffer.concat(body));
  }
}
