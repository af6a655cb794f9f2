// "Create VIP for Service…" once through the real workbench, as a user does it: add the Data Plane
// API connection (a real HAProxy behind the emulator), run the command from the palette, answer the
// quick input steps, look at the preview diff, press Apply; then a real HTTP client gets "hello"
// from the VIP through HAProxy. The cluster is the test API server seeded with the 2020 walkthrough
// (Service httpd → Endpoints 127.0.0.3:8080, where this test serves "hello").
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { DataPlaneFixture } from '../fixtures/dataplane';
import type { KubeApiServer } from '../fixtures/kube-api-server';
import { startLab, type Lab } from '../fixtures/lab';
import { fetchText, helloServer, type HelloServer } from '../support/traffic';
import { waitFor } from '../support/wait';
import { runCommand, screenshotPath, startUiSession, UiSession, widenSidebar, SCREENSHOT_QUALITY } from './support';

const VIP = '127.0.200.2';

/** Waits for step `step` of the quick input (title "step/total", placeholder or prompt), then returns its input. */
async function atStep(page: Page, step: number, text: RegExp) {
  const widget = page.locator('.quick-input-widget');
  await widget.locator('.quick-input-title', { hasText: `${step}/` }).waitFor({ timeout: 60_000 });
  const input = widget.locator('input');
  await input.waitFor({ state: 'visible' });
  let seen = '';
  const shown = async () => {
    seen = `${(await input.getAttribute('placeholder')) ?? ''}\n${await widget.innerText()}`;
    return text.test(seen);
  };
  await waitFor(`step ${step} to show ${text}`, shown, { intervalMs: 100 }).catch(() =>
    assert.fail(`step ${step} does not show ${text}: ${seen}`),
  );
  return input;
}

async function answer(page: Page, step: number, value: string): Promise<void> {
  await page.locator('.quick-input-widget .quick-input-title', { hasText: `${step}/` }).waitFor({ timeout: 60_000 });
  const input = page.locator('.quick-input-widget input');
  await input.fill(value);
  await page.keyboard.press('Enter');
}

