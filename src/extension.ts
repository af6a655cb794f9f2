// Composition root: builds the services once, wires them together, and hands every disposable to
// the extension context. No logic lives here.
const moduleLoadedAt = performance.now();

import * as vscode from 'vscode';
import { CommandRegistry } from './shell/commands';
import { createLog } from './shell/log';
import { registerShellCommands } from './shell/shellCommands';

export interface ExtensionApi {
  /** Milliseconds from this module being loaded to `activate()` resolving (measured by tests and the benchmark). */
  readonly activationMs: number;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const log = createLog();
  const commands = new CommandRegistry(log);
  context.subscriptions.push(log, commands);

  registerShellCommands(commands, log);

  const activationMs = performance.now() - moduleLoadedAt;
  log.info(`Activated ${context.extension.id} ${context.extension.packageJSON.version} in ${activationMs.toFixed(1)} ms`);
  return { activationMs };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
