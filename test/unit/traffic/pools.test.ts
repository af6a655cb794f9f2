import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { addressList, canonicalIp, parseSpan, spanSize, splitHostPort } from '../../../src/traffic/core/ip';
import { poolUsage } from '../../../src/traffic/core/pools';
import { foreignOwner, requestedAddresses } from '../../../src/traffic/core/services';
import { service } from './fixtures';

describe('addresses and spans', () => {
  test('canonical spellings compare equal; names are not addresses', () => {
    assert.equal(canonicalIp('fd00:0:0::1'), 'fd00::1');
    assert.equal(canonicalIp('[::1]'), '::1');
    assert.equal(canonicalIp('127.0.200.2'), '127.0.200.2');
    assert.equal(canonicalIp('httpd.default.svc'), undefined);
  });

  test('CIDRs drop the IPv4 network and broadcast addresses; ranges and single addresses count exactly', () => {
    assert.equal(spanSize(parseSpan('127.0.200.0/24') as never), 254n);
    assert.equal(spanSize(parseSpan('10.0.0.0/31') as never), 2n);
    assert.equal(spanSize(parseSpan('10.0.0.10-10.0.0.20') as never), 11n);
    assert.equal(spanSize(parseSpan('fd00::/120') as never), 256n);
    assert.match((parseSpan('10.0.0.0/33') as { error: string }).error, /prefix length/);
    assert.match((parseSpan('10.0.0.9-10.0.0.1') as { error: string }).error, /ends before it starts/);
    assert.match((parseSpan('fd00::1-10.0.0.1') as { error: string }).error, /same family/);
  });

  test('binds split as HAProxy reads them', () => {
    assert.deepEqual(splitHostPort('127.0.200.2:80'), { host: '127.0.200.2', port: 80, wildcard: false });
    assert.deepEqual(splitHostPort(':443'), { host: '', port: 443, wildcard: true });
    assert.deepEqual(splitHostPort('[fd00::0:1]:8443'), { host: 'fd00::1', port: 8443, wildcard: false });
    assert.equal(splitHostPort('unix@/run/x.sock'), undefined);
  });

  test('annotation lists are comma-separated; the unusable items are named', () => {
    assert.deepEqual(addressList(' 10.0.0.5, fd00::1 ,nope,'), {
      addresses: ['10.0.0.5', 'fd00::1'],
      invalid: ['nope'],
    });
  });
});

describe('what a Service asks for', () => {
  test('the 2020 annotation, loadBalancerIP, MetalLB and kube-vip annotations, first spelling wins', () => {
    const svc = service('web', {
      loadBalancerIP: '10.0.0.7',
      annotations: {
        'lbapi.run.tanzu.vmware.com/ip-address': '10.0.0.5',
        'metallb.io/loadBalancerIPs': '10.0.0.5,10.0.0.6',
        'kube-vip.io/loadbalancerIPs': 'fd00::5, bad',
      },
    });
    assert.deepEqual(requestedAddresses(svc), {
      requested: [
        { address: '10.0.0.5', source: 'annotation' },
        { address: '10.0.0.7', source: 'loadBalancerIP' },
        { address: '10.0.0.6', source: 'metallb' },
        { address: 'fd00::5', source: 'kube-vip' },
      ],
      invalid: [{ text: 'bad', source: 'kube-vip' }],
    });
  });

  test('a loadBalancerClass that is not ours, or a MetalLB pool annotation, names another owner', () => {
    assert.deepEqual(foreignOwner(service('a', { loadBalancerClass: 'metallb.io/metallb' })), {
      kind: 'loadBalancerClass',
      value: 'metallb.io/metallb',
    });
    assert.equal(
      foreignOwner(service('a', { loadBalancerClass: 'haproxy-gateway.io/vip' }), ['haproxy-gateway.io/vip']),
      undefined,
    );
    assert.deepEqual(foreignOwner(service('a', { annotations: { 'metallb.io/address-pool': 'prod' } })), {
      kind: 'annotation',
      key: 'metallb.io/address-pool',
      value: 'prod',
    });
    assert.equal(foreignOwner(service('a', { annotations: { 'metallb.io/loadBalancerIPs': '10.0.0.5' } })), undefined);
    assert.equal(foreignOwner(service('a', { annotations: { 'kube-vip.io/loadbalancerIPs': '10.0.0.5' } })), undefined);
    assert.deepEqual(foreignOwner(service('a', { annotations: { 'kube-vip.io/vipHost': 'node-2' } })), {
      kind: 'annotation',
      key: 'kube-vip.io/vipHost',
      value: 'node-2',
    });
  });
});

describe('pool usage', () => {
  test('used/free/total per pool and who holds each address', () => {
    const result = poolUsage({
      pools: [{ range: '127.0.200.0/24' }, { range: '10.0.0.10-10.0.0.11', namespaces: ['team'] }],
      services: [
        service('httpd', { annotations: { 'haproxy-gateway.io/vip': '127.0.200.2' }, ingress: ['127.0.200.2'] }),
        service('api', { namespace: 'team', annotations: { 'kube-vip.io/loadbalancerIPs': '10.0.0.10' } }),
        service('theirs', { loadBalancerClass: 'metallb.io/metallb', ingress: ['127.0.200.3'] }),
      ],
      binds: [
        { connectionId: 'a', frontend: 'vip_default_httpd_80', address: '127.0.200.2', port: 80 },
        { connectionId: 'a', frontend: 'stray', address: '127.0.200.9', port: 80 },
      ],
      servers: [{ connectionId: 'a', backend: 'be', server: 'web1', address: '10.244.1.5' }],
    });
    const [lab, team] = result.pools;
    assert.deepEqual([lab.total, lab.used, lab.free], [254n, 2, 252n]);
    assert.deepEqual(
      lab.addresses.map((a) => [a.address, a.holders.map((h) => h.kind)]),
      [
        ['127.0.200.2', ['service', 'bind']],
        ['127.0.200.9', ['bind']],
      ],
    );
    assert.deepEqual(lab.addresses[0].holders[0], {
      kind: 'service',
      namespace: 'default',
      name: 'httpd',
      how: 'recorded',
    });
    assert.deepEqual([team.total, team.used, team.free, team.namespaces], [2n, 1, 1n, ['team']]);
    assert.deepEqual(result.skipped, [
      {
        namespace: 'default',
        name: 'theirs',
        reason: 'loadBalancerClass "metallb.io/metallb" is another controller\'s',
      },
    ]);
  });

  test("conflicts: two Services on one address, a VIP that is also a server's address", () => {
    const result = poolUsage({
      pools: [{ range: '127.0.200.0/24' }],
      services: [
        service('a', { ingress: ['127.0.200.5'] }),
        service('b', { annotations: { 'metallb.io/loadBalancerIPs': '127.0.200.5' } }),
        service('c', { ingress: ['127.0.200.6'] }),
      ],
      servers: [{ connectionId: 'a', backend: 'be', server: 's1', address: '127.0.200.6' }],
    });
    assert.deepEqual(
      result.pools[0].addresses.map((a) => [a.address, a.conflict]),
      [
        ['127.0.200.5', 'held by 2 Services: default/a, default/b'],
        ['127.0.200.6', "also the address of server s1 (backend be on a): a VIP must not be a backend's address"],
      ],
    );
  });

  test('an unusable pool is reported, not thrown', () => {
    const result = poolUsage({ pools: [{ range: 'ten dot zero' }], services: [] });
    assert.match(result.pools[0].error!, /not a CIDR/);
  });
});
