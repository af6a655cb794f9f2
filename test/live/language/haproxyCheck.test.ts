// runHaproxyCheck runs a program: the installed haproxy, or `sleep` standing in for one that hangs.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkMessagesToDiagnostics } from '../../../src/language/core/haproxy/checkDiagnostics';
import { namesCheckedFile, runHaproxyCheck, sanitizeFileName } from '../../../src/language/core/haproxy/runCheck';
import { parseConfig } from '../../../src/shared/haproxy-config/parser';
import { findInPath } from '../../support/binaries';

describe('runHaproxyCheck', () => {
  it('validates its inputs and names the temporary copy safely', async () => {
    assert.equal(sanitizeFileName('../../etc/passwd'), 'passwd');
    assert.equal(sanitizeFileName('my config.cfg'), 'my_config.cfg');
    assert.equal(sanitizeFileName('..'), 'haproxy.cfg');
    await assert.rejects(runHaproxyCheck({ binary: ' ', text: '', timeoutMs: 1000 }), /No haproxy executable/);
    await assert.rejects(runHaproxyCheck({ binary: 'haproxy', text: '', timeoutMs: 0 }), /Invalid timeout/);
    await assert.rejects(
      runHaproxyCheck({ binary: '/nonexistent/haproxy-gateway-test', text: 'global\n', timeoutMs: 5000 }),
      /was not found/,
    );
  });

  it('reports a hanging program as a timeout, and honours cancellation', async () => {
    // `sleep` stands in for a haproxy that never answers (2.6 loops on some inputs).
    const sleep = findInPath('sleep');
    if (!sleep) return;
    const fake = await import('node:fs/promises').then(async (fs) => {
      const os = await import('node:os');
      const path = await import('node:path');
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hg-fake-'));
      const file = path.join(dir, 'fake-haproxy');
      await fs.writeFile(file, '#!/bin/sh\nexec sleep 30\n', { mode: 0o755 });
      return file;
    });
    await assert.rejects(
      runHaproxyCheck({ binary: fake, text: 'global\n', timeoutMs: 300 }),
      /did not finish within 300 ms/,
    );
    const abort = new AbortController();
    const run = runHaproxyCheck({ binary: fake, text: 'global\n', timeoutMs: 10_000, signal: abort.signal });
    setTimeout(() => abort.abort(), 100);
    await assert.rejects(run, (err: Error) => err.name === 'OperationCancelledError');
  });

  const haproxy = findInPath('haproxy');
  it(
    'runs the installed haproxy and maps its errors onto our lines',
    { skip: haproxy ? false : 'haproxy is not installed' },
    async () => {
      const text =
        'defaults\n  mode http\n  timeout client 1s\n  timeout server 1s\n  timeout connect 1s\n' +
        'frontend fe\n  bind :8080\n  tune.nope 1\n  http-request deny if bar\n';
      const result = await runHaproxyCheck({ binary: haproxy!, text, fileName: 'site.cfg', timeoutMs: 10_000 });
      assert.equal(result.valid, false);
      const diags = checkMessagesToDiagnostics(result.messages, parseConfig(text), (m) =>
        namesCheckedFile(m, result.checkedPath),
      );
      assert.deepEqual(
        diags.filter((d) => d.severity === 'error').map((d) => d.line),
        [7, 8],
      );
      const ok = await runHaproxyCheck({ binary: haproxy!, text: 'global\n  daemon\n', timeoutMs: 10_000 });
      assert.equal(ok.valid, true);
    },
  );
});
