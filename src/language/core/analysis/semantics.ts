// What one directive means beyond its words: the names it defines and refers to (backends, ACLs,
// servers, userlists, resolvers, peers, caches, tables...), the files it names, the sample
// expressions it holds, and its condition. Pure and position-free apart from character offsets in
// the line, so results are cached per tokenized line and section kind and survive edits elsewhere.

import type { HaproxyKeywords } from '../keywords';
import type { Directive } from '../../../shared/haproxy-config/model';
import {
  findLogFormatSamples,
  parseCondition,
  parseSampleExpr,
  type Condition,
  type SampleCall,
  type SampleExpr,
} from '../../../shared/haproxy-config/samples';
import { isProxyKind, type SectionKind } from '../../../shared/haproxy-config/sections';
import {
  memoGet,
  memoSet,
  memoSetCommon,
  newMemoKey,
  type MemoKey,
  type TokenizedLine,
  type Word,
} from '../../../shared/haproxy-config/tokenizer';

export type RefKind =
  | 'backend'
  | 'frontend'
  | 'table'
  | 'defaults'
  | 'userlist'
  | 'resolvers'
  | 'peers'
  | 'cache'
  | 'http-errors'
  | 'mailers'
  | 'fcgi-app'
  | 'ring'
  | 'acl'
  | 'server';

export interface Occurrence {
  readonly kind: RefKind;
  readonly role: 'definition' | 'reference';
  readonly name: string;
  /** Character range of the name in the line. */
  readonly start: number;
  readonly end: number;
  /**
   * False when the name sits in a quoted or escaped word: the range then covers the whole word, and rename leaves it
   * alone.
   */
  readonly exact: boolean;
  /** Server references: the backend named with `backend/server` (else the current section). */
  readonly backend?: string;
  /** What made the reference: `use_backend`, `http_auth`, `track`... (for messages). */
  readonly via: string;
  /** A server-template prefix: defines PREFIX1..PREFIXn. */
  readonly template?: boolean;
}

export type FileKind = 'map' | 'acl' | 'certificate' | 'ca' | 'crl' | 'errorfile' | 'lua' | 'config' | 'other';

export interface FileRef {
  readonly path: string;
  readonly kind: FileKind;
  readonly start: number;
  readonly end: number;
  readonly exact: boolean;
}

export interface SampleUse {
  readonly expr: SampleExpr;
  /** Add to the expression's offsets to get characters in the line. */
  readonly offset: number;
  /** False when the word is quoted with escapes: offsets are then approximate. */
  readonly exact: boolean;
  /**
   * acl: `acl NAME <expr>` or `{ <expr> ... }` (ACL keywords allowed); expr: a sample expression; logformat: inside
   * `%[...]`.
   */
  readonly context: 'acl' | 'expr' | 'logformat';
  readonly word: Word;
}

export interface LineSemantics {
  readonly occurrences: readonly Occurrence[];
  readonly files: readonly FileRef[];
  readonly samples: readonly SampleUse[];
  readonly condition?: Condition;
  /** `use_backend %[...]`: any backend may be chosen at run time. */
  readonly dynamicBackend?: boolean;
}

const EMPTY: LineSemantics = { occurrences: [], files: [], samples: [] };

/** Offset of a word's value inside the line, when the value maps 1:1 onto the source. */
export function valueOffset(word: Word): number | undefined {
  if (word.raw === word.value) return word.start;
  const raw = word.raw;
  const q = raw[0];
  if (
    (q === '"' || q === "'") &&
    raw.length === word.value.length + 2 &&
    raw[raw.length - 1] === q &&
    raw.slice(1, -1) === word.value
  ) {
    return word.start + 1;
  }
  return undefined;
}

/** Keywords whose rule words may hold log-format strings with `%[...]` samples. */
const LOG_FORMAT_KEYWORDS = new Set([
  'http-request',
  'http-response',
  'http-after-response',
  'tcp-request',
  'tcp-response',
  'use_backend',
  'log-format',
  'log-format-sd',
  'error-log-format',
  'unique-id-format',
  'redirect',
  'http-check',
  'tcp-check',
  'http-error',
  'set-var-fmt',
  'use-server',
]);

/** Keywords whose rules end with `if`/`unless` conditions. */
const CONDITIONAL_KEYWORDS = new Set([
  'http-request',
  'http-response',
  'http-after-response',
  'tcp-request',
  'tcp-response',
  'use_backend',
  'use-server',
  'redirect',
  'stick',
  'force-persist',
  'ignore-persist',
  'monitor',
  'block',
  'stats',
  'http-check',
  'tcp-check',
  'errorloc',
  'reqdeny',
]);

