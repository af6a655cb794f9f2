// Helpers for suites that run inside the real extension host.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { Lab } from '../fixtures/lab';
import { waitFor } from '../support/wait';

export const EXTENSION_ID = 'haproxy-gateway.haproxy-gateway';

export function workspaceFolder(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the integration suite needs test/fixtures/workspace open as the workspace folder');
  return folder.uri.fsPath;
}

export async function activatedApi(): Promise<ExtensionApi> {
  const ext = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  return ext.activate();
}

/** Polls `probe` until it returns a value other than undefined/false (test/support/wait.ts; 60 s by default). */
export { waitFor };

/** Records a named figure for `npm run bench` (only when the harness asks for metrics). */
export function recordMetric(name: string, value: number): void {
  const file = process.env.HAPROXY_GATEWAY_METRICS;
  if (!file) return;
  const metrics = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
  metrics[name] = value;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(metrics, null, 2));
}

/**
 * Points the running extension at a lab (test/fixtures/lab.ts): its kubeconfig and a VIP pool as
 * user settings, its context selected, and its Data Plane API server added as a connection named
 * `connectionName`. `dispose()` closes the editors, removes the connection and clears the settings.
 */
export async function useLab(
  lab: Lab,
  context: string,
  connectionName: string,
): Promise<{ connectionId: string; dispose(): Promise<void> }> {
  const api = await activatedApi();
  const settings = (section: string) => vscode.workspace.getConfiguration(`haproxyGateway.${section}`);
  await settings('kubernetes').update('kubeconfig', lab.kubeconfig, vscode.ConfigurationTarget.Global);
  await settings('vip').update('pools', [{ range: '127.0.200.0/24' }], vscode.ConfigurationTarget.Global);
  const kube = api.kubernetes.service;
  await waitFor(`the ${context} context`, () => {
    api.kubernetes.refresh();
    return (
      kube.currentContext() === context ||
      (kube.contexts().some((c) => c.name === context) && (kube.selectContext(context), true))
    );
  });
  const connectionId = await vscode.commands.executeCommand<string>('haproxyGateway.dataplane.addConnection', {
    name: connectionName,
    url: lab.fx.url,
    username: lab.fx.username,
    password: lab.fx.password,
  });
  if (!connectionId) throw new Error(`the Data Plane connection "${connectionName}" was not added`);
  return {
    connectionId,
    dispose: async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.commands.executeCommand('haproxyGateway.dataplane.removeConnection', connectionId, {
        confirm: true,
      });
      await settings('vip').update('pools', undefined, vscode.ConfigurationTarget.Global);
      await settings('kubernetes').update('kubeconfig', undefined, vscode.ConfigurationTarget.Global);
    },
  };
}
