// The tree's roots and the kubeconfig file watchers, out of the entry point to keep it short.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TreeNode } from '../../shell/tree';
import { errorMessage } from '../../shared/errors';
import type { KubernetesService } from '../core/service';
import type { ServiceDecorations } from './decorations';
import { ContextNode } from './nodes';

const SECTION = 'haproxyGateway.kubernetes';

/** The current context's row, or nothing (the welcome content then explains what is missing). */
export async function treeRoots(
  service: KubernetesService,
  decorations: ServiceDecorations,
  log: vscode.LogOutputChannel,
): Promise<TreeNode[]> {
  let contexts;
  try {
    contexts = service.contexts();
  } catch (err) {
    log.warn(`Kubernetes: ${errorMessage(err)}`);
    void vscode.commands.executeCommand('setContext', 'haproxyGateway.kubernetes.state', 'kubeconfigError');
    return [];
  }
  const current = service.currentContext();
  const info = contexts.find((c) => c.name === current);
  const state = contexts.length === 0 ? 'noKubeconfig' : info ? 'ready' : 'noContext';
  void vscode.commands.executeCommand('setContext', 'haproxyGateway.kubernetes.state', state);
  return info ? [new ContextNode(service, info, decorations)] : [];
}

/**
 * Watches the kubeconfig files (they live outside the workspace) and reloads the contexts when one
 * changes; the `kubeconfig` setting re-points the watchers.
 */
export function watchKubeconfig(service: KubernetesService, log: vscode.LogOutputChannel): vscode.Disposable {
  let fileWatchers: vscode.Disposable[] = [];
  const watch = (): void => {
    for (const w of fileWatchers) w.dispose();
    fileWatchers = service.location.files.map((file) => {
      const pattern = new vscode.RelativePattern(vscode.Uri.file(path.dirname(file)), path.basename(file));
      const watcher = vscode.workspace.createFileSystemWatcher(pattern);
      const reload = (): void => {
        log.info(`Kubernetes: ${file} changed; reloading contexts`);
        service.reload();
      };
      watcher.onDidChange(reload);
      watcher.onDidCreate(reload);
      watcher.onDidDelete(reload);
      return watcher;
    });
  };
  watch();
  const onSetting = vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(`${SECTION}.kubeconfig`)) {
      watch();
      service.reload();
    }
  });
  return new vscode.Disposable(() => {
    onSetting.dispose();
    fileWatchers.forEach((w) => w.dispose());
  });
}
