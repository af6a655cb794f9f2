// The Kubernetes tree, one small class per level: Context → GatewayClasses → namespaces →
// Gateways → listeners → routes → backend Services; and Context → Services → namespaces →
// Services → endpoints. Nodes read the in-memory model of the core service; children load lazily,
// so a level that is never expanded starts no watch.
import * as vscode from 'vscode';
import { ErrorNode, MessageNode, ParentNode, TreeNode, contextValue } from '../../shell/tree';
import { parametersSecret } from '../core/secrets';
import { conditionsMarkdown as conditionsTable } from '../core/tooltips';
import { escapeMarkdown, markdownCode } from '../../shared/markdown';
import type {
  ConditionView,
  EndpointView,
  GatewayClassView,
  GatewayView,
  ListenerView,
  RouteView,
  ServiceView,
  BackendView,
} from '../core/model';
import type { KubernetesService } from '../core/service';
import type { ObjectRef, KubeObject } from '../core/types';
import type { ResourceTarget } from '../api';
import type { ContextInfo } from '../core/kubeconfig';
import type { ServiceDecorations } from './decorations';

/** Nodes that stand for one Kubernetes object: the resource commands accept them. */
export type ResourceNode = ResourceTarget;

export function isResourceNode(node: unknown): node is ResourceNode & TreeNode {
  return node instanceof TreeNode && 'ref' in node && 'context' in node;
}

function icon(id: string, color?: string): vscode.ThemeIcon {
  return new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
}

/** True: green check; False: red error; Unknown or absent: yellow circle; stale: yellow history. */
export function conditionIcon(c: ConditionView | undefined, fallback = 'circle-outline'): vscode.ThemeIcon {
  if (!c) return icon(fallback, 'list.warningForeground');
  if (c.stale) return icon('history', 'list.warningForeground');
  if (c.status === 'True') return icon('pass-filled', 'testing.iconPassed');
  if (c.status === 'False') return icon('error', 'list.errorForeground');
  return icon('circle-outline', 'list.warningForeground');
}

function conditionState(c: ConditionView | undefined): string {
  if (!c) return 'none';
  return c.stale ? 'stale' : c.status;
}

