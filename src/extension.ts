// Composition root: builds the services once, wires them together, and hands every disposable to
// the extension context. No logic lives here.
// The first import, so that the activation figure includes loading every other module.
import { extensionLoadStartedAt } from './shell/loadTime';
import * as vscode from 'vscode';
import { CommandRegistry } from './shell/commands';
import { createLog } from './shell/log';
import { registerShellCommands } from './shell/shellCommands';
import { registerDataPlane, type DataPlaneApi } from './dataplane/ui';
import { registerKubernetes, type KubernetesApi } from './kubernetes/ui';
import { registerLanguageFeatures } from './language/ui';
import { registerVip } from './vip/ui';

// Every import above has been evaluated: the end of loading the extension's code.
const extensionLoadedAt = performance.now();

export interface ExtensionApi {
  /**
   * Milliseconds the extension's own code took to activate: loading the bundle plus running
   * `activate()` (VS Code's codeLoadingTime + activateCallTime; the time VS Code spends between
   * the two, preparing the extension context, is not ours and not counted).
   */
  readonly activationMs: number;
  readonly dataplane: DataPlaneApi;
  readonly kubernetes: KubernetesApi;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const activateCalledAt = performance.now();
  const log = createLog();
  const commands = new CommandRegistry(log);
  context.subscriptions.push(log, commands);

  registerShellCommands(commands, log);
  const language = registerLanguageFeatures({ context, log, commands });
  const dataplane = registerDataPlane({ context, log, commands });
  language.useServerVersions((uri) => dataplane.haproxyVersionOf(uri));
  const kubernetes = registerKubernetes({ context, log, commands });
  registerVip({ context, log, commands, dataplane, kubernetes });

  const loadMs = extensionLoadedAt - extensionLoadStartedAt;
  const activateMs = performance.now() - activateCalledAt;
  const activationMs = loadMs + activateMs;
  log.info(`Activated ${context.extension.id} ${context.extension.packageJSON.version} in ${activationMs.toFixed(1)} ms (code loading ${loadMs.toFixed(1)} ms, activate() ${activateMs.toFixed(1)} ms)`);
  return { activationMs, dataplane, kubernetes };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
