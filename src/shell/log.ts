import * as vscode from 'vscode';

export const EXTENSION_TITLE = 'HAProxy & Gateway API';

/** The one log of the extension; its level follows the user's "Set Log Level..." choice. */
export function createLog(): vscode.LogOutputChannel {
  return vscode.window.createOutputChannel(EXTENSION_TITLE, { log: true });
}
