// Commands on one Kubernetes object of the tree: view, edit, describe, copy its name, delete.
import * as vscode from 'vscode';
import { UserFacingError } from '../../shared/errors';
import type { KubernetesContext } from './context';
import { EDIT_SCHEME, VIEW_SCHEME, resourceUri } from './documents';
import { resolveResource } from './resolve';

export async function openYaml(ctx: KubernetesContext, node?: unknown) {
  const r = resolveResource(ctx, node);
  const uri = resourceUri(VIEW_SCHEME, r.context, r.ref);
  ctx.readOnly.refresh(uri);
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.languages.setTextDocumentLanguage(doc, 'yaml');
  return vscode.window.showTextDocument(doc, { preview: true });
}

export async function editYaml(ctx: KubernetesContext, node?: unknown) {
  const r = resolveResource(ctx, node);
  const uri = resourceUri(EDIT_SCHEME, r.context, r.ref);
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.languages.setTextDocumentLanguage(doc, 'yaml');
  void vscode.window.setStatusBarMessage(
    vscode.l10n.t('Save to apply {0} {1} to context {2}', r.ref.kind, r.ref.name, r.context),
    5000,
  );
  return vscode.window.showTextDocument(doc, { preview: false });
}

export async function describe(ctx: KubernetesContext, node?: unknown) {
  const r = resolveResource(ctx, node);
  const uri = resourceUri(VIEW_SCHEME, r.context, r.ref, 'describe');
  ctx.readOnly.refresh(uri);
  const doc = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(doc, { preview: true });
}

export async function copyName(ctx: KubernetesContext, node?: unknown): Promise<string> {
  const r = resolveResource(ctx, node);
  await vscode.env.clipboard.writeText(r.ref.name);
  return r.ref.name;
}

export async function deleteResource(ctx: KubernetesContext, node?: unknown): Promise<boolean> {
  const r = resolveResource(ctx, node);
  const session = await ctx.service.session();
  if (session.contextName !== r.context) {
    throw new UserFacingError(
      vscode.l10n.t('That object belongs to context "{0}", not the current "{1}".', r.context, session.contextName),
    );
  }
  const what = `${r.ref.kind} ${r.ref.namespace ? `${r.ref.namespace}/` : ''}${r.ref.name}`;
  const detail = vscode.l10n.t('From the cluster of context "{0}". This cannot be undone.', r.context);
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t('Delete {0}?', what),
    { modal: true, detail },
    vscode.l10n.t('Delete'),
  );
  if (answer !== vscode.l10n.t('Delete')) return false;
  await session.actions.delete(r.ref);
  ctx.log.info(`Deleted ${what} on ${r.context}`);
  return true;
}
