// "VIP Pools" under each Data Plane API connection: per pool of `haproxyGateway.vip.pools`, used /
// free / total and who holds each address (a Service, a frontend bind, a backend server, on every
// server: pools are shared by the servers they serve), conflicts flagged with a warning and why.
// Under the connections because a VIP is an address on the HAProxy hosts, and the VIPs row next to
// it lists what this server binds; the counts are the same under each connection.
import * as vscode from 'vscode';
import { escapeMarkdown } from '../../shared/markdown';
import { ParentNode, TreeNode, contextValue } from '../../shell/tree';
import type { Gathered } from '../core/gather';
import { poolUsageInput } from '../core/gather';
import { poolUsage, type AddressUse, type Holder, type PoolUsage } from '../core/pools';

export type PoolsSource = () => Promise<Gathered>;

export function holderText(h: Holder): string {
  if (h.kind === 'service') return vscode.l10n.t('Service {0}/{1} ({2})', h.namespace, h.name, h.how);
  if (h.kind === 'bind')
    return vscode.l10n.t('frontend {0} on {1}{2}', h.frontend, h.connectionId, h.port ? `, port ${h.port}` : '');
  return vscode.l10n.t('server {0} of backend {1} on {2}', h.server, h.backend, h.connectionId);
}

export class VipPoolsNode extends ParentNode {
  readonly id: string;
  protected readonly emptyLabel = vscode.l10n.t('No VIP pool: add one to the setting haproxyGateway.vip.pools');

  constructor(
    parent: TreeNode,
    private readonly source: PoolsSource,
  ) {
    super(parent);
    this.id = `${parent.id}/vipPools`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.l10n.t('VIP Pools'), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('symbol-array');
    item.tooltip = vscode.l10n.t('Addresses of haproxyGateway.vip.pools: used, free, and who holds each');
    item.contextValue = contextValue('vipPools');
    return item;
  }

  protected async loadChildren(): Promise<TreeNode[]> {
    const g = await this.source();
    const usage = poolUsage(poolUsageInput(g));
    return usage.pools.map((p) => new PoolNode(this, p));
  }
}

export class PoolNode extends ParentNode {
  readonly id: string;
  protected readonly emptyLabel = vscode.l10n.t('No address of this pool is in use');

  constructor(
    parent: VipPoolsNode,
    readonly usage: PoolUsage,
  ) {
    super(parent);
    this.id = `${parent.id}/${usage.range}`;
  }

  getTreeItem(): vscode.TreeItem {
    const u = this.usage;
    const conflicts = u.addresses.filter((a) => a.conflict).length;
    const item = new vscode.TreeItem(u.range, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = u.error
      ? u.error
      : vscode.l10n.t('{0} used · {1} free · {2} total', u.used, String(u.free), String(u.total));
    const warn = Boolean(u.error) || conflicts > 0 || (!u.error && u.free === 0n);
    item.iconPath = warn
      ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'))
      : new vscode.ThemeIcon('symbol-array');
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**${escapeMarkdown(u.range)}**`);
    if (u.namespaces.length)
      md.appendMarkdown('  \n').appendMarkdown(
        escapeMarkdown(vscode.l10n.t('namespaces: {0}', u.namespaces.join(', '))),
      );
    if (conflicts)
      md.appendMarkdown('  \n').appendMarkdown(escapeMarkdown(vscode.l10n.t('{0} conflict(s)', conflicts)));
    if (!u.error && u.free === 0n) md.appendMarkdown('  \n').appendMarkdown(escapeMarkdown(vscode.l10n.t('exhausted')));
    item.tooltip = md;
    item.contextValue = contextValue('vipPool', { conflict: conflicts > 0, exhausted: !u.error && u.free === 0n });
    return item;
  }

  protected async loadChildren(): Promise<TreeNode[]> {
    return this.usage.addresses.map((a) => new PoolAddressNode(this, a));
  }
}

export class PoolAddressNode extends TreeNode {
  readonly id: string;

  constructor(
    parent: PoolNode,
    readonly use: AddressUse,
  ) {
    super(parent);
    this.id = `${parent.id}/${use.address}`;
  }

  getTreeItem(): vscode.TreeItem {
    const a = this.use;
    const item = new vscode.TreeItem(a.address, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = a.holders.map(holderText).join(' · ');
    item.iconPath = a.conflict
      ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'))
      : new vscode.ThemeIcon('circle-filled');
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**${escapeMarkdown(a.address)}**`);
    for (const h of a.holders) md.appendMarkdown('  \n').appendMarkdown(escapeMarkdown(holderText(h)));
    if (a.conflict)
      md.appendMarkdown('\n\n$(warning) ').appendMarkdown(escapeMarkdown(vscode.l10n.t('Conflict: {0}', a.conflict)));
    md.supportThemeIcons = true;
    item.tooltip = md;
    item.contextValue = contextValue('vipPoolAddress', { conflict: Boolean(a.conflict) });
    return item;
  }
}
