// The Data Plane API capability inside the real extension host, against a real HAProxy behind the
// Data Plane API fixture (started here): add a connection through the command, browse the tree,
// drain a server, edit and save the live configuration, follow reloads in the status bar.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startDataPlane, type DataPlaneFixture } from '../../fixtures/dataplane';
import { activatedApi, waitFor } from '../support';

interface Described {
  label: string;
  description?: string;
  contextValue?: string;
  children?: Described[];
}
interface ReloadStateAnswer {
  state: { kind: string; reloadId?: string; response?: string };
  text: string;
}

const C = (n: string) => `haproxyGateway.dataplane.${n}`;

function find(rows: Described[] | undefined, ...labels: string[]): Described | undefined {
  let row: Described | undefined;
  let level = rows;
  for (const l of labels) {
    row = level?.find((r) => r.label === l);
    if (!row) return undefined;
    level = row.children;
  }
  return row;
}

describe('Data Plane API servers', function () {
  this.timeout(120_000);
  let fx: DataPlaneFixture;
  let id: string;
  const name = 'it load balancer';

  const tree = async () => {
    await vscode.commands.executeCommand(C('refresh'));
    return (await activatedApi()).testing.describeTree(5);
  };
  const server = async (s: string) => find(await tree(), name, 'Backends', 'be_app', s);
  const reloadState = async (): Promise<ReloadStateAnswer> => (await activatedApi()).testing.reloadState();
  const statLine = async (s: string) =>
    (await fx.haproxy.cli('@1 show stat')).split('\n').find((l) => l.startsWith(`be_app,${s},`)) ?? '';
  async function openLive(): Promise<vscode.TextDocument> {
    const uri = await vscode.commands.executeCommand<string>(C('openRawConfig'), id);
    return vscode.workspace.openTextDocument(vscode.Uri.parse(uri!));
  }
  async function replaceAll(doc: vscode.TextDocument, text: string): Promise<void> {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), text);
    assert.ok(await vscode.workspace.applyEdit(edit));
  }
  async function reloadEnds(previousId: string | undefined): Promise<ReloadStateAnswer> {
    return waitFor(
      'a new reload to end',
      async () => {
        const r = await reloadState();
        return r.state.reloadId !== previousId && (r.state.kind === 'succeeded' || r.state.kind === 'failed')
          ? r
          : undefined;
      },
      30_000,
    );
  }

  before(async () => {
    await activatedApi();
    fx = await startDataPlane({ api: 3 });
    id = (await vscode.commands.executeCommand<string>(C('addConnection'), {
      name,
      url: fx.url,
      username: fx.username,
      password: fx.password,
    }))!;
    assert.ok(id, 'addConnection returns the new connection id');
    await vscode.commands.executeCommand('haproxyGateway.dataplane.focus');
  });

  after(async () => {
    if (id) await vscode.commands.executeCommand(C('removeConnection'), id, { confirm: true });
    await fx?.stop();
  });

  it('keeps the password out of settings', () => {
    const settings = JSON.stringify(vscode.workspace.getConfiguration('haproxyGateway.dataplane').get('connections'));
    assert.ok(settings.includes(fx.url));
    assert.ok(!settings.includes(fx.password));
  });

  it('never sends a stored password to another URL when the settings change under it', async () => {
    const dataplane = (await activatedApi()).dataplane;
    const config = () => vscode.workspace.getConfiguration('haproxyGateway.dataplane');
    const saved = config().inspect<Array<{ id: string; url: string }>>('connections')!.globalValue!;
    assert.equal((await dataplane.session(id))!.connection.secrets.password, fx.password);
    const elsewhere = 'http://127.0.0.9:9/v3';
    try {
      await config().update(
        'connections',
        saved.map((c) => (c.id === id ? { ...c, url: elsewhere } : c)),
        vscode.ConfigurationTarget.Global,
      );
      const moved = await waitFor('the session rebuilt for the new URL', async () => {
        const s = await dataplane.session(id);
        return s?.connection.settings.url === elsewhere ? s : undefined;
      });
      assert.equal(moved.connection.secrets.password, undefined, 'the password stays with the URL it was entered for');
    } finally {
      await config().update('connections', saved, vscode.ConfigurationTarget.Global);
    }
    await waitFor('the password back with the original URL', async () =>
      (await dataplane.session(id))?.connection.secrets.password === fx.password ? true : undefined,
    );
  });

  it(
    'adds a connection to the workspace list when the team keeps one there, ' + 'and leaves user settings alone',
    async () => {
      const folder = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
      const settingsDir = path.join(folder, '.vscode');
      const hadSettingsDir = fs.existsSync(settingsDir);
      const settingsFile = path.join(settingsDir, 'settings.json');
      const hadSettings = fs.existsSync(settingsFile) ? fs.readFileSync(settingsFile, 'utf8') : undefined;
      const config = () => vscode.workspace.getConfiguration('haproxyGateway.dataplane');
      const userList = config().inspect('connections')!.globalValue;
      const shared = {
        id: 'team-lb',
        name: 'team lb',
        url: 'https://lb.team.example:5556/v3',
        auth: 'basic',
        username: 'admin',
      };
      let added: string | undefined;
      try {
        await config().update('connections', [shared], vscode.ConfigurationTarget.Workspace);
        added = await vscode.commands.executeCommand<string>(C('addConnection'), {
          name: 'mine',
          url: 'https://mine.example:5556/v3',
          username: 'me',
          password: 'pw',
          skipTest: true,
        });
        assert.ok(added);
        const inspected = config().inspect<Array<{ id: string }>>('connections')!;
        assert.deepEqual(
          inspected.workspaceValue?.map((c) => c.id),
          ['team-lb', added],
          'added where the list in effect lives: it is visible',
        );
        assert.deepEqual(inspected.globalValue, userList, 'user settings untouched');
        await vscode.commands.executeCommand(C('removeConnection'), added, { confirm: true });
        added = undefined;
        assert.deepEqual(
          config()
            .inspect<Array<{ id: string }>>('connections')!
            .workspaceValue?.map((c) => c.id),
          ['team-lb'],
        );
      } finally {
        if (added) await vscode.commands.executeCommand(C('removeConnection'), added, { confirm: true });
        await config().update('connections', undefined, vscode.ConfigurationTarget.Workspace);
        // The fixture workspace is part of the repository: leave no settings file behind.
        if (!hadSettingsDir) fs.rmSync(settingsDir, { recursive: true, force: true });
        else if (hadSettings === undefined) fs.rmSync(settingsFile, { force: true });
        else fs.writeFileSync(settingsFile, hadSettings);
      }
    },
  );

  it('a connection without its password says so, and connects once the password is entered', async () => {
    const label = 'no password yet';
    const noPassword = await vscode.commands.executeCommand<string>(C('addConnection'), {
      name: label,
      url: fx.url,
      username: fx.username,
      skipTest: true,
    });
    assert.ok(noPassword);
    try {
      const row = await waitFor('the row saying what is missing', async () => {
        const r = find(await tree(), label);
        return r?.description === 'password needed' ? r : undefined;
      });
      assert.match(row.contextValue ?? '', /^haproxyGateway:connection\b.*\bstate=needsPassword\b/);
      assert.deepEqual(
        row.children?.map((c) => c.label),
        [`Enter the password of ${fx.username} to connect`],
      );
      assert.equal(await vscode.commands.executeCommand(C('setPassword'), noPassword, fx.password), true);
      await waitFor('the connection connected', async () =>
        /\bstate=connected\b/.test(find(await tree(), label)?.contextValue ?? ''),
      );
    } finally {
      await vscode.commands.executeCommand(C('removeConnection'), noPassword, { confirm: true });
    }
  });

  it("shows the real HAProxy's frontends, backends and servers with live states", async () => {
    const rows = await waitFor(
      'health checks in the tree',
      async () => {
        const t = await tree();
        const web1 = find(t, name, 'Backends', 'be_app', 'web1');
        const web3 = find(t, name, 'Backends', 'be_app', 'web3');
        return web1?.description?.startsWith('UP') && web3?.description?.startsWith('DOWN') ? t : undefined;
      },
      15_000,
    );
    const conn = find(rows, name)!;
    assert.match(conn.description ?? '', /^HAProxy 2\.6\.\d+ \/ API v3/);
    assert.match(conn.contextValue ?? '', /^haproxyGateway:connection\b.*\bstate=connected\b/);
    assert.equal(find(rows, name, 'Frontends', 'fe_main')?.description, 'http → be_app');
    assert.equal(
      find(rows, name, 'Frontends', 'fe_main', `127.0.0.1:${fx.frontendPort}`)?.label,
      `127.0.0.1:${fx.frontendPort}`,
    );
    assert.deepEqual(
      find(rows, name, 'Backends', 'be_app')?.children?.map((s) => s.label),
      ['web1', 'web2', 'web3'],
    );
    assert.match(find(rows, name, 'Backends', 'be_app', 'web2')?.description ?? '', /^UP · weight 20 · 127\.0\.0\.1:/);
    assert.ok(find(rows, name, 'Transactions'), 'a Transactions node');
    assert.ok(find(rows, name, 'Raw configuration'), 'a Raw configuration node');
  });

  it("draining a server changes its state in HAProxy's stats and in the tree", async () => {
    await vscode.commands.executeCommand(C('serverDrain'), { connectionId: id, backend: 'be_app', server: 'web1' });
    assert.match(await statLine('web1'), /,DRAIN,/);
    const row = await server('web1');
    assert.match(row?.description ?? '', /^DRAIN/);
    assert.match(row?.contextValue ?? '', /\bstate=drain\b/);
    await vscode.commands.executeCommand(C('serverReady'), { connectionId: id, backend: 'be_app', server: 'web1' });
    assert.doesNotMatch(await statLine('web1'), /,DRAIN,/);
  });

  it('saving the live configuration reloads HAProxy and the status bar follows to succeeded', async () => {
    const before = (await reloadState()).state.reloadId;
    const doc = await openLive();
    assert.ok(!doc.getText().startsWith('# _version='), 'the editor shows the configuration only');
    await replaceAll(doc, doc.getText().replace('balance roundrobin', 'balance leastconn'));
    assert.ok(await doc.save(), 'the save went through');
    const end = await reloadEnds(before);
    assert.equal(end.state.kind, 'succeeded', end.state.response);
    assert.equal(end.text, '$(check) HAProxy');
    assert.match(find(await tree(), name, 'Backends', 'be_app')?.description ?? '', /^leastconn/);
  });

  it('a configuration HAProxy rejects fails the save and keeps the text', async () => {
    const doc = await openLive();
    const broken = doc.getText().replace('  default_backend be_app', '  default_backend be_app\n  bogus_keyword on');
    await replaceAll(doc, broken);
    assert.equal(await doc.save(), false, 'the save failed');
    assert.ok(doc.isDirty && doc.getText().includes('bogus_keyword on'), 'the text is kept');
    const validation = await vscode.commands.executeCommand<{ valid: boolean; message?: string }>(
      C('validateRawConfig'),
      doc.uri,
    );
    assert.equal(validation?.valid, false);
    assert.match(validation?.message ?? '', /bogus_keyword/);
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it("an edit HAProxy cannot load ends in a failed reload with HAProxy's message; nothing is lost", async () => {
    const doc = await openLive();
    const good = doc.getText();
    // Valid for `haproxy -c`, but the port is taken: binding fails when HAProxy reloads.
    const bad = good.replace(
      `bind 127.0.0.1:${fx.frontendPort} name main`,
      `bind 127.0.0.1:${fx.frontendPort} name main\n  bind 127.0.0.1:${fx.upstreamPort} name taken`,
    );
    const before = (await reloadState()).state.reloadId;
    await replaceAll(doc, bad);
    assert.ok(await doc.save());
    const failed = await reloadEnds(before);
    assert.equal(failed.state.kind, 'failed');
    assert.equal(failed.text, '$(error) HAProxy reload failed');
    assert.match(failed.state.response ?? '', /cannot bind socket/);
    assert.ok(doc.getText().includes('name taken'), 'the edit is still in the editor');
    assert.ok((await statLine('web1')).length > 0, 'the running HAProxy still serves the previous configuration');

    await replaceAll(doc, good);
    assert.ok(await doc.save());
    const fixed = await reloadEnds(failed.state.reloadId);
    assert.equal(fixed.state.kind, 'succeeded', fixed.state.response);
  });
});
