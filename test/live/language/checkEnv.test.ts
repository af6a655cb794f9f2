// haproxy -c runs with a minimal environment: a configuration expands ${VAR} from it, and a name
// that carries the value would go out to the resolver.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { checkEnvironment, runHaproxyCheck } from '../../../src/language/core/haproxy/runCheck';
import { findInPath } from '../../support/binaries';

const CFG = `global
  log stdout format raw local0
defaults
  mode http
  timeout client 1s
  timeout server 1s
  timeout connect 1s
backend b
  server s1 "\${USER}x.example.invalid:80"
`;

describe('the environment of haproxy -c', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haproxy-gateway-env-'));
  const saved = { USER: process.env.USER, HAPROXY_GATEWAY_TEST_SECRET: process.env.HAPROXY_GATEWAY_TEST_SECRET };
  process.env.USER = 'hgwuserq';
  process.env.HAPROXY_GATEWAY_TEST_SECRET = 'hgwsecretq';
  after(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('passes PATH and the locale on, and nothing else', () => {
    const env = checkEnvironment({
      PATH: '/usr/bin',
      LANG: 'C.UTF-8',
      HOME: '/root',
      USER: 'u',
      KUBECONFIG: '/k',
      AWS_SECRET_ACCESS_KEY: 's',
    });
    assert.deepEqual(env, { PATH: '/usr/bin', LANG: 'C.UTF-8' });
  });

  it('gives the program it runs no HOME, USER or secret', async () => {
    const script = path.join(dir, 'print-env');
    fs.writeFileSync(script, '#!/bin/sh\nenv\n', { mode: 0o755 });
    const result = await runHaproxyCheck({ binary: script, text: CFG, timeoutMs: 60_000 });
    assert.match(result.output, /^PATH=/m);
    assert.doesNotMatch(result.output, /^(HOME|USER)=/m);
    assert.doesNotMatch(result.output, /hgwuserq|hgwsecretq/);
  });

  const haproxy = findInPath('haproxy') ?? (fs.existsSync('/usr/sbin/haproxy') ? '/usr/sbin/haproxy' : undefined);
  it(
    'keeps the host USER out of a name HAProxy resolves',
    { skip: haproxy ? false : 'haproxy is not installed (scripts/setup.sh installs it)' },
    async () => {
      const result = await runHaproxyCheck({ binary: haproxy!, text: CFG, timeoutMs: 60_000 });
      assert.match(result.output, /x\.example\.invalid/, 'HAProxy names the address it could not resolve');
      assert.doesNotMatch(result.output, /hgwuserq/);
    },
  );
});
