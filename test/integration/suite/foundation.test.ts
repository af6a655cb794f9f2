import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, activatedApi, waitFor, workspaceFolder } from '../support';

async function languageOf(relative: string): Promise<string> {
  const document = await vscode.workspace.openTextDocument(path.join(workspaceFolder(), relative));
  return document.languageId;
}

describe('foundation', () => {
  before(async () => {
    await activatedApi();
  });

  it('associates haproxy files by name and folder, never every .cfg file', async () => {
    assert.equal(await languageOf('haproxy.cfg'), 'haproxy');
    assert.equal(await languageOf('haproxy-edge.cfg'), 'haproxy');
    assert.equal(await languageOf('site.haproxy.cfg'), 'haproxy');
    assert.equal(await languageOf('haproxy/conf.d/10-frontends.cfg'), 'haproxy');
    assert.notEqual(await languageOf('other/setup.cfg'), 'haproxy');
  });

  it('registers its commands under the haproxyGateway namespace', async () => {
    const all = await vscode.commands.getCommands(true);
    const ours = all.filter((c) => c.startsWith('haproxyGateway.'));
    for (const id of ['haproxyGateway.newConfiguration', 'haproxyGateway.showLog', 'haproxyGateway.openWalkthrough']) {
      assert.ok(ours.includes(id), `${id} is registered`);
    }
    assert.equal(
      all.filter((c) => c.startsWith('haproxy.')).length,
      0,
      'no command in the clashing haproxy.* namespace',
    );
  });

  it('creates a new haproxy.cfg from the skeleton snippet', async () => {
    const editor = (await vscode.commands.executeCommand('haproxyGateway.newConfiguration')) as vscode.TextEditor;
    assert.ok(editor, 'the command returns its editor');
    assert.equal(editor.document.languageId, 'haproxy');
    await waitFor(
      'skeleton text',
      () => /^global\b/m.test(editor.document.getText()) && /^defaults\b/m.test(editor.document.getText()),
    );
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('offers a snippet in completion, and the snippet expands', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const snippets = JSON.parse(
      fs.readFileSync(path.join(ext.extensionPath, 'snippets', 'haproxy.code-snippets.json'), 'utf8'),
    );
    const skeleton = snippets['global and defaults skeleton'];
    assert.ok(skeleton, 'the skeleton snippet exists');
    const prefix: string = Array.isArray(skeleton.prefix) ? skeleton.prefix[0] : skeleton.prefix;

    const document = await vscode.workspace.openTextDocument({ language: 'haproxy', content: prefix });
    const editor = await vscode.window.showTextDocument(document);
    const position = new vscode.Position(0, prefix.length);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      document.uri,
      position,
    );
    const item = list.items.find(
      (i) =>
        i.kind === vscode.CompletionItemKind.Snippet &&
        (typeof i.label === 'string' ? i.label : i.label.label) === prefix,
    );
    assert.ok(
      item,
      `completion offers the snippet "${prefix}" (got: ${list.items
        .map((i) => (typeof i.label === 'string' ? i.label : i.label.label))
        .slice(0, 20)
        .join(', ')})`,
    );
    assert.ok(item.insertText instanceof vscode.SnippetString, 'the item inserts a snippet');

    await editor.insertSnippet(item.insertText, new vscode.Range(0, 0, 0, prefix.length));
    const text = document.getText();
    assert.match(text, /^global\b/m);
    assert.match(text, /^defaults\b/m);
    assert.doesNotMatch(text, /\$\{?\d/, 'no unexpanded placeholder is left');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
