// Commands that belong to no capability: the log, the walkthrough, a new configuration.
import * as vscode from 'vscode';
import type { CommandTable } from './commands';

const WALKTHROUGH_ID = 'haproxy-gateway.haproxy-gateway#haproxyGateway.gettingStarted';

export interface ShellContext {
  readonly log: vscode.LogOutputChannel;
}

function showLog(ctx: ShellContext): void {
  ctx.log.show();
}

function openWalkthrough(): Thenable<unknown> {
  return vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false);
}

async function newConfiguration(): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument({ language: 'haproxy', content: '' });
  const editor = await vscode.window.showTextDocument(document);
  // The skeleton snippet is the single source of the starter configuration.
  await vscode.commands.executeCommand('editor.action.insertSnippet', {
    langId: 'haproxy',
    name: 'global and defaults skeleton',
  });
  return editor;
}

export const shellCommands: CommandTable<ShellContext> = {
  'haproxyGateway.showLog': showLog,
  'haproxyGateway.openWalkthrough': openWalkthrough,
  'haproxyGateway.newConfiguration': newConfiguration,
};
