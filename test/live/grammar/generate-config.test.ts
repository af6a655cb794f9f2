import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findInPath } from '../../support/binaries';
import { generateConfig } from '../../support/generate-config';

const haproxyBinary = (): string | undefined => process.env.HAPROXY || findInPath('haproxy');

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
