// For tests and diagnostics: the rendered tree and the status bar as plain data. Reached through
// the API object `activate()` returns (`api.testing`), never through the command palette.
import * as vscode from 'vscode';
import type { NodeTreeProvider, TreeNode } from '../../shell/tree';
import type { DataPlaneContext } from './context';

export interface DescribedNode {
  label: string;
  description?: string;
  contextValue?: string;
  children?: DescribedNode[];
}

export interface DataPlaneTesting {
  /** The Data Plane tree, `depth` levels deep, expanding collapsed rows. */
  describeTree(depth?: number): Promise<DescribedNode[]>;
  /** The reload status bar's state and text. */
  reloadState(): { state: DataPlaneContext['reloads']['current']; text: string };
  /** The kept configuration versions of a connection, newest first. */
  configHistory(connectionId: string): Promise<{ hash: string; version?: number; source: string; text?: string }[]>;
}

export function dataPlaneTesting(ctx: DataPlaneContext): DataPlaneTesting {
  return {
    describeTree: (depth = 4) => describe(ctx.tree, undefined, Number(depth)),
    reloadState: () => ({ state: ctx.reloads.current, text: ctx.reloads.text }),
    configHistory: async (id) =>
      Promise.all((await ctx.history.list(id)).map(async (e) => ({ ...e, text: await ctx.history.text(id, e.hash) }))),
  };
}

async function describe(
  provider: NodeTreeProvider,
  node: TreeNode | undefined,
  depth: number,
): Promise<DescribedNode[]> {
  if (depth <= 0) return [];
  const out: DescribedNode[] = [];
  for (const c of await provider.getChildren(node)) {
    // Children first: a connection row shows its state only once it has loaded.
    const expandable = c.getTreeItem().collapsibleState !== vscode.TreeItemCollapsibleState.None;
    const children = expandable && depth > 1 ? await describe(provider, c, depth - 1) : undefined;
    const item = c.getTreeItem();
    const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
    const description = typeof item.description === 'string' ? item.description : undefined;
    out.push({ label, description, contextValue: item.contextValue, children });
  }
  return out;
}
