// "Show Traffic Map" in the real workbench, on the lab-like stack (a real HAProxy behind the Data
// Plane API emulator, the test API server seeded with the 2020 walkthrough: Service httpd →
// Endpoints 127.0.0.3:8080, where this test serves "hello"). The map of httpd is opened from the
// palette before and after Create VIP (the wizard, as a user answers it), then a server is drained
// and an endpoint added; the test reads the graph inside the webview's iframe (node states, the
// mismatch) and checks its keyboard navigation.
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FrameLocator, Page } from 'playwright-core';
import { DataPlaneClient } from '../../src/dataplane/core/client';
import { silentLogger } from '../../src/shared/logger';
import type { DataPlaneFixture } from '../fixtures/dataplane';
import type { KubeApiServer } from '../fixtures/kube-api-server';
import { startLab, type Lab } from '../fixtures/lab';
import { helloServer, type HelloServer } from '../support/traffic';
import { runCommand, screenshotPath, startUiSession, UiSession, widenSidebar, SCREENSHOT_QUALITY } from './support';

const VIP = '127.0.200.2';
const SERVICE = 'svc:default/httpd';
const WAIT = { timeout: 60_000 };

async function answer(page: Page, step: number, value?: string): Promise<void> {
  await page.locator('.quick-input-widget .quick-input-title', { hasText: `${step}/` }).waitFor(WAIT);
  if (value !== undefined) await page.locator('.quick-input-widget input').fill(value);
  await page.keyboard.press('Enter');
}

/** The map's document: VS Code nests a webview's content in an iframe inside its own iframe. */
function mapFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
}

async function openMap(page: Page): Promise<FrameLocator> {
  await runCommand(page, 'HAProxy: Show Traffic Map');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill('httpd');
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'httpd' }).first().waitFor(WAIT);
  await page.keyboard.press('Enter');
  const frame = mapFrame(page);
  await frame.locator(`g[data-node-id="${SERVICE}"]`).waitFor(WAIT);
  return frame;
}

