// Opens the real VS Code workbench of a code-server in headless Chromium (Debian's), with Playwright.
import * as fs from 'node:fs';
import { chromium, Browser, Page } from 'playwright-core';
import { repoRoot } from '../support/paths';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface WorkbenchOptions {
  serverUrl: string;
  folder: string;
  /** Load this folder as an extension under development (default: the repository). */
  extensionDevelopmentPath?: string | null;
  /** A module exporting run(), executed in the extension host. */
  extensionTestsPath?: string;
  viewport?: { width: number; height: number };
}

export interface Workbench {
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

export function workbenchUrl(options: WorkbenchOptions): string {
  const { port, hostname } = new URL(options.serverUrl);
  const remote = (p: string) => `vscode-remote://${hostname}:${port}${p}`;
  const payload: [string, string][] = [];
  const devPath = options.extensionDevelopmentPath === undefined ? repoRoot : options.extensionDevelopmentPath;
  if (devPath) payload.push(['extensionDevelopmentPath', remote(devPath)]);
  if (options.extensionTestsPath) payload.push(['extensionTestsPath', remote(options.extensionTestsPath)]);
  const query = new URLSearchParams({ folder: options.folder });
  if (payload.length) query.set('payload', JSON.stringify(payload));
  return `${options.serverUrl}/?${query.toString()}`;
}

export async function openWorkbench(options: WorkbenchOptions): Promise<Workbench> {
  if (!fs.existsSync(chromiumPath)) {
    throw new Error(`Chromium not found at ${chromiumPath}: run "bash scripts/setup.sh" (Debian package chromium)`);
  }
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 760 } });
  const page = await context.newPage();
  await page.goto(workbenchUrl(options));
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  return {
    browser,
    page,
    close: async () => {
      await browser.close();
    },
  };
}
