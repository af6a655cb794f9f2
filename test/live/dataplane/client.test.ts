// The client's own logic against a small in-test HTTP server: detection, v2 unwrapping, retries
// only for reads, timeouts, cancellation, error messages, logging without secrets.
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { DataPlaneClient } from '../../../src/dataplane/core/client';
import type { Connection } from '../../../src/dataplane/core/connection';
import {
  ConfigurationRejectedError,
  DataPlaneConnectError,
  DataPlaneHttpError,
  InvalidAnswerError,
  TooManyTransactionsError,
} from '../../../src/dataplane/core/errors';
import { followReload, ReloadTimeoutError } from '../../../src/dataplane/core/reload';
import { withTransaction } from '../../../src/dataplane/core/transaction';
import { OperationCancelledError } from '../../../src/shared/errors';

type Handler = (req: http.IncomingMessage, body: string, res: http.ServerResponse) => unknown;

let server: http.Server;
let port: number;
let handler: Handler;
const hits: string[] = [];
const logs: string[] = [];
const logger = {
  debug: (m: string) => logs.push(m),
  info: (m: string) => logs.push(m),
  warn: (m: string) => logs.push(m),
};

before(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      hits.push(`${req.method} ${req.url}`);
      handler(req, body, res);
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
beforeEach(() => {
  hits.length = 0;
  logs.length = 0;
});

function conn(url = `http://127.0.0.1:${port}`): Connection {
  return {
    settings: { id: 't', name: 'test server', url, auth: 'basic', username: 'admin' },
    secrets: { password: 'very-secret-pw' },
  };
}
function client(c = conn(), extra: Partial<ConstructorParameters<typeof DataPlaneClient>[1]> = {}) {
  return new DataPlaneClient(c, { logger, retryBaseMs: 5, requestTimeoutMs: 30_000, ...extra });
}
const INFO = JSON.stringify({ api: { version: 'v3.4.2 abc' }, system: { hostname: 'lb1' } });
function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res
    .writeHead(status, { 'Content-Type': typeof body === 'string' ? 'text/plain' : 'application/json', ...headers })
    .end(typeof body === 'string' ? body : JSON.stringify(body));
}

describe('detection', () => {
  it('uses /v3 when served', async () => {
    handler = (req, _b, res) =>
      req.url === '/v3/info' ? res.writeHead(200).end(INFO) : send(res, 404, { code: 404, message: 'no' });
    const c = client();
    const r = await c.connect();
    assert.equal(r.major, 3);
    assert.equal(r.info.apiVersion, 'v3.4.2 abc');
    await c.dispose();
  });

  it('falls back to /v2 when /v3 answers 404, and unwraps v2 bodies', async () => {
    handler = (req, _b, res) => {
      if (req.url === '/v2/info') return send(res, 200, { api: { version: 'v2.9.27' }, system: {} });
      if (req.url === '/v2/services/haproxy/configuration/raw')
        return send(res, 200, { _version: 7, data: 'global\n' }, { 'Configuration-Version': '7' });
      send(res, 404, { code: 404, message: 'not found' });
    };
    const c = client();
    assert.equal((await c.connect()).major, 2);
    assert.deepEqual(await c.rawConfig(), { text: 'global\n', version: 7 });
    assert.deepEqual(hits, ['GET /v3/info', 'GET /v2/info', 'GET /v2/services/haproxy/configuration/raw']);
    await c.dispose();
  });

  it('tries /v2 first when the URL names it (Load Balancer API Secrets do)', async () => {
    handler = (req, _b, res) =>
      req.url === '/prefix/v2/info' ? send(res, 200, { api: { version: 'v2.9.27' } }) : send(res, 404, {});
    const c = client(conn(`http://127.0.0.1:${port}/prefix/v2`));
    assert.equal((await c.connect()).major, 2);
    assert.deepEqual(hits, ['GET /prefix/v2/info']);
    await c.dispose();
  });

  it('reads v3 raw configuration as text with its version header', async () => {
    handler = (req, _b, res) =>
      req.url === '/v3/info'
        ? res.writeHead(200).end(INFO)
        : send(res, 200, '# _version=4\nglobal\n', { 'Configuration-Version': '4' });
    const c = client();
    assert.deepEqual(await c.rawConfig(), { text: '# _version=4\nglobal\n', version: 4 });
    await c.dispose();
  });

  it('rejects an answer that is not the specified shape', async () => {
    handler = (_req, _b, res) => send(res, 200, { api: { version: 3 } });
    const c = client();
    await assert.rejects(
      c.connect(),
      (e: unknown) => e instanceof InvalidAnswerError && /info\.api\.version/.test(e.message),
    );
    await c.dispose();
  });
});