/** Actions followed by a sample expression (the word after the action). */
const EXPR_ACTIONS = [
  'set-var(',
  'set-src',
  'set-dst',
  'set-src-port',
  'set-dst-port',
  'track-sc',
  'capture',
  'do-resolve(',
  'set-priority-class',
  'set-priority-offset',
  'sc-set-gpt',
  'sc-add-gpc',
  'set-bandwidth-limit',
];

const BIND_FILE_OPTIONS: Readonly<Record<string, FileKind>> = {
  crt: 'certificate',
  'crt-list': 'certificate',
  'ca-file': 'ca',
  'ca-verify-file': 'ca',
  'ca-sign-file': 'ca',
  'crl-file': 'crl',
};
const GLOBAL_FILE_KEYWORDS: Readonly<Record<string, FileKind>> = {
  'lua-load': 'lua',
  'lua-load-per-thread': 'lua',
  'ssl-dh-param-file': 'certificate',
  'server-state-file': 'other',
  'h1-case-adjust-file': 'other',
  '51degrees-data-file': 'other',
  'deviceatlas-json-file': 'other',
  'wurfl-data-file': 'other',
  'issuers-chain-path': 'certificate',
};
const ACTION_FILE_PREFIXES: readonly [string, FileKind][] = [
  ['set-map(', 'map'],
  ['del-map(', 'map'],
  ['add-acl(', 'acl'],
  ['del-acl(', 'acl'],
];

// BIND_FILE_OPTIONS[name] for any word, without a property lookup by an arbitrary string: its own
// entries, and what a plain object inherits (names such as `constructor` find Object.prototype).
const BIND_FILE_MAP = new Map<string, FileKind>(Object.entries(BIND_FILE_OPTIONS));
const INHERITED_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));
function bindFileKind(name: string): FileKind | undefined {
  const own = BIND_FILE_MAP.get(name);
  if (own !== undefined || !INHERITED_NAMES.has(name)) return own;
  return (BIND_FILE_OPTIONS as Record<string, FileKind>)[name];
}

function startsWithAny(text: string, prefixes: readonly string[]): boolean {
  for (let i = 0; i < prefixes.length; i++) if (text.startsWith(prefixes[i])) return true;
  return false;
}

export interface SemanticsContext {
  readonly keywords?: HaproxyKeywords;
}

/** Cache keys: the section kind and the keyword data the result was computed with. */
const semKeys = new Map<string, Map<HaproxyKeywords | undefined, MemoKey>>();
// The last key asked for: lines are analysed section by section, so mostly the same one.
let lastKind: SectionKind | undefined;
let lastKeywords: HaproxyKeywords | undefined;
let lastKey: MemoKey | undefined;
export function semKey(kind: SectionKind, keywords: HaproxyKeywords | undefined): MemoKey {
  if (lastKey !== undefined && kind === lastKind && keywords === lastKeywords) return lastKey;
  let byKw = semKeys.get(kind);
  if (!byKw) semKeys.set(kind, (byKw = new Map()));
  let key = byKw.get(keywords);
  if (!key) byKw.set(keywords, (key = newMemoKey()));
  lastKind = kind;
  lastKeywords = keywords;
  lastKey = key;
  return key;
}

/** The semantics of a directive in a section of this kind (cached with the tokenized line). */
export function semanticsOf(directive: Directive, kind: SectionKind, ctx: SemanticsContext = {}): LineSemantics {
  return keyedSemantics(directive, kind, ctx, semKey(kind, ctx.keywords));
}

/** semanticsOf() with the cache key of (kind, ctx.keywords) from semKey(), for loops over a section. */
export function keyedSemantics(
  directive: Directive,
  kind: SectionKind,
  ctx: SemanticsContext,
  key: MemoKey,
): LineSemantics {
  const tk = directive.tokens as TokenizedLine;
  const hit = memoGet(tk.sem, key);
  if (hit !== undefined) return hit as LineSemantics;
  const result = computeSemantics(directive, kind, ctx);
  tk.sem = result === EMPTY ? memoSetCommon(tk.sem, key, EMPTY) : memoSet(tk.sem, key, result);
  return result;
}

const NO_OCCURRENCES: readonly Occurrence[] = Object.freeze([]);
const NO_FILES: readonly FileRef[] = Object.freeze([]);
const NO_SAMPLES: readonly SampleUse[] = Object.freeze([]);

