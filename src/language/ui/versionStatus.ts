// The HAProxy version each haproxy document targets, shown in a language status item with a command
// to change it (like TypeScript's version item). The decision is core's resolveTargetVersion(): the
// folder setting, the Data Plane API server's version for a live configuration, the executable the
// workspace may run (trusted only), else the newest. The item also says, once, when the targeted
// version has no executable, instead of judging the file with another version's binary.

import * as vscode from 'vscode';
import { availableKeywordVersions, compareVersions } from '../core/keywords';
import {
  executableFor,
  resolveTargetVersion,
  type ExecutableChoice,
  type TargetVersion,
} from '../core/keywords/target';
import { detectHaproxyVersion } from '../core/haproxy/version';
import type { LanguageService } from '../core/service';
import { LANGUAGE_ID, SELECTOR } from './convert';
import { readSettings, SETTING_PREFIX } from './settings';

export const SELECT_VERSION_COMMAND = 'haproxyGateway.haproxy.selectVersion';
const DATAPLANE_SCHEME = 'haproxy-dataplane';

/** The version a Data Plane API server reports for one of its live configurations. */
export type ServerVersionSource = (uri: vscode.Uri) => Promise<string | undefined>;

const SOURCE_TEXT: Record<TargetVersion['source'], string> = {
  setting: 'set for this folder (haproxyGateway.haproxy.version)',
  server: 'reported by the Data Plane API server',
  executable: 'the installed haproxy executable',
  newest: 'the newest bundled version',
};

export class DocumentVersions implements vscode.Disposable {
  private readonly item = vscode.languages.createLanguageStatusItem('haproxyGateway.haproxyVersion', SELECTOR);
  private readonly targets = new Map<string, TargetVersion>();
  private readonly disposables: vscode.Disposable[] = [this.item];
  private serverVersion: ServerVersionSource | undefined;
  /** `haproxy -v` of the default executable, once detected (trusted workspaces only). */
  private executableVersion: string | undefined;
  private detecting: Promise<void> | undefined;

