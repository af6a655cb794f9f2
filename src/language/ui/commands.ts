// Every command of the haproxy.cfg language features: full id → named handler (see src/shell/commands.ts).
import * as vscode from 'vscode';
import type { CommandTable } from '../../shell/commands';
import { UserFacingError } from '../../shared/errors';
import { LANGUAGE_ID } from './convert';
import type { DiagnosticsController } from './diagnosticsController';
import type { DocumentVersions } from './versionStatus';

export interface LanguageContext {
  readonly diagnostics: DiagnosticsController;
  readonly versions: DocumentVersions;
}

/** Changes the HAProxy version a document targets (the language status item's Change link, quick fixes). */
function selectVersion(ctx: LanguageContext, uri?: unknown, version?: unknown) {
  return ctx.versions.select(uri, version);
}

/** Runs `haproxy -c` on a document (the URI a menu passes, else the active haproxy editor). */
async function validateWithHaproxy(ctx: LanguageContext, uri?: unknown) {
  const document = await targetDocument(uri);
  const result = await ctx.diagnostics.validateWithHaproxy(document, true);
  if (!result) return undefined;
  const summary =
    result.errors === 0 && result.warnings === 0
      ? vscode.l10n.t('HAProxy accepts this configuration.')
      : vscode.l10n.t('HAProxy reports {0} error(s) and {1} warning(s).', result.errors, result.warnings);
  void vscode.window.setStatusBarMessage(`$(check-all) ${summary}`, 5000);
  return result;
}

async function targetDocument(uri: unknown): Promise<vscode.TextDocument> {
  if (uri instanceof vscode.Uri) return vscode.workspace.openTextDocument(uri);
  const editor = vscode.window.activeTextEditor;
  if (editor && editor.document.languageId === LANGUAGE_ID) return editor.document;
  throw new UserFacingError(vscode.l10n.t('Open a haproxy.cfg file to validate it with HAProxy.'));
}

export const languageCommands: CommandTable<LanguageContext> = {
  'haproxyGateway.validateWithHaproxy': validateWithHaproxy,
  'haproxyGateway.haproxy.selectVersion': selectVersion,
};