// Arrays are created on first use: most lines define or use nothing, and this runs for every line.
class Collector {
  private occ?: Occurrence[];
  private fileList?: FileRef[];
  private sampleList?: SampleUse[];
  condition?: Condition;
  dynamicBackend = false;

  constructor(private readonly ctx: SemanticsContext) {}

  get occurrences(): Occurrence[] {
    return (this.occ ??= []);
  }

  get files(): FileRef[] {
    return (this.fileList ??= []);
  }

  get samples(): SampleUse[] {
    return (this.sampleList ??= []);
  }

  word(
    kind: RefKind,
    role: Occurrence['role'],
    w: Word | undefined,
    via: string,
    extra?: { backend?: string; template?: boolean },
  ): void {
    if (!w || w.value === '') return;
    this.part(kind, role, w, 0, w.value.length, via, extra);
  }

  /** A name inside a word: `value.slice(from, to)`. */
  part(
    kind: RefKind,
    role: Occurrence['role'],
    w: Word,
    from: number,
    to: number,
    via: string,
    extra?: { backend?: string; template?: boolean },
  ): void {
    const name = from === 0 && to === w.value.length ? w.value : w.value.slice(from, to);
    if (name === '') return;
    const at = valueOffset(w);
    this.occurrences.push({
      kind,
      role,
      name,
      start: at === undefined ? w.start : at + from,
      end: at === undefined ? w.end : at + to,
      exact: at !== undefined,
      via,
      backend: extra?.backend,
      template: extra?.template,
    });
  }

  file(kind: FileKind, w: Word | undefined, from = 0, to?: number): void {
    if (!w) return;
    const path = w.value.slice(from, to);
    if (path === '') return;
    const at = valueOffset(w);
    this.files.push({
      path,
      kind,
      start: at === undefined ? w.start : at + from,
      end: at === undefined ? w.end : at + from + path.length,
      exact: at !== undefined,
    });
  }

  sample(w: Word | undefined, context: SampleUse['context']): void {
    if (!w || w.value === '') return;
    const at = valueOffset(w);
    const expr = parseSampleExpr(w.value);
    this.addSample(expr, at, w, context);
  }

  logFormat(w: Word): void {
    if (!w.value.includes('%')) return;
    const at = valueOffset(w);
    for (const block of findLogFormatSamples(w.value)) {
      const expr =
        block.closed || block.expr.error
          ? block.expr
          : {
              ...block.expr,
              error: { message: "missing ']' at the end of the sample expression", start: block.start, end: block.end },
            };
      this.addSample(expr, at, w, 'logformat');
    }
  }

  private addSample(expr: SampleExpr, at: number | undefined, w: Word, context: SampleUse['context']): void {
    this.samples.push({ expr, offset: at ?? w.start, exact: at !== undefined, context, word: w });
    this.sampleRefs(expr, w, at);
  }

  /** References made through fetch and converter arguments typed backend, server, table, user list... */
  private sampleRefs(expr: SampleExpr, w: Word, at: number | undefined): void {
    const kw = this.ctx.keywords;
    const calls: [SampleCall, string | undefined][] = [
      [expr.fetch, kw?.fetch(expr.fetch.name)?.args ?? kw?.fetch(aclFetchName(kw, expr.fetch.name))?.args],
    ];
    for (const c of expr.converters) calls.push([c, kw?.converter(c.name)?.args]);
    for (const [call, spec] of calls) {
      if (!spec || call.args.length === 0) continue;
      const types = argTypes(spec);
      call.args.forEach((arg, i) => {
        const type = types[i]?.type;
        if (!type || arg.text === '' || arg.text.includes('$')) return;
        const push = (kind: RefKind, name: string, from: number, extra?: { backend?: string }): void => {
          this.occurrences.push({
            kind,
            role: 'reference',
            name,
            via: call.name,
            start: at === undefined ? w.start : at + from,
            end: at === undefined ? w.end : at + from + name.length,
            exact: at !== undefined,
            backend: extra?.backend,
            template: undefined,
          });
        };
        if (type === 'backend') push('backend', arg.text, arg.start);
        else if (type === 'frontend') push('frontend', arg.text, arg.start);
        else if (type === 'table') push('table', arg.text, arg.start);
        else if (type === 'user list') push('userlist', arg.text, arg.start);
        else if (type === 'server') {
          const slash = arg.text.indexOf('/');
          if (slash >= 0) {
            const be = arg.text.slice(0, slash);
            push('backend', be, arg.start);
            push('server', arg.text.slice(slash + 1), arg.start + slash + 1, { backend: be });
          } else {
            push('server', arg.text, arg.start);
          }
        }
        if (i === 0 && /^map(_|$)/.test(call.name)) {
          this.files.push({
            path: arg.text,
            kind: 'map',
            start: at === undefined ? w.start : at + arg.start,
            end: at === undefined ? w.end : at + arg.end,
            exact: at !== undefined,
          });
        }
      });
    }
  }

