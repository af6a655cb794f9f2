// The extension in an untrusted workspace, in the real VS Code with workspace trust on
// (test/fixtures/untrusted-workspace, copied to a temporary folder by the harness). Its settings
// file sets every restricted setting to something a hostile repository would choose, and one
// unrestricted setting as a control that the file is read at all. The fake haproxy records any run
// in haproxy-ran.marker beside itself: in the workspace (haproxy.path, the kubeconfig's credential
// plugin) and in the folder the harness puts first in PATH.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../src/extension';
import { activatedApi, waitFor, workspaceFolder } from '../support';

const cfg = (section: string) => vscode.workspace.getConfiguration(section);

function markers(folder: string): string[] {
  const dirs = [folder, process.env.HAPROXY_GATEWAY_FAKE_BIN].filter((d): d is string => Boolean(d));
  return dirs.map((d) => path.join(d, 'haproxy-ran.marker')).filter((f) => fs.existsSync(f));
}

describe('an untrusted workspace', function () {
  this.timeout(120_000);
  let api: ExtensionApi;
  let folder: string;

  before(async () => {
    folder = workspaceFolder();
    api = await activatedApi();
  });

  it('is open in Restricted Mode', () => {
    assert.equal(vscode.workspace.isTrusted, false, 'the harness must open the folder untrusted');
    assert.ok(process.env.HAPROXY_GATEWAY_FAKE_BIN, 'the harness puts a fake haproxy first in PATH');
    assert.deepEqual(markers(folder), [], 'nothing ran haproxy before the tests');
  });

  it("reads the workspace's settings file (the control: an unrestricted setting applies)", () => {
    assert.equal(cfg('haproxyGateway.validation').get('debounceMs'), 1234);
  });

  it('ignores every restricted setting of the workspace', () => {
    const restricted: [string, string, unknown][] = [
      ['haproxyGateway.haproxy', 'path', ''],
      ['haproxyGateway.validation', 'onType', false],
      ['haproxyGateway.dataplane', 'refreshIntervalSeconds', 15],
      ['haproxyGateway.dataplane', 'connections', []],
      ['haproxyGateway.vip', 'pools', []],
      ['haproxyGateway.kubernetes', 'kubeconfig', ''],
    ];
    for (const [section, key, fallback] of restricted) {
      const inspected = cfg(section).inspect(key);
      assert.equal(inspected?.workspaceValue, undefined, `${section}.${key} from the workspace`);
      assert.equal(inspected?.workspaceFolderValue, undefined, `${section}.${key} from the folder`);
      assert.deepEqual(cfg(section).get(key), fallback, `${section}.${key}`);
    }
  });

  it("uses neither the workspace's Data Plane API connections nor its kubeconfig", async () => {
    assert.deepEqual(api.dataplane.connections(), []);
    await vscode.commands.executeCommand('haproxyGateway.dataplane.focus');
    assert.deepEqual(await api.testing.describeTree(2), []);
    const location = api.kubernetes.service.location;
    assert.notEqual(location.source, 'setting');
    assert.ok(!location.files.some((f) => f.startsWith(folder)), `kubeconfig files: ${location.files.join(', ')}`);
    await vscode.commands.executeCommand('haproxyGateway.kubernetes.focus');
    api.kubernetes.refresh();
    let names: string[] = [];
    try {
      names = api.kubernetes.service.contexts().map((c) => c.name);
    } catch {
      // No kubeconfig at all (the harness points KUBECONFIG at a missing file): no context either.
    }
    assert.ok(!names.includes('workspace-ctx'), `contexts: ${names.join(', ')}`);
  });

  it('starts no haproxy when a haproxy.cfg is opened, edited, saved and validated', async () => {
    const doc = await vscode.workspace.openTextDocument(path.join(folder, 'haproxy.cfg'));
    await vscode.window.showTextDocument(doc);
    // The static checks run (the unused backend is reported): the document went through the controller.
    await waitFor(
      'the static diagnostics of haproxy.cfg',
      () => vscode.languages.getDiagnostics(doc.uri).some((d) => /unused_be/.test(d.message)),
      60_000,
    );
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, new vscode.Position(0, 0), '# edited by the untrusted-workspace suite\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await doc.save(), 'saved');
    const result = await vscode.commands.executeCommand('haproxyGateway.validateWithHaproxy', doc.uri);
    assert.equal(result, undefined, 'validation refused');
    // Static diagnostics for the saved version: every handler of the edit and the save has run, and
    // each one decides synchronously whether to schedule haproxy.
    await waitFor(
      'the static diagnostics of the edited version',
      () =>
        vscode.languages.getDiagnostics(doc.uri).some((d) => /unused_be/.test(d.message) && d.range.start.line === 19),
      60_000,
    );
    assert.deepEqual(markers(folder), [], 'a haproxy process ran');
  });
});