describe('errors a user can act on', () => {
  it('401 names the connection and says user or password is wrong', async () => {
    handler = (_req, _b, res) => send(res, 401, { code: 401, message: 'authentication failed' });
    const c = client();
    await assert.rejects(
      c.connect(),
      (e: unknown) =>
        e instanceof DataPlaneHttpError &&
        e.status === 401 &&
        /Wrong user or password for connection "test server"/.test(e.message),
    );
    await c.dispose();
  });

  it('ECONNREFUSED says nothing listens at the URL', async () => {
    const tmp = http.createServer();
    await new Promise<void>((r) => tmp.listen(0, '127.0.0.1', () => r()));
    const dead = (tmp.address() as AddressInfo).port;
    await new Promise<void>((r) => tmp.close(() => r()));
    const c = client(conn(`http://127.0.0.1:${dead}`), { retries: 0 });
    await assert.rejects(
      c.connect(),
      (e: unknown) =>
        e instanceof DataPlaneConnectError &&
        e.code === 'ECONNREFUSED' &&
        e.message.includes(`Nothing listens at http://127.0.0.1:${dead}`),
    );
    await c.dispose();
  });

  it('429 on opening a transaction points at the Transactions node', async () => {
    handler = (req, _b, res) => {
      if (req.url === '/v3/info') return res.writeHead(200).end(INFO);
      if (req.url?.startsWith('/v3/services/haproxy/configuration/version')) return send(res, 200, 3);
      send(res, 429, { code: 429, message: 'reached the maximum amount of 20 active transactions' });
    };
    const c = client();
    await assert.rejects(
      withTransaction(c, async () => undefined, { logger }),
      (e: unknown) =>
        e instanceof TooManyTransactionsError &&
        /Too many transactions are open/.test(e.message) &&
        /Transactions node/.test(e.message),
    );
    await c.dispose();
  });

  it('never logs the password or the Authorization header', async () => {
    handler = (req, _b, res) => (req.url === '/v3/info' ? res.writeHead(200).end(INFO) : send(res, 404, {}));
    const c = client();
    await c.connect();
    assert.ok(logs.length > 0);
    const all = logs.join('\n');
    assert.ok(all.includes('GET /v3/info → 200'));
    assert.ok(!all.includes('very-secret-pw'));
    assert.ok(!/authorization|basic /i.test(all));
    await c.dispose();
  });
});

describe('retries, timeouts, cancellation', () => {
  it('retries a read after 500s and succeeds', async () => {
    let n = 0;
    handler = (req, _b, res) => {
      if (req.url === '/v3/info') return res.writeHead(200).end(INFO);
      if (++n < 3) return send(res, 500, { code: 500, message: 'boom' });
      return send(res, 200, 5);
    };
    const c = client();
    assert.equal(await c.configVersion(), 5);
    assert.equal(n, 3);
    await c.dispose();
  });

  it('does not retry a write', async () => {
    let posts = 0;
    handler = (req, _b, res) => {
      if (req.url === '/v3/info') return res.writeHead(200).end(INFO);
      if (req.method === 'POST') posts++;
      return send(res, 500, { code: 500, message: 'boom' });
    };
    const c = client();
    await c.connect();
    await assert.rejects(
      c.startTransaction(1),
      (e: unknown) => e instanceof DataPlaneHttpError && e.status === 500 && /boom/.test(e.message),
    );
    assert.equal(posts, 1);
    await c.dispose();
  });

  it('gives up on a slow answer with a timeout message', async () => {
    // The answer never comes (the response stays open): only the client's timeout can end the call.
    handler = (req, _b, res) => (req.url === '/v3/info' ? res.writeHead(200).end(INFO) : undefined);
    const c = client(conn(), { requestTimeoutMs: 3_000, retries: 0 });
    await c.connect();
    await assert.rejects(
      c.configVersion(),
      (e: unknown) => e instanceof DataPlaneConnectError && /did not answer GET .*version within 3 s/.test(e.message),
    );
    await c.dispose();
  });

  it('cancels with an AbortSignal', async () => {
    // The answer never comes: the call can end only by the abort (a timeout would be another error).
    let asked!: () => void;
    const requested = new Promise<void>((r) => (asked = r));
    handler = (req, _b, res) => (req.url === '/v3/info' ? res.writeHead(200).end(INFO) : asked());
    const c = client();
    await c.connect();
    const ac = new AbortController();
    const call = c.configVersion(ac.signal);
    await requested;
    ac.abort();
    await assert.rejects(call, OperationCancelledError);
    await c.dispose();
  });
});

