// Target resolution for the resource commands, once: the tree row a menu passes, else the selection.
import * as vscode from 'vscode';
import { UserFacingError } from '../../shared/errors';
import type { KubernetesContext } from './context';
import { isResourceNode, type ResourceNode } from './nodes';

export function resolveResource(ctx: KubernetesContext, node: unknown): ResourceNode {
  if (isResourceNode(node)) return node;
  const selected = ctx.view.selection.find(isResourceNode);
  if (selected) return selected;
  throw new UserFacingError(vscode.l10n.t('Select a Kubernetes object in the tree first.'));
}
