// The runtime-state question before a change that reloads (words from ../core/runtimeState):
// keep by re-applying after the reload, keep by writing it into the configuration (raw saves
// only), or let the reload reset it. Escape cancels the change.
import * as vscode from 'vscode';
import type { RuntimeChoice, RuntimeStateQuestion } from '../core/runtimeState';

export async function askRuntimeState(q: RuntimeStateQuestion): Promise<RuntimeChoice | undefined> {
  const keep = vscode.l10n.t('Keep (re-apply after the reload)');
  const persist = vscode.l10n.t('Write into the configuration');
  const reset = vscode.l10n.t('Let the reload reset it');
  const buttons = q.canPersist ? [keep, persist, reset] : [keep, reset];
  const picked = await vscode.window.showWarningMessage(q.message, { modal: true, detail: q.detail }, ...buttons);
  return picked === keep ? 'reapply' : picked === persist ? 'persist' : picked === reset ? 'reset' : undefined;
}
