import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateConfig } from '../../support/generate-config';

test('generateConfig is deterministic per seed and about the requested size', () => {
  const a = generateConfig(2000, 7);
  assert.equal(a, generateConfig(2000, 7));
  assert.notEqual(a, generateConfig(2000, 8));
  const lines = a.split('\n').length - 1;
  assert.ok(lines >= 2000 && lines < 2000 * 1.1, `${lines} lines`);
  assert.ok(a.endsWith('\n'), 'HAProxy needs a final LF');
  for (const section of [
    'global',
    'defaults',
    'frontend',
    'backend',
    'listen',
    'userlist',
    'peers',
    'resolvers',
    'mailers',
    'cache',
    'ring',
  ]) {
    assert.match(a, new RegExp(`^${section}\\b`, 'm'), `has a ${section} section`);
  }
});
