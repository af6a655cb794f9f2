// Entry point of the VIP capability: wires the core workflow (../core/service) to the Data Plane API
// servers, the cluster and the editor's prompts, registers the command table, the VIPs row under
// each server, and the VIP flags on Service rows of the Kubernetes tree.
import * as vscode from 'vscode';
import type { CommandRegistry } from '../../shell/commands';
import { coreLogger } from '../../shell/log';
import type { DataPlaneApi } from '../../dataplane/api';
import type { KubernetesApi } from '../../kubernetes/api';
import { parsePools, type PoolSetting } from '../core/addresses';
import { decorateVipService } from '../core/decorate';
import { VipWorkflow, type VipCluster, type VipServers } from '../core/service';
import { vipCommands } from './commands';
import { VipsNode } from './nodes';
import { PREVIEW_SCHEME, PreviewDocuments } from './preview';
import { vipPrompter } from './prompter';

export type { VipResult } from '../core/service';

export interface VipDeps {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  commands: CommandRegistry;
  dataplane: DataPlaneApi;
  kubernetes: KubernetesApi;
}

export function registerVip({ context, log, commands, dataplane, kubernetes }: VipDeps): void {
  const previews = new PreviewDocuments();
  context.subscriptions.push(
    previews,
    vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, previews),
    vscode.workspace.onDidCloseTextDocument((d) => d.uri.scheme === PREVIEW_SCHEME && previews.forget(d.uri)),
    dataplane.addConnectionChildren((parent, session, snapshot) => [new VipsNode(parent, session.id, snapshot)]),
  );
  // Service rows of the Kubernetes tree carry the VIP flags that the Resync and Delete menus read.
  context.subscriptions.push(kubernetes.decorateServices(decorateVipService));

  const servers: VipServers = {
    connections: () => dataplane.connections(),
    target: async (id) => {
      const s = await dataplane.session(id);
      return s && { id, name: s.name, client: s.client };
    },
    follow: (t, reloadId) => dataplane.followReload(t.id, reloadId),
    refresh: (id) => dataplane.refresh(id),
    watchReloads: () => {
      const states: string[] = [];
      const sub = dataplane.onDidChangeReloadState((s) => states.push(s.kind));
      return { states, dispose: () => sub.dispose() };
    },
  };
  const kube = kubernetes.service;
  const cluster: VipCluster = {
    servicesWithEndpoints: (namespace) => kube.servicesWithEndpoints(namespace),
    servicesOfAllNamespaces: () => kube.servicesOfAllNamespaces(),
    patchServiceStatus: (namespace, name, status) => kube.patchServiceStatus(namespace, name, status),
    patchServiceAnnotations: (namespace, name, annotations) =>
      kube.patchServiceAnnotations(namespace, name, annotations),
    create: (obj) => kube.create(obj),
    mergePatch: (ref, patch) => kube.mergePatch(ref, patch),
    tcpRouteVersion: () => kube.tcpRouteVersion(),
    actions: () => kube.actions(),
    gatewayClasses: async () => {
      const tree = await kube.gatewayTree('classes');
      return tree.state === 'ok' ? tree.model.classes.filter((c) => c.exists).map((c) => c.name) : [];
    },
    refresh: () => kubernetes.refresh(),
  };
  const workflow = new VipWorkflow({
    servers,
    cluster,
    ui: vipPrompter(log, previews, (q) => dataplane.askRuntimeState(q)),
    logger: coreLogger(log),
    pools: poolsSetting(log),
  });
  commands.registerTable({ workflow, resourceOf: (node) => kubernetes.resourceOf(node) }, vipCommands);
}

/** The valid pools of `haproxyGateway.vip.pools`; invalid ones are logged once per change. */
function poolsSetting(log: vscode.LogOutputChannel): () => PoolSetting[] {
  let reported = '';
  return () => {
    const { pools, problems } = parsePools(
      vscode.workspace.getConfiguration('haproxyGateway.vip').get<unknown>('pools'),
    );
    const text = problems.join('\n');
    if (text && text !== reported) log.warn(`Ignoring invalid VIP pools in settings:\n${text}`);
    reported = text;
    return pools;
  };
}
