// What a Data Plane API server sends is quoted in messages only up to MAX_QUOTED_CHARS, with a note.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DataPlaneClient } from '../../../src/dataplane/core/client';
import { ConfigurationRejectedError } from '../../../src/dataplane/core/errors';
import { MAX_QUOTED_CHARS } from '../../../src/shared/limits';

let server: http.Server;
let port: number;

before(async () => {
  server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url === '/v3/info')
        res
          .writeHead(200, { 'Content-Type': 'application/json' })
          .end(JSON.stringify({ api: { version: 'v3.0' }, system: {} }));
      else
        res
          .writeHead(400, { 'Content-Type': 'application/json' })
          .end(JSON.stringify({ code: 400, message: `bad ${'z'.repeat(100_000)}` }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as AddressInfo).port;
});
after(
  () =>
    new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    }),
);

describe('server text in messages', () => {
  it('a 100,000-character error message is cut, with a note', async () => {
    const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined };
    const c = new DataPlaneClient(
      {
        settings: { id: 't', name: 'test', url: `http://127.0.0.1:${port}`, auth: 'basic', username: 'u' },
        secrets: { password: 'p' },
      },
      { logger, retryBaseMs: 5, requestTimeoutMs: 5_000 },
    );
    try {
      await c.connect();
      await assert.rejects(c.postRawConfig('global\n', 1, { onlyValidate: true }), (e: unknown) => {
        assert.ok(e instanceof ConfigurationRejectedError);
        assert.ok(e.message.length < MAX_QUOTED_CHARS + 500, `${e.message.length} characters`);
        assert.match(e.message, /more characters not shown/);
        return true;
      });
    } finally {
      await c.dispose();
    }
  });
});
