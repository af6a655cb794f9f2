// Entry point of the haproxy.cfg language features: one LanguageService shared by every provider,
// the diagnostics controller (static checks and haproxy -c), and the validation command.

import * as vscode from 'vscode';
import type { CommandRegistry } from '../../shell/commands';
import { loadLocalManual, type LocalManual } from '../core/localManual';
import { LanguageService } from '../core/service';
import { languageCommands } from './commands';
import { SELECTOR } from './convert';
import { DiagnosticsController } from './diagnosticsController';
import { HaproxyProviders } from './providers';
import { affectsLanguage, readSettings } from './settings';
import { DocumentVersions, type ServerVersionSource } from './versionStatus';

export interface LanguageFeatureDeps {
  readonly context: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  readonly commands: CommandRegistry;
}

export interface LanguageFeatures {
  /** Live configurations target the version their Data Plane API server reports. */
  useServerVersions(source: ServerVersionSource): void;
}

export function registerLanguageFeatures(deps: LanguageFeatureDeps): LanguageFeatures {
  const { context, log, commands } = deps;
  // Each document targets its own version (versionStatus.ts); the default is the newest data.
  const service = new LanguageService();
  let versions: DocumentVersions | undefined = undefined;
  const diagnostics = new DiagnosticsController(service, log, (d) => versions?.executable(d));
  versions = new DocumentVersions(service, log, (d) => diagnostics.recheck(d));

  // The local manual is read on the first hover that can use it, once per path.
  let manualPath: string | undefined;
  let manual: LocalManual | undefined;
  const localManual = (): LocalManual | undefined => {
    const wanted = readSettings().localManualPath;
    if (wanted !== manualPath) {
      manualPath = wanted;
      manual = wanted ? loadLocalManual(wanted) : undefined;
    }
    return manual;
  };

  const providers = new HaproxyProviders(service, diagnostics, localManual);
  context.subscriptions.push(
    diagnostics,
    versions,
    vscode.languages.registerDocumentSymbolProvider(SELECTOR, providers, { label: 'HAProxy' }),
    vscode.languages.registerFoldingRangeProvider(SELECTOR, providers),
    vscode.languages.registerHoverProvider(SELECTOR, providers),
    vscode.languages.registerCompletionItemProvider(SELECTOR, providers, ' ', '(', ',', '[', '.', '!', '@'),
    vscode.languages.registerSignatureHelpProvider(SELECTOR, providers, {
      triggerCharacters: ['(', ','],
      retriggerCharacters: [','],
    }),
    vscode.languages.registerDefinitionProvider(SELECTOR, providers),
    vscode.languages.registerReferenceProvider(SELECTOR, providers),
    vscode.languages.registerRenameProvider(SELECTOR, providers),
    vscode.languages.registerDocumentHighlightProvider(SELECTOR, providers),
    vscode.languages.registerDocumentFormattingEditProvider(SELECTOR, providers),
    vscode.languages.registerDocumentRangeFormattingEditProvider(SELECTOR, providers),
    vscode.languages.registerCodeActionsProvider(SELECTOR, providers, {
      providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
    }),
    vscode.languages.registerDocumentLinkProvider(SELECTOR, providers),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!affectsLanguage(e)) return;
      diagnostics.refresh();
      versions.settingsChanged();
    }),
  );

  commands.registerTable({ diagnostics, versions }, languageCommands);
  return { useServerVersions: (source) => versions.useServerVersions(source) };
}
