import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DataPlaneConnectError, DataPlaneHttpError } from '../../../src/dataplane/core/errors';
import {
  CONNECTION_STATE_VIEW,
  age,
  connectionDescription,
  connectionState,
  esc,
  newestFirst,
  renderReloadState,
  serverDescription,
  serverIcon,
} from '../../../src/dataplane/core/presentation';

describe('presentation', () => {
  it('server rows: state, live weight against configured, address', () => {
    const base = { name: 'a', address: '10.0.0.1', port: 80, weight: 10, backup: false } as const;
    assert.equal(serverDescription({ ...base, state: 'UP', liveWeight: 10 }), 'UP · weight 10 · 10.0.0.1:80');
    assert.equal(
      serverDescription({ ...base, state: 'DRAIN', liveWeight: 0, address: '::1', backup: true }),
      'DRAIN · weight 0 (configured 10) · [::1]:80 · backup',
    );
    assert.deepEqual(serverIcon('DOWN'), { id: 'error', color: 'testing.iconFailed' });
    assert.equal(serverIcon('MAINT').id, 'debug-pause');
    assert.equal(serverIcon('DRAIN').color, 'editorWarning.foreground');
  });

  it('connection description names HAProxy and the API', () => {
    assert.equal(connectionDescription('2.6.12-1+deb12u4', 3, 'v3.4.2 8613429f'), 'HAProxy 2.6.12 / API v3.4.2');
    assert.equal(connectionDescription(undefined, 2, undefined), 'HAProxy / API v2');
  });

  it('connection rows: connected, password needed, unauthorised, TLS failed, unreachable', () => {
    assert.equal(connectionState({ connected: true }), 'connected');
    assert.equal(connectionState({ connected: false }), 'unknown');
    assert.equal(connectionState({ connected: false, needsPassword: true, error: new Error('x') }), 'needsPassword');
    assert.equal(
      connectionState({ connected: false, error: new DataPlaneHttpError('no', 401, 'Unauthorized') }),
      'unauthorized',
    );
    assert.equal(connectionState({ connected: false, error: new DataPlaneHttpError('no', 500, 'boom') }), 'failing');
    assert.equal(
      connectionState({ connected: false, error: new DataPlaneConnectError('no', 'ECONNREFUSED') }),
      'unreachable',
    );
    assert.equal(
      connectionState({ connected: false, error: new DataPlaneConnectError('no', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE') }),
      'tlsFailed',
    );
    assert.equal(
      connectionState({ connected: false, error: new DataPlaneConnectError('no', 'ERR_TLS_CERT_ALTNAME_INVALID') }),
      'tlsFailed',
    );
    assert.equal(CONNECTION_STATE_VIEW.unauthorized.description, 'unauthorised');
    assert.equal(CONNECTION_STATE_VIEW.connected.icon.color, 'testing.iconPassed');
  });

  it('reloads newest first, counters compared as numbers', () => {
    const ids = newestFirst([
      { id: '2024-01-02-9', status: 'succeeded' },
      { id: '2024-01-02-10', status: 'failed' },
      { id: '2024-01-01-50', status: 'succeeded' },
    ]).map((r) => r.id);
    assert.deepEqual(ids, ['2024-01-02-10', '2024-01-02-9', '2024-01-01-50']);
    assert.equal(age(125_000), '2 min ago');
  });

  it('the status bar is drawn from one state value', () => {
    const now = 1_700_000_000_000;
    assert.equal(renderReloadState({ kind: 'idle', connections: 0 }).visible, false, 'nothing to follow: hidden');
    const idle = renderReloadState({ kind: 'idle', connections: 2 });
    assert.equal(idle.visible, true);
    assert.equal(idle.text, '$(check) HAProxy');
    assert.match(idle.tooltip, /2 connections/);
    const r = renderReloadState(
      { kind: 'reloading', connection: 'lb*1', reloadId: '2024-01-02-3', since: now - 2_000 },
      now,
    );
    assert.equal(r.text, '$(sync~spin) HAProxy reloading');
    assert.match(r.tooltip, /lb\\\*1/);
    const ok = renderReloadState({ kind: 'succeeded', connection: 'lb', reloadId: '2024-01-02-3', at: now }, now);
    assert.deepEqual([ok.text, ok.error], ['$(check) HAProxy', false]);
    const bad = renderReloadState(
      {
        kind: 'failed',
        connection: 'lb',
        reloadId: '2024-01-02-4',
        at: now,
        response: '[ALERT] cannot bind socket\n```',
      },
      now,
    );
    assert.deepEqual([bad.text, bad.error], ['$(error) HAProxy reload failed', true]);
    assert.match(bad.tooltip, /Reload-ID `2024-01-02-4`[\s\S]*cannot bind socket/);
    assert.ok(!bad.tooltip.includes('```\n```'), 'fences in the response cannot break the tooltip');
    assert.equal(esc('a_b'), 'a\\_b');
  });
});
