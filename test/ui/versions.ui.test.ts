// The HAProxy version of a file as a user sees it in the real workbench: the language status item
// says which version the file targets, its Change command switches the folder from 2.8 to 3.4, and a
// diagnostic that only 2.8 makes goes away with it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { quickOpen, screenshotPath, startUiSession, UiSession, SCREENSHOT_QUALITY } from './support';

describe('workbench: the HAProxy version of a file', { timeout: 240_000 }, () => {
  let session: UiSession;
  before(async () => {
    session = await startUiSession({ workspaceSettings: { 'haproxyGateway.haproxy.version': '2.8' } });
    fs.writeFileSync(
      path.join(session.workspace, 'haproxy-versions.cfg'),
      [
        'global',
        '    stats-file /var/lib/haproxy/stats',
        '',
        'defaults',
        '    mode http',
        '    timeout client 5s',
        '    timeout server 5s',
        '    timeout connect 5s',
        '',
        'frontend www',
        '    bind 127.0.0.1:8080',
        '    default_backend web',
        '',
        'backend web',
        '    server s1 127.0.0.3:8080',
        '',
      ].join('\n'),
    );
  });
  after(async () => {
    await session?.close();
  });

  it(
    'switches the file from HAProxy 2.8 to 3.4 with the language status item, ' + 'and the diagnostic follows',
    async () => {
      const { page } = session;
      await quickOpen(page, 'haproxy-versions.cfg');
      const squiggle = page.locator('.monaco-editor .squiggly-error');
      await squiggle.first().waitFor({ timeout: 30_000 });

      // The language status item ({ } in the status bar) lists the version with a Change link.
      const status = page.locator('.statusbar-item[id="status.languageStatus"]');
      await status.waitFor({ timeout: 60_000 });
      await status.click();
      const hover = page.locator('.monaco-hover');
      await hover
        .filter({ hasText: 'HAProxy 2.8' })
        .first()
        .waitFor({ timeout: 60_000 })
        .catch(async (err: unknown) => {
          await page.screenshot({ path: screenshotPath('version-status-failed'), quality: SCREENSHOT_QUALITY });
          const hovers = (await page.locator('.monaco-hover').allInnerTexts()).join(' | ');
          throw new Error(`no language status hover with HAProxy 2.8: ${hovers}: ${String(err)}`);
        });
      const text = await hover.first().innerText();
      assert.match(text, /set for this folder/, text);
      // The installed haproxy is 2.6: the item says so once instead of judging a 2.8 file with it.
      assert.match(text, /No HAProxy 2\.8 executable/, text);
      await page.screenshot({ path: screenshotPath('version-status'), quality: SCREENSHOT_QUALITY });

      await hover.locator('a, .monaco-link').filter({ hasText: 'Change' }).first().click();
      const row = page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: 'HAProxy 3.4' }).first();
      await row.waitFor({ state: 'visible', timeout: 60_000 });
      await row.click();

      // 3.0 and later know stats-file: the error goes away; the folder setting says 3.4.
      await squiggle.first().waitFor({ state: 'detached', timeout: 30_000 });
      const settings = JSON.parse(
        fs.readFileSync(path.join(session.workspace, '.vscode', 'settings.json'), 'utf8'),
      ) as Record<string, unknown>;
      assert.equal(settings['haproxyGateway.haproxy.version'], '3.4');
      await status.click();
      await hover.filter({ hasText: 'HAProxy 3.4' }).first().waitFor({ timeout: 60_000 });
    },
  );
});
