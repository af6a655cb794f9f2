// VS Code glue of the Kubernetes browser: the tree view, its commands, the YAML documents, and the
// kubeconfig watcher. Everything that thinks lives in ../core; this only adapts it to the editor.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CommandRegistry } from '../../shell/commands';
import { NodeTreeProvider, type TreeNode } from '../../shell/tree';
import { UserFacingError, errorMessage } from '../../shared/errors';
import { KubernetesService } from '../core/service';
import { EDIT_SCHEME, EditableDocuments, ReadOnlyDocuments, VIEW_SCHEME, resourceUri } from './documents';
import { parametersSecret, type SecretRef } from '../core/secrets';
import { ContextNode, GatewayClassNode, isResourceNode, type ResourceNode } from './nodes';

export const VIEW_ID = 'haproxyGateway.kubernetes';
const SECTION = 'haproxyGateway.kubernetes';
const STATE_CONTEXT = 'haproxyGateway.kubernetes.context';
const STATE_NAMESPACES = 'haproxyGateway.kubernetes.namespaces';

export const COMMANDS = {
  selectContext: 'haproxyGateway.kubernetes.selectContext',
  filterNamespaces: 'haproxyGateway.kubernetes.filterNamespaces',
  openYaml: 'haproxyGateway.kubernetes.openYaml',
  editYaml: 'haproxyGateway.kubernetes.editYaml',
  describe: 'haproxyGateway.kubernetes.describe',
  copyName: 'haproxyGateway.kubernetes.copyName',
  delete: 'haproxyGateway.kubernetes.delete',
  refresh: 'haproxyGateway.kubernetes.refresh',
  importDataplaneSecret: 'haproxyGateway.kubernetes.importDataplaneSecret',
} as const;

/** The Data Plane API feature's import command: the two features meet only through commands. */
const DATAPLANE_IMPORT_COMMAND = 'haproxyGateway.dataplane.importSecret';
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

export interface KubernetesDeps {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  commands: CommandRegistry;
}

/** What other features (the VIP feature) and the integration tests use. */
export interface KubernetesApi {
  /** Contexts, models, reads and writes (servicesWithEndpoints, patchServiceStatus, patchServiceAnnotations, create, tcpRouteVersion...). */
  readonly service: KubernetesService;
  /** The tree's data provider (tests read its children). */
  readonly tree: NodeTreeProvider;
  readonly view: vscode.TreeView<TreeNode>;
  /** Re-reads the kubeconfig and redraws. */
  refresh(): void;
}

