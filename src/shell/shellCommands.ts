import * as vscode from 'vscode';
import type { CommandRegistry } from './commands';

const WALKTHROUGH_ID = 'haproxy-gateway.haproxy-gateway#haproxyGateway.gettingStarted';

/** Commands that belong to no capability: the log, the walkthrough, a new configuration. */
export function registerShellCommands(commands: CommandRegistry, log: vscode.LogOutputChannel): void {
  commands.register('haproxyGateway.showLog', () => log.show());
  commands.register('haproxyGateway.openWalkthrough', () =>
    vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false),
  );
  commands.register('haproxyGateway.newConfiguration', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'haproxy', content: '' });
    const editor = await vscode.window.showTextDocument(document);
    // The skeleton snippet is the single source of the starter configuration.
    await vscode.commands.executeCommand('editor.action.insertSnippet', { langId: 'haproxy', name: 'global and defaults skeleton' });
    return editor;
  });
}
