import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { editorTokens, quickOpen, screenshotPath, startUiSession, UiSession, SCREENSHOT_QUALITY } from './support';

describe('workbench: foundation', { timeout: 180_000 }, () => {
  let session: UiSession;
  before(async () => {
    session = await startUiSession();
  });
  after(async () => {
    await session?.close();
  });

  it('colours a section header, a directive, an ACL, an address and a comment differently', async () => {
    const { page } = session;
    await quickOpen(page, 'haproxy.cfg');
    await page.locator('.view-line').first().waitFor();
    // Tokenization is asynchronous: wait until the comment line has been coloured.
    let tokens = await editorTokens(page);
    const coloured = () => tokens.some((t) => t.text.startsWith('# Sample') && !/\bmtk1\b/.test(t.cls));
    for (let i = 0; i < 100 && !coloured(); i++) {
      await page.waitForTimeout(100);
      tokens = await editorTokens(page);
    }
    const colourOf = (text: string) => {
      const token = tokens.find((t) => t.text.trim() === text || t.text.startsWith(text));
      assert.ok(
        token,
        `a token "${text}" is shown (tokens: ${tokens
          .map((t) => t.text)
          .slice(0, 60)
          .join('|')})`,
      );
      return token.color;
    };
    const colours = {
      section: colourOf('frontend'),
      directive: colourOf('maxconn'),
      acl: colourOf('is_api'),
      address: colourOf('127.0.0.1'),
      comment: colourOf('# Sample'),
    };
    const distinct = new Set(Object.values(colours));
    assert.equal(distinct.size, 5, `five distinct colours: ${JSON.stringify(colours)}`);
    await page.screenshot({ path: screenshotPath('highlighting'), quality: SCREENSHOT_QUALITY });
  });

  it('shows the sidebar with both views and their welcome content', async () => {
    const { page } = session;
    await page.locator('.activitybar a[aria-label^="HAProxy & Gateway API"]').click();
    const welcome = page.locator('.welcome-view-content');
    await welcome.first().waitFor({ state: 'visible', timeout: 60_000 });
    const texts = await welcome.allInnerTexts();
    assert.ok(
      texts.some((t) => t.includes('No Data Plane API server')),
      `Data Plane API welcome: ${texts.join(' / ')}`,
    );
    await page.locator('.pane-header[aria-label^="Kubernetes Gateways"]').first().waitFor({ state: 'visible' });
    const buttons = await page.locator('.welcome-view-content .monaco-button').allInnerTexts();
    assert.ok(buttons.includes('New haproxy.cfg'), `welcome buttons: ${buttons.join(', ')}`);
    await page.screenshot({ path: screenshotPath('sidebar-welcome'), quality: SCREENSHOT_QUALITY });
  });

  it('expands a snippet chosen from completion while typing', async () => {
    const { page } = session;
    await quickOpen(page, 'site.haproxy.cfg');
    await page.locator('.monaco-editor textarea').first().focus();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await page.keyboard.type('backend-');
    await page.keyboard.press('Control+Space');
    const suggestion = page.locator('.suggest-widget .monaco-list-row').first();
    await suggestion.waitFor({ state: 'visible', timeout: 60_000 });
    await page.screenshot({ path: screenshotPath('snippet-completion'), quality: SCREENSHOT_QUALITY });
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    const text = (await page.locator('.editor-instance .view-lines').first().innerText()).replace(/\u00a0/g, ' ');
    assert.match(text, /^\s*backend \S+/m, `a backend section was inserted:\n${text}`);
    assert.match(text, /server \S+/, 'with a server line');
  });
});
