// The configuration history in the real extension host, against a real HAProxy behind the Data Plane
// API fixture: opening and saving the live configuration keeps both versions, and restoring the first
// through the command (preview skipped by its argument) puts it back on the server as one write.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { startDataPlane, type DataPlaneFixture } from '../../fixtures/dataplane';
import { activatedApi, waitFor } from '../support';

const C = (n: string) => `haproxyGateway.dataplane.${n}`;

/** The configuration without the server's header lines (`# _md5hash=…`, `# _version=N`). */
const body = (text: string) => text.replace(/^(#[^\n]*\n)*\n*/, '');
/** As the Data Plane API writes a posted text: its header, and the unnamed `defaults` given a name. */
const rendered = (text: string) => body(text).replace(/^defaults$/m, 'defaults unnamed_defaults_1');

describe('Configuration history', function () {
  this.timeout(120_000);
  let fx: DataPlaneFixture;
  let id: string;

  before(async () => {
    await activatedApi();
    fx = await startDataPlane({ api: 3 });
    id = (await vscode.commands.executeCommand<string>(C('addConnection'), {
      name: 'history lb',
      url: fx.url,
      username: fx.username,
      password: fx.password,
    }))!;
    assert.ok(id);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (id) await vscode.commands.executeCommand(C('removeConnection'), id, { confirm: true });
    await fx?.stop();
  });

  const history = async () => (await activatedApi()).testing.configHistory(id);

  it('keeps the version read and the version saved, and restores the first one through the command', async () => {
    const uri = vscode.Uri.parse((await vscode.commands.executeCommand<string>(C('openRawConfig'), id))!);
    const doc = await vscode.workspace.openTextDocument(uri);
    const first = doc.getText();
    assert.match(first, /timeout client 10s/);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(
      uri,
      new vscode.Range(0, 0, doc.lineCount, 0),
      first.replace('timeout client 10s', 'timeout client 12s'),
    );
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await doc.save(), 'the save went through');

    const versions = await waitFor('two versions in the history', async () => {
      const h = await history();
      return h.length === 2 ? h : undefined;
    });
    assert.deepEqual(
      versions.map((v) => v.source),
      ['write', 'read'],
      'newest first',
    );
    assert.match(versions[0]!.text ?? '', /timeout client 12s/);
    assert.equal(body(versions[1]!.text ?? ''), body(first));
    // Let the save's reload end before the restore's (the server has one reload agent).
    await waitFor('the save reloaded', async () => {
      const s = (await activatedApi()).testing.reloadState().state.kind;
      return s === 'succeeded' ? true : undefined;
    });

    const result = await vscode.commands.executeCommand<{ status: string; reload?: string }>(
      C('restoreConfigVersion'),
      id,
      { hash: versions[1]!.hash, confirm: true },
    );
    assert.equal(result?.status, 'restored');
    assert.equal(result?.reload, 'succeeded');
    const onServer = fs.readFileSync(fx.configPath, 'utf8');
    assert.equal(rendered(onServer), rendered(first), 'the server runs the first version again');
    assert.match(onServer, /timeout client 10s/);
    const after = await history();
    assert.equal(after.find((v) => v.hash === versions[1]!.hash)?.source, 'restore', 'the first version, restored');
  });
});
