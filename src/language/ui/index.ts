// Entry point of the haproxy.cfg language features: one LanguageService shared by every provider,
// the diagnostics controller (static checks and haproxy -c), and the validation command.

import * as vscode from 'vscode';
import type { CommandRegistry } from '../../shell/commands';
import { availableKeywordVersions } from '../core/keywords';
import { detectHaproxyVersion } from '../core/haproxy/version';
import { loadLocalManual, type LocalManual } from '../core/localManual';
import { LanguageService } from '../core/service';
import { languageCommands } from './commands';
import { SELECTOR } from './convert';
import { DiagnosticsController } from './diagnosticsController';
import { HaproxyProviders } from './providers';
import { affectsLanguage, readSettings } from './settings';

export interface LanguageFeatureDeps {
  readonly context: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  readonly commands: CommandRegistry;
}

export function registerLanguageFeatures(deps: LanguageFeatureDeps): void {
  const { context, log, commands } = deps;
  const settings = readSettings();
  const service = new LanguageService(explicitVersion(settings.keywordVersion, log));
  const diagnostics = new DiagnosticsController(service, log);

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
    vscode.languages.registerDocumentSymbolProvider(SELECTOR, providers, { label: 'HAProxy' }),
    vscode.languages.registerFoldingRangeProvider(SELECTOR, providers),
    vscode.languages.registerHoverProvider(SELECTOR, providers),
    vscode.languages.registerCompletionItemProvider(SELECTOR, providers, ' ', '(', ',', '[', '.', '!', '@'),
    vscode.languages.registerSignatureHelpProvider(SELECTOR, providers, { triggerCharacters: ['(', ','], retriggerCharacters: [','] }),
    vscode.languages.registerDefinitionProvider(SELECTOR, providers),
    vscode.languages.registerReferenceProvider(SELECTOR, providers),
    vscode.languages.registerRenameProvider(SELECTOR, providers),
    vscode.languages.registerDocumentHighlightProvider(SELECTOR, providers),
    vscode.languages.registerDocumentFormattingEditProvider(SELECTOR, providers),
    vscode.languages.registerDocumentRangeFormattingEditProvider(SELECTOR, providers),
    vscode.languages.registerCodeActionsProvider(SELECTOR, providers, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
    vscode.languages.registerDocumentLinkProvider(SELECTOR, providers),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!affectsLanguage(e)) return;
      const next = readSettings();
      service.setKeywordVersion(explicitVersion(next.keywordVersion, log));
      diagnostics.refresh();
      if (!next.keywordVersion) void detectVersion(service, diagnostics, log);
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      if (!readSettings().keywordVersion) void detectVersion(service, diagnostics, log);
    }),
  );

  commands.registerTable({ diagnostics }, languageCommands);

  if (!settings.keywordVersion) void detectVersion(service, diagnostics, log);
}

/** The keyword version the user chose, if it is one we have data for. */
function explicitVersion(setting: string, log: vscode.LogOutputChannel): string | undefined {
  if (!setting) return undefined;
  if (!/^\d+\.\d+/.test(setting)) {
    log.warn(`haproxyGateway.haproxy.keywordVersion '${setting}' is not a version (e.g. 2.6); using the newest keyword data.`);
    return undefined;
  }
  const available = availableKeywordVersions();
  if (!available.some((v) => setting.startsWith(v))) log.info(`No keyword data for HAProxy ${setting}; using the closest older data (${available.join(', ')}).`);
  return setting;
}

/** With no version set, match the keyword data to the installed haproxy (trusted workspaces only: it runs a program). */
async function detectVersion(service: LanguageService, diagnostics: DiagnosticsController, log: vscode.LogOutputChannel): Promise<void> {
  if (!vscode.workspace.isTrusted) return;
  const s = readSettings();
  const version = await detectHaproxyVersion(s.haproxyPath || 'haproxy', Math.min(s.timeoutMs, 5000));
  if (!version || readSettings().keywordVersion) return;
  const before = service.keywords;
  service.setKeywordVersion(version);
  if (service.keywords !== before) {
    log.info(`haproxy ${version} found: using HAProxy ${service.keywords.version} keyword data.`);
    diagnostics.refresh();
  }
}
