// One object that keeps the parsed model of each open document and re-parses it incrementally:
// every provider asks for the model of a document version and shares it; diagnostics are computed
// once per model. Pure core: the editor glue hands it text and versions.

import { diagnose } from './analysis/diagnostics';
import type { ConfigDiagnostic } from './analysis/types';
import { availableKeywordVersions, loadKeywords, type HaproxyKeywords } from './keywords';
import type { ConfigModel } from '../../shared/haproxy-config/configModel';
import { parseConfig, reparse, reparseChanges, type TextChange } from '../../shared/haproxy-config/parser';

interface Entry {
  version: number;
  model: ConfigModel;
}

export class LanguageService {
  private readonly docs = new Map<string, Entry>();
  private kw?: HaproxyKeywords;
  /** The HAProxy version each document targets, when it is not the default. */
  private readonly targets = new Map<string, string>();

  /** Keyword data is loaded on first use, not when the extension activates. */
  constructor(private keywordVersion?: string) {}

  /** The default keyword data (documents without a target of their own). */
  get keywords(): HaproxyKeywords {
    this.kw ??= loadKeywords(this.keywordVersion);
    return this.kw;
  }

  /** The keyword data of the version a document targets (loaded on first use of that version). */
  keywordsFor(uri: string): HaproxyKeywords {
    const target = this.targets.get(uri);
    return target === undefined ? this.keywords : loadKeywords(target);
  }

  /**
   * Sets the version a document targets (undefined: the default); its model is re-parsed if it
   * changes. Cheap: no keyword data is loaded here (it may run while the extension activates).
   */
  setTarget(uri: string, version: string | undefined): boolean {
    const before = this.versionOf(uri);
    if (version === undefined) this.targets.delete(uri);
    else this.targets.set(uri, version);
    if (this.versionOf(uri) === before) return false;
    this.docs.delete(uri);
    return true;
  }

  private versionOf(uri: string): string | undefined {
    const v = this.targets.get(uri) ?? this.keywordVersion;
    return v === undefined ? availableKeywordVersions().at(-1) : /^\d+\.\d+/.exec(v)?.[0];
  }

  /** Switches the keyword data (setting change): models are re-parsed for the new version. */
  setKeywordVersion(version: string | undefined): void {
    this.keywordVersion = version;
    if (!this.kw) return;
    const next = loadKeywords(version);
    if (next === this.kw) return;
    this.kw = next;
    this.docs.clear();
  }

  /** The model of a document version: cached, or re-parsed from the previous version of the document. */
  model(uri: string, version: number, text: () => string): ConfigModel {
    const entry = this.docs.get(uri);
    if (entry && entry.version === version) return entry.model;
    const options = { haproxyVersion: this.keywordsFor(uri).version };
    const source = text();
    const model = entry ? reparse(entry.model, source, options) : parseConfig(source, options);
    this.docs.set(uri, { version, model });
    return model;
  }

  /**
   * Applies an editor change event right away (cheap: only the changed lines are read again).
   * `lineCount` is the document's line count after the change, a check that the model followed.
   */
  applyChanges(uri: string, version: number, changes: readonly TextChange[], lineCount: number): boolean {
    const entry = this.docs.get(uri);
    if (!entry || entry.version >= version) return false;
    const model = reparseChanges(entry.model, changes, { haproxyVersion: this.keywordsFor(uri).version });
    if (!model || model.lines.length !== lineCount) {
      // The model could not follow (missed event...): the next request parses the full text.
      this.docs.delete(uri);
      return false;
    }
    this.docs.set(uri, { version, model });
    return true;
  }

  /** The cached model, whatever its version. */
  peek(uri: string): { version: number; model: ConfigModel } | undefined {
    return this.docs.get(uri);
  }

  /** Diagnostics of a model, judged by the keyword data of the version `uri` targets. */
  diagnostics(model: ConfigModel, unusedBackends = true, uri?: string): ConfigDiagnostic[] {
    return diagnose(model, { keywords: uri === undefined ? this.keywords : this.keywordsFor(uri), unusedBackends });
  }

  forget(uri: string): void {
    this.docs.delete(uri);
    this.targets.delete(uri);
  }
}
