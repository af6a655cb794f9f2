// The walkthrough's application: an HTTP server on 127.0.0.3:8080 that answers "hello", the
// endpoint of the selectorless Service `httpd`.
import { helloServer } from '../support/traffic';
import type { LabContext, LabService } from './types';

export const BACKEND = { address: '127.0.0.3', port: 8080 };

export async function start(_ctx: LabContext): Promise<LabService> {
  const server = await helloServer('hello\n', BACKEND.address, BACKEND.port);
  return {
    settings: {},
    describe: [
      `application: http://${BACKEND.address}:${BACKEND.port}/ answers "hello" (the endpoint of Service default/httpd)`,
    ],
    stop: () => server.close(),
  };
}
