// Pure pieces: the configuration extractor and the merge with stats, connection input checks,
// and the import of Load Balancer API Secrets.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { extractTree, sections, stripServerHeader } from '../../../src/dataplane/core/liveConfig';
import { serverAddress as splitAddress } from '../../../src/shared/haproxy-config/address';
import { referenceDir } from '../../support/paths';
import {
  bindingMismatch,
  checkName,
  checkUrl,
  connectionId,
  parseConnectionSettings,
  secretsBinding,
} from '../../../src/dataplane/core/connection';
import { importLoadBalancerSecret } from '../../../src/dataplane/core/secretImport';
import { liveState, merge } from '../../../src/dataplane/core/snapshot';

const CFG = `# _version=3
global
  daemon
defaults
  mode http
frontend fe # comment
  bind 127.0.0.1:80 name plain
  bind :::443 ssl crt /etc/ssl/x.pem
  default_backend be
listen stats
  mode tcp
  bind 127.0.0.1:9000
  server local 127.0.0.1:9001
backend be
  balance leastconn
  server a 10.0.0.1:80 weight 5 check
  server "b" [::1]:8080 backup disabled
`;

describe('configuration extractor', () => {
  it('splits words like HAProxy (quotes, escapes, comments)', () => {
    const [fe] = sections(`frontend x\n  acl x hdr(host) -i "a b" 'c#d' e\\ f # tail\n`);
    assert.deepEqual(fe!.directives[0]!.words, ['acl', 'x', 'hdr(host)', '-i', 'a b', 'c#d', 'e f']);
  });

  it('finds frontends, listen proxies and backends with the keywords the tree shows', () => {
    const t = extractTree(CFG);
    assert.deepEqual(
      t.frontends.map((f) => [
        f.name,
        f.mode,
        f.binds.map((b) => `${b.address}${b.ssl ? '+ssl' : ''}`),
        f.defaultBackend,
      ]),
      [
        ['fe', 'http', ['127.0.0.1:80', ':::443+ssl'], 'be'],
        ['stats', 'tcp', ['127.0.0.1:9000'], undefined],
      ],
    );
    assert.deepEqual(
      t.backends.map((b) => [
        b.name,
        b.mode,
        b.balance,
        b.servers.map((s) => [s.name, s.address, s.port, s.weight, s.check, s.backup, s.disabled]),
      ]),
      [
        ['stats', 'tcp', 'roundrobin', [['local', '127.0.0.1', 9001, 1, false, false, false]]],
        [
          'be',
          'http',
          'leastconn',
          [
            ['a', '10.0.0.1', 80, 5, true, false, false],
            ['b', '::1', 8080, 1, false, true, true],
          ],
        ],
      ],
    );
    assert.deepEqual(splitAddress('unix@/run/x.sock'), { address: 'unix@/run/x.sock' });
  });

  it('merges live states from stats, and a disabled server without stats is MAINT', () => {
    const m = merge(CFG, [
      { type: 'server', name: 'a', backendName: 'be', status: 'DRAIN', weight: 2 },
      { type: 'backend', name: 'be', status: 'UP' },
    ]);
    const be = m.backends.find((b) => b.name === 'be')!;
    assert.equal(be.state, 'UP');
    assert.deepEqual(
      be.servers.map((s) => [s.name, s.state, s.weight, s.liveWeight]),
      [
        ['a', 'DRAIN', 5, 2],
        ['b', 'MAINT', 1, undefined],
      ],
    );
    assert.equal(liveState('UP 1/3'), 'UP');
    assert.equal(liveState('no check'), 'NO CHECK');
    assert.equal(liveState('MAINT (resolution)'), 'MAINT');
  });
});

