// Keeps two diagnostic collections per haproxy document: our static checks (debounced while
// typing, incremental) and what `haproxy -c` says (on save, on demand, optionally while typing;
// trusted workspaces only). Results of a haproxy run are dropped when the document changed meanwhile.

import * as path from 'node:path';
import * as vscode from 'vscode';
import { errorMessage, isCancellation } from '../../shared/errors';
import type { ConfigModel } from '../../shared/haproxy-config/configModel';
import { LARGE_DOCUMENT_CHARS } from '../../shared/limits';
import type { ConfigDiagnostic } from '../core/analysis/types';
import { checkMessagesToDiagnostics } from '../core/haproxy/checkDiagnostics';
import { checksDocumentsOf, namesCheckedFile, runHaproxyCheck } from '../core/haproxy/runCheck';
import type { ExecutableChoice } from '../core/keywords/target';
import { isLargeModel, type LanguageService } from '../core/service';
import { LANGUAGE_ID, toDiagnostic } from './convert';
import { DiagnosticsWorkerClient } from './diagnosticsWorkerClient';
import { readSettings, type LanguageSettings } from './settings';

const STATIC_SOURCE = 'haproxy-gateway';
const HAPROXY_SOURCE = 'haproxy -c';

export class DiagnosticsController implements vscode.Disposable {
  private readonly staticCollection = vscode.languages.createDiagnosticCollection('haproxy');
  private readonly haproxyCollection = vscode.languages.createDiagnosticCollection('haproxy -c');
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly haproxyTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly running = new Map<string, { abort: AbortController; version: number }>();
  private readonly disposables: vscode.Disposable[] = [];
  private settings: LanguageSettings = readSettings();
  /** Parse + diagnostics of large documents, off the extension host's thread. */
  private readonly worker = new DiagnosticsWorkerClient(path.join(__dirname, 'diagnosticsWorker.js'), (m) =>
    this.log.warn(m),
  );
  /** The worker's latest answer per large document (for code actions). */
  private readonly offThread = new Map<string, { version: number; diagnostics: ConfigDiagnostic[] }>();

  constructor(
    private readonly service: LanguageService,
    private readonly log: vscode.LogOutputChannel,
    /** The executable of the version a document targets (versionStatus.ts); undefined: not known yet. */
    private readonly executables: (d: vscode.TextDocument) => ExecutableChoice | undefined = () => undefined,
  ) {
    this.disposables.push(
      this.staticCollection,
      this.haproxyCollection,
      vscode.workspace.onDidOpenTextDocument((d) => this.onOpen(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.onChange(e)),
      vscode.workspace.onDidSaveTextDocument((d) => this.onSave(d)),
      vscode.workspace.onDidCloseTextDocument((d) => this.onClose(d)),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.revalidateAll()),
    );
    // Documents already open are checked right after activation, not during it.
    const initial = setTimeout(() => {
      for (const d of vscode.workspace.textDocuments) this.onOpen(d);
    }, 0);
    this.disposables.push({ dispose: () => clearTimeout(initial) });
  }

  /** Settings changed: re-check every open document. */
  refresh(): void {
    this.settings = readSettings();
    this.revalidateAll();
  }

  /** A document's targeted version changed: its static diagnostics, and haproxy -c of that version. */
  recheck(d: vscode.TextDocument): void {
    if (d.isClosed || d.languageId !== LANGUAGE_ID) return;
    this.haproxyCollection.delete(d.uri);
    this.updateStatic(d);
    if (this.settings.validateOnSave && !d.isDirty && d.uri.scheme === 'file') this.scheduleHaproxy(d, 0);
  }

  private revalidateAll(): void {
    for (const d of vscode.workspace.textDocuments) {
      if (d.languageId !== LANGUAGE_ID) continue;
      this.updateStatic(d);
      if (this.settings.validateOnSave && !d.isDirty && d.uri.scheme === 'file') this.scheduleHaproxy(d, 0);
    }
  }

  private onOpen(d: vscode.TextDocument): void {
    if (d.languageId !== LANGUAGE_ID) return;
    this.updateStatic(d);
    if (this.settings.validateOnSave && d.uri.scheme === 'file') this.scheduleHaproxy(d, this.settings.debounceMs);
  }

