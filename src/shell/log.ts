import * as vscode from 'vscode';
import type { Logger } from '../shared/logger';

export const EXTENSION_TITLE = 'HAProxy & Gateway API';

/** The one log of the extension; its level follows the user's "Set Log Level..." choice. */
export function createLog(): vscode.LogOutputChannel {
  return vscode.window.createOutputChannel(EXTENSION_TITLE, { log: true });
}

/** The core's Logger over the extension's log channel (the core never sees vscode). */
export function coreLogger(log: vscode.LogOutputChannel): Logger {
  return {
    debug: (m) => log.debug(m),
    info: (m) => log.info(m),
    warn: (m) => log.warn(m),
    error: (m) => log.error(m),
  };
}
