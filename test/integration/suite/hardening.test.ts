// Findings of the hostile-input review, in the real extension host (trusted workspace): haproxy -c
// runs the configured program for a file, with a minimal environment, and never for a document that
// is not a file; an edit by arguments does not carry a password to another server.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../src/extension';
import { repoRoot } from '../../support/paths';
import { activatedApi, waitFor } from '../support';

describe('hardening (trusted workspace)', function () {
  this.timeout(120_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haproxy-gateway-hardening-'));
  const fake = path.join(dir, 'fake-haproxy');
  const marker = path.join(dir, 'haproxy-ran.marker');
  const haproxyConfig = () => vscode.workspace.getConfiguration('haproxyGateway.haproxy');
  let api: ExtensionApi;

  before(async () => {
    api = await activatedApi();
    // The fake haproxy of the untrusted-workspace run: here it must run, or that run proves nothing.
    fs.copyFileSync(path.join(repoRoot, 'test', 'fixtures', 'untrusted-workspace', 'fake-haproxy'), fake);
    fs.chmodSync(fake, 0o755);
    await haproxyConfig().update('path', fake, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await haproxyConfig().update('path', undefined, vscode.ConfigurationTarget.Global);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs the configured haproxy on a saved haproxy.cfg, with PATH and without HOME or USER', async () => {
    const file = path.join(dir, 'haproxy.cfg');
    fs.writeFileSync(file, 'global\n    log stdout format raw local0\n');
    const doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, new vscode.Position(0, 0), '# saved by the hardening suite\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await doc.save());
    const ran = await waitFor(
      'the fake haproxy to run on the saved file',
      () => (fs.existsSync(marker) ? fs.readFileSync(marker, 'utf8') : undefined),
      60_000,
    );
    assert.match(ran, /^ran: -c -f \S*haproxy\.cfg$/m);
    assert.match(ran, /^PATH=/m);
    assert.doesNotMatch(ran, /^(HOME|USER|KUBECONFIG|HAPROXY_GATEWAY_TEST_REPORT)=/m);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('does not run haproxy -c on a document that is not a file', async () => {
    // The fake records the text it checks: a run of the previous test's file that a busy machine
    // finishes late writes the marker too, and must not count.
    const tag = `# untitled document ${process.pid}-${Date.now()}`;
    const doc = await vscode.workspace.openTextDocument({
      language: 'haproxy',
      content: `${tag}\nglobal\n    maxconn 10\n`,
    });
    const result = await vscode.commands.executeCommand('haproxyGateway.validateWithHaproxy', doc.uri);
    // An explicit validation runs (or refuses) before the command returns.
    assert.equal(result, undefined, 'validation refused');
    const ran = fs.existsSync(marker) ? fs.readFileSync(marker, 'utf8') : '';
    assert.ok(!ran.includes(tag), `haproxy ran on the untitled document: ${ran}`);
  });

  it('editConnection with arguments keeps the password for the same server and drops it for another', async () => {
    const a = await recorder();
    const b = await recorder();
    const C = (n: string) => `haproxyGateway.dataplane.${n}`;
    const password = 'pw-edit-policy-3141';
    const basic = `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;
    const name = 'edit policy';
    // The session's client, not the testConnection command: a failing command waits for its error
    // notification to be dismissed. The recorders refuse every request, so connecting fails.
    const connect = async (id: string) =>
      (await api.dataplane.session(id))?.client.connect().then(undefined, () => undefined);
    const id = await vscode.commands.executeCommand<string>(C('addConnection'), {
      name,
      url: a.url,
      username: 'admin',
      password,
      skipTest: true,
    });
    assert.ok(id);
    try {
      await vscode.commands.executeCommand(C('editConnection'), id, {
        name: 'edit policy renamed',
        url: a.url,
        username: 'admin',
        skipTest: true,
      });
      await connect(id);
      assert.ok(a.authorizations.includes(basic), 'the control: a rename keeps the password');
      await vscode.commands.executeCommand(C('editConnection'), id, {
        name,
        url: b.url,
        username: 'admin',
        skipTest: true,
      });
      await connect(id);
      assert.ok(!b.authorizations.includes(basic), 'the password went to the new URL');
    } finally {
      await vscode.commands.executeCommand(C('removeConnection'), id, { confirm: true });
      await a.close();
      await b.close();
    }
  });
});

/** A loopback HTTP server that refuses every request and records its Authorization headers. */
async function recorder(): Promise<{ url: string; authorizations: string[]; close(): Promise<void> }> {
  const authorizations: string[] = [];
  const server = http.createServer((req, res) => {
    if (req.headers.authorization) authorizations.push(req.headers.authorization);
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ code: 401, message: 'unauthorized' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    authorizations,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
