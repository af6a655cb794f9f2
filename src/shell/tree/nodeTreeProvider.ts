import * as vscode from 'vscode';
import { TreeNode } from './treeNode';

/** A TreeDataProvider over TreeNode: the nodes do the work, this only adapts them to VS Code. */
export class NodeTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private tokenSource = new vscode.CancellationTokenSource();

  constructor(private readonly roots: (token: vscode.CancellationToken) => Promise<TreeNode[]>) {}

  /** Redraws `node` and its subtree, or the whole tree; pending loads of the old tree are cancelled. */
  refresh(node?: TreeNode): void {
    if (!node) {
      this.tokenSource.cancel();
      this.tokenSource.dispose();
      this.tokenSource = new vscode.CancellationTokenSource();
    }
    this.changed.fire(node);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  getChildren(node?: TreeNode): Promise<TreeNode[]> {
    return node ? node.getChildren(this.tokenSource.token) : this.roots(this.tokenSource.token);
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.parent;
  }

  dispose(): void {
    this.tokenSource.cancel();
    this.tokenSource.dispose();
    this.changed.dispose();
  }
}
