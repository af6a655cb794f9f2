import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateConfig } from '../../support/generate-config';

function haproxyBinary(): string | undefined {
  const candidates = [process.env.HAPROXY, ...(process.env.PATH ?? '').split(path.delimiter).map((d) => path.join(d, 'haproxy'))];
  return candidates.find((c): c is string => Boolean(c) && fs.existsSync(c as string));
}

test('generateConfig is deterministic per seed and about the requested size', () => {
  const a = generateConfig(2000, 7);
  assert.equal(a, generateConfig(2000, 7));
  assert.notEqual(a, generateConfig(2000, 8));
  const lines = a.split('\n').length - 1;
  assert.ok(lines >= 2000 && lines < 2000 * 1.1, `${lines} lines`);
  assert.ok(a.endsWith('\n'), 'HAProxy needs a final LF');
  for (const section of ['global', 'defaults', 'frontend', 'backend', 'listen', 'userlist', 'peers', 'resolvers', 'mailers', 'cache', 'ring']) {
    assert.match(a, new RegExp(`^${section}\\b`, 'm'), `has a ${section} section`);
  }
});

test('haproxy -c accepts a generated 2,000-line configuration, without warnings', (t) => {
  const bin = haproxyBinary();
  if (!bin) {
    t.skip('haproxy is not installed: cannot check the generated configuration');
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gen-config-'));
  try {
    const file = path.join(dir, 'haproxy.cfg');
    fs.writeFileSync(file, generateConfig(2000));
    const r = spawnSync(bin, ['-dW', '-c', '-f', file], { encoding: 'utf8' });
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