describe('writes', () => {
  it('reads Reload-ID whatever the case of the header name', async () => {
    handler = (req, _b, res) => {
      if (req.url === '/v3/info') return res.writeHead(200).end(INFO);
      // Raw headers keep their spelling on the wire: send it as the real server does.
      return res
        .writeHead(202, ['Reload-Id', '2024-01-02-3', 'Configuration-Version', '9', 'Content-Type', 'text/plain'])
        .end('global\n');
    };
    const c = client();
    await c.connect();
    const r = await c.postRawConfig('global\n', 8);
    assert.deepEqual(r, { status: 202, version: 9, reloadId: '2024-01-02-3' });
    assert.ok(hits.includes('POST /v3/services/haproxy/configuration/raw?version=8'));
    await c.dispose();
  });

  it("a 400 on raw configuration carries HAProxy's message", async () => {
    handler = (req, _b, res) =>
      req.url === '/v3/info'
        ? res.writeHead(200).end(INFO)
        : send(res, 400, { code: 400, message: "[ALERT] parsing [haproxy.cfg:3] : unknown keyword 'bogus'" });
    const c = client();
    await c.connect();
    await assert.rejects(
      c.postRawConfig('bogus\n', 1, { onlyValidate: true }),
      (e: unknown) => e instanceof ConfigurationRejectedError && e.message.includes("unknown keyword 'bogus'"),
    );
    assert.ok(hits.some((h) => h.includes('only_validate=true')));
    await c.dispose();
  });

  it('follows a reload until it fails, and times out when it never ends', async () => {
    let polls = 0;
    handler = (req, _b, res) => {
      if (req.url === '/v3/info') return res.writeHead(200).end(INFO);
      if (req.url === '/v3/services/haproxy/reloads/2024-01-02-3')
        return send(
          res,
          200,
          ++polls < 3
            ? { id: '2024-01-02-3', status: 'in_progress' }
            : { id: '2024-01-02-3', status: 'failed', response: 'cannot bind' },
        );
      return send(res, 200, { id: '2024-01-02-4', status: 'in_progress' });
    };
    const c = client();
    const seen: string[] = [];
    const r = await followReload(c, '2024-01-02-3', { intervalMs: 10, onUpdate: (x) => seen.push(x.status) });
    assert.equal(r.status, 'failed');
    assert.equal(r.response, 'cannot bind');
    assert.deepEqual(seen, ['in_progress', 'in_progress', 'failed']);
    await assert.rejects(followReload(c, '2024-01-02-4', { intervalMs: 10, timeoutMs: 60 }), ReloadTimeoutError);
    await c.dispose();
  });

  it('discards the transaction when the action fails', async () => {
    handler = (req, _b, res) => {
      if (req.url === '/v3/info') return res.writeHead(200).end(INFO);
      if (req.url === '/v3/services/haproxy/configuration/version') return send(res, 200, 4);
      if (req.url === '/v3/services/haproxy/transactions?status=in_progress')
        return send(res, 200, [], { 'Configuration-Version': '4' });
      if (req.method === 'POST' && req.url === '/v3/services/haproxy/transactions?version=4')
        return send(res, 201, { _version: 4, id: 'tx1', status: 'in_progress' });
      if (req.method === 'DELETE') return res.writeHead(204).end();
      send(res, 409, { code: 409, message: 'server web1 already exists' });
    };
    const c = client();
    await assert.rejects(
      withTransaction(c, (tx) => tx.addServer('be', { name: 'web1', address: '127.0.0.1', port: 80 }), { logger }),
      (e: unknown) => e instanceof DataPlaneHttpError && /already exists/.test(e.message),
    );
    assert.ok(hits.includes('DELETE /v3/services/haproxy/transactions/tx1'));
    assert.ok(!hits.some((h) => h.startsWith('PUT')));
    await c.dispose();
  });
});
