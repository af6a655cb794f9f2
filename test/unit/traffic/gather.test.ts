// The pure parts of the doctor's gathering: which reload is the last one, and the pool usage input
// built from what was gathered (binds that are single addresses, every server).
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lastReload, poolUsageInput, type Gathered } from '../../../src/traffic/core/gather';
import { readTopology } from '../../../src/traffic/core/haproxy';
import { poolUsage } from '../../../src/traffic/core/pools';
import { service } from './fixtures';

describe('lastReload', () => {
  it('takes the newest by timestamp, then by the sequence number that ends the id', () => {
    assert.deepEqual(
      lastReload([
        { id: '2026-12-02-10', status: 'failed', response: 'x', reloadTimestamp: 100 },
        { id: '2026-12-02-9', status: 'succeeded', reloadTimestamp: 100 },
        { id: '2026-12-02-2', status: 'succeeded', reloadTimestamp: 50 },
      ]),
      { id: '2026-12-02-10', status: 'failed', response: 'x' },
    );
    assert.equal(
      lastReload([
        { id: '2026-12-02-3', status: 'succeeded', reloadTimestamp: 200 },
        { id: '2026-12-02-10', status: 'failed', reloadTimestamp: 100 },
      ])?.id,
      '2026-12-02-3',
    );
  });

  it('nothing for no reload or a status it does not know', () => {
    assert.equal(lastReload([]), undefined);
    assert.equal(lastReload([{ id: '1', status: 'weird' }]), undefined);
  });
});

describe('poolUsageInput', () => {
  it('counts the single-address binds and every server of every server read; wildcards hold no address', () => {
    const topology = readTopology(
      [
        'frontend vip_default_web_http',
        '  bind 127.0.200.2:80',
        '  bind :8080',
        '  default_backend be',
        'backend be',
        '  server s1 127.0.200.3:8080',
        '',
      ].join('\n'),
    );
    const g: Gathered = {
      input: {
        pools: [{ range: '127.0.200.0/29' }],
        services: [service('web', { ingress: ['127.0.200.2'] })],
        ourClasses: [],
      },
      services: [],
      servers: [
        { connectionId: 'lb1', topology },
        { connectionId: 'lb2', error: 'down' },
      ],
      problems: [],
    };
    const input = poolUsageInput(g);
    assert.deepEqual(input.binds, [
      { connectionId: 'lb1', frontend: 'vip_default_web_http', address: '127.0.200.2', port: 80 },
    ]);
    assert.deepEqual(input.servers, [{ connectionId: 'lb1', backend: 'be', server: 's1', address: '127.0.200.3' }]);
    const [pool] = poolUsage(input).pools;
    assert.equal(pool!.used, 1, 'a server address alone uses no pool address');
    assert.deepEqual(
      pool!.addresses[0]!.holders.map((h) => h.kind),
      ['service', 'bind'],
    );
  });
});