describe('workbench: traffic map', { timeout: 300_000 }, () => {
  let cluster: KubeApiServer;
  let fx: DataPlaneFixture;
  let hello: HelloServer | undefined;
  let session: UiSession;
  let lab: Lab | undefined;

  before(async () => {
    hello = await helloServer('hello', '127.0.0.3', 8080);
    lab = await startLab({ context: 'lab', user: 'lab-admin', tmpPrefix: 'traffic-ui-' });
    ({ cluster, fx } = lab);
    const { kubeconfig } = lab;
    session = await startUiSession({
      settings: { 'haproxyGateway.kubernetes.kubeconfig': kubeconfig },
      workspaceSettings: { 'haproxyGateway.vip.pools': [{ range: '127.0.200.0/24' }] },
    });
  });
  after(async () => {
    await session?.close();
    await lab?.stop();
    await hello?.close();
  });

  it('shows the Service alone, then its HAProxy path after Create VIP, a drained server and a mismatch', async () => {
    const { page } = session;
    await page.locator('.activitybar a[aria-label^="HAProxy & Gateway API"]').click();
    await widenSidebar(page, 420);
    await runCommand(page, 'HAProxy: Add Data Plane API Connection');
    await answer(page, 1, 'edge-lb');
    await answer(page, 2, fx.url);
    await answer(page, 3);
    await answer(page, 4, fx.username);
    await answer(page, 5, fx.password);
    await page.locator('.pane-body .monaco-list-row', { hasText: 'edge-lb' }).first().waitFor(WAIT);

    // Before the VIP: the Service and its endpoint, nothing of HAProxy.
    let map = await openMap(page);
    await map.locator('g[data-node-id="ep:default/httpd/127.0.0.3"]').waitFor(WAIT);
    assert.equal(await map.locator('g.kind-server').count(), 0, 'no HAProxy server carries httpd yet');
    await runCommand(page, 'View: Close All Editors');

    // Create VIP for Service…, the wizard's defaults but the VIP the walkthrough uses.
    await runCommand(page, 'HAProxy: Create VIP for Service');
    const rows = (text: string) => page.locator('.quick-input-widget .monaco-list-row', { hasText: text }).first();
    await page.locator('.quick-input-widget .quick-input-title', { hasText: '1/' }).waitFor(WAIT);
    await page.locator('.quick-input-widget input').fill('httpd');
    await rows('httpd').waitFor(WAIT);
    await page.keyboard.press('Enter');
    await rows('Direct').waitFor(WAIT);
    await answer(page, 2);
    await rows('edge-lb').waitFor(WAIT);
    await answer(page, 3);
    await page.locator('.quick-input-widget .quick-input-title', { hasText: '4/' }).waitFor(WAIT);
    const address = page.locator('.quick-input-widget input');
    // Wait for the pre-filled address, or it would replace the one typed.
    for (let i = 0; i < 100 && !(await address.inputValue()); i++) await page.waitForTimeout(100);
    await address.fill(VIP);
    await page.keyboard.press('Enter');
    await answer(page, 5);
    await answer(page, 6);
    const notice = page.locator('.notification-toast', { hasText: `Apply VIP ${VIP} for default/httpd?` });
    await notice.waitFor(WAIT);
    await notice.locator('.monaco-button', { hasText: 'Apply' }).click();
    await page.locator('.notification-toast', { hasText: `VIP ${VIP} serves default/httpd` }).waitFor(WAIT);
    await runCommand(page, 'View: Close All Editors');

    // After: Service → bind → frontend → backend → server → endpoint, the server UP.
    map = await openMap(page);
    for (const kind of ['bind', 'frontend', 'backend', 'server'])
      await map.locator(`g.kind-${kind}`).first().waitFor(WAIT);
    const server = map.locator('g.kind-server').first();
    await map.locator('g.kind-server[data-state="up"]').first().waitFor(WAIT);
    assert.equal(await map.locator('g.mismatch').count(), 0, 'no mismatch once the VIP serves the endpoint');
    // The page's words come from the host (vscode.l10n), its numbers from the page.
    await map.locator('#status', { hasText: /^\d+ nodes · 0 mismatches · refreshed \S/ }).waitFor(WAIT);

    // Keyboard: from the Service, ArrowRight moves to the next hop (a bind) and shows its details.
    await map.locator(`g[data-node-id="${SERVICE}"]`).focus();
    await page.keyboard.press('ArrowRight');
    const focused = () => map.locator('g[data-node-id]:focus').getAttribute('data-node-id', { timeout: 60_000 });
    assert.match((await focused()) ?? '', /\/bind:/, 'ArrowRight goes from the Service to its bind');
    await map.locator('#details h2', { hasText: 'bind' }).waitFor(WAIT);

    // Drain the server (on the Data Plane API, as another operator would): the map shows DRAIN.
    const client = new DataPlaneClient(fx.connection(), { logger: silentLogger });
    try {
      const id = (await server.getAttribute('data-node-id'))!;
      const [, backend, name] = /\/be:(.+)\/srv:(.+)$/.exec(id)!;
      await client.setServerState(backend!, name!, 'drain');
    } finally {
      await client.dispose();
    }
    await map.locator('g.kind-server[data-state="drain"]').first().waitFor(WAIT);

    // An endpoint the backend has no server for: drawn as a mismatch, and listed.
    const eps = cluster.get('v1', 'Endpoints', 'httpd', 'default')!;
    const subsets = (eps as unknown as { subsets: { addresses: { ip: string }[] }[] }).subsets;
    subsets[0]!.addresses.push({ ip: '127.0.0.4' });
    cluster.patch('v1', 'Endpoints', 'httpd', 'default', { subsets } as never);
    await map.locator('g.mismatch[data-node-id="ep:default/httpd/127.0.0.4"]').waitFor(WAIT);
    await map.locator('#problems li[data-kind="endpoint-without-server"]').waitFor(WAIT);
    // The README's picture: the map alone, the drained server's details beside it.
    await runCommand(page, 'Notifications: Clear All Notifications');
    await runCommand(page, 'View: Close Primary Side Bar');
    await map.locator('g.kind-server[data-state="drain"]').first().focus();
    await map.locator('#details h2', { hasText: 'server' }).waitFor(WAIT);
    await page.screenshot({ path: screenshotPath('traffic-map'), quality: SCREENSHOT_QUALITY });
  });
});
