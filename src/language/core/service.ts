// One object that keeps the parsed model of each open document and re-parses it incrementally:
// every provider asks for the model of a document version and shares it; diagnostics are computed
// once per model. Pure core: the editor glue hands it text and versions.

import { diagnose } from './analysis/diagnostics';
import type { ConfigDiagnostic } from './analysis/types';
import { loadKeywords, type HaproxyKeywords } from './keywords';
import type { ConfigModel } from '../../shared/haproxy-config/configModel';
import { parseConfig, reparse, reparseChanges, type TextChange } from '../../shared/haproxy-config/parser';

interface Entry {
  version: number;
  model: ConfigModel;
}

export class LanguageService {
  private readonly docs = new Map<string, Entry>();
  private kw?: HaproxyKeywords;

  /** Keyword data is loaded on first use, not when the extension activates. */
  constructor(private keywordVersion?: string) {}

  get keywords(): HaproxyKeywords {
    this.kw ??= loadKeywords(this.keywordVersion);
    return this.kw;
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
    const options = { haproxyVersion: this.keywords.version };
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
    const model = reparseChanges(entry.model, changes, { haproxyVersion: this.keywords.version });
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

  diagnostics(model: ConfigModel, unusedBackends = true): ConfigDiagnostic[] {
    return diagnose(model, { keywords: this.keywords, unusedBackends });
  }

  forget(uri: string): void {
    this.docs.delete(uri);
  }
}
