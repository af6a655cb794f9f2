import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { compareVersions, evaluateCondition } from '../../../src/shared/haproxy-config/conditionals';

// Values checked with `haproxy -c` 2.6.12 (a block holding an unknown keyword is reported only when taken).
describe('evaluateCondition', () => {
  const v = (text: string): boolean | undefined => evaluateCondition(text, { haproxyVersion: '2.6.12' }).value;

  it('evaluates numbers and boolean operators like HAProxy', () => {
    assert.equal(v('1'), true);
    assert.equal(v('0'), false);
    assert.equal(v('00'), false);
    assert.equal(v('0x10'), true);
    assert.equal(v('-1'), true);
    assert.equal(v(''), false);
    assert.equal(v('1 && 0'), false);
    assert.equal(v('0 || 1'), true);
    assert.equal(v('!0'), true);
    assert.equal(v('! 0'), true);
    assert.equal(v('1 || (0 && 1)'), true);
  });

  it('compares versions and strings', () => {
    assert.equal(v('version_atleast(2.6.12)'), true);
    assert.equal(v('version_atleast(2.6.13)'), false);
    assert.equal(v('version_atleast(2.6-dev1)'), true);
    assert.equal(v('version_before(2.7)'), true);
    assert.equal(v('streq(a b,a b)'), true);
    assert.equal(v('strneq(a,b)'), true);
    assert.equal(v('streq("a b","a b")'), true);
  });

  it('keeps what depends on the environment or the build unknown', () => {
    assert.equal(v('defined(HOME)'), undefined);
    assert.equal(v('feature(OPENSSL)'), undefined);
    assert.equal(v('defined(X) && 0'), false);
    assert.equal(v('defined(X) || 1'), true);
    assert.equal(evaluateCondition('streq(a,b)', { hasEnv: true }).value, undefined);
    assert.equal(evaluateCondition('version_atleast(2.6.13)', { haproxyVersion: '2.6' }).value, undefined);
    assert.equal(evaluateCondition('version_atleast(2.6.0)', { haproxyVersion: '2.6' }).value, true);
    assert.equal(evaluateCondition('version_atleast(2.7)', { haproxyVersion: '2.6' }).value, false);
  });

  it('reports what HAProxy cannot parse', () => {
    assert.match(evaluateCondition('bogus(1)').error!.message, /unparsable conditional expression/);
    assert.match(evaluateCondition('yes').error!.message, /unparsable/);
    assert.match(evaluateCondition('streq(a,b').error!.message, /expected '\)'/);
    assert.equal(evaluateCondition('enabled(X)').value, undefined);
  });
});

describe('compareVersions', () => {
  it('compares numerically and knows when the target is too coarse', () => {
    assert.equal(compareVersions('2.6.12', '2.6.9'), 1);
    assert.equal(compareVersions('2.6', '2.10'), -1);
    assert.equal(compareVersions('2.6', '2.6.1'), undefined);
    assert.equal(compareVersions(undefined, '2.6'), undefined);
  });
});
