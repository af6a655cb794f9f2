// The packaged VSIX, installed the way users install it, activates in the real VS Code.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startCodeServer, CodeServer } from '../harness/codeServer';
import { openWorkbench, Workbench } from '../harness/workbench';
import { repoRoot } from '../support/paths';
import { quickOpen, runCommand } from './support';

const vsix = path.join(repoRoot, 'dist', 'haproxy-gateway.vsix');

describe('packaged VSIX', { timeout: 240_000 }, () => {
  let server: CodeServer;
  let workbench: Workbench;

  before(async () => {
    execFileSync('npm', ['run', 'package', '--silent'], { cwd: repoRoot, stdio: 'pipe' });
    server = await startCodeServer({
      workspace: path.join(repoRoot, 'test', 'fixtures', 'workspace'),
      installExtensions: [vsix],
    });
    workbench = await openWorkbench({
      serverUrl: server.url,
      folder: path.join(repoRoot, 'test', 'fixtures', 'workspace'),
      extensionDevelopmentPath: null,
    });
  });
  after(async () => {
    await workbench?.close();
    await server?.stop();
  });

  it('is under 1 MB and ships only what it needs', () => {
    const size = fs.statSync(vsix).size;
    assert.ok(size < 1024 * 1024, `VSIX is ${size} bytes`);
    const listing = execFileSync('unzip', ['-Z1', vsix], { encoding: 'utf8' }).split('\n');
    assert.ok(listing.includes('extension/dist/extension.js'));
    assert.ok(listing.includes('extension/syntaxes/haproxy.tmLanguage.json'));
    assert.ok(listing.includes('extension/dist/keywords/haproxy-2.6.json'), 'the keyword data, required on first use');
    for (const entry of listing) {
      assert.doesNotMatch(entry, /^extension\/(src|test|node_modules|out|scripts)\//, `not shipped: ${entry}`);
    }
    for (const source of ['extension/media/make-icons.sh', 'extension/media/icon.svg'])
      assert.ok(!listing.includes(source), `${source} ships`);
  });

  it('installs with --install-extension and activates from a haproxy.cfg', async () => {
    const { page } = workbench;
    await quickOpen(page, 'haproxy.cfg');
    // The language mode in the status bar comes from the installed extension's contribution.
    await page.locator('.statusbar-item[id="status.editor.mode"]', { hasText: 'HAProxy' }).waitFor({ timeout: 60_000 });
    // Activation writes one line to the extension's log; the Show Log command opens it.
    await runCommand(page, 'HAProxy: Show Log');
    await page
      .locator('.output-view .view-line', { hasText: 'Activated haproxy-gateway.haproxy-gateway' })
      .first()
      .waitFor({ timeout: 60_000 });
  });
});