  result(): LineSemantics {
    if (!this.occ && !this.fileList && !this.sampleList && !this.condition && !this.dynamicBackend) return EMPTY;
    // Copies of exactly the right size: the lists were grown by push (17 slots for one entry), and
    // the result is kept with the line.
    return {
      occurrences: this.occ ? this.occ.slice() : NO_OCCURRENCES,
      files: this.fileList ? this.fileList.slice() : NO_FILES,
      samples: this.sampleList ? this.sampleList.slice() : NO_SAMPLES,
      condition: this.condition,
      dynamicBackend: this.dynamicBackend,
    };
  }
}

/** The fetch behind an ACL keyword (`path_beg` reads `path`). */
function aclFetchName(kw: HaproxyKeywords, name: string): string {
  return kw.aclKeyword(name)?.fetch ?? name;
}

const argTypeCache = new Map<string, readonly { type: string; optional: boolean }[]>();

/** `[string,integer]` -> string (optional), integer (optional). */
export function argTypes(spec: string): readonly { type: string; optional: boolean }[] {
  let hit = argTypeCache.get(spec);
  if (!hit) argTypeCache.set(spec, (hit = parseArgTypes(spec)));
  return hit;
}

function parseArgTypes(spec: string): { type: string; optional: boolean }[] {
  const out: { type: string; optional: boolean }[] = [];
  let depth = 0;
  let cur = '';
  const flush = (): void => {
    if (cur.trim() !== '') out.push({ type: cur.trim(), optional: depth > 0 });
    cur = '';
  };
  for (const c of spec) {
    if (c === '[') {
      flush();
      depth++;
    } else if (c === ']') {
      flush();
      depth = Math.max(0, depth - 1);
    } else if (c === ',') {
      flush();
    } else {
      cur += c;
    }
  }
  flush();
  return out;
}

function conditionIndex(words: readonly Word[], from: number): number {
  for (let i = from; i < words.length; i++) {
    const v = words[i].value;
    if (v === 'if' || v === 'unless') return i;
  }
  return -1;
}

function computeSemantics(d: Directive, kind: SectionKind, ctx: SemanticsContext): LineSemantics {
  const words = d.words;
  const k = d.keywordIndex;
  const kw = d.keyword;
  const c = new Collector(ctx);

  if (d.tokens.error) return EMPTY;

  const end = conditionSemantics(c, words, k, kw);

  if (LOG_FORMAT_KEYWORDS.has(kw)) {
    for (let i = k + 1; i < end; i++) c.logFormat(words[i]);
  }

  if (kind === 'global') {
    globalSemantics(c, d, words, k);
    return c.result();
  }
  keywordSemantics(c, d, kind, end);
  return c.result();
}

/** The condition of a rule line (it comes last), collected; returns where the words before it end. */
function conditionSemantics(c: Collector, words: readonly Word[], k: number, kw: string): number {
  let condAt = -1;
  if (CONDITIONAL_KEYWORDS.has(kw)) {
    condAt = conditionIndex(words, k + 1);
    if (condAt >= 0) {
      c.condition = parseCondition(words, condAt);
      for (const term of c.condition.terms) {
        if (term.kind === 'named') {
          const exact = term.word.raw === term.word.value;
          c.occurrences.push({
            kind: 'acl',
            role: 'reference',
            name: term.name,
            start: exact ? term.start : term.word.start,
            end: term.end,
            exact,
            via: kw,
            backend: undefined,
            template: undefined,
          });
        } else if (term.words.length > 0) {
          c.sample(term.words[0], 'acl');
          aclFlagsFiles(c, term.words, 1);
        }
      }
    }
  }
  return condAt >= 0 ? condAt : words.length;
}