  constructor(
    private readonly service: LanguageService,
    private readonly log: vscode.LogOutputChannel,
    /** A document's target changed: its diagnostics must be computed again. */
    private readonly onDidChangeTarget: (d: vscode.TextDocument) => void,
  ) {
    this.item.name = 'HAProxy Version';
    this.item.text = 'HAProxy';
    this.item.command = {
      title: 'Change',
      command: SELECT_VERSION_COMMAND,
      tooltip: 'Change the HAProxy version this file targets',
    };
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.render()),
      vscode.workspace.onDidOpenTextDocument((d) => void this.update(d)),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.detect(true).then(() => this.updateAll())),
    );
    // Documents already open are resolved right after activation, not during it.
    const initial = setTimeout(() => void this.detect(false).then(() => this.updateAll()), 0);
    this.disposables.push({ dispose: () => clearTimeout(initial) });
  }

  /** Where live configurations get their server's version (wired by the composition root). */
  useServerVersions(source: ServerVersionSource): void {
    this.serverVersion = source;
    // Called while the extension activates: the documents are resolved right after, not during it.
    const later = setTimeout(() => this.updateAll(), 0);
    this.disposables.push({ dispose: () => clearTimeout(later) });
  }

  /** Settings changed: the executable may be another one, the folder versions too. */
  settingsChanged(): void {
    void this.detect(true).then(() => this.updateAll());
  }

  target(uri: vscode.Uri): TargetVersion | undefined {
    return this.targets.get(uri.toString());
  }

  /** The executable that may judge this document with `haproxy -c` (never another version's). */
  executable(d: vscode.TextDocument): ExecutableChoice {
    const s = readSettings(d.uri);
    const version = this.targets.get(d.uri.toString())?.version ?? this.service.keywordsFor(d.uri.toString()).version;
    return executableFor(version, s.paths, s.haproxyPath || 'haproxy', this.executableVersion);
  }

  private updateAll(): void {
    for (const d of vscode.workspace.textDocuments) void this.update(d);
  }

  /** Resolves the version of one document; re-checks it when the target changed. */
  async update(d: vscode.TextDocument): Promise<void> {
    if (d.languageId !== LANGUAGE_ID || d.isClosed) return;
    const setting = readSettings(d.uri).version;
    let server: string | undefined;
    if (!setting && d.uri.scheme === DATAPLANE_SCHEME && this.serverVersion) {
      server = await this.serverVersion(d.uri).catch(() => undefined);
    }
    const target = resolveTargetVersion({
      setting,
      server,
      executable: vscode.workspace.isTrusted ? this.executableVersion : undefined,
      available: availableKeywordVersions(),
    });
    const key = d.uri.toString();
    this.targets.set(key, target);
    if (this.service.setTarget(key, target.version)) this.onDidChangeTarget(d);
    if (vscode.window.activeTextEditor?.document === d) this.render();
  }

  forget(d: vscode.TextDocument): void {
    this.targets.delete(d.uri.toString());
  }

  private detect(force: boolean): Promise<void> {
    if (!vscode.workspace.isTrusted) return Promise.resolve();
    if (this.detecting && !force) return this.detecting;
    const s = readSettings();
    this.detecting = detectHaproxyVersion(s.haproxyPath || 'haproxy', Math.min(s.timeoutMs, 5000)).then((v) => {
      this.executableVersion = v;
      if (v) this.log.info(`haproxy ${v} found.`);
    });
    return this.detecting;
  }

  private render(): void {
    const d = vscode.window.activeTextEditor?.document;
    if (!d || d.languageId !== LANGUAGE_ID) return;
    const target = this.targets.get(d.uri.toString());
    if (!target) return;
    this.item.text = `HAProxy ${target.version}`;
    const asked = target.reported ? ` (${target.reported} asked; closest bundled data)` : '';
    const exe = vscode.workspace.isTrusted ? this.executable(d) : {};
    this.item.detail = `${SOURCE_TEXT[target.source]}${asked}${exe.missing ? `. ${exe.missing}` : ''}`;
    this.item.severity = exe.missing
      ? vscode.LanguageStatusSeverity.Warning
      : vscode.LanguageStatusSeverity.Information;
  }

  /** The command: pick a version for the document's folder (or the version a quick fix names). */
  async select(uri?: unknown, version?: unknown): Promise<string | undefined> {
    const d =
      uri instanceof vscode.Uri
        ? await vscode.workspace.openTextDocument(uri)
        : vscode.window.activeTextEditor?.document;
    const scope = d?.uri;
    let chosen = typeof version === 'string' && /^\d+\.\d+$/.test(version) ? version : undefined;
    if (chosen === undefined) {
      const current = d ? this.targets.get(d.uri.toString()) : undefined;
      const versions = availableKeywordVersions().sort(compareVersions).reverse();
      const picks: (vscode.QuickPickItem & { value: string })[] = versions.map((v) => ({
        label: `HAProxy ${v}`,
        value: v,
        ...(current?.version === v ? { description: 'current' } : {}),
      }));
      picks.push({
        label: 'Automatic',
        value: '',
        detail: 'The Data Plane API server, else the haproxy executable, else the newest',
      });
      const pick = await vscode.window.showQuickPick(picks, {
        title: 'HAProxy version of this folder',
        placeHolder: 'Keywords, diagnostics and haproxy -c follow it',
      });
      if (!pick) return undefined;
      chosen = pick.value;
    }
    const folder = scope ? vscode.workspace.getWorkspaceFolder(scope) : undefined;
    const where = folder
      ? vscode.ConfigurationTarget.WorkspaceFolder
      : vscode.workspace.workspaceFolders?.length
        ? vscode.ConfigurationTarget.Workspace
        : vscode.ConfigurationTarget.Global;
    await vscode.workspace
      .getConfiguration(SETTING_PREFIX, folder?.uri ?? scope)
      .update('haproxy.version', chosen || undefined, where);
    return chosen;
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
