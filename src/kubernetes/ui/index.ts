// Entry point of the Kubernetes browser: builds the tree, documents and kubeconfig watcher once,
// registers the command table (./commands.ts) and returns the API (../api.ts). Logic lives in ../core.
import * as vscode from 'vscode';
import type { CommandRegistry } from '../../shell/commands';
import { NodeTreeProvider } from '../../shell/tree';
import type { DataPlaneApi } from '../../dataplane/api';
import type { KubernetesApi } from '../api';
import { KubernetesService } from '../core/service';
import { kubernetesCommands } from './commands';
import { STATE_CONTEXT, STATE_NAMESPACES, VIEW_ID, type KubernetesContext } from './context';
import { ServiceDecorations } from './decorations';
import { EDIT_SCHEME, EditableDocuments, ReadOnlyDocuments, VIEW_SCHEME, resourceUri } from './documents';
import { isResourceNode } from './nodes';
import { treeRoots, watchKubeconfig } from './wiring';

export type { KubernetesApi } from '../api';

export interface KubernetesDeps {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  commands: CommandRegistry;
  dataplane: Pick<DataPlaneApi, 'importSecret'>;
}

export function registerKubernetes({ context, log, commands, dataplane }: KubernetesDeps): KubernetesApi {
  const service = new KubernetesService({
    kubeconfigSetting: () =>
      vscode.workspace.getConfiguration('haproxyGateway.kubernetes').get<string>('kubeconfig') || undefined,
    log,
    initialContext: context.workspaceState.get<string>(STATE_CONTEXT),
    initialNamespaces: context.workspaceState.get<string[]>(STATE_NAMESPACES),
  });
  const decorations = new ServiceDecorations();
  const tree = new NodeTreeProvider(() => treeRoots(service, decorations, log));
  const view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  const ctx: KubernetesContext = {
    log,
    service,
    tree,
    view,
    readOnly: new ReadOnlyDocuments(service),
    editable: new EditableDocuments(service, log),
    workspaceState: context.workspaceState,
    importDataplaneSecret: (args) => dataplane.importSecret(args),
    refresh: () => (service.reload(), tree.refresh()),
  };

  // Watches run only while the view is visible; model changes redraw it (the core debounces them).
  service.setActive(view.visible);
  context.subscriptions.push(
    view,
    tree,
    ctx.readOnly,
    ctx.editable,
    service.onDidChange(() => view.visible && tree.refresh()),
    view.onDidChangeVisibility((e) => {
      service.setActive(e.visible);
      if (e.visible) tree.refresh();
    }),
    vscode.workspace.registerTextDocumentContentProvider(VIEW_SCHEME, ctx.readOnly),
    vscode.workspace.registerFileSystemProvider(EDIT_SCHEME, ctx.editable, { isCaseSensitive: true }),
    vscode.workspace.onDidCloseTextDocument((d) => d.uri.scheme === EDIT_SCHEME && ctx.editable.forget(d.uri)),
    watchKubeconfig(service, log),
    new vscode.Disposable(() => service.dispose()),
  );
  commands.registerTable(ctx, kubernetesCommands);

  return {
    service,
    tree,
    view,
    refresh: ctx.refresh,
    resourceOf: (node) => (isResourceNode(node) ? { ref: node.ref, context: node.context } : undefined),
    openYaml: async (ref) => {
      const uri = resourceUri(VIEW_SCHEME, (await service.session()).contextName, ref);
      ctx.readOnly.refresh(uri);
      const doc = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), 'yaml');
      await vscode.window.showTextDocument(doc, { preview: true });
    },
    decorateServices: (decorator) => {
      const remove = decorations.add(decorator);
      tree.refresh();
      return new vscode.Disposable(() => (remove(), tree.refresh()));
    },
  };
}
