// The VIP workflow's prompter in the editor: QuickInputs, messages, diff and document previews,
// progress notifications, and outcomes through the shell's one funnel (reportOutcome).
import * as vscode from 'vscode';
import { abortSignalFor } from '../../shell/cancellation';
import { reportOutcome } from '../../shell/outcome';
import type { VipPrompter } from '../core/service';
import type { PreviewDocuments } from './preview';
import { createVipWizard } from './wizard';

export function vipPrompter(
  log: vscode.LogOutputChannel,
  previews: PreviewDocuments,
  /** The Data Plane capability's runtime-state question (one wording for every change that reloads). */
  keepRuntimeState?: VipPrompter['keepRuntimeState'],
): VipPrompter {
  return {
    keepRuntimeState,
    askCreate: (sources, args, preset) => {
      const liveStates = (ids: string[]) =>
        Promise.resolve(
          vscode.window.withProgress(
            { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Reading the live configurations…') },
            () => sources.liveStates(ids),
          ),
        );
      return createVipWizard({ ...sources, liveStates }, args, preset);
    },
    pickService: async (items, placeHolder) => (await vscode.window.showQuickPick(items, { placeHolder }))?.ctx,
    confirm: async ({ level, message, detail, action, modal }) => {
      const show = level === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
      const choice = modal
        ? await show(message, { modal: true, detail }, action)
        : await show(message, action, vscode.l10n.t('Cancel'));
      return choice === action;
    },
    showDiff: async ({ connectionId, before, after, title, preview }) => {
      const uris = previews.pair(connectionId);
      previews.set(uris.before, before);
      previews.set(uris.after, after);
      await vscode.commands.executeCommand('vscode.diff', uris.before, uris.after, title, { preview });
    },
    showDocument: async ({ name, text, language }) => {
      const uri = previews.single(name);
      previews.set(uri, text);
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.languages.setTextDocumentLanguage(doc, language);
      await vscode.window.showTextDocument(doc, { preview: true });
    },
    progress: async (title, work) =>
      vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title, cancellable: true },
        async (progress, token) => {
          const abort = abortSignalFor(token);
          try {
            return await work(abort.signal, (message) => progress.report({ message }));
          } finally {
            abort.dispose();
          }
        },
      ),
    report: async ({ level, message, actions }) => {
      let chosen: string | undefined;
      await reportOutcome(log, {
        level,
        message,
        actions: (actions ?? []).map((title) => ({ title, run: () => (chosen = title) })),
      });
      return chosen;
    },
  };
}