describe('workbench: Create VIP for Service', { timeout: 240_000 }, () => {
  let cluster: KubeApiServer;
  let fx: DataPlaneFixture;
  let hello: HelloServer | undefined;
  let session: UiSession;
  let lab: Lab | undefined;

  before(async () => {
    hello = await helloServer('hello', '127.0.0.3', 8080);
    lab = await startLab({ context: 'lab', user: 'lab-admin', tmpPrefix: 'vip-ui-' });
    ({ cluster, fx } = lab);
    const { kubeconfig } = lab;
    // The pools as a workspace setting (a team shares its pools). Under code-server, user settings
    // of machine-overridable scope stop reaching the extension host once the extension writes a
    // user setting (adding the connection does), so the test does not depend on the scope chosen.
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

  it('answers the steps, previews the diff, applies, and HAProxy serves hello on the VIP', async () => {
    const { page } = session;
    await page.locator('.activitybar a[aria-label^="HAProxy & Gateway API"]').click();
    await widenSidebar(page);

    // The Data Plane API server, added as a user adds it.
    await runCommand(page, 'HAProxy: Add Data Plane API Connection');
    await answer(page, 1, 'edge-lb');
    await answer(page, 2, fx.url);
    await page.locator('.quick-input-widget .quick-input-title', { hasText: '3/' }).waitFor();
    await page.keyboard.press('Enter');
    await answer(page, 4, fx.username);
    await answer(page, 5, fx.password);
    await page
      .locator('.pane-body .monaco-list-row', { hasText: 'edge-lb' })
      .first()
      .waitFor({ state: 'visible', timeout: 60_000 });

    await runCommand(page, 'HAProxy: Create VIP for Service');
    // 1: the Service, across namespaces.
    const service = await atStep(page, 1, /Service to give a VIP/);
    await service.fill('httpd');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'httpd' }).first().waitFor();
    await page.keyboard.press('Enter');
    // 2: the mode; Direct is preselected.
    await atStep(page, 2, /How should the VIP be served/);
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Direct' }).first().waitFor();
    await page.keyboard.press('Enter');
    // 3: the servers; the only one is preselected.
    await atStep(page, 3, /Data Plane API servers to serve the VIP/);
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'edge-lb' }).first().waitFor();
    await page.keyboard.press('Enter');
    // 4: the VIP, pre-filled with the next free address of the pool.
    const address = await atStep(page, 4, /The VIP/);
    let prefilled = '';
    for (let i = 0; i < 50 && !prefilled; i++, await page.waitForTimeout(100)) prefilled = await address.inputValue();
    assert.equal(
      prefilled,
      '127.0.200.1',
      `the first free address of 127.0.200.0/24 (${await page.locator('.quick-input-widget').innerText()})`,
    );
    await address.fill('not an address');
    await page
      .locator('.quick-input-widget', { hasText: 'is not an IPv4 or IPv6 address' })
      .waitFor({ timeout: 60_000 });
    await address.fill(VIP);
    await page.keyboard.press('Enter');
    // 5: balance (roundrobin preselected), 6: health checks (on preselected).
    await atStep(page, 5, /Load-balancing algorithm/);
    await page.keyboard.press('Enter');
    await atStep(page, 6, /Health checks/);
    await page.keyboard.press('Enter');

    // The preview: live haproxy.cfg against live + the planned sections, and Apply / Cancel.
    const notice = page.locator('.notification-toast', { hasText: `Apply VIP ${VIP} for default/httpd?` });
    await notice.waitFor({ timeout: 60_000 });
    await page.locator('.monaco-diff-editor').first().waitFor({ timeout: 60_000 });
    await page
      .locator('.monaco-diff-editor', { hasText: 'vip_default_httpd_http' })
      .first()
      .waitFor({ timeout: 60_000 });
    assert.equal(await fetchText(`http://${VIP}/`), 'error ECONNREFUSED', 'nothing is written before Apply');
    await page.screenshot({ path: screenshotPath('vip-preview'), quality: SCREENSHOT_QUALITY });
    await notice.locator('.monaco-button', { hasText: 'Apply' }).click();

    await page
      .locator('.notification-toast', { hasText: `VIP ${VIP} serves default/httpd` })
      .waitFor({ timeout: 30_000 });
    assert.equal(await fetchText(`http://${VIP}/`), 'hello', 'a real HTTP client gets hello through HAProxy');
    const status = (
      cluster.get('v1', 'Service', 'httpd', 'default')!.status as { loadBalancer: { ingress: { ip: string }[] } }
    ).loadBalancer.ingress;
    assert.deepEqual(status, [{ ip: VIP }]);

    // The VIP shows under its server in the Data Plane API view.
    let rows: string[] = [];
    const vipShown = async () => {
      rows = await page.locator('.pane-body .monaco-list-row').allInnerTexts();
      if (rows.some((r) => r.includes(`${VIP}:80`))) return true;
      const collapsed = page.locator('.pane-body .monaco-list-row[aria-expanded="false"]');
      const count = await collapsed.count();
      for (let i = 0; i < count; i++) {
        if (/^(edge-lb|VIPs)/.test(await collapsed.nth(i).innerText())) {
          await collapsed.nth(i).click();
          break;
        }
      }
      return false;
    };
    // The assertion below says what is missing.
    await waitFor(`the VIP under its server`, vipShown, { intervalMs: 200 }).catch(() => undefined);
    assert.ok(
      rows.some((r) => r.includes(`${VIP}:80`)),
      `the VIPs row lists the VIP:\n${rows.join('\n')}`,
    );
    await page.locator('.statusbar-item', { hasText: 'HAProxy' }).first().waitFor({ timeout: 60_000 });
    await page.screenshot({ path: screenshotPath('vip-applied'), quality: SCREENSHOT_QUALITY });
  });
});
