// Traffic for the VIP tests, the workbench tests and the lab: a small HTTP server that answers every
// request with one body (the backend behind a VIP), and a client that reads through the VIP.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HelloServer {
  port: number;
  close(): Promise<void>;
}

/** Listens on host:port (port 0: a free one); a port in use fails with a message that names it. */
export async function helloServer(body: string, host = '127.0.0.1', port = 0): Promise<HelloServer> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) =>
      reject(
        new Error(`the test backend cannot listen on ${host}:${port} (${e.message}); is another lab or test using it?`),
      ),
    );
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** GET without keep-alive (each try is a new connection through HAProxy): the body, or "error CODE". */
export function fetchText(url: string, timeoutMs = 2_000): Promise<string> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, timeout: timeoutMs }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve(text));
      res.on('error', (e) => resolve(`error ${(e as NodeJS.ErrnoException).code ?? e.message}`));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    req.on('error', (e) => resolve(`error ${(e as NodeJS.ErrnoException).code ?? e.message}`));
  });
}
