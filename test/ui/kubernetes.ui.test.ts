// The Kubernetes Gateways view in the real workbench, against the test API server seeded with the
// 2020 walkthrough plus a Gateway that the server's test controller marks Programmed.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import {
  DEMO_CONTROLLER_NAME,
  seedDemo,
  startKubeApiServer,
  writeKubeconfig,
  type KubeApiServer,
} from '../fixtures/kube-api-server';
import { waitFor } from '../support/wait';
import { screenshotPath, startUiSession, UiSession, widenSidebar, SCREENSHOT_QUALITY } from './support';

async function rowTexts(page: Page): Promise<string[]> {
  return page.locator('.pane-body .monaco-list-row').allInnerTexts();
}

async function expand(page: Page, label: string): Promise<void> {
  const row = page.locator('.pane-body .monaco-list-row', { hasText: label }).first();
  await row.waitFor({ state: 'visible', timeout: 60_000 });
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
}

describe('workbench: Kubernetes Gateways view', { timeout: 180_000 }, () => {
  let cluster: KubeApiServer;
  let session: UiSession;
  let dir: string;

  before(async () => {
    cluster = await startKubeApiServer({ controller: { controllerName: DEMO_CONTROLLER_NAME, delayMs: 50 } });
    seedDemo(cluster);
    cluster.create({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'vip-httpd', namespace: 'default' },
      spec: {
        gatewayClassName: 'haproxy-lb',
        addresses: [{ type: 'IPAddress', value: '127.0.200.2' }],
        listeners: [{ name: 'tcp-http', protocol: 'TCP', port: 80 }],
      },
    });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-ui-'));
    const kubeconfig = writeKubeconfig(
      path.join(dir, 'config'),
      [{ name: 'lab', server: cluster.url, caFile: cluster.caFile, user: 'lab-admin', token: 'admin-token' }],
      'lab',
    );
    session = await startUiSession({ settings: { 'haproxyGateway.kubernetes.kubeconfig': kubeconfig } });
  });
  after(async () => {
    await session?.close();
    await cluster?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('shows the context, the GatewayClass, the Gateway with its address and the Service', async () => {
    const { page } = session;
    await page.locator('.activitybar a[aria-label^="HAProxy & Gateway API"]').click();
    await widenSidebar(page);
    // Give the Kubernetes view the room: collapse the Data Plane API view.
    const dataplaneHeader = page.locator('.pane-header[aria-label^="Data Plane API"]').first();
    if ((await dataplaneHeader.getAttribute('aria-expanded')) === 'true') await dataplaneHeader.click();
    await expand(page, 'lab');
    // Open every folder (GatewayClass, namespaces, Gateways, Services) until the objects show.
    let rows: string[] = [];
    const objectsShown = async () => {
      rows = await rowTexts(page);
      if (rows.some((r) => r.includes('vip-httpd')) && rows.some((r) => /^httpd\b/m.test(r))) return true;
      const collapsed = page.locator('.pane-body .monaco-list-row[aria-expanded="false"]');
      if (await collapsed.count()) await collapsed.first().click();
      return false;
    };
    // The assertions below say what is missing.
    await waitFor('the Gateway and the Service rows', objectsShown, { intervalMs: 200 }).catch(() => undefined);
    const text = rows.join('\n');
    assert.match(text, /lab/);
    assert.match(text, /haproxy-lb/);
    assert.match(text, /vip-httpd/, `the Gateway is listed:\n${text}`);
    assert.match(text, /httpd/);
    await page.screenshot({ path: screenshotPath('kubernetes-view'), quality: SCREENSHOT_QUALITY });
  });
});