function header(kind: string, name: string, namespace?: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**${kind}** `);
  md.appendMarkdown(escapeMarkdown(namespace ? `${namespace}/${name}` : name));
  return md;
}

function item(label: string, collapsible: boolean | 'expanded', id: string): vscode.TreeItem {
  const state =
    collapsible === 'expanded'
      ? vscode.TreeItemCollapsibleState.Expanded
      : collapsible
        ? vscode.TreeItemCollapsibleState.Collapsed
        : vscode.TreeItemCollapsibleState.None;
  const t = new vscode.TreeItem(label, state);
  t.id = id;
  return t;
}

function errorRows(parent: TreeNode, errors: { kind: string; error: unknown }[]): TreeNode[] {
  return errors.map((e) => new ErrorNode(parent, `${parent.id}/error/${e.kind}`, e.error));
}

// ---- Context ------------------------------------------------------------------------------

export class ContextNode extends ParentNode {
  readonly id: string;
  protected readonly emptyLabel = vscode.l10n.t('Nothing to show');

  constructor(
    private readonly service: KubernetesService,
    readonly info: ContextInfo,
    /** Other capabilities' contributions to the Service rows below this context. */
    readonly decorations: ServiceDecorations,
  ) {
    super(undefined);
    this.id = `k8s/${info.name}`;
  }

  get context(): string {
    return this.info.name;
  }

  getTreeItem(): vscode.TreeItem {
    const t = item(this.info.name, 'expanded', this.id);
    const filter = this.service.namespaces;
    t.description = [this.info.server, filter ? `ns: ${filter.join(', ')}` : undefined].filter(Boolean).join(' · ');
    t.iconPath = icon('server-environment');
    const md = header('Context', this.info.name);
    md.appendMarkdown(`\n\nCluster: ${markdownCode(this.info.cluster)} · user: ${markdownCode(this.info.user)}`);
    if (this.info.server) md.appendMarkdown(`\n\nServer: ${escapeMarkdown(this.info.server)}`);
    if (this.info.namespace) md.appendMarkdown(`\n\nDefault namespace: ${markdownCode(this.info.namespace)}`);
    const kubectl = this.info.isKubectlCurrent
      ? vscode.l10n.t("This is also kubectl's current context.")
      : vscode.l10n.t("kubectl's current context is another one.");
    md.appendMarkdown(`\n\n${kubectl}`);
    md.appendMarkdown(
      filter
        ? `\n\nShowing namespaces: ${filter.map((n) => markdownCode(n)).join(', ')}`
        : '\n\n' + vscode.l10n.t('Showing all namespaces.'),
    );
    t.tooltip = md;
    t.contextValue = contextValue('k8s.context', {
      kubectlCurrent: this.info.isKubectlCurrent,
      filtered: Boolean(filter),
    });
    return t;
  }

  protected async loadChildren(): Promise<TreeNode[]> {
    const result = await this.service.gatewayTree('classes');
    const children: TreeNode[] = [];
    if (result.state === 'notInstalled') {
      children.push(
        new MessageNode(
          this,
          `${this.id}/no-gateway-api`,
          result.explanation,
          icon('warning', 'list.warningForeground'),
        ),
      );
    } else {
      children.push(...errorRows(this, result.errors));
      if (result.model.classes.length === 0 && result.errors.length === 0)
        children.push(new MessageNode(this, `${this.id}/no-classes`, vscode.l10n.t('No GatewayClass or Gateway')));
      for (const c of result.model.classes) children.push(new GatewayClassNode(this, this.service, c));
    }
    children.push(new ServicesFolderNode(this, this.service));
    return children;
  }
}

// ---- Gateway API ---------------------------------------------------------------------------

export class GatewayClassNode extends ParentNode implements ResourceNode {
  readonly id: string;
  protected readonly emptyLabel = vscode.l10n.t('No Gateway of this class');
  readonly ref: ObjectRef;

  constructor(
    readonly parentContext: ContextNode,
    private readonly service: KubernetesService,
    readonly view: GatewayClassView,
  ) {
    super(parentContext);
    this.id = `${parentContext.id}/gc/${view.name}`;
    this.ref = view.ref;
  }

  get context(): string {
    return this.parentContext.context;
  }

  getTreeItem(): vscode.TreeItem {
    const v = this.view;
    const t = item(v.name, v.gatewayCount > 0, this.id);
    t.description = v.exists
      ? `${v.controllerName}${v.gatewayCount ? ` · ${v.gatewayCount} Gateway${v.gatewayCount > 1 ? 's' : ''}` : ''}`
      : vscode.l10n.t('GatewayClass not found');
    t.iconPath = v.exists ? conditionIcon(v.accepted) : icon('question', 'list.errorForeground');
    const md = header('GatewayClass', v.name);
    if (v.exists) {
      md.appendMarkdown(`\n\nController: ${markdownCode(v.controllerName)}`);
      if (v.description) md.appendMarkdown('\n\n').appendMarkdown(escapeMarkdown(v.description));
      md.appendMarkdown(conditionsTable(v.accepted ? [v.accepted] : []));
    } else
      md.appendMarkdown(
        '\n\n' +
          /* eslint-disable max-len -- one literal for the translation bundle (its exporter reads the first argument) */
          vscode.l10n.t(
            'These Gateways name a GatewayClass that does not exist (or that you cannot read): no controller will program them.',
          ),
        /* eslint-enable max-len */
      );
    t.tooltip = md;
    t.contextValue = v.exists
      ? contextValue('k8s.gatewayclass', {
          resource: true,
          accepted: conditionState(v.accepted),
          parametersSecret: Boolean(v.object && parametersSecret(v.object)),
        })
      : contextValue('k8s.gatewayclass', { missing: true });
    return t;
  }

  protected async loadChildren(): Promise<TreeNode[]> {
    return this.view.namespaces.map((g) => new GatewayNamespaceNode(this, this.service, g.namespace, g.items));
  }
}

export class GatewayNamespaceNode extends ParentNode {
  readonly id: string;
  protected readonly emptyLabel = vscode.l10n.t('No Gateway');

  constructor(
    readonly classNode: GatewayClassNode,
    private readonly service: KubernetesService,
    readonly namespace: string,
    private readonly gateways: GatewayView[],
  ) {
    super(classNode);
    this.id = `${classNode.id}/ns/${namespace}`;
  }

  getTreeItem(): vscode.TreeItem {
    const t = item(this.namespace, true, this.id);
    const notProgrammed = this.gateways.filter((g) => g.programmed?.status !== 'True').length;
    t.description =
      `${this.gateways.length} ` +
      `Gateway${this.gateways.length > 1 ? 's' : ''}${notProgrammed ? ` · ${notProgrammed} not programmed` : ''}`;
    t.iconPath = icon('symbol-namespace');
    t.contextValue = contextValue('k8s.namespace', { namespace: this.namespace });
    return t;
  }

  protected async loadChildren(): Promise<TreeNode[]> {
    return this.gateways.map((g) => new GatewayNode(this, this.service, this.classNode.context, g));
  }
}

export class GatewayNode extends ParentNode implements ResourceNode {
  readonly id: string;
  protected readonly emptyLabel = vscode.l10n.t('No listener');
  readonly ref: ObjectRef;

  constructor(
    parent: TreeNode,
    private readonly service: KubernetesService,
    readonly context: string,
    readonly view: GatewayView,
  ) {
    super(parent);
    this.id = `${parent.id}/gw/${view.name}`;
    this.ref = view.ref;
  }

  getTreeItem(): vscode.TreeItem {
    const v = this.view;
    const t = item(v.name, true, this.id);
    const p = v.programmed;
    const state = p
      ? `${p.type}=${p.status}${p.reason && p.reason !== p.type ? ` (${p.reason})` : ''}${p.stale ? ' (stale)' : ''}`
      : vscode.l10n.t('not reconciled yet');
    t.description = [
      v.addresses.join(', ') || undefined,
      `${v.listeners.length} listener${v.listeners.length === 1 ? '' : 's'}`,
      state,
    ]
      .filter(Boolean)
      .join(' · ');
    t.iconPath = conditionIcon(v.programmed ?? v.accepted);
    const md = header('Gateway', v.name, v.namespace);
    md.appendMarkdown(`\n\nClass: ${markdownCode(v.className)}`);
    md.appendMarkdown(
      `\n\nAddresses: ` +
        `${v.addresses.length ? v.addresses.map((a) => markdownCode(a)).join(', ') : '_none_'}` +
        `${v.addresses.length && !v.addressesFromStatus ? ' (requested; not reported in status yet)' : ''}`,
    );
    const listeners = v.listeners
      .map((l) => {
        const routes = `${l.attachedRoutes} route${l.attachedRoutes === 1 ? '' : 's'}`;
        return `${markdownCode(l.name)} ${escapeMarkdown(l.protocol)}:${l.port} (${routes})`;
      })
      .join(', ');
    md.appendMarkdown(`\n\nListeners: ${listeners || '_none_'}`);
    md.appendMarkdown(conditionsTable(v.conditions));
    t.tooltip = md;
    t.contextValue = contextValue('k8s.gateway', {
      resource: true,
      accepted: conditionState(v.accepted),
      programmed: conditionState(v.programmed),
    });
    return t;
  }

  protected async loadChildren(): Promise<TreeNode[]> {
    const result = await this.service.gatewayTree('backends');
    if (result.state !== 'ok') return [];
    const fresh = result.model.gateways.find((g) => g.namespace === this.view.namespace && g.name === this.view.name);
    if (!fresh)
      return [new MessageNode(this, `${this.id}/gone`, vscode.l10n.t('This Gateway no longer exists'), icon('trash'))];
    const children: TreeNode[] = errorRows(
      this,
      result.errors.filter((e) => e.kind !== 'GatewayClass' && e.kind !== 'Gateway'),
    );
    children.push(...fresh.listeners.map((l) => new ListenerNode(this, this.service, fresh, l)));
    const inListeners = new Set(
      fresh.listeners.flatMap((l) => l.routes.map((r) => `${r.kind}/${r.namespace}/${r.name}`)),
    );
    for (const r of fresh.routes)
      if (!inListeners.has(`${r.kind}/${r.namespace}/${r.name}`))
        children.push(new RouteNode(this, this.context, r, vscode.l10n.t('matches no listener')));
    return children;
  }
}

export class ListenerNode extends ParentNode {
  readonly id: string;
  protected readonly emptyLabel = vscode.l10n.t('No route attached');

  constructor(
    readonly gatewayNode: GatewayNode,
    _service: KubernetesService,
    readonly gateway: GatewayView,
    readonly view: ListenerView,
  ) {
    super(gatewayNode);
    this.id = `${gatewayNode.id}/l/${view.name}`;
  }

  getTreeItem(): vscode.TreeItem {
    const v = this.view;
    const t = item(v.name, v.routes.length > 0, this.id);
    const reported =
      v.reportedAttachedRoutes !== undefined && v.reportedAttachedRoutes !== v.attachedRoutes
        ? ` (controller reports ${v.reportedAttachedRoutes})`
        : '';
    t.description =
      `${v.protocol}:${v.port}${v.hostname ? ` ${v.hostname}` : ''} · ${v.attachedRoutes} ` +
      `route${v.attachedRoutes === 1 ? '' : 's'}${reported}`;
    const programmed = v.conditions.find((c) => c.type === 'Programmed');
    t.iconPath = v.conditions.length ? conditionIcon(programmed ?? v.conditions[0]) : icon('plug');
    const md = header('Listener', v.name);
    md.appendMarkdown(
      `\n\n${escapeMarkdown(v.protocol)} port ` +
        `${v.port}${v.hostname ? `, hostname ${markdownCode(v.hostname)}` : ''}; routes found attached: ` +
        `${v.attachedRoutes}` +
        `${v.reportedAttachedRoutes !== undefined ? `, reported by the controller: ${v.reportedAttachedRoutes}` : ''}`,
    );
    md.appendMarkdown(conditionsTable(v.conditions));
    t.tooltip = md;
    t.contextValue = contextValue('k8s.listener', { protocol: v.protocol, programmed: conditionState(programmed) });
    return t;
  }

  protected async loadChildren(): Promise<TreeNode[]> {
    return this.view.routes.map((r) => new RouteNode(this, this.gatewayNode.context, r));
  }
}

export class RouteNode extends ParentNode implements ResourceNode {
  readonly id: string;
  protected readonly emptyLabel = vscode.l10n.t('No backend');
  readonly ref: ObjectRef;

  constructor(
    parent: TreeNode,
    readonly context: string,
    readonly view: RouteView,
    private readonly note?: string,
  ) {
    super(parent);
    this.id = `${parent.id}/r/${view.kind}/${view.namespace}/${view.name}`;
    this.ref = view.ref;
  }

  private get accepted(): ConditionView | undefined {
    return this.view.parents.find((p) => p.accepted)?.accepted;
  }

  getTreeItem(): vscode.TreeItem {
    const v = this.view;
    const t = item(v.name, v.backends.length > 0, this.id);
    t.description = [v.kind, v.hostnames.join(', ') || undefined, this.note].filter(Boolean).join(' · ');
    t.iconPath = this.accepted ? conditionIcon(this.accepted) : icon('git-pull-request');
    const md = header(v.kind, v.name, v.namespace);
    if (v.hostnames.length) md.appendMarkdown(`\n\nHostnames: ${v.hostnames.map((h) => markdownCode(h)).join(', ')}`);
    const parents = v.parents
      .map((p) =>
        markdownCode(
          `${p.gatewayNamespace}/${p.gatewayName}` +
            `${p.sectionName ? `#${p.sectionName}` : ''}${p.port ? `:${p.port}` : ''}`,
        ),
      )
      .join(', ');
    md.appendMarkdown(`\n\nParents: ${parents || '_none_'}`);
    const backends = v.backends
      .map((b) => markdownCode(`${b.namespace}/${b.name}${b.port ? `:${b.port}` : ''}`))
      .join(', ');
    md.appendMarkdown(`\n\nBackends: ${backends || '_none_'}`);
    md.appendMarkdown(
      conditionsTable(
        v.parents.flatMap((p) => [p.accepted, p.resolvedRefs]).filter((c): c is ConditionView => c !== undefined),
      ),
    );
    t.tooltip = md;
    t.contextValue = contextValue(`k8s.${v.kind.toLowerCase()}`, {
      resource: true,
      route: true,
      accepted: conditionState(this.accepted),
    });
    return t;
  }

  protected async loadChildren(): Promise<TreeNode[]> {
    return this.view.backends.map((b) => new BackendNode(this, this.context, b));
  }
}

export class BackendNode extends ParentNode implements ResourceNode {
  readonly id: string;
  protected readonly emptyLabel = vscode.l10n.t('No endpoint');
  readonly ref: ObjectRef;

  constructor(
    parent: TreeNode,
    readonly context: string,
    readonly view: BackendView,
  ) {
    super(parent);
    this.id = `${parent.id}/b/${view.kind}/${view.namespace}/${view.name}/${view.port ?? ''}`;
    this.ref = { kind: view.kind, name: view.name, namespace: view.namespace };
  }

  getTreeItem(): vscode.TreeItem {
    const v = this.view;
    const svc = v.service;
    const t = item(`${v.name}${v.port ? `:${v.port}` : ''}`, Boolean(svc && svc.endpoints.length), this.id);
    const isService = v.group === '' && v.kind === 'Service';
    t.description = !isService
      ? `${v.kind}${v.group ? `.${v.group}` : ''}`
      : svc
        ? `Service · ${svc.readyCount}/${svc.endpoints.length} ` +
          `ready${v.weight !== undefined ? ` · weight ${v.weight}` : ''}`
        : 'Service not found';
    t.iconPath = !isService
      ? icon('symbol-misc')
      : !svc
        ? icon('warning', 'list.errorForeground')
        : svc.readyCount > 0
          ? icon('symbol-interface', 'testing.iconPassed')
          : icon('symbol-interface', 'list.warningForeground');
    const md = header(`Backend ${v.kind}`, v.name, v.namespace);
    if (isService && !svc)
      md.appendMarkdown(
        '\n\n' + vscode.l10n.t('No such Service in the namespaces shown: the route cannot send traffic to it.'),
      );
    if (svc) serviceMarkdown(md, svc);
    const d = svc ? decorationOf(this, svc) : undefined;
    if (d) decorate(t, md, d);
    t.tooltip = md;
    t.contextValue = svc
      ? contextValue('k8s.service', { ...d?.contextFlags, resource: true, backend: true, ready: svc.readyCount > 0 })
      : contextValue('k8s.backend', { missing: isService });
    return t;
  }

  protected async loadChildren(): Promise<TreeNode[]> {
    return (this.view.service?.endpoints ?? []).map((e) => new EndpointNode(this, e));
  }
}

// ---- Services ------------------------------------------------------------------------------

/** Other capabilities' decoration of a Service row, from the context node at the top of the tree. */
function decorationOf(node: TreeNode, s: ServiceView): ReturnType<ServiceDecorations['for']> {
  let top: TreeNode = node;
  while (top.parent) top = top.parent;
  if (top instanceof ContextNode) return top.decorations.for(s.object);
  return { contextFlags: {}, description: '', tooltip: '' };
}

/** Applies a decoration's description and tooltip to a Service row. */
function decorate(t: vscode.TreeItem, md: vscode.MarkdownString, d: ReturnType<ServiceDecorations['for']>): void {
  if (d.description) t.description = [t.description, d.description].filter(Boolean).join(' · ');
  if (d.tooltip) md.appendMarkdown(`\n\n${d.tooltip}`);
}

function serviceMarkdown(md: vscode.MarkdownString, s: ServiceView): void {
  md.appendMarkdown(
    `\n\nType: ${markdownCode(s.type)}${s.clusterIP ? ` · cluster IP ${markdownCode(s.clusterIP)}` : ''}` +
      `${s.selectorless ? ' · selectorless' : ''}`,
  );
  const ports = s.ports
    .map((p) =>
      markdownCode(
        `${p.name ? `${p.name} ` : ''}${p.port}→${p.targetPort ?? p.port}/${p.protocol}` +
          `${p.nodePort ? ` (node ${p.nodePort})` : ''}`,
      ),
    )
    .join(', ');
  md.appendMarkdown(`\n\nPorts: ${ports || '_none_'}`);
  if (s.loadBalancerIngress.length)
    md.appendMarkdown(`\n\nLoad balancer ingress: ${s.loadBalancerIngress.map((i) => markdownCode(i)).join(', ')}`);
  md.appendMarkdown(
    `\n\nEndpoints (${s.endpointSource === 'none' ? 'none found' : `from ${s.endpointSource}`}): ` +
      `${s.readyCount}/${s.endpoints.length} ready`,
  );
}

export class ServicesFolderNode extends ParentNode {
  readonly id: string;
  protected readonly emptyLabel = vscode.l10n.t('No Service');

  constructor(
    readonly contextNode: ContextNode,
    private readonly service: KubernetesService,
  ) {
    super(contextNode);
    this.id = `${contextNode.id}/services`;
  }

  getTreeItem(): vscode.TreeItem {
    const t = item('Services', true, this.id);
    t.iconPath = icon('symbol-interface');
    t.contextValue = contextValue('k8s.services');
    return t;
  }

  protected async loadChildren(): Promise<TreeNode[]> {
    const result = await this.service.serviceTree(false);
    return [
      ...errorRows(this, result.errors),
      ...result.index.byNamespace.map((g) => new ServiceNamespaceNode(this, this.service, g.namespace, g.items.length)),
    ];
  }
}

export class ServiceNamespaceNode extends ParentNode {
  readonly id: string;
  protected readonly emptyLabel = vscode.l10n.t('No Service');

  constructor(
    readonly folder: ServicesFolderNode,
    private readonly service: KubernetesService,
    readonly namespace: string,
    private readonly count: number,
  ) {
    super(folder);
    this.id = `${folder.id}/ns/${namespace}`;
  }

  getTreeItem(): vscode.TreeItem {
    const t = item(this.namespace, true, this.id);
    t.description = `${this.count} Service${this.count === 1 ? '' : 's'}`;
    t.iconPath = icon('symbol-namespace');
    t.contextValue = contextValue('k8s.namespace', { namespace: this.namespace });
    return t;
  }

  protected async loadChildren(): Promise<TreeNode[]> {
    const result = await this.service.serviceTree(true);
    const group = result.index.byNamespace.find((g) => g.namespace === this.namespace);
    return [
      ...errorRows(
        this,
        result.errors.filter((e) => e.kind !== 'Service'),
      ),
      ...(group?.items ?? []).map((s) => new ServiceNode(this, this.folder.contextNode.context, s)),
    ];
  }
}

export class ServiceNode extends ParentNode implements ResourceNode {
  readonly id: string;
  protected readonly emptyLabel = vscode.l10n.t('No endpoint');
  readonly ref: ObjectRef;

  constructor(
    parent: TreeNode,
    readonly context: string,
    readonly view: ServiceView,
  ) {
    super(parent);
    this.id = `${parent.id}/svc/${view.name}`;
    this.ref = view.ref;
  }

  get object(): KubeObject {
    return this.view.object;
  }

  getTreeItem(): vscode.TreeItem {
    const s = this.view;
    const t = item(s.name, true, this.id);
    const ports = s.ports.map((p) => `${p.port}→${p.targetPort ?? p.port}/${p.protocol}`).join(', ');
    t.description = [
      s.type,
      ports || undefined,
      s.loadBalancerIngress.join(', ') || undefined,
      `${s.readyCount}/${s.endpoints.length} ready`,
    ]
      .filter(Boolean)
      .join(' · ');
    t.iconPath =
      s.endpoints.length === 0
        ? icon('symbol-interface', 'list.warningForeground')
        : s.readyCount === s.endpoints.length
          ? icon('symbol-interface', 'testing.iconPassed')
          : icon('symbol-interface', 'list.warningForeground');
    const md = header('Service', s.name, s.namespace);
    serviceMarkdown(md, s);
    const d = decorationOf(this, s);
    decorate(t, md, d);
    t.tooltip = md;
    const lb = s.loadBalancerIngress.length > 0;
    const flags = { type: s.type, selectorless: s.selectorless, ready: s.readyCount > 0, lb };
    t.contextValue = contextValue('k8s.service', { ...d.contextFlags, resource: true, ...flags });
    return t;
  }

  protected async loadChildren(): Promise<TreeNode[]> {
    return this.view.endpoints.map((e) => new EndpointNode(this, e));
  }
}

export class EndpointNode extends TreeNode {
  readonly id: string;

  constructor(
    parent: TreeNode,
    readonly view: EndpointView,
  ) {
    super(parent);
    this.id = `${parent.id}/ep/${view.address}`;
  }

  getTreeItem(): vscode.TreeItem {
    const e = this.view;
    const t = item(e.ports.length === 1 ? `${e.address}:${e.ports[0]}` : e.address, false, this.id);
    t.description = [
      e.ready ? vscode.l10n.t('ready') : vscode.l10n.t('not ready'),
      e.terminating ? vscode.l10n.t('terminating') : undefined,
      e.ports.length > 1 ? `ports ${e.ports.join(', ')}` : undefined,
      e.target,
      e.nodeName,
    ]
      .filter(Boolean)
      .join(' · ');
    t.iconPath = e.ready ? icon('circle-filled', 'testing.iconPassed') : icon('circle-outline', 'list.errorForeground');
    t.contextValue = contextValue('k8s.endpoint', { ready: e.ready });
    return t;
  }
}
