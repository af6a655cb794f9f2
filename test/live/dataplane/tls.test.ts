// TLS and authentication against the fixture over HTTPS: verification on by default, clear
// messages for an unknown CA and a name mismatch, server-name override, mutual TLS, basic auth.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DataPlaneClient } from '../../../src/dataplane/core/client';
import { DataPlaneConnectError, DataPlaneHttpError } from '../../../src/dataplane/core/errors';
import { startDataPlane, type DataPlaneFixture } from '../../fixtures/dataplane';
import { logger } from './liveSuite';

async function connectWith(fx: DataPlaneFixture, o: Parameters<DataPlaneFixture['connection']>[0]) {
  const c = new DataPlaneClient(fx.connection(o), { logger, retries: 0 });
  try {
    return await c.connect();
  } finally {
    await c.dispose();
  }
}

describe('HTTPS with basic auth', { timeout: 60_000 }, () => {
  let fx: DataPlaneFixture;
  before(async () => (fx = await startDataPlane({ api: 3, tls: 'tls' })));
  after(() => fx?.stop());

  it("works with the right CA and the certificate's server name", async () => {
    assert.equal((await connectWith(fx, {})).major, 3);
  });

  it('a wrong CA names the certificate and says it is signed by an unknown CA', async () => {
    await assert.rejects(
      connectWith(fx, { secrets: { caPem: fx.certs!.otherCaPem } }),
      (e: unknown) =>
        e instanceof DataPlaneConnectError &&
        /"CN=dataplane\.test" \(issued by "CN=HAProxy Gateway Test CA"/.test(e.message) &&
        /signed by an unknown CA/.test(e.message) &&
        /does not/.test(e.message),
    );
  });

  it('no CA at all: the same, and the fix is to give the CA', async () => {
    await assert.rejects(
      connectWith(fx, { secrets: { caPem: undefined } }),
      (e: unknown) =>
        e instanceof DataPlaneConnectError &&
        /unknown CA/.test(e.message) &&
        /Give connection "fixture v3" the CA certificate/.test(e.message),
    );
  });

  it('a host name mismatch says which names the certificate has and which was expected', async () => {
    await assert.rejects(
      connectWith(fx, { settings: { serverName: undefined, url: fx.url.replace('127.0.0.1', 'localhost') } }),
      (e: unknown) =>
        e instanceof DataPlaneConnectError &&
        e.code === 'ERR_TLS_CERT_ALTNAME_INVALID' &&
        /DNS:dataplane\.test/.test(e.message) &&
        /not for "localhost"/.test(e.message),
    );
  });

  it('the explicit insecure flag skips verification for that connection only', async () => {
    assert.equal(
      (await connectWith(fx, { settings: { insecure: true, serverName: undefined }, secrets: { caPem: undefined } }))
        .major,
      3,
    );
  });

  it('a wrong password gives the 401 message', async () => {
    await assert.rejects(
      connectWith(fx, { secrets: { password: 'wrong' } }),
      (e: unknown) =>
        e instanceof DataPlaneHttpError &&
        e.status === 401 &&
        /Wrong user or password for connection "fixture v3"/.test(e.message),
    );
  });
});

describe('mutual TLS', { timeout: 60_000 }, () => {
  let fx: DataPlaneFixture;
  before(async () => (fx = await startDataPlane({ api: 2, tls: 'mtls' })));
  after(() => fx?.stop());

  it('works with the client certificate and no password', async () => {
    const r = await connectWith(fx, {});
    assert.equal(r.major, 2);
  });

  it('without a client certificate the handshake is refused with a message about the client certificate', async () => {
    await assert.rejects(
      connectWith(fx, { settings: { auth: 'basic' }, secrets: { certPem: undefined, keyPem: undefined } }),
      (e: unknown) => e instanceof DataPlaneConnectError && /client certificate/.test(e.message),
    );
  });
});