describe('connection input', () => {
  it('checks URLs and names', () => {
    assert.equal(checkUrl('https://lb:5556'), undefined);
    assert.match(checkUrl('ftp://lb')!, /http:\/\/ or https:\/\//);
    assert.match(checkUrl('https://admin:pw@lb')!, /Do not put the user or password/);
    assert.match(checkUrl('lb:5556')!, /http:\/\/ or https:\/\//);
    assert.match(checkName('a/b')!, /must not contain/);
    assert.equal(connectionId('Prod LB #1', new Set(['prod-lb-1'])), 'prod-lb-1-2');
  });

  it('keeps valid settings and explains the broken ones', () => {
    const r = parseConnectionSettings([
      { id: 'ok', name: 'OK', url: 'http://127.0.0.1:5555', username: 'admin' },
      { id: 'ok', name: 'Twice', url: 'http://127.0.0.1:5555' },
      { id: 'bad url', name: 'x', url: 'http://x' },
      { id: 'tls', name: 'TLS', url: 'https://lb', auth: 'mtls', insecure: 'yes' },
    ]);
    assert.deepEqual(
      r.ok.map((c) => c.id),
      ['ok'],
    );
    assert.equal(r.ok[0]!.auth, 'basic');
    assert.equal(r.problems.length, 3);
    assert.match(r.problems.join('\n'), /used twice[\s\S]*must match[\s\S]*insecure must be true or false/);
  });
});

describe('secrets bound to the server they were entered for', () => {
  const lb = { url: 'https://lb.example:5556/v3', serverName: undefined, insecure: undefined };
  it('may be used while the URL and TLS verification are the same', () => {
    assert.equal(bindingMismatch(secretsBinding(lb), lb), undefined);
    assert.equal(
      bindingMismatch(JSON.parse(JSON.stringify({ password: 'x', ...secretsBinding(lb) })), lb),
      undefined,
      'as stored in secret storage',
    );
  });
  it('may not follow the connection to another URL, an unverified TLS or another TLS name', () => {
    assert.match(
      bindingMismatch(secretsBinding(lb), { ...lb, url: 'https://evil.example:5556/v3' })!,
      /entered for https:\/\/lb\.example:5556\/v3, and the connection now points at https:\/\/evil\.example/,
    );
    assert.match(bindingMismatch(secretsBinding(lb), { ...lb, insecure: true })!, /TLS verification was turned off/);
    assert.match(
      bindingMismatch(secretsBinding(lb), { ...lb, serverName: 'other.internal' })!,
      /TLS server name changed/,
    );
    assert.match(bindingMismatch({}, lb)!, /entered for undefined/);
  });
});

describe('Load Balancer API Secret import', () => {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const CERT = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
  const KEY = '-----BEGIN EC PRIVATE KEY-----\nMHc\n-----END EC PRIVATE KEY-----\n';
  const VALUE = `servers:\n  - https://10.1.0.5:5556/v2\n  - https://10.1.0.6:5556/v2\nserverName: lb.internal\ncertificateAuthorityData: ${b64(CERT)}\nclientCertificateData: ${b64(CERT)}\nclientKeyData: ${b64(KEY)}\ndebug: true\n`;

  it('reads the value YAML: one mTLS connection per server, secrets decoded', () => {
    const r = importLoadBalancerSecret(VALUE, new Set(['10-1-0-5-5556']));
    assert.equal(r.debug, true);
    assert.deepEqual(
      r.connections.map((c) => [c.settings.id, c.settings.url, c.settings.auth, c.settings.serverName]),
      [
        ['10-1-0-5-5556-2', 'https://10.1.0.5:5556/v2', 'mtls', 'lb.internal'],
        ['10-1-0-6-5556', 'https://10.1.0.6:5556/v2', 'mtls', 'lb.internal'],
      ],
    );
    assert.equal(r.connections[0]!.secrets.keyPem, KEY);
    assert.equal(r.connections[0]!.secrets.caPem, CERT);
  });

  it('reads a whole Kubernetes Secret with data.value', () => {
    const secret = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: lb\ndata:\n  value: ${b64(VALUE)}\n`;
    assert.equal(importLoadBalancerSecret(secret).connections.length, 2);
  });

  it('explains what is wrong', () => {
    assert.throws(() => importLoadBalancerSecret('servers: []'), /no "servers" list/);
    assert.throws(
      () => importLoadBalancerSecret(`servers: [https://a]\nclientCertificateData: ${b64(CERT)}`),
      /without its key/,
    );
    assert.throws(
      () => importLoadBalancerSecret(`servers: [https://a]\ncertificateAuthorityData: ${b64('hello')}`),
      /does not decode to a PEM certificate/,
    );
    assert.throws(() => importLoadBalancerSecret('servers: [ftp://a]'), /servers\[0\] is not a URL/);
    assert.throws(() => importLoadBalancerSecret('kind: Secret\ndata: {}'), /no key "value"/);
  });
});

describe('the live file header', () => {
  it('leaves out the lines the real server writes above the configuration, and nothing else', () => {
    // The real dataplaneapi v3.4.2 after a structured write (recordings, 10-vip-objects).
    const recorded = fs.readFileSync(
      path.join(referenceDir, 'dataplaneapi', 'recordings', 'v3.4.2', '10-vip-objects.after.cfg'),
      'utf8',
    );
    assert.match(recorded, /^# _md5hash=/);
    const shown = stripServerHeader(recorded);
    assert.doesNotMatch(shown, /^# _(md5hash|version)=/m);
    assert.ok(shown.startsWith('# Dataplaneapi managed File\n'), 'the server comments below the header stay');
    assert.equal(stripServerHeader('# _version=3\nglobal\n'), 'global\n');
    assert.equal(stripServerHeader('global\n# _version=3\n'), 'global\n# _version=3\n');
  });
});