/** The references, definitions and files of a proxy or other non-global section's line, by keyword. */
function keywordSemantics(c: Collector, d: Directive, kind: SectionKind, end: number): void {
  const words = d.words;
  const k = d.keywordIndex;
  const kw = d.keyword;
  switch (kw) {
    case 'use_backend':
    case 'default_backend': {
      const target = words[k + 1];
      if (target && target.value.includes('%[')) c.dynamicBackend = true;
      else if (target && !(kw === 'use_backend' && (target.value === 'if' || target.value === 'unless')))
        c.word('backend', 'reference', target, kw);
      break;
    }
    case 'use-server': {
      const target = words[k + 1];
      if (target && target.value !== 'if' && target.value !== 'unless' && !target.value.includes('%['))
        c.word('server', 'reference', target, kw);
      break;
    }
    case 'acl':
      if (isProxyKind(kind)) {
        c.word('acl', 'definition', words[k + 1], 'acl');
        c.sample(words[k + 2], 'acl');
        aclFlagsFiles(c, words, k + 3);
      }
      break;
    case 'server':
    case 'server-template':
    case 'default-server':
      serverSemantics(c, d, kind);
      break;
    case 'stick-table':
      for (let i = k + 1; i < words.length - 1; i++)
        if (words[i].value === 'peers') c.word('peers', 'reference', words[i + 1], 'stick-table');
      break;
    case 'stick': {
      // stick on|match|store-request|store-response <expr> [table <t>]
      c.sample(words[k + 2], 'expr');
      tableOption(c, words, k + 3, end, 'stick');
      break;
    }
    case 'http-request':
    case 'http-response':
    case 'http-after-response':
    case 'tcp-request':
    case 'tcp-response':
      ruleSemantics(c, words, k, end, kw);
      break;
    case 'filter': {
      const type = words[k + 1]?.value;
      if (type === 'cache') c.word('cache', 'reference', words[k + 2], 'filter cache');
      else if (type === 'fcgi-app') c.word('fcgi-app', 'reference', words[k + 2], 'filter fcgi-app');
      else if (type === 'spoe' || type === 'opentracing') {
        for (let i = k + 2; i < words.length - 1; i++) if (words[i].value === 'config') c.file('config', words[i + 1]);
      }
      break;
    }
    case 'use-fcgi-app':
      c.word('fcgi-app', 'reference', words[k + 1], kw);
      break;
    case 'errorfiles':
      c.word('http-errors', 'reference', words[k + 1], kw);
      break;
    case 'errorfile':
      if (kind !== 'http-errors' || words[k + 2]) c.file('errorfile', words[k + 2]);
      break;
    case 'email-alert':
      if (words[k + 1]?.value === 'mailers') c.word('mailers', 'reference', words[k + 2], 'email-alert mailers');
      break;
    case 'http-error':
    case 'http-check':
    case 'tcp-check':
      returnPayload(c, words, k + 1, end);
      if ((kw === 'http-check' || kw === 'tcp-check') && words[k + 1]?.value.startsWith('set-var('))
        c.sample(words[k + 2], 'expr');
      break;
    case 'log':
      ringLog(c, words, k);
      break;
    case 'bind':
      bindSemantics(c, words, k);
      break;
    case 'peer':
      break;
    case 'table':
      // A stick table declared in a peers section.
      break;
    default:
      break;
  }
}

function globalSemantics(c: Collector, d: Directive, words: readonly Word[], k: number): void {
  const kw = d.keyword;
  const fileKind = GLOBAL_FILE_KEYWORDS[kw];
  if (fileKind) c.file(fileKind, words[k + 1]);
  else if (kw === 'httpclient.resolvers.id') c.word('resolvers', 'reference', words[k + 1], kw);
  else if (kw === 'log') ringLog(c, words, k);
  else if (kw === 'set-var') c.sample(words[k + 2], 'expr');
  else if (kw === 'set-var-fmt') c.logFormat(words[k + 2] ?? words[k + 1]);
  else if (kw === 'ssl-load-extra-files' || kw === 'ca-base' || kw === 'crt-base') {
    // Directories, not files: nothing to link.
  }
}

function ringLog(c: Collector, words: readonly Word[], k: number): void {
  const target = words[k + 1];
  if (target && target.value.startsWith('ring@')) c.part('ring', 'reference', target, 5, target.value.length, 'log');
}

function bindSemantics(c: Collector, words: readonly Word[], k: number): void {
  for (let i = k + 2; i < words.length - 1; i++) {
    const fileKind = bindFileKind(words[i].value);
    if (fileKind) {
      c.file(fileKind, words[i + 1]);
      i++;
    }
  }
}

