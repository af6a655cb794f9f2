import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { ADDRESS_RULES, isInetAtonAddress, parseAddress } from '../../../src/shared/haproxy-config/address';

// Every case below was checked with `haproxy -c` 2.6.12 on a `bind` (or server/log) line.
describe('parseAddress (bind rules)', () => {
  const ok = (text: string): void => {
    const r = parseAddress(text, ADDRESS_RULES.bind);
    assert.equal(r.error, undefined, `${text}: ${r.error?.message}`);
  };
  const bad = (text: string, message: RegExp): void => {
    const r = parseAddress(text, ADDRESS_RULES.bind);
    assert.ok(r.error, `${text} should be rejected`);
    assert.match(r.error.message, message);
  };

  it('accepts the forms HAProxy accepts', () => {
    for (const a of [
      ':80',
      '*:80',
      '0.0.0.0:443',
      ':::443',
      '[::]:443',
      '[::1]:80',
      'ipv6@:::8443',
      'ip@:80',
      'tcp@:80',
      'tcp4@:80',
      'tcp6@:::80',
      'stream+ipv4@:80',
      ':8080-8090',
      '[::]:80-81',
      'unix@/run/x.sock',
      '/run/x.sock',
      'abns@name',
      'uxst@/tmp/a',
      'fd@3',
      'sockpair@4',
      '127.1:80',
      '0x7f000001:80',
      'localhost:80',
      '1.2.3.4:080',
      ':65535',
    ])
      ok(a);
  });

  it('rejects ports HAProxy rejects, with its wording', () => {
    bad(':0', /invalid port '0'/);
    bad(':65536', /invalid port '65536'/);
    bad(':::65016-', /invalid port ''/);
    bad(':::65016-1024', /invalid port range '65016-1024'/);
    bad(':::65016--1024', /invalid port '-1024'/);
    bad(':abc', /invalid character 'a' in port number/);
    bad('*:*', /invalid character '\*'/);
    bad(':', /missing port specification/);
    bad('1.2.3.4', /missing port specification/);
    bad('[::]', /missing port specification/);
    bad(':::+11011', /port offset not permitted/);
  });

  it('rejects addresses HAProxy rejects', () => {
    bad('1.2.3.4.5:80', /invalid address: '1.2.3.4.5'/);
    bad('256.1.1.1:80', /invalid address: '256.1.1.1'/);
    bad('1.2.3.4.:80', /invalid address/);
    bad('::1', /invalid address: ':'/);
    bad('[::1:80', /invalid address: '\[::1'/);
    bad('foo@:80', /invalid address: 'foo@'/);
    bad('mptcp@[::]:443', /invalid address: 'mptcp@'/);
    bad('ipv4@[::1]:80', /invalid address/);
    bad('ipv6@1.2.3.4:80', /invalid address/);
    bad('udp@:11013', /dgram-type address not acceptable/);
    bad('uxdg@/tmp/a', /dgram-type address not acceptable/);
    bad('quic4@:443', /QUIC is not compiled in/);
    bad('', /empty address/);
  });

  it('reads family, host and port with their offsets', () => {
    const r = parseAddress('ipv6@[2001:db8::1]:8443-8444');
    assert.ok(r.address);
    assert.equal(r.address.family, 'ipv6');
    assert.equal(r.address.host, '2001:db8::1');
    assert.equal(r.address.prefix, 'ipv6@');
    assert.deepEqual([r.address.port?.low, r.address.port?.high], [8443, 8444]);
    assert.equal('ipv6@[2001:db8::1]:8443-8444'.slice(r.address.port!.start, r.address.port!.end), '8443-8444');
    const host = parseAddress('db.internal:5432', ADDRESS_RULES.server).address!;
    assert.equal(host.isHostname, true);
    const unix = parseAddress('/var/run/haproxy.sock').address!;
    assert.equal(unix.family, 'unix');
    assert.equal(unix.host, '/var/run/haproxy.sock');
  });

  it('leaves addresses with environment variables alone', () => {
    assert.equal(parseAddress('${ADDR}:80').error, undefined);
    assert.equal(parseAddress('${ADDR}').error, undefined);
    assert.equal(parseAddress('${ADDR}').address?.dynamic, true);
  });
});

describe('parseAddress (other statements)', () => {
  it('servers take offsets and port 0, not ranges nor file descriptors', () => {
    const s = ADDRESS_RULES.server;
    assert.equal(parseAddress(':0', s).error, undefined);
    assert.equal(parseAddress('1.2.3.4:+1', s).address?.port?.offset, true);
    assert.equal(parseAddress('1.2.3.4:-1', s).address?.port?.low, -1);
    assert.equal(parseAddress('1.2.3.4', s).error, undefined);
    assert.match(parseAddress(':13005-13010', s).error!.message, /port range not permitted/);
    assert.match(parseAddress('fd@1', s).error!.message, /file descriptor is not acceptable/);
    assert.match(parseAddress(':70000', s).error!.message, /invalid port '70000'/);
  });

  it('log targets are datagram by default and take no range or offset', () => {
    const l = ADDRESS_RULES.log;
    assert.equal(parseAddress('127.0.0.1', l).error, undefined);
    assert.equal(parseAddress('udp@1.2.3.4:514', l).error, undefined);
    assert.equal(parseAddress('tcp@1.2.3.4:514', l).error, undefined);
    assert.match(parseAddress('127.0.0.1:10001-10010', l).error!.message, /port range not permitted/);
    assert.match(parseAddress('127.0.0.1:+10011', l).error!.message, /port offset not permitted/);
  });

  it('a server source allows a port range, usesrc and socks4 do not', () => {
    assert.equal(parseAddress('0.0.0.1:15004-15010', ADDRESS_RULES.serverSource).error, undefined);
    assert.match(
      parseAddress('0.0.0.1:16004-16010', ADDRESS_RULES.serverParam).error!.message,
      /port range not permitted/,
    );
    assert.match(parseAddress('0.0.0.1', ADDRESS_RULES.socks4).error!.message, /missing port specification/);
    assert.match(parseAddress(':::12003-12010', ADDRESS_RULES.proxySource).error!.message, /port range not permitted/);
  });
});

describe('isInetAtonAddress', () => {
  it('follows inet_aton', () => {
    for (const a of ['1.2.3.4', '127.1', '10.1.2', '0x7f000001', '017.0.0.1', '4294967295'])
      assert.equal(isInetAtonAddress(a), true, a);
    for (const a of ['256.1.1.1', '1.2.3.4.5', '1.2.3.4.', '09.1.1.1', '1.2.3.256', '4294967296'])
      assert.equal(isInetAtonAddress(a), false, a);
  });
});
