// The refresh interval of the Data Plane API view: 0 is on demand, anything else at least 5 s.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { refreshIntervalMs } from '../../../src/dataplane/core/refresh';
import { repoRoot } from '../../support/paths';

describe('refreshIntervalMs', () => {
  it('clamps small intervals to 5 s and keeps 0 as on demand', () => {
    assert.equal(refreshIntervalMs(0.001), 5000);
    assert.equal(refreshIntervalMs(1), 5000);
    assert.equal(refreshIntervalMs(5), 5000);
    assert.equal(refreshIntervalMs(30), 30_000);
    assert.equal(refreshIntervalMs(0), 0);
  });

  it('falls back to 15 s for what is not a usable number', () => {
    for (const v of [undefined, null, '1', -1, Number.NaN, Number.POSITIVE_INFINITY])
      assert.equal(refreshIntervalMs(v), 15_000, String(v));
  });

  it('is a restricted setting, with the pools, in untrusted workspaces', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
      capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
    };
    const restricted = pkg.capabilities.untrustedWorkspaces.restrictedConfigurations;
    for (const key of [
      'haproxyGateway.dataplane.refreshIntervalSeconds',
      'haproxyGateway.vip.pools',
      'haproxyGateway.dataplane.connections',
      'haproxyGateway.kubernetes.kubeconfig',
      'haproxyGateway.haproxy.path',
    ]) {
      assert.ok(restricted.includes(key), `${key} is not restricted`);
    }
  });
});
