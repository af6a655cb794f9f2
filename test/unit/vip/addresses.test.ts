import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatIp } from '../../../src/shared/haproxy-config/address';
import {
  canonicalAddress,
  nextFreeAddress,
  parseIp,
  parseRange,
  poolsFor,
  rangeContains,
} from '../../../src/vip/core/addresses';

describe('VIP addresses', () => {
  it('parses and formats IPv4 and IPv6 canonically', () => {
    assert.equal(canonicalAddress('127.0.200.2'), '127.0.200.2');
    assert.equal(canonicalAddress('2001:DB8:0:0:0:0:0:1'), '2001:db8::1');
    assert.equal(canonicalAddress('::'), '::');
    assert.equal(canonicalAddress('::1'), '::1');
    assert.equal(canonicalAddress('fd00:0:0:1::'), 'fd00:0:0:1::');
    assert.equal(canonicalAddress('::ffff:10.0.0.1'), '::ffff:a00:1');
    assert.equal(formatIp(6, parseIp('1:0:0:1:0:0:0:1').value), '1:0:0:1::1', 'the longest zero run is compressed');
    assert.equal(
      formatIp(6, parseIp('1:0:1:1:1:1:1:1').value),
      '1:0:1:1:1:1:1:1',
      'a single zero group is not compressed',
    );
  });

  it('rejects what is not an address', () => {
    for (const bad of ['', 'localhost', '256.1.1.1', '1.2.3', '::g', '10.0.0.1/24']) {
      assert.throws(() => parseIp(bad), /not an IPv4 or IPv6 address/, bad);
    }
  });

  it('reads CIDRs without network and broadcast, ranges and single addresses', () => {
    const cidr = parseRange('127.0.200.0/30');
    assert.equal(formatIp(4, cidr.first), '127.0.200.1');
    assert.equal(formatIp(4, cidr.last), '127.0.200.2');
    const slash32 = parseRange('10.1.1.1/32');
    assert.equal(slash32.first, slash32.last);
    const range = parseRange('10.0.0.10-10.0.0.12');
    assert.ok(rangeContains(range, '10.0.0.11'));
    assert.ok(!rangeContains(range, '10.0.0.13'));
    assert.ok(!rangeContains(range, 'fd00::1'), 'another family is never inside');
    const v6 = parseRange('fd00::/126');
    assert.equal(formatIp(6, v6.last), 'fd00::3');
    assert.throws(() => parseRange('10.0.0.12-10.0.0.10'), /ends before it starts/);
    assert.throws(() => parseRange('10.0.0.1-fd00::1'), /same family/);
    assert.throws(() => parseRange('10.0.0.0/33'), /prefix length/);
  });

  it('picks namespace pools before shared pools, and the first free address', () => {
    const pools = [{ range: '127.0.200.0/29' }, { range: '127.0.201.10-127.0.201.11', namespaces: ['team-a'] }];
    assert.deepEqual(
      poolsFor(pools, 'team-a').map((r) => r.source),
      ['127.0.201.10-127.0.201.11'],
    );
    assert.deepEqual(
      poolsFor(pools, 'default').map((r) => r.source),
      ['127.0.200.0/29'],
    );
    const ranges = poolsFor(pools, 'default');
    assert.equal(nextFreeAddress(ranges, new Set()), '127.0.200.1');
    assert.equal(nextFreeAddress(ranges, new Set(['127.0.200.1', '127.0.200.2'])), '127.0.200.3');
    const full = new Set(['127.0.201.10', '127.0.201.11']);
    assert.equal(nextFreeAddress(poolsFor(pools, 'team-a'), full), undefined);
  });
});
