// Runs first (file order): proves the extension activates from a haproxy.cfg and from nothing else before.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, recordMetric, waitFor, workspaceFolder } from '../support';
import type { ExtensionApi } from '../../../src/extension';

describe('activation', () => {
  it('is not active before a haproxy.cfg is opened, and activates from one', async () => {
    const ext = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
    assert.ok(ext, 'extension is loaded');
    assert.equal(ext.isActive, false, 'nothing activated the extension before a haproxy.cfg was opened');

    const document = await vscode.workspace.openTextDocument(path.join(workspaceFolder(), 'haproxy.cfg'));
    await vscode.window.showTextDocument(document);
    assert.equal(document.languageId, 'haproxy');

    await waitFor('activation', () => ext.isActive);
    const api = await ext.activate();
    assert.ok(api.activationMs > 0 && api.activationMs < 10_000, `activation took ${api.activationMs} ms`);
    recordMetric('activation.ms', Number(api.activationMs.toFixed(2)));
  });
});
