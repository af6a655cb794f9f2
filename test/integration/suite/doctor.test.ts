// The doctor and the live server lens in the real extension host: a real HAProxy behind the Data
// Plane API emulator and the test API server seeded with the 2020 walkthrough (Service httpd,
// <pending>). "Diagnose…" runs with arguments and finds that httpd has no VIP (its fix is Create VIP
// for it); after Create VIP it finds no problem. The live haproxy.cfg shows a lens on the VIP's
// server line with its state (nothing listens on the endpoint: DOWN, so the test shares no port);
// Maintenance from the lens's own arguments turns it to MAINT.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DiagnoseResult } from '../../../src/traffic/ui/doctorCommands';
import type { VipResult } from '../../../src/vip/ui';
import { startLab, type Lab } from '../../fixtures/lab';
import { activatedApi, useLab, waitFor } from '../support';

describe('Doctor and live server lens', function () {
  this.timeout(120_000);
  let lab: Lab;
  let used: Awaited<ReturnType<typeof useLab>> | undefined;
  let id: string;
  const VIP = '127.0.200.4';
  const HTTPD = { service: { namespace: 'default', name: 'httpd' } };

  before(async () => {
    await activatedApi();
    const wired = (await vscode.commands.getCommands(true)).includes('haproxyGateway.traffic.diagnose');
    assert.ok(
      wired,
      'haproxyGateway.traffic.diagnose is not registered: registerTraffic must call registerTrafficDoctor',
    );
    lab = await startLab({ context: 'it-doctor', tmpPrefix: 'doctor-it-' });
    used = await useLab(lab, 'it-doctor', 'doctor lb');
    id = used.connectionId;
  });

  after(async () => {
    await used?.dispose();
    await lab?.stop();
  });

  it('Diagnose with { service } finds the <pending> Service without a VIP, with Create VIP as its fix', async () => {
    // The Kubernetes view reads the new context's objects shortly after it is chosen.
    const result = await waitFor('the service-no-vip finding', async () => {
      const r = await vscode.commands.executeCommand<DiagnoseResult>('haproxyGateway.traffic.diagnose', {
        ...HTTPD,
        quiet: true,
      });
      return r?.findings.some((x) => x.rule === 'service-no-vip') ? r : undefined;
    });
    assert.deepEqual(result?.subjects, ['svc:default/httpd']);
    const f = result!.findings.find((x) => x.rule === 'service-no-vip');
    assert.ok(f, JSON.stringify(result));
    assert.equal(f.subject, 'svc:default/httpd');
    assert.deepEqual(f.fix, { title: 'Create a VIP', command: 'haproxyGateway.vip.create', args: [HTTPD] });
    // Shown to the user: the QuickPick opens without blocking the command.
    const shown = await vscode.commands.executeCommand<DiagnoseResult>('haproxyGateway.traffic.diagnose', HTTPD);
    assert.equal(shown?.findings.length, result!.findings.length);
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  });

  it('after Create VIP, Diagnose finds no problem for the Service', async () => {
    const created = await vscode.commands.executeCommand<VipResult>('haproxyGateway.vip.create', {
      ...HTTPD,
      mode: 'direct',
      connections: [id],
      vip: VIP,
      confirm: true,
    });
    assert.equal(created?.servers[0]?.status, 'applied', created?.servers[0]?.message);
    const clean = await waitFor('no finding for httpd', async () => {
      const r = await vscode.commands.executeCommand<DiagnoseResult>('haproxyGateway.traffic.diagnose', {
        ...HTTPD,
        quiet: true,
      });
      return r && r.findings.length === 0 ? r : undefined;
    });
    assert.deepEqual(clean.problems, []);
    assert.ok(clean.read.services >= 1 && clean.read.servers === 1, JSON.stringify(clean.read));
  });

  it('VIP Pools under the connection: the pool counts the VIP and tells who holds it', async () => {
    type Row = { label: string; description?: string; contextValue?: string; children?: Row[] };
    const address = await waitFor('the VIP in its pool', async () => {
      await vscode.commands.executeCommand('haproxyGateway.dataplane.refresh');
      const tree = (await (await activatedApi()).testing.describeTree(4)) as Row[];
      const pools = tree.find((r) => r.label === 'doctor lb')?.children?.find((r) => r.label === 'VIP Pools');
      const pool = pools?.children?.find((r) => r.label === '127.0.200.0/24');
      const row = pool?.children?.find((r) => r.label === VIP);
      return row && pool ? { pool, row } : undefined;
    });
    assert.equal(address.pool.description, '1 used · 253 free · 254 total');
    assert.match(
      address.row.description ?? '',
      /Service default\/httpd \(recorded\).*frontend vip_default_httpd_http on /,
    );
    assert.doesNotMatch(address.row.contextValue ?? '', /\bconflict\b/);
  });

  it(
    'the live haproxy.cfg has a lens with the state of the VIP server; ' +
      'Maintenance from the lens turns it to MAINT',
    async () => {
      await vscode.commands.executeCommand('haproxyGateway.dataplane.openRawConfig', id);
      const uri = vscode.Uri.from({ scheme: 'haproxy-dataplane', path: `/${id}/haproxy.cfg` });
      const doc = await vscode.workspace.openTextDocument(uri);
      const line = doc
        .getText()
        .split('\n')
        .findIndex((l) => /^\s*server\s+\S+\s+127\.0\.0\.3:8080/.test(l));
      assert.ok(line >= 0, 'the VIP backend has its server in the live configuration');
      const lensesAt = async () =>
        ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? []).filter(
          (l) => l.range.start.line === line,
        );
      const state = await waitFor('the live state on the server line', async () => {
        const lenses = await lensesAt();
        return lenses.find((l) => /weight \d+\/\d+/.test(l.command?.title ?? '')) && lenses;
      });
      assert.match(state[0]!.command!.title, /^(UP|DOWN|no check|UP \d\/\d)\b/);
      const maint = state.find((l) => l.command?.command === 'haproxyGateway.dataplane.serverMaint');
      assert.ok(maint, `actions: ${state.map((l) => l.command?.title).join(', ')}`);
      assert.deepEqual(Object.keys((maint.command!.arguments![0] as object) ?? {}).sort(), [
        'backend',
        'connectionId',
        'server',
      ]);
      await vscode.commands.executeCommand(maint.command!.command, ...maint.command!.arguments!);
      await waitFor('MAINT on the lens', async () => {
        const lenses = await lensesAt();
        return lenses.some((l) => /^MAINT\b/.test(l.command?.title ?? ''));
      });
      const after = await lensesAt();
      assert.ok(
        after.some((l) => l.command?.command === 'haproxyGateway.dataplane.serverReady'),
        'Ready is offered once in maintenance',
      );
    },
  );

  it(
    'Create VIP from the palette: Enter on the Service pick ' + 'takes the first Service (no "Choose at least one")',
    async () => {
      // Every question is answered with Enter; the preview's Apply question is dismissed, which cancels.
      let done = false;
      const run = Promise.resolve(vscode.commands.executeCommand<VipResult>('haproxyGateway.vip.create')).finally(
        () => (done = true),
      );
      const result = await waitFor('Create VIP to end at its preview', async () => {
        if (done) return run;
        await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
        await vscode.commands.executeCommand('notifications.clearAll');
        await new Promise((r) => setTimeout(r, 200));
        return undefined;
      });
      assert.equal(result?.cancelled, true, JSON.stringify(result));
      assert.match(result?.service ?? '', /^default\//);
    },
  );

  it('a connection row tells its state while collapsed: password needed, and connected', async () => {
    type Row = { label: string; description?: string; contextValue?: string; children?: Row[] };
    // Depth 1: the rows are drawn, never expanded.
    const collapsed = async (label: string) =>
      ((await (await activatedApi()).testing.describeTree(1)) as Row[]).find((r) => r.label === label);
    const noPassword = await vscode.commands.executeCommand<string>('haproxyGateway.dataplane.addConnection', {
      name: 'collapsed, no password',
      url: lab.fx.url,
      username: lab.fx.username,
      skipTest: true,
    });
    try {
      await vscode.commands.executeCommand('haproxyGateway.dataplane.refresh');
      const row = await waitFor('password needed on the collapsed row', async () => {
        const r = await collapsed('collapsed, no password');
        return r?.description === 'password needed' ? r : undefined;
      });
      assert.equal(row.children, undefined, 'the row was not expanded');
      const connected = await waitFor('connected on the collapsed row', async () => {
        const r = await collapsed('doctor lb');
        return /\bstate=connected\b/.test(r?.contextValue ?? '') ? r : undefined;
      });
      assert.equal(connected.children, undefined);
    } finally {
      await vscode.commands.executeCommand('haproxyGateway.dataplane.removeConnection', noPassword, { confirm: true });
    }
  });
});
