// The "VIPs" row under each Data Plane API server: the frontends named by our scheme, read from the
// snapshot the connection already loaded (no extra request), with Resync and Delete on each.
import * as vscode from 'vscode';
import { escapeMarkdown } from '../../shared/markdown';
import { ParentNode, TreeNode, contextValue } from '../../shell/tree';
import type { TreeSnapshot } from '../../dataplane/api';
import { readLiveState, servedVips, type ServedVip } from '../core/live';

export class VipsNode extends ParentNode {
  readonly id: string;
  protected readonly emptyLabel = vscode.l10n.t('No VIP here yet: run "Create VIP for Service…" on a Service');
  private readonly vips: ServedVip[];

  constructor(
    parent: TreeNode,
    readonly connectionId: string,
    snapshot: TreeSnapshot,
  ) {
    super(parent);
    this.id = `${parent.id}/vips`;
    this.vips = servedVips(readLiveState(snapshot.rawText));
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('VIPs', vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = String(this.vips.length);
    item.iconPath = new vscode.ThemeIcon('broadcast');
    item.tooltip = vscode.l10n.t(
      'Virtual IPs this server serves for Kubernetes Services (frontends named vip_<namespace>_<service>_<port>)',
    );
    item.contextValue = contextValue('vips');
    return item;
  }

  protected async loadChildren(): Promise<TreeNode[]> {
    return this.vips.map((v) => new VipNode(this, this.connectionId, v));
  }
}

export class VipNode extends TreeNode {
  readonly id: string;

  constructor(
    parent: VipsNode,
    readonly connectionId: string,
    readonly vip: ServedVip,
  ) {
    super(parent);
    this.id = `${parent.id}/${vip.frontend}`;
  }

  getTreeItem(): vscode.TreeItem {
    const v = this.vip;
    const where =
      v.binds
        .map((b) => `${b.address.includes(':') ? `[${b.address}]` : b.address}${b.port ? `:${b.port}` : ''}`)
        .join(', ') || v.frontend;
    const item = new vscode.TreeItem(where, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    const who = v.identity ? `${v.identity.namespace}/${v.identity.service} · port ${v.identity.port}` : v.frontend;
    item.description = `${who} · ${v.servers} server${v.servers === 1 ? '' : 's'}`;
    item.iconPath = new vscode.ThemeIcon(
      v.servers > 0 ? 'broadcast' : 'warning',
      v.servers > 0 ? undefined : new vscode.ThemeColor('list.warningForeground'),
    );
    const md = new vscode.MarkdownString();
    const servers = `${v.servers} server${v.servers === 1 ? '' : 's'}`;
    md.appendMarkdown('**VIP** ').appendMarkdown(escapeMarkdown(where));
    md.appendMarkdown('\n\nfrontend ').appendMarkdown(escapeMarkdown(v.frontend));
    if (v.backend) md.appendMarkdown('  \nbackend ').appendMarkdown(escapeMarkdown(`${v.backend} (${servers})`));
    if (v.identity) {
      const { namespace, service, port } = v.identity;
      md.appendMarkdown('  \nService ').appendMarkdown(escapeMarkdown(`${namespace}/${service}, port ${port}`));
    }
    item.tooltip = md;
    item.contextValue = contextValue('vip', { identity: Boolean(v.identity), empty: v.servers === 0 });
    return item;
  }
}
