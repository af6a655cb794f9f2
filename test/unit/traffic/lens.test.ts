import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { serverLenses, SERVER_ACTIONS } from '../../../src/traffic/core/lens';
import { parseNativeStats } from '../../../src/traffic/core/stats';
import { exchange, recordingsDir } from './fixtures';

describe('the live server lens', () => {
  for (const version of ['v2.9.27', 'v3.4.2'] as const) {
    test(`one lens per server line with its state, weight and check (recording 07, ${version})`, () => {
      const cfg = JSON.parse(fs.readFileSync(path.join(recordingsDir, version, '07-stats-native.json'), 'utf8'))
        .haproxyCfg.before as string;
      const stats = parseNativeStats(exchange(version, '07-stats-native', 'GET stats/native').response.body);
      const lenses = serverLenses('lab', cfg, stats);
      const lines = cfg.split('\n');
      assert.deepEqual(
        lenses.map((l) => [lines[l.line].trim().split(' ').slice(0, 2).join(' '), l.title]),
        [
          ['server web1', 'UP · weight 10/10 · L7OK 200 Layer7 check passed'],
          ['server web2', 'UP · weight 20/20 · L7OK 200 Layer7 check passed'],
          ['server web3', 'DOWN · weight 1/1 · L4CON Layer4 connection problem'],
        ],
      );
      assert.deepEqual(
        lenses[0].actions.map((a) => [a.title, a.command]),
        [
          ['Drain', SERVER_ACTIONS.drain],
          ['Maintenance', SERVER_ACTIONS.maint],
        ],
      );
      assert.deepEqual(lenses[0].actions[0].args, [{ connectionId: 'lab', backend: 'be_app', server: 'web1' }]);
    });
  }

  test('a drained server offers Ready and Maintenance; without stats every action is offered', () => {
    const cfg = 'backend be\n  server s1 10.0.0.1:80 weight 50\n';
    const drained = parseNativeStats({
      stats: [{ type: 'server', name: 's1', backend_name: 'be', stats: { status: 'DRAIN', weight: 0 } }],
    });
    const [lens] = serverLenses('a', cfg, drained);
    assert.equal(lens.title, 'DRAIN · weight 0/50');
    assert.deepEqual(
      lens.actions.map((a) => a.title),
      ['Ready', 'Maintenance'],
    );
    const [unknown] = serverLenses('a', cfg, []);
    assert.equal(unknown.title, 'no live state · weight 50');
    assert.deepEqual(
      unknown.actions.map((a) => a.title),
      ['Ready', 'Drain', 'Maintenance'],
    );
  });
});
