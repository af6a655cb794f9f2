import * as vscode from 'vscode';
import { errorMessage, isCancellation } from '../../shared/errors';

/**
 * A node of one of our trees. Subclasses are small: one per level, each knowing how to draw itself
 * and, for parents, how to load its children. Loading, error and empty states live here, once.
 */
export abstract class TreeNode {
  constructor(readonly parent: TreeNode | undefined) {}

  /** Stable id (unique in its tree) so VS Code keeps expansion and selection across refreshes. */
  abstract readonly id: string;

  abstract getTreeItem(): vscode.TreeItem;

  /** Leaves have no children. */
  getChildren(_token: vscode.CancellationToken): Promise<TreeNode[]> {
    return Promise.resolve([]);
  }
}

/** A parent whose children load asynchronously; failures and empty results become explanatory rows. */
export abstract class ParentNode extends TreeNode {
  /** Shown as a single row when there are no children. */
  protected abstract readonly emptyLabel: string;

  protected abstract loadChildren(token: vscode.CancellationToken): Promise<TreeNode[]>;

  override async getChildren(token: vscode.CancellationToken): Promise<TreeNode[]> {
    try {
      const children = await this.loadChildren(token);
      return children.length > 0 ? children : [new MessageNode(this, `${this.id}/empty`, this.emptyLabel)];
    } catch (err) {
      if (isCancellation(err)) return [];
      return [new ErrorNode(this, `${this.id}/error`, err)];
    }
  }
}

/** An informational row: an empty folder, a hint. */
export class MessageNode extends TreeNode {
  constructor(
    parent: TreeNode | undefined,
    readonly id: string,
    private readonly label: string,
    private readonly icon: vscode.ThemeIcon = new vscode.ThemeIcon('info'),
    private readonly command?: vscode.Command,
  ) {
    super(parent);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = this.icon;
    item.contextValue = contextValue('message');
    if (this.command) item.command = this.command;
    return item;
  }
}

/** A failure to load, shown where the children would be, with the full message in the tooltip. */
export class ErrorNode extends TreeNode {
  readonly message: string;

  constructor(
    parent: TreeNode | undefined,
    readonly id: string,
    readonly error: unknown,
  ) {
    super(parent);
    this.message = errorMessage(error);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.message, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
    item.tooltip = new vscode.MarkdownString().appendText(this.message);
    item.contextValue = contextValue('error');
    item.command = { command: 'haproxyGateway.showLog', title: vscode.l10n.t('Show Log') };
    return item;
  }
}

/**
 * Encodes a node's type and state for `when` clauses, e.g. `haproxyGateway:server state=drain connected`
 * matches `viewItem =~ /^haproxyGateway:server\b.*\bstate=drain\b/`.
 */
export function contextValue(type: string, flags: Record<string, string | boolean | undefined> = {}): string {
  const parts = [`haproxyGateway:${type}`];
  for (const [key, value] of Object.entries(flags).sort(([a], [b]) => a.localeCompare(b))) {
    if (value === true) parts.push(key);
    else if (typeof value === 'string' && value !== '') parts.push(`${key}=${value}`);
  }
  return parts.join(' ');
}
