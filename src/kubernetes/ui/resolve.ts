// Target resolution for the resource commands, once: the tree row a menu passes, arguments
// `{ kind, name, namespace? }` from a caller (the doctor's fixes) in the current context, else the selection.
import * as vscode from 'vscode';
import { UserFacingError } from '../../shared/errors';
import type { KubernetesContext } from './context';
import { isResourceNode, type ResourceNode } from './nodes';

export function resolveResource(ctx: KubernetesContext, node: unknown): ResourceNode {
  if (isResourceNode(node)) return node;
  const o = node as { kind?: unknown; name?: unknown; namespace?: unknown } | undefined;
  if (o && typeof o === 'object' && typeof o.kind === 'string' && typeof o.name === 'string' && o.name !== '') {
    const context = ctx.service.currentContext();
    if (!context) throw new UserFacingError('No current Kubernetes context: choose one first.');
    const namespace = typeof o.namespace === 'string' && o.namespace !== '' ? o.namespace : undefined;
    return { context, ref: { kind: o.kind, name: o.name, ...(namespace ? { namespace } : {}) } };
  }
  const selected = ctx.view.selection.find(isResourceNode);
  if (selected) return selected;
  throw new UserFacingError(vscode.l10n.t('Select a Kubernetes object in the tree first.'));
}
