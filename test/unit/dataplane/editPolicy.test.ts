// An edit of a connection by arguments keeps the stored password only while it goes to the same
// server, verified the same way.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Connection } from '../../../src/dataplane/core/connection';
import { withKeptPassword } from '../../../src/dataplane/core/editPolicy';

const before: Connection = {
  settings: {
    id: 'lb',
    name: 'lb',
    url: 'https://lb.example:5556',
    auth: 'basic',
    username: 'admin',
    serverName: 'lb.internal',
  },
  secrets: { password: 'stored', caPem: 'CA' },
};
const edit = (settings: Partial<Connection['settings']>, password?: string): Connection => ({
  settings: { ...before.settings, ...settings },
  secrets: { password },
});

describe('withKeptPassword', () => {
  it('keeps the stored password when only the name or the user changes', () => {
    assert.equal(withKeptPassword(before, edit({ name: 'renamed' })).secrets.password, 'stored');
    assert.equal(withKeptPassword(before, edit({ username: 'ops' })).secrets.password, 'stored');
  });

  it('drops it when the URL, the TLS verification or the TLS server name changes', () => {
    assert.equal(withKeptPassword(before, edit({ url: 'https://elsewhere.example:5556' })).secrets.password, undefined);
    assert.equal(withKeptPassword(before, edit({ url: 'http://lb.example:5556' })).secrets.password, undefined);
    assert.equal(withKeptPassword(before, edit({ insecure: true })).secrets.password, undefined);
    assert.equal(withKeptPassword(before, edit({ serverName: 'other.internal' })).secrets.password, undefined);
    assert.equal(withKeptPassword(before, edit({ serverName: undefined })).secrets.password, undefined);
  });

  it('uses a password the caller gives, whatever changed', () => {
    assert.equal(
      withKeptPassword(before, edit({ url: 'https://elsewhere.example:5556' }, 'new')).secrets.password,
      'new',
    );
  });

  it('gives no password to a mutual-TLS connection', () => {
    const mtls: Connection = {
      settings: { ...before.settings, auth: 'mtls', username: undefined },
      secrets: { certPem: 'C', keyPem: 'K' },
    };
    assert.deepEqual(withKeptPassword(before, mtls).secrets, { certPem: 'C', keyPem: 'K' });
  });
});
