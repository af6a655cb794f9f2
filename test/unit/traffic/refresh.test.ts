import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { nodeId } from '../../../src/traffic/core/graph';
import { TrafficRefresher, type LiveSource } from '../../../src/traffic/core/refresh';
import { VIP_CFG, exchange, service, slice, views } from './fixtures';

function fakeSource(): LiveSource & { calls: string[]; version: number; fail: Set<string>; text: string } {
  const body = exchange('v3.4.2', '07-stats-native', 'GET stats/native').response.body;
  const src = {
    calls: [] as string[],
    version: 1,
    fail: new Set<string>(),
    text: VIP_CFG,
    async stats(id: string) {
      src.calls.push(`stats ${id}`);
      if (src.fail.has(id)) throw new Error(`connect ECONNREFUSED (${id})`);
      return { body, configVersion: src.version };
    },
    async config(id: string) {
      src.calls.push(`config ${id}`);
      return { text: src.text, version: src.version };
    },
  };
  return src;
}

describe('refreshing the map', () => {
  const services = views([service('httpd', { ingress: ['127.0.200.2'] })], [slice('httpd', [{ ip: '10.244.1.5' }])]);

  test('one request per server per refresh once the configuration is known, again when it changes', async () => {
    const src = fakeSource();
    let t = 0;
    const r = new TrafficRefresher(src, { now: () => (t += 1000) });
    const first = await r.refresh({ services, connectionIds: ['a', 'b'] });
    assert.equal(first.requests, 4);
    const second = await r.refresh({ services, connectionIds: ['a', 'b'] });
    assert.equal(second.requests, 2);
    assert.deepEqual(src.calls.slice(4).sort(), ['stats a', 'stats b']);
    src.version = 2;
    src.text = VIP_CFG.replace('server ep2 10.244.2.7:8080 check\n', '');
    const third = await r.refresh({ services, connectionIds: ['a', 'b'] });
    assert.equal(third.requests, 4);
    assert.equal(
      third.graph.nodes.some((n) => n.id === nodeId.server('a', 'vip_default_httpd_80', 'ep2')),
      false,
    );
    assert.ok(third.graph.nodes.some((n) => n.id === nodeId.bind('a', 'vip_default_httpd_80', '127.0.200.2:80')));
  });

  test('a server that fails is reported and the others still refresh; history grows per refresh', async () => {
    const src = fakeSource();
    src.fail.add('b');
    const stats = { stats: [{ type: 'backend', name: 'vip_default_httpd_80', stats: { status: 'UP', scur: 4 } }] };
    src.stats = async (id: string) => {
      src.calls.push(`stats ${id}`);
      if (src.fail.has(id)) throw new Error(`connect ECONNREFUSED (${id})`);
      return { body: stats, configVersion: 1 };
    };
    let t = 0;
    const r = new TrafficRefresher(src, { now: () => (t += 1000), historyLimit: 2 });
    let result = await r.refresh({ services, connectionIds: ['a', 'b'] });
    assert.deepEqual(result.failures, [{ connectionId: 'b', message: 'connect ECONNREFUSED (b)' }]);
    for (let i = 0; i < 3; i++) result = await r.refresh({ services, connectionIds: ['a', 'b'] });
    assert.deepEqual(
      result.history.get(nodeId.backend('a', 'vip_default_httpd_80'))!.map((s) => [s.at, s.sessions]),
      [
        [3000, 4],
        [4000, 4],
      ],
    );
  });

  test('an answer of the wrong shape counts as a failure of that server', async () => {
    const src = fakeSource();
    src.stats = async () => ({ body: { stats: 'nope' }, configVersion: 1 });
    const result = await new TrafficRefresher(src).refresh({ services, connectionIds: ['a'] });
    assert.match(result.failures[0].message, /unexpected shape at \$\.stats/);
  });
});