export function registerKubernetes(deps: KubernetesDeps): KubernetesApi {
  const { context, log, commands } = deps;
  const setting = (): string | undefined => vscode.workspace.getConfiguration(SECTION).get<string>('kubeconfig') || undefined;
  const service = new KubernetesService({
    kubeconfigSetting: setting,
    log,
    initialContext: context.workspaceState.get<string>(STATE_CONTEXT),
    initialNamespaces: context.workspaceState.get<string[]>(STATE_NAMESPACES),
  });

  const roots = async (): Promise<TreeNode[]> => {
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
    void vscode.commands.executeCommand('setContext', 'haproxyGateway.kubernetes.state', contexts.length === 0 ? 'noKubeconfig' : info ? 'ready' : 'noContext');
    // An empty tree shows the welcome content, which explains what is missing.
    return info ? [new ContextNode(service, info)] : [];
  };
  const tree = new NodeTreeProvider(() => roots());
  const view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  const readOnly = new ReadOnlyDocuments(service);
  const editable = new EditableDocuments(service, log);

  // Watches run only while the view is visible; model changes redraw it (the core debounces them).
  service.setActive(view.visible);
  const redraw = (): void => {
    if (view.visible) tree.refresh();
  };
  const subscriptions: vscode.Disposable[] = [
    view,
    tree,
    readOnly,
    editable,
    service.onDidChange(redraw),
    view.onDidChangeVisibility((e) => {
      service.setActive(e.visible);
      if (e.visible) tree.refresh();
    }),
    vscode.workspace.registerTextDocumentContentProvider(VIEW_SCHEME, readOnly),
    vscode.workspace.registerFileSystemProvider(EDIT_SCHEME, editable, { isCaseSensitive: true }),
    vscode.workspace.onDidCloseTextDocument((d) => {
      if (d.uri.scheme === EDIT_SCHEME) editable.forget(d.uri);
    }),
  ];

  // The kubeconfig files are watched (they live outside the workspace); the setting re-points the watchers.
  let fileWatchers: vscode.Disposable[] = [];
  const watchKubeconfig = (): void => {
    for (const w of fileWatchers) w.dispose();
    fileWatchers = service.location.files.map((file) => {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path.dirname(file)), path.basename(file)));
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
  watchKubeconfig();
  subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${SECTION}.kubeconfig`)) {
        watchKubeconfig();
        service.reload();
      }
    }),
    new vscode.Disposable(() => fileWatchers.forEach((w) => w.dispose())),
    new vscode.Disposable(() => service.dispose()),
  );
  context.subscriptions.push(...subscriptions);

  const refresh = (): void => {
    service.reload();
    tree.refresh();
  };

  commands.register(COMMANDS.refresh, refresh);

  commands.register(COMMANDS.selectContext, async () => {
    const contexts = service.contexts();
    if (contexts.length === 0) throw new UserFacingError(`No context found in ${service.location.files.join(', ')}.`);
    const current = service.currentContext();
    const alsoKubectl: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('terminal'), tooltip: "Select and also make it kubectl's current context" };
    type Item = vscode.QuickPickItem & { name: string };
    const pick = vscode.window.createQuickPick<Item>();
    pick.title = 'Kubernetes context for the HAProxy & Gateway API browser';
    pick.placeholder = "The choice applies to this extension only; the terminal button also sets kubectl's current-context";
    pick.items = contexts.map((c) => ({
      name: c.name,
      label: `${c.name === current ? '$(check) ' : ''}${c.name}`,
      description: [c.server, c.namespace ? `ns ${c.namespace}` : undefined].filter(Boolean).join(' · '),
      detail: c.isKubectlCurrent ? "kubectl's current context" : undefined,
      buttons: [alsoKubectl],
    }));
    pick.activeItems = pick.items.filter((i) => i.name === current);
    const choice = await new Promise<{ name: string; kubectl: boolean } | undefined>((resolve) => {
      pick.onDidAccept(() => resolve(pick.selectedItems[0] ? { name: pick.selectedItems[0].name, kubectl: false } : undefined));
      pick.onDidTriggerItemButton((e) => resolve({ name: e.item.name, kubectl: true }));
      pick.onDidHide(() => resolve(undefined));
      pick.show();
    });
    pick.dispose();
    if (!choice) return undefined;
    const written = service.selectContext(choice.name, choice.kubectl);
    await context.workspaceState.update(STATE_CONTEXT, choice.name);
    if (written) void vscode.window.showInformationMessage(`kubectl's current context is now "${choice.name}" (${written}).`);
    tree.refresh();
    return choice.name;
  });

  commands.register(COMMANDS.filterNamespaces, async () => {
    const names = await vscode.window.withProgress({ location: { viewId: VIEW_ID } }, () => service.listNamespaces());
    const selected = new Set(service.namespaces ?? []);
    const picked = await vscode.window.showQuickPick(
      names.map((n) => ({ label: n, picked: selected.has(n) })),
      { canPickMany: true, title: 'Namespaces to show', placeHolder: 'Pick none to show all namespaces' },
    );
    if (!picked) return undefined;
    const list = picked.map((p) => p.label);
    service.setNamespaceFilter(list);
    await context.workspaceState.update(STATE_NAMESPACES, list.length ? list : undefined);
    tree.refresh();
    return list;
  });

  const resourceOf = (node: unknown): ResourceNode => {
    if (isResourceNode(node)) return node;
    const selected = view.selection.find(isResourceNode);
    if (selected) return selected;
    throw new UserFacingError('Select a Kubernetes object in the tree first.');
  };

  commands.register(COMMANDS.openYaml, async (node?: unknown) => {
    const r = resourceOf(node);
    const uri = resourceUri(VIEW_SCHEME, r.context, r.ref);
    readOnly.refresh(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(doc, 'yaml');
    return vscode.window.showTextDocument(doc, { preview: true });
  });

  commands.register(COMMANDS.editYaml, async (node?: unknown) => {
    const r = resourceOf(node);
    const uri = resourceUri(EDIT_SCHEME, r.context, r.ref);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(doc, 'yaml');
    void vscode.window.setStatusBarMessage(`Save to apply ${r.ref.kind} ${r.ref.name} to context ${r.context}`, 5000);
    return vscode.window.showTextDocument(doc, { preview: false });
  });

  commands.register(COMMANDS.describe, async (node?: unknown) => {
    const r = resourceOf(node);
    const uri = resourceUri(VIEW_SCHEME, r.context, r.ref, 'describe');
    readOnly.refresh(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    return vscode.window.showTextDocument(doc, { preview: true });
  });

  commands.register(COMMANDS.copyName, async (node?: unknown) => {
    const r = resourceOf(node);
    await vscode.env.clipboard.writeText(r.ref.name);
    return r.ref.name;
  });

  commands.register(COMMANDS.delete, async (node?: unknown) => {
    const r = resourceOf(node);
    const session = await service.session();
    if (session.contextName !== r.context) throw new UserFacingError(`That object belongs to context "${r.context}", not the current "${session.contextName}".`);
    const what = `${r.ref.kind} ${r.ref.namespace ? `${r.ref.namespace}/` : ''}${r.ref.name}`;
    const answer = await vscode.window.showWarningMessage(`Delete ${what}?`, { modal: true, detail: `From the cluster of context "${r.context}". This cannot be undone.` }, 'Delete');
    if (answer !== 'Delete') return false;
    await session.actions.delete(r.ref);
    log.info(`Deleted ${what} on ${r.context}`);
    return true;
  });

  /** Secrets of GatewayClass parameters first; "Another Secret…" lists a namespace's Secrets. */
  const pickSecret = async (): Promise<SecretRef | undefined> => {
    type Item = vscode.QuickPickItem & { ref?: SecretRef };
    // A user who may not list GatewayClasses (a namespace-scoped Role) still picks by namespace.
    const fromClasses = await vscode.window.withProgress({ location: { viewId: VIEW_ID } }, () => service.gatewayClassSecrets()).then(undefined, (err: unknown) => {
      log.warn(`Kubernetes: cannot read the GatewayClasses' parameters (${errorMessage(err)}); choose the Secret by namespace`);
      return [];
    });
    const other: Item = { label: '$(search) Another Secret…', detail: 'Choose a namespace, then one of its Secrets' };
    const first = fromClasses.length === 0 ? other : await vscode.window.showQuickPick<Item>([
      ...fromClasses.map((r) => ({ label: `$(key) ${r.namespace}/${r.name}`, description: `parameters of GatewayClass ${r.classes.join(', ')}`, ref: r })),
      other,
    ], { title: 'Import Data Plane API connections from a Secret', placeHolder: 'A Secret in the Load Balancer API format (key "value")' });
    if (!first) return undefined;
    if (first.ref) return first.ref;
    const session = await service.session();
    const namespaces = await service.listNamespaces().catch((err: unknown) => {
      log.warn(`Kubernetes: cannot list namespaces (${errorMessage(err)}); asking for one`);
      return undefined;
    });
    const fallback = session.client.contextNamespace ?? 'default';
    const namespace = namespaces
      ? (await vscode.window.showQuickPick(namespaces.map((n) => ({ label: n, picked: n === fallback })), { title: 'Namespace of the Secret' }))?.label
      : await vscode.window.showInputBox({ title: 'Namespace of the Secret', value: fallback, validateInput: (v) => (DNS_SUBDOMAIN.test(v) ? undefined : 'A namespace name') });
    if (!namespace) return undefined;
    const secrets = await vscode.window.withProgress({ location: { viewId: VIEW_ID } }, () => service.listSecrets(namespace));
    if (secrets.length === 0) throw new UserFacingError(`Namespace "${namespace}" has no Secret (context "${session.contextName}").`);
    const chosen = await vscode.window.showQuickPick<Item>(secrets.map((s) => ({
      label: `${s.loadBalancerFormat ? '$(key)' : '$(lock)'} ${s.name}`,
      description: `${s.type} · keys: ${s.keys.join(', ') || 'none'}`,
      detail: s.loadBalancerFormat ? 'Has the key "value" of the Load Balancer API format' : undefined,
      ref: s,
    })), { title: `Secrets of ${namespace}`, placeHolder: 'Only names and keys are shown; the chosen Secret is read when you pick it' });
    return chosen?.ref;
  };

  // From a GatewayClass in the tree (its parameters Secret), from `{ namespace, name, skipTest? }`,
  // or through pick lists. The Data Plane API feature validates, tests and stores the connections.
  commands.register(COMMANDS.importDataplaneSecret, async (arg?: unknown) => {
    let ref: SecretRef | undefined;
    let skipTest = false;
    let interactive = true;
    if (arg instanceof GatewayClassNode) {
      ref = arg.view.object ? parametersSecret(arg.view.object) : undefined;
      if (!ref) throw new UserFacingError(`GatewayClass ${arg.view.name} does not name a Secret (with its namespace) as its parameters.`);
    } else if (arg !== undefined) {
      const o = arg as { namespace?: unknown; name?: unknown; skipTest?: unknown };
      if (typeof o?.namespace !== 'string' || typeof o.name !== 'string' || !DNS_SUBDOMAIN.test(o.namespace) || !DNS_SUBDOMAIN.test(o.name)) {
        throw new UserFacingError('Name the Secret as { namespace, name } with Kubernetes names.');
      }
      ref = { namespace: o.namespace, name: o.name };
      skipTest = o.skipTest === true;
      interactive = false;
    } else {
      ref = await pickSecret();
    }
    if (!ref) return [];
    const session = await service.session();
    const target = ref;
    const secret = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Reading Secret ${target.namespace}/${target.name}…` }, () => session.actions.get({ kind: 'Secret', ...target }));
    return vscode.commands.executeCommand(DATAPLANE_IMPORT_COMMAND, {
      secret,
      source: `Secret ${target.namespace}/${target.name} of context "${session.contextName}"`,
      skipTest,
      interactive,
    });
  });

  return { service, tree, view, refresh };
}
