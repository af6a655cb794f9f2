// The walkthrough's application: an HTTP server on 127.0.0.3:8080 that answers "hello", the
// endpoint of the selectorless Service `httpd`.
import * as http from 'node:http';
import type { LabContext, LabService } from './types';

export const BACKEND = { address: '127.0.0.3', port: 8080 };

export async function start(_ctx: LabContext): Promise<LabService> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('hello\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(BACKEND.port, BACKEND.address, () => resolve());
  });
  return {
    settings: {},
    describe: [`application: http://${BACKEND.address}:${BACKEND.port}/ answers "hello" (the endpoint of Service default/httpd)`],
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
