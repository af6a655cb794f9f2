import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  closestAvailable,
  executableFor,
  majorMinor,
  resolveTargetVersion,
} from '../../../src/language/core/keywords/target';

const available = ['2.6', '2.8', '3.0', '3.2', '3.4'];

describe('the HAProxy version a document targets', () => {
  test('the folder setting wins over the server, the executable and the newest', () => {
    assert.deepEqual(
      resolveTargetVersion({ setting: '2.8', server: '3.2.4', executable: '2.6.12-1+deb12u4', available }),
      { version: '2.8', source: 'setting' },
    );
  });

  test('a live configuration follows the version its Data Plane API server reports', () => {
    assert.deepEqual(resolveTargetVersion({ server: '3.2.4-1', executable: '2.6.12', available }), {
      version: '3.2',
      source: 'server',
    });
  });

  test('else the executable the workspace may run, else the newest', () => {
    assert.deepEqual(resolveTargetVersion({ executable: '2.6.12-1+deb12u4', available }), {
      version: '2.6',
      source: 'executable',
    });
    assert.deepEqual(resolveTargetVersion({ available }), { version: '3.4', source: 'newest' });
    assert.deepEqual(resolveTargetVersion({ setting: '', server: 'garbage', available }), {
      version: '3.4',
      source: 'newest',
    });
  });

  test('a version without data uses the closest older data and says which was asked for', () => {
    assert.deepEqual(resolveTargetVersion({ setting: '3.1', available }), {
      version: '3.0',
      source: 'setting',
      reported: '3.1',
    });
    assert.deepEqual(resolveTargetVersion({ server: '3.5.0', available }), {
      version: '3.4',
      source: 'server',
      reported: '3.5',
    });
    assert.equal(closestAvailable('2.4', available), '2.6');
    assert.equal(majorMinor('v3.02.1'), '3.2');
    assert.equal(majorMinor('latest'), undefined);
  });
});

describe('the executable that judges a document', () => {
  test('haproxyGateway.haproxy.paths names one per version', () => {
    assert.deepEqual(executableFor('3.4', { '3.4': '/opt/haproxy-3.4/sbin/haproxy' }, 'haproxy', '2.6.12'), {
      binary: '/opt/haproxy-3.4/sbin/haproxy',
    });
  });

  test('the default haproxy only when it is the targeted version, never another version', () => {
    assert.deepEqual(executableFor('2.6', {}, 'haproxy', '2.6.12-1+deb12u4'), { binary: 'haproxy' });
    const other = executableFor('3.4', { '2.8': '/opt/h28' }, 'haproxy', '2.6.12');
    assert.equal(other.binary, undefined);
    assert.match(other.missing ?? '', /No HAProxy 3\.4 executable/);
  });

  test('an unknown default version (not detected yet) does not block the check', () => {
    assert.deepEqual(executableFor('3.4', {}, 'haproxy', undefined), { binary: 'haproxy' });
  });
});
