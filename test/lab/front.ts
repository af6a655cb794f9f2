// The lab's front door: the plain URL (http://127.0.0.1:8900/) redirects to the workbench URL that
// loads the extension from this checkout (the `payload` code-server reads), and every other request,
// WebSocket upgrades included, goes through to code-server unchanged.
import * as http from 'node:http';
import * as net from 'node:net';

export interface LabFront {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

export interface LabFrontOptions {
  /** code-server's own URL (loopback, a free port). */
  target: string;
  /** Where `/` (without a query) sends the browser: a path and query on this front. */
  landing: (publicUrl: string) => string;
  port: number;
  host?: string;
}

function headText(req: http.IncomingMessage): string {
  const lines = [`${req.method ?? 'GET'} ${req.url ?? '/'} HTTP/${req.httpVersion}`];
  for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

export function startLabFront(options: LabFrontOptions): Promise<LabFront> {
  const target = new URL(options.target);
  const host = options.host ?? '127.0.0.1';
  let publicUrl = `http://${host}:${options.port}`;
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/') {
      res.writeHead(302, { Location: options.landing(publicUrl), 'Cache-Control': 'no-store' });
      res.end();
      return;
    }
    const upstream = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.rawHeaders);
        up.pipe(res);
      },
    );
    upstream.on('error', (err) => {
      if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain' });
      res.end(`lab: code-server did not answer: ${err.message}\n`);
    });
    req.pipe(upstream);
  });
  // The workbench talks to its server over WebSockets: pass the upgrade through byte for byte.
  server.on('upgrade', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    const up = net.connect(Number(target.port), target.hostname, () => {
      up.write(headText(req));
      if (head.length) up.write(head);
      socket.pipe(up).pipe(socket);
    });
    sockets.add(up);
    up.on('close', () => sockets.delete(up));
    up.on('error', () => socket.destroy());
    socket.on('error', () => up.destroy());
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      const port = (server.address() as net.AddressInfo).port;
      publicUrl = `http://${host}:${port}`;
      resolve({
        url: `http://${host}:${port}`,
        port,
        stop: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
            for (const s of sockets) s.destroy();
          }),
      });
    });
  });
}
