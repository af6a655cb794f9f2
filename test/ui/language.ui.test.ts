// haproxy.cfg language features as a user sees them in the real workbench: a squiggle under an
// undefined backend, and the outline of sections.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { quickOpen, runCommand, screenshotPath, startUiSession, UiSession, SCREENSHOT_QUALITY } from './support';

describe('workbench: haproxy.cfg language features', { timeout: 180_000 }, () => {
  let session: UiSession;
  before(async () => {
    session = await startUiSession();
    fs.writeFileSync(
      path.join(session.workspace, 'haproxy-broken.cfg'),
      [
        'frontend www',
        '    bind 127.0.0.1:8080',
        '    default_backend missing',
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

  it('underlines an undefined backend and lists the sections in the outline', async () => {
    const { page } = session;
    await quickOpen(page, 'haproxy-broken.cfg');
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 60_000 });
    await runCommand(page, 'Explorer: Focus on Outline View');
    const outline = page.locator('.pane-body .monaco-list-row');
    await outline.filter({ hasText: 'www' }).first().waitFor({ timeout: 60_000 });
    const rows = (await outline.allInnerTexts()).join('\n');
    assert.match(rows, /www/);
    assert.match(rows, /web/);
    // The problem is also in the Problems panel count of the status bar.
    const problems = await page.locator('.statusbar-item[id="status.problems"]').innerText();
    assert.match(problems, /[1-9]/, `the status bar counts the problem: ${problems}`);
    await page.screenshot({ path: screenshotPath('diagnostics-outline'), quality: SCREENSHOT_QUALITY });
  });
});