function serverSemantics(c: Collector, d: Directive, kind: SectionKind): void {
  const words = d.words;
  const k = d.keywordIndex;
  const kw = d.keyword;
  let optionsFrom = k + 1;
  if (kw === 'server' || kw === 'server-template') {
    if (kind === 'backend' || kind === 'listen' || kind === 'peers') {
      c.word('server', 'definition', words[k + 1], kw, kw === 'server-template' ? { template: true } : {});
    }
    optionsFrom = kw === 'server-template' ? k + 4 : k + 3;
  }
  for (let i = optionsFrom; i < words.length - 1; i++) {
    const name = words[i].value;
    const value = words[i + 1];
    if (name === 'resolvers') c.word('resolvers', 'reference', value, 'resolvers');
    else if (name === 'track') {
      const slash = value.value.indexOf('/');
      if (slash >= 0) {
        c.part('backend', 'reference', value, 0, slash, 'track');
        c.part('server', 'reference', value, slash + 1, value.value.length, 'track', {
          backend: value.value.slice(0, slash),
        });
      } else {
        c.word('server', 'reference', value, 'track');
      }
    } else {
      const fileKind = bindFileKind(name);
      if (fileKind) c.file(fileKind, value);
      else continue;
    }
    i++;
  }
}

/** `-f <file>` after an ACL's fetch expression. */
function aclFlagsFiles(c: Collector, words: readonly Word[], from: number): void {
  for (let i = from; i < words.length - 1; i++) {
    const v = words[i].value;
    if (v === '--') return;
    if (v === '-f') c.file('acl', words[++i]);
    else if (v === '-m' || v === '-u') i++;
    else if (!v.startsWith('-')) return;
  }
}

function tableOption(c: Collector, words: readonly Word[], from: number, end: number, via: string): void {
  for (let i = from; i < end - 1; i++) if (words[i].value === 'table') c.word('table', 'reference', words[i + 1], via);
}

/** Payload options of return/deny/http-error/http-check lines: files, http-errors sections. */
function returnPayload(c: Collector, words: readonly Word[], from: number, end: number): void {
  for (let i = from; i < end - 1; i++) {
    const v = words[i].value;
    if (v === 'errorfile' || v === 'file' || v === 'lf-file') c.file('errorfile', words[++i]);
    else if (v === 'errorfiles') c.word('http-errors', 'reference', words[++i], v);
  }
}

function ruleSemantics(c: Collector, words: readonly Word[], k: number, end: number, kw: string): void {
  // tcp-request connection|session|content <action>, tcp-response content <action>, http-* <action>
  const actionIndex = kw.startsWith('tcp-') ? k + 2 : k + 1;
  const action = words[actionIndex]?.value ?? '';
  if (kw.startsWith('tcp-') && words[k + 1]?.value === 'inspect-delay') return;

  if (action === 'cache-use' || action === 'cache-store') c.word('cache', 'reference', words[actionIndex + 1], action);
  if (action.startsWith('do-resolve(')) {
    // do-resolve(<var>,<resolvers>[,ipv4|ipv6]) <expr>
    const w = words[actionIndex];
    const open = w.value.indexOf('(');
    const first = w.value.indexOf(',', open);
    if (first >= 0) {
      const second = w.value.indexOf(',', first + 1);
      const close = w.value.indexOf(')', first);
      const stop = second >= 0 ? second : close >= 0 ? close : w.value.length;
      c.part('resolvers', 'reference', w, first + 1, stop, 'do-resolve');
    }
  }
  // Every file action prefix ends with '(' at offset 7.
  if (action.charCodeAt(7) === 40)
    for (const [prefix, fileKind] of ACTION_FILE_PREFIXES) {
      if (action.startsWith(prefix)) {
        const w = words[actionIndex];
        const close = w.value.lastIndexOf(')');
        c.file(fileKind, w, prefix.length, close > prefix.length ? close : undefined);
      }
    }
  // Most of these actions also take a plain integer (sc-set-gpt0) or a time (set-timeout) instead of an expression.
  const literal = (w: Word | undefined): boolean => w !== undefined && /^\d+(us|ms|s|m|h|d)?$/.test(w.value);
  if (startsWithAny(action, EXPR_ACTIONS)) {
    const w = words[actionIndex + 1];
    if (action.startsWith('set-var(') || !literal(w)) c.sample(w, 'expr');
  }
  if (action === 'set-timeout' && !literal(words[actionIndex + 2])) c.sample(words[actionIndex + 2], 'expr');
  if (action.startsWith('track-sc')) tableOption(c, words, actionIndex + 2, end, action);
  if (action === 'return' || action === 'deny' || action === 'tarpit') returnPayload(c, words, actionIndex + 1, end);
}