  private onChange(e: vscode.TextDocumentChangeEvent): void {
    const d = e.document;
    if (d.languageId !== LANGUAGE_ID || e.contentChanges.length === 0) return;
    const key = d.uri.toString();
    // Follow the edit now, from the changed lines only: providers then find the model ready.
    this.service.applyChanges(
      key,
      d.version,
      e.contentChanges.map((c) => ({
        startLine: c.range.start.line,
        startCharacter: c.range.start.character,
        endLine: c.range.end.line,
        endCharacter: c.range.end.character,
        text: c.text,
      })),
      d.lineCount,
    );
    // haproxy -c results name lines of an older version: drop them as soon as the text changes.
    this.haproxyCollection.delete(d.uri);
    this.running.get(key)?.abort.abort();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => this.updateStatic(d), this.settings.debounceMs),
    );
    if (this.settings.validateOnType) this.scheduleHaproxy(d, Math.max(this.settings.debounceMs, 1000));
  }

  private onSave(d: vscode.TextDocument): void {
    if (d.languageId !== LANGUAGE_ID || !this.settings.validateOnSave) return;
    this.scheduleHaproxy(d, 0);
  }

  private onClose(d: vscode.TextDocument): void {
    const key = d.uri.toString();
    clearTimeout(this.timers.get(key));
    clearTimeout(this.haproxyTimers.get(key));
    this.running.get(key)?.abort.abort();
    this.timers.delete(key);
    this.haproxyTimers.delete(key);
    this.staticCollection.delete(d.uri);
    this.haproxyCollection.delete(d.uri);
    this.service.forget(key);
    this.worker.cancel(key);
    this.offThread.delete(key);
  }

  /** Our diagnostics for the current version of a document. */
  updateStatic(d: vscode.TextDocument): void {
    if (d.isClosed) return;
    if (!this.settings.staticChecks) {
      this.staticCollection.delete(d.uri);
      return;
    }
    const key = d.uri.toString();
    try {
      const text = d.getText();
      // Above LARGE_DOCUMENT_CHARS, static checks run in the worker thread (a 10 MB file: about 1 s of CPU).
      if (text.length > LARGE_DOCUMENT_CHARS) {
        this.updateOffThread(d, key, text);
        return;
      }
      this.offThread.delete(key);
      const model = this.service.model(key, d.version, () => text);
      const diags = this.service.diagnostics(model, this.settings.unusedBackends, d.uri.toString());
      this.staticCollection.set(
        d.uri,
        diags.map((x) => toDiagnostic(x, d.uri, STATIC_SOURCE)),
      );
    } catch (err) {
      // The core never throws on input; anything here is a bug worth a log line, not a broken editor.
      this.log.error(
        `haproxy diagnostics failed for ${d.uri.toString()}: ` +
          `${err instanceof Error && err.stack ? err.stack : errorMessage(err)}`,
      );
    }
  }

  /** Large documents: the worker parses and diagnoses; a newer version's request supersedes this one. */
  private updateOffThread(d: vscode.TextDocument, key: string, text: string): void {
    const version = d.version;
    const keywordVersion = this.service.keywordsFor(key).version;
    const request = { uri: key, version, text, keywordVersion, unusedBackends: this.settings.unusedBackends };
    this.worker.diagnose(request).then(
      (diags) => {
        if (!diags || d.isClosed || d.version !== version || !this.settings.staticChecks) return;
        this.offThread.set(key, { version, diagnostics: diags });
        this.staticCollection.set(
          d.uri,
          diags.map((x) => toDiagnostic(x, d.uri, STATIC_SOURCE)),
        );
      },
      (err: unknown) => this.log.error(`haproxy diagnostics failed for ${key}: ${errorMessage(err)}`),
    );
  }

  /** The static diagnostics of a document version (`model`: its model), as core data (for code actions). */
  coreDiagnostics(d: vscode.TextDocument, model: ConfigModel): ConfigDiagnostic[] {
    // A large document's come from the worker: never diagnosed again on this thread.
    const off = this.offThread.get(d.uri.toString());
    if (off) return off.version === d.version && this.settings.staticChecks ? off.diagnostics : [];
    if (!this.settings.staticChecks || isLargeModel(model)) return [];
    return this.service.diagnostics(model, this.settings.unusedBackends, d.uri.toString());
  }

  private scheduleHaproxy(d: vscode.TextDocument, delay: number): void {
    if (!vscode.workspace.isTrusted) return;
    const key = d.uri.toString();
    clearTimeout(this.haproxyTimers.get(key));
    this.haproxyTimers.set(
      key,
      setTimeout(() => {
        this.validateWithHaproxy(d, false).catch((err: unknown) => this.log.warn(`haproxy -c: ${errorMessage(err)}`));
      }, delay),
    );
  }

  /**
   * Runs `haproxy -c` on the document's current text. `explicit`: the user asked (errors are
   * reported to them); otherwise failures to run are only logged.
   */
  async validateWithHaproxy(
    d: vscode.TextDocument,
    explicit: boolean,
  ): Promise<{ errors: number; warnings: number; valid: boolean } | undefined> {
    if (!vscode.workspace.isTrusted) {
      if (explicit)
        void vscode.window.showWarningMessage(vscode.l10n.t('HAProxy validation runs only in trusted workspaces.'));
      return undefined;
    }
    if (!checksDocumentsOf(d.uri.scheme)) {
      if (explicit)
        void vscode.window.showWarningMessage(
          vscode.l10n.t('HAProxy validation runs only on files saved on this machine.'),
        );
      return undefined;
    }
    const key = d.uri.toString();
    const version = d.version;
    const current = this.running.get(key);
    // A scheduled run does not interrupt a run of the same text (e.g. the one the user asked for).
    if (!explicit && current && current.version === version) return undefined;
    if (explicit) clearTimeout(this.haproxyTimers.get(key));
    current?.abort.abort();
    const abort = new AbortController();
    this.running.set(key, { abort, version });
    const text = d.getText();
    const settings = this.settings;
    // The executable of the targeted version only: never judge a 3.4 file with a 2.6 binary.
    const choice = this.executables(d);
    if (choice?.missing !== undefined) {
      this.running.delete(key);
      if (explicit) void vscode.window.showWarningMessage(choice.missing);
      return undefined;
    }
    const binary = choice?.binary ?? (settings.haproxyPath || 'haproxy');
    try {
      const result = await runHaproxyCheck({
        binary,
        text,
        fileName: d.uri.scheme === 'file' ? path.basename(d.uri.fsPath) : 'haproxy.cfg',
        ...(d.uri.scheme === 'file' ? { cwd: path.dirname(d.uri.fsPath) } : {}),
        timeoutMs: settings.timeoutMs,
        signal: abort.signal,
      });
      if (d.isClosed || d.version !== version) return undefined;
      // A large document's model may still be parsed (in slices): never in one go on this thread.
      const model = await this.service.modelAsync(key, version, () => text, abort.signal);
      if (d.isClosed || d.version !== version) return undefined;
      const diags = checkMessagesToDiagnostics(result.messages, model, (m) => namesCheckedFile(m, result.checkedPath));
      this.haproxyCollection.set(
        d.uri,
        diags.map((x) => toDiagnostic(x, d.uri, HAPROXY_SOURCE)),
      );
      const errors = diags.filter((x) => x.severity === 'error').length;
      const warnings = diags.filter((x) => x.severity === 'warning').length;
      this.log.info(
        `haproxy -c ${path.basename(d.uri.path)}: exit ${result.exitCode}, ${errors} error(s), ${warnings} ` +
          `warning(s), ${result.durationMs.toFixed(0)} ms`,
      );
      return { errors, warnings, valid: result.valid };
    } catch (err) {
      if (isCancellation(err)) return undefined;
      if (explicit) throw err;
      this.log.warn(`haproxy -c not run for ${path.basename(d.uri.path)}: ${errorMessage(err)}`);
      return undefined;
    } finally {
      if (this.running.get(key)?.abort === abort) this.running.delete(key);
    }
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const t of this.haproxyTimers.values()) clearTimeout(t);
    for (const a of this.running.values()) a.abort.abort();
    this.worker.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
