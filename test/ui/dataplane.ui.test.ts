// The Data Plane API view in the real workbench, driven as a user drives it: add a connection
// through the multi-step input, browse the live tree of a real HAProxy (behind the Data Plane API
// emulator: the real dataplaneapi cannot be built on these machines), and look at the result.
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { startDataPlane, type DataPlaneFixture } from '../fixtures/dataplane';
import { waitFor } from '../support/wait';
import { runCommand, screenshotPath, startUiSession, UiSession, widenSidebar, SCREENSHOT_QUALITY } from './support';

/** Answers step `step` of the multi-step input, once that step shows. */
async function answer(page: Page, step: number, value: string): Promise<void> {
  await page.locator('.quick-input-widget .quick-input-title', { hasText: `${step}/` }).waitFor({ timeout: 60_000 });
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(value);
  await page.keyboard.press('Enter');
}

async function rowTexts(page: Page): Promise<string[]> {
  return page.locator('.pane-body .monaco-list-row').allInnerTexts();
}

describe('workbench: Data Plane API view', { timeout: 180_000 }, () => {
  let fixture: DataPlaneFixture;
  let session: UiSession;

  before(async () => {
    fixture = await startDataPlane({ api: 3 });
    session = await startUiSession();
  });
  after(async () => {
    await session?.close();
    await fixture?.stop();
  });

  it('adds a connection through the quick input and shows the live frontends, backends and servers', async () => {
    const { page } = session;
    await page.locator('.activitybar a[aria-label^="HAProxy & Gateway API"]').click();
    await widenSidebar(page);
    await runCommand(page, 'HAProxy: Add Data Plane API Connection');
    await answer(page, 1, 'edge-lb');
    await answer(page, 2, fixture.url);
    // Step 3: the authentication kind; the first item (user and password) is preselected.
    await page.locator('.quick-input-widget .quick-input-title', { hasText: '3/' }).waitFor();
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'User and password' }).first().waitFor();
    await page.keyboard.press('Enter');
    await answer(page, 4, fixture.username);
    await answer(page, 5, fixture.password);

    const connection = page.locator('.pane-body .monaco-list-row', { hasText: 'edge-lb' }).first();
    await connection.waitFor({ state: 'visible', timeout: 60_000 });
    let rows: string[] = [];
    // Open the folders until the servers of the backend show, as a user would.
    const serversShown = async () => {
      rows = await rowTexts(page);
      if (rows.some((r) => /\bweb1\b/.test(r))) return true;
      const collapsed = page.locator('.pane-body .monaco-list-row[aria-expanded="false"]');
      const count = await collapsed.count();
      for (let i = 0; i < count; i++) {
        if (/^(edge-lb|Frontends|Backends|fe_main|be_app)/.test(await collapsed.nth(i).innerText())) {
          await collapsed.nth(i).click();
          break;
        }
      }
      return false;
    };
    // The assertions below say what is missing.
    await waitFor('the servers of the backend', serversShown, { intervalMs: 200 }).catch(() => undefined);
    const text = rows.join('\n');
    assert.match(text, /edge-lb/);
    assert.match(text, /HAProxy 2\.6/, `the connection shows HAProxy's version:\n${text}`);
    assert.match(text, /fe_main/);
    assert.match(text, /be_app/);
    assert.match(text, /web1[\s\S]*UP/, `servers with their live state:\n${text}`);
    await page.screenshot({ path: screenshotPath('dataplane-view'), quality: SCREENSHOT_QUALITY });
    // The status bar shows HAProxy's reload state.
    await page.locator('.statusbar-item', { hasText: 'HAProxy' }).first().waitFor({ timeout: 60_000 });
  });
});
