// Fixture for workbench tests: a real VS Code (code-server) with the extension under development,
// in headless Chromium driven by Playwright, on a throwaway copy of the test workspace.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { startCodeServer, CodeServer } from '../harness/codeServer';
import { openWorkbench, Workbench } from '../harness/workbench';
import { repoRoot } from '../support/paths';

export interface UiSession {
  server: CodeServer;
  workbench: Workbench;
  page: Page;
  workspace: string;
  close(): Promise<void>;
}

export async function startUiSession(
  options: {
    settings?: Record<string, unknown>;
    workspaceSettings?: Record<string, unknown>;
    env?: Record<string, string>;
  } = {},
): Promise<UiSession> {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'haproxy-gateway-ws-'));
  fs.cpSync(path.join(repoRoot, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
  if (options.workspaceSettings) {
    // Written before the window opens, so the extension sees them from its first read.
    fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
    fs.writeFileSync(
      path.join(workspace, '.vscode', 'settings.json'),
      JSON.stringify(options.workspaceSettings, null, 2),
    );
  }
  const server = await startCodeServer({ workspace, settings: options.settings, env: options.env });
  let workbench: Workbench;
  try {
    workbench = await openWorkbench({ serverUrl: server.url, folder: workspace });
  } catch (err) {
    await server.stop();
    throw err;
  }
  return {
    server,
    workbench,
    page: workbench.page,
    workspace,
    close: async () => {
      await workbench.close();
      await server.stop();
      fs.rmSync(workspace, { recursive: true, force: true });
    },
  };
}

/** The screenshots the README shows (and the VSIX ships, so keep the list short). */
const README_SCREENSHOTS = new Set([
  'highlighting',
  'dataplane-view',
  'kubernetes-view',
  'vip-preview',
  'version-status',
  'traffic-map',
]);

/**
 * Where a screenshot goes: the README's go to media/screenshots when `npm run screenshots` asks for
 * them; every other one (and every one in a plain test run) to test-results/screenshots.
 */
/**
 * JPEG quality of every screenshot: the README's ship in the VSIX, whose budget is 1 MB with the keyword
 * data of five HAProxy versions (issue 14); 50 keeps the text of the workbench readable.
 */
export const SCREENSHOT_QUALITY = 50;

export function screenshotPath(name: string): string {
  const readmeDir = process.env.HAPROXY_GATEWAY_SCREENSHOT_DIR;
  const dir =
    readmeDir && README_SCREENSHOTS.has(name) ? readmeDir : path.join(repoRoot, 'test-results', 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  // JPEG keeps the README images, which the VSIX ships, small.
  return path.join(dir, `${name}.jpg`);
}

export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('Control+Shift+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: title }).first();
  await row.waitFor({ state: 'visible', timeout: 60_000 });
  await page.keyboard.press('Enter');
}

export async function quickOpen(page: Page, fileName: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(fileName);
  const row = page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: fileName }).first();
  await row.waitFor({ state: 'visible', timeout: 60_000 });
  await page.keyboard.press('Enter');
  await page.locator(`.tab[aria-label^="${fileName}"]`).first().waitFor({ state: 'visible', timeout: 60_000 });
}

/** Text and computed colour of every token span of the visible editor lines. */
export async function editorTokens(page: Page): Promise<{ line: number; text: string; color: string; cls: string }[]> {
  // A string, not a function: the test code is compiled without the DOM library.
  return page.evaluate(
    `(() => {
    const lines = Array.from(document.querySelectorAll('.editor-instance .view-lines .view-line'));
    lines.sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top));
    const out = [];
    lines.forEach((el, i) => {
      for (const span of Array.from(el.querySelectorAll('span > span'))) {
        out.push({ line: i, text: (span.textContent || '').replace(/\u00a0/g, ' '), ` +
      `color: getComputedStyle(span).color, cls: span.className });
      }
    });
    return out;
  })()`,
  );
}

/** Drags the sidebar's edge so that tree descriptions fit in screenshots. */
export async function widenSidebar(page: Page, width = 560): Promise<void> {
  const sidebar = page.locator('.part.sidebar').first();
  const box = await sidebar.boundingBox();
  if (!box) return;
  const edge = box.x + box.width;
  await page.mouse.move(edge - 1, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + width, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
}
