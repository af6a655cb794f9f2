// One object that keeps the parsed model of each open document and re-parses it incrementally:
// every provider asks for the model of a document version and shares it; diagnostics are computed
// once per model. Pure core: the editor glue hands it text and versions.
//
// A large document seen for the first time (over LARGE_DOCUMENT_CHARS) is parsed in time slices
// (modelAsync), so the extension host is never blocked for the whole file; every request for that
// version waits on the same parse. Later versions are re-parsed incrementally, which is fast.

import { diagnose } from './analysis/diagnostics';
import type { ConfigDiagnostic } from './analysis/types';
import { availableKeywordVersions, loadKeywords, type HaproxyKeywords } from './keywords';
import type { ConfigModel } from '../../shared/haproxy-config/configModel';
import {
  parseConfig,
  parseConfigInSlices,
  reparse,
  reparseChanges,
  type TextChange,
} from '../../shared/haproxy-config/parser';
import { abortable } from '../../shared/abort';
import { LARGE_DOCUMENT_CHARS } from '../../shared/limits';
import { yieldToEventLoop } from '../../shared/slices';

interface Entry {
  version: number;
  model: ConfigModel;
}

/** A parse in time slices under way: every request for its version waits on it. */
interface Job {
  readonly version: number;
  readonly promise: Promise<ConfigModel>;
}

export class LanguageService {
  private readonly docs = new Map<string, Entry>();
  private readonly jobs = new Map<string, Job>();
  /**
   * Aborted when a document is forgotten or its target changes: every job of the document stops (an
   * older one a newer one waits on too) and keeps nothing.
   */
  private readonly lifetimes = new Map<string, AbortController>();
  /** The version of each document's last editor change event. */
  private readonly changed = new Map<string, number>();
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
    this.dropJob(uri);
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
    for (const uri of [...this.lifetimes.keys()]) this.dropJob(uri);
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
   * The model of a document version, without blocking the thread for long: cached, re-parsed from the
   * previous version, or parsed in one go when the text is small, all at once; a large text seen for
   * the first time is parsed in time slices, one parse shared by every request for that version (a
   * request for a newer version starts from its result). `signal` ends this request's wait only
   * (rejects with an AbortError); the parse goes on for the others and the cache.
   */
  async modelAsync(uri: string, version: number, text: () => string, signal?: AbortSignal): Promise<ConfigModel> {
    signal?.throwIfAborted();
    const entry = this.docs.get(uri);
    if (entry && entry.version === version) return entry.model;
    let job = this.jobs.get(uri);
    if (job?.version === version) return abortable(job.promise, signal);
    const source = text();
    if (!job && (entry || source.length <= LARGE_DOCUMENT_CHARS)) return this.model(uri, version, () => source);
    if (job && job.version > version) {
      // An older version than the one under way (a late request): parsed on its own, not kept.
      const options = { haproxyVersion: this.keywordsFor(uri).version };
      return parseConfigInSlices(source, options, signal ? { signal } : {});
    }
    job = this.startJob(uri, version, source, job);
    return abortable(job.promise, signal);
  }

  /** Parses `source` in slices, or after `before` (an older version under way) re-parses from its model. */
  private startJob(uri: string, version: number, source: string, before: Job | undefined): Job {
    let abort = this.lifetimes.get(uri);
    if (!abort) this.lifetimes.set(uri, (abort = new AbortController()));
    const { signal } = abort;
    const run = async (): Promise<ConfigModel> => {
      if (before) {
        // The older parse is not wasted: its model, once cached, is re-parsed incrementally below.
        await before.promise.catch(() => undefined);
        // Its own requests first use it, before the re-parse consumes it (sliced ones stop on the change).
        await yieldToEventLoop();
      }
      signal.throwIfAborted();
      const options = { haproxyVersion: this.keywordsFor(uri).version };
      const entry = this.docs.get(uri);
      if (entry?.version === version) return entry.model;
      // (reparse consumes the model it starts from: only an older one, which this one replaces.)
      const model =
        entry && entry.version < version
          ? reparse(entry.model, source, options)
          : await parseConfigInSlices(source, options, { signal });
      // Kept unless the document was forgotten meanwhile or a newer version is already cached.
      const now = this.docs.get(uri);
      if (!signal.aborted && (!now || now.version < version)) this.docs.set(uri, { version, model });
      return model;
    };
    const promise = run().finally(() => {
      if (this.jobs.get(uri) === job) this.jobs.delete(uri);
    });
    // A job nobody waits on any more must not be an unhandled rejection.
    promise.catch(() => undefined);
    const job: Job = { version, promise };
    this.jobs.set(uri, job);
    return job;
  }

  /**
   * Applies an editor change event right away (cheap: only the changed lines are read again).
   * `lineCount` is the document's line count after the change, a check that the model followed.
   */
  applyChanges(uri: string, version: number, changes: readonly TextChange[], lineCount: number): boolean {
    const seen = this.changed.get(uri);
    this.changed.set(uri, version);
    const entry = this.docs.get(uri);
    if (!entry || entry.version >= version) return false;
    // A model parsed in slices from a version before the last change event missed that change: the
    // next request re-parses it from the full text instead.
    if (seen !== undefined && entry.version < seen) return false;
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
    this.dropJob(uri);
    this.changed.delete(uri);
    this.targets.delete(uri);
  }

  private dropJob(uri: string): void {
    this.lifetimes.get(uri)?.abort();
    this.lifetimes.delete(uri);
    this.jobs.delete(uri);
  }
}

/** True for a model of a large document (over LARGE_DOCUMENT_CHARS), without joining its lines. */
export function isLargeModel(model: ConfigModel): boolean {
  let n = -1;
  for (const line of model.lines) n += line.length + 1;
  return n > LARGE_DOCUMENT_CHARS;
}
