// Composition root: builds the services once, wires them together, and hands every disposable to
// the extension context. No logic lives here.
// The first import, so that the activation figure includes loading every other module.
import { extensionLoadStartedAt } from './shell/loadTime';
import * as vscode from 'vscode';
import { CommandRegistry } from './shell/commands';
import { createLog } from './shell/log';
import { shellCommands } from './shell/shellCommands';
import type { DataPlaneApi } from './dataplane/api';
import { registerDataPlane } from './dataplane/ui';
import type { DataPlaneTesting } from './dataplane/ui/testing';
import type { KubernetesApi } from './kubernetes/api';
import { registerKubernetes } from './kubernetes/ui';
import { registerLanguageFeatures } from './language/ui';
import { registerVip } from './vip/ui';
import { registerTraffic, type TrafficTesting } from './traffic/api';

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
  /** For tests and diagnostics only (kept out of the command palette): the rendered Data Plane tree and status bar. */
  readonly testing: DataPlaneTesting & TrafficTesting;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const activateCalledAt = performance.now();
  const log = createLog();
  const commands = new CommandRegistry(log);
  context.subscriptions.push(log, commands);

  commands.registerTable({ log }, shellCommands);
  const language = registerLanguageFeatures({ context, log, commands });
  const { api: dataplane, testing } = registerDataPlane({ context, log, commands });
  language.useServerVersions((uri) => dataplane.haproxyVersionOf(uri));
  const kubernetes = registerKubernetes({ context, log, commands, dataplane });
  registerVip({ context, log, commands, dataplane, kubernetes });
  const traffic = registerTraffic({ context, log, commands, dataplane, kubernetes });

  const loadMs = extensionLoadedAt - extensionLoadStartedAt;
  const activateMs = performance.now() - activateCalledAt;
  const activationMs = loadMs + activateMs;
  const { id, packageJSON } = context.extension;
  const split = `code loading ${loadMs.toFixed(1)} ms, activate() ${activateMs.toFixed(1)} ms`;
  log.info(`Activated ${id} ${packageJSON.version} in ${activationMs.toFixed(1)} ms (${split})`);
  return { activationMs, dataplane, kubernetes, testing: { ...testing, ...traffic.testing } };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
