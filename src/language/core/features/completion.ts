// Completion: what may be typed at the cursor, from the keyword data of the target HAProxy version
// and the names the configuration defines. Works on the current line and its section only (no
// whole-file scan), so it stays fast on very large files.

import type { HaproxyKeywords, KeywordInfo } from '../keywords';
import { own } from '../analysis/own';
import { argTypes } from '../analysis/semantics';
import { MODIFIABLE_KEYWORDS, PREDEFINED_ACLS, TIMEOUT_NAMES } from '../analysis/removed';
import { CONDITION_PREDICATES } from '../../../shared/haproxy-config/conditionals';
import type { ConfigModel } from '../../../shared/haproxy-config/configModel';
import type { Section } from '../../../shared/haproxy-config/model';
import { SECTIONS, isProxyKind, type SectionKind } from '../../../shared/haproxy-config/sections';
import type { Word } from '../../../shared/haproxy-config/tokenizer';
import { cursorContext, exprPosition, logFormatBlockAt, type CursorContext } from './cursor';
import { KEYWORD_SUMMARIES } from './summaries';

export type CompletionKind =
  | 'section'
  | 'keyword'
  | 'option'
  | 'action'
  | 'fetch'
  | 'converter'
  | 'acl'
  | 'backend'
  | 'server'
  | 'value'
  | 'parameter'
  | 'directive'
  | 'reference';

export interface CompletionEntry {
  readonly label: string;
  readonly kind: CompletionKind;
  readonly detail?: string;
  /** Markdown. */
  readonly documentation?: string;
  readonly insertText?: string;
  readonly sortText?: string;
  readonly deprecated?: boolean;
  /** Replacement range on the cursor's line. */
  readonly start: number;
  readonly end: number;
  /** Ask the editor to complete again after inserting (e.g. after `http-request `). */
  readonly retrigger?: boolean;
}

const CONDITIONAL_DIRECTIVES: readonly [string, string][] = [
  ['.if', 'Start a conditional block'],
  ['.elif', 'Alternative branch of a conditional block'],
  ['.else', 'Last branch of a conditional block'],
  ['.endif', 'End of a conditional block'],
  ['.notice', 'Print a notice while parsing'],
  ['.warning', 'Print a warning while parsing'],
  ['.alert', 'Print an alert and fail'],
  ['.diag', 'Print a diagnostic message (with -dD)'],
];

const CONDITION_KEYWORDS = new Set([
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
  'http-check',
  'tcp-check',
]);

const EXPR_ACTION_PREFIXES = [
  'set-var(',
  'set-src',
  'set-dst',
  'track-sc',
  'capture',
  'do-resolve(',
  'set-priority-class',
  'set-priority-offset',
  'sc-set-gpt',
];

const BALANCE_ALGORITHMS: readonly [string, string][] = [
  ['roundrobin', 'Each server in turn, by weight (dynamic)'],
  ['static-rr', 'Each server in turn, by weight (static)'],
  ['leastconn', 'The server with the fewest connections'],
  ['first', 'The first server with free connection slots'],
  ['source', 'Hash of the client address'],
  ['uri', 'Hash of the URI'],
  ['url_param', 'Hash of a URL parameter'],
  ['hdr(', 'Hash of an HTTP header: hdr(<name>)'],
  ['random', 'Random choice (power of two choices)'],
  ['rdp-cookie', 'Hash of an RDP cookie'],
  ['hash', 'Hash of a sample expression'],
];

export interface CompletionOptions {
  readonly keywords: HaproxyKeywords;
}

export function complete(
  model: ConfigModel,
  line: number,
  character: number,
  options: CompletionOptions,
): CompletionEntry[] {
  const ctx = cursorContext(model, line, character);
  if (ctx.inComment) return [];
  return new Completer(model, ctx, options.keywords).run();
}

class Completer {
  private readonly kind?: SectionKind;
  private readonly section?: Section;

  constructor(
    private readonly model: ConfigModel,
    private readonly ctx: CursorContext,
    private readonly kw: HaproxyKeywords,
  ) {
    this.section = ctx.section;
    this.kind = ctx.section?.kind;
  }

  private entry(
    label: string,
    kind: CompletionKind,
    extra: Partial<CompletionEntry> = {},
    range?: { start: number; end: number },
  ): CompletionEntry {
    return {
      label,
      kind,
      start: range?.start ?? this.ctx.replaceStart,
      end: range?.end ?? this.ctx.replaceEnd,
      ...extra,
    };
  }

  run(): CompletionEntry[] {
    const { ctx } = this;
    const words = ctx.words;
    const first = words[0]?.value ?? '';
    const i = ctx.wordIndex;
    if (first.startsWith('.') && i >= 1) return first === '.if' || first === '.elif' ? this.predicates() : [];
    if (i === 0 || (i === 1 && ctx.keywordIndex === 1)) return this.firstWord(i === 1);

    const isHeader = this.section && this.section.header.line === ctx.line;
    if (isHeader) return this.header();
    if (!this.kind) return [];

    const k = ctx.keywordIndex;
    const keyword = words[k]?.value ?? '';
    const prev = words[i - 1]?.value ?? '';

    // Inside a `%[...]` block of any word.
    const expr = this.expressionInWord();
    if (expr) return expr;

    // Conditions: after `if` / `unless`.
    if (CONDITION_KEYWORDS.has(keyword)) {
      const condAt = words.findIndex((w, j) => j > k && j < i && (w.value === 'if' || w.value === 'unless'));
      if (condAt >= 0) return this.condition(condAt);
    }

    if (i === k + 1) {
      const sub = this.afterKeyword(keyword);
      if (sub) return sub;
    }
    if (keyword === 'tcp-request' || keyword === 'tcp-response') {
      const sub = words[k + 1]?.value;
      if (i === k + 2 && sub && sub !== 'inspect-delay') return this.actions(`${keyword} ${sub}`);
    }
    if (keyword === 'acl' && i === k + 2) return this.sampleWord(true);
    if (this.isExpressionWord(keyword, k, i)) return this.sampleWord(false);
    if (keyword === 'bind' && i >= k + 2) return this.params('bind', prev);
    if (
      (keyword === 'server' && i >= k + 3) ||
      (keyword === 'default-server' && i >= k + 1) ||
      (keyword === 'server-template' && i >= k + 4)
    ) {
      return this.params('server', prev);
    }
    if (keyword === 'email-alert' && words[k + 1]?.value === 'mailers' && i === k + 2)
      return this.sectionNames(['mailers']);
    if (keyword === 'stick-table' && prev === 'peers') return this.sectionNames(['peers']);
    if (prev === 'table' && (keyword === 'stick' || words.some((w) => w.value.startsWith('track-sc'))))
      return this.tables();
    if (keyword === 'filter' && i === k + 2) {
      const type = words[k + 1]?.value;
      if (type === 'cache') return this.sectionNames(['cache']);
      if (type === 'fcgi-app') return this.sectionNames(['fcgi-app']);
    }
    if (
      (keyword === 'http-request' && words[k + 1]?.value === 'cache-use') ||
      (keyword === 'http-response' && words[k + 1]?.value === 'cache-store')
    ) {
      if (i === k + 2) return this.sectionNames(['cache']);
    }
    if (prev === 'errorfiles') return this.sectionNames(['http-errors']);
    return [];
  }

  private firstWord(afterModifier: boolean): CompletionEntry[] {
    const out: CompletionEntry[] = [];
    if (afterModifier) {
      const kind = this.kind;
      if (!kind) return [];
      for (const name of MODIFIABLE_KEYWORDS) {
        if (name === 'option' ? this.kw.optionNames(kind).length > 0 : this.kw.keyword(kind, name)) {
          out.push(
            this.entry(name, 'keyword', {
              retrigger: name === 'option',
              insertText: name === 'option' ? 'option ' : name,
            }),
          );
        }
      }
      return out;
    }
    for (const [kind, info] of Object.entries(SECTIONS)) {
      const section = this.kw.data.sections[kind];
      out.push(
        this.entry(kind, 'section', {
          detail: info.summary,
          sortText: this.kind ? `2${kind}` : `0${kind}`,
          ...(section?.anchor ? { documentation: this.docLink(section.header?.anchor ?? section.anchor) } : {}),
        }),
      );
    }
    for (const [label, detail] of CONDITIONAL_DIRECTIVES)
      out.push(this.entry(label, 'directive', { detail, sortText: `3${label}` }));
    const kind = this.kind;
    if (!kind) return out;
    for (const name of this.kw.keywordNames(kind)) {
      const info = name === 'option' ? undefined : this.kw.keyword(kind, name);
      if (info?.removed) continue;
      if (kind === 'defaults' && info?.namedDefaultsOnly && !this.section?.name) continue;
      const takesMore = name === 'option' || !!info?.sub || (info?.syntax?.[0]?.trim().includes(' ') ?? false);
      out.push(
        this.entry(name, 'keyword', {
          detail: KEYWORD_SUMMARIES.get(name) ?? info?.syntax?.[0],
          ...(info ? { documentation: this.keywordDoc(info) } : {}),
          sortText: `1${name}`,
          ...(info?.deprecated ? { deprecated: true } : {}),
          ...(takesMore ? { insertText: `${name} `, retrigger: true } : {}),
        }),
      );
    }
    return out;
  }

  private header(): CompletionEntry[] {
    const section = this.section!;
    const i = this.ctx.wordIndex;
    const info = SECTIONS[section.kind];
    if (info.from && i === 2)
      return [
        this.entry('from', 'keyword', {
          detail: 'Inherit from a named defaults section',
          insertText: 'from ',
          retrigger: true,
        }),
      ];
    if (info.from && i === 3 && this.ctx.words[2]?.value === 'from') {
      return this.model
        .sectionsOf('defaults')
        .filter((s) => s.name && s.startLine < section.startLine)
        .map((s) => this.entry(s.name!.value, 'reference', { detail: `defaults (line ${s.startLine + 1})` }));
    }
    return [];
  }

  private afterKeyword(keyword: string): CompletionEntry[] | undefined {
    const kind = this.kind!;
    if (keyword === 'option') {
      return this.kw.optionNames(kind).map((name) => {
        const info = this.kw.option(kind, name)!;
        return this.entry(name, 'option', {
          detail: info.syntax?.[0],
          documentation: this.keywordDoc(info),
          ...(info.deprecated ? { deprecated: true } : {}),
        });
      });
    }
    if (keyword === 'http-request' || keyword === 'http-response' || keyword === 'http-after-response')
      return this.actions(keyword);
    if (keyword === 'use_backend' || keyword === 'default_backend') return this.backends();
    if (keyword === 'use-server') return this.servers(this.section!);
    if (keyword === 'mode' && isProxyKind(kind)) return ['http', 'tcp'].map((m) => this.entry(m, 'value'));
    if (keyword === 'balance') return BALANCE_ALGORITHMS.map(([name, detail]) => this.entry(name, 'value', { detail }));
    if (keyword === 'errorfiles') return this.sectionNames(['http-errors']);
    if (keyword === 'use-fcgi-app') return this.sectionNames(['fcgi-app']);
    if (keyword === 'filter')
      return Object.keys(this.kw.data.filters).map((f) =>
        this.entry(f, 'value', { documentation: this.keywordDoc(this.kw.data.filters[f]) }),
      );
    if (keyword === 'log') {
      const rings = this.model
        .sectionsOf('ring')
        .filter((s) => s.name)
        .map((s) => this.entry(`ring@${s.name!.value}`, 'reference', { detail: 'ring' }));
      return [...['global', 'stdout', 'stderr'].map((t) => this.entry(t, 'value')), ...rings];
    }
    if (keyword === 'timeout' && (isProxyKind(kind) || kind === 'resolvers')) {
      const info = this.kw.keyword(kind, 'timeout');
      const names = Object.keys(info?.sub ?? {});
      const list = names.length > 0 ? names : [...TIMEOUT_NAMES];
      return list.map((name) =>
        this.entry(name, 'value', {
          ...(info?.sub?.[name] ? { documentation: this.keywordDoc(info.sub[name]) } : {}),
          insertText: `${name} `,
        }),
      );
    }
    if (keyword === 'tcp-request' || keyword === 'tcp-response') {
      const info = this.kw.keyword(kind, keyword);
      return Object.keys(info?.sub ?? {}).map((name) =>
        this.entry(name, 'value', {
          documentation: this.keywordDoc(info!.sub![name]),
          insertText: `${name} `,
          retrigger: name !== 'inspect-delay',
        }),
      );
    }
    const info = this.kw.keyword(kind, keyword);
    if (info?.sub) {
      return Object.entries(info.sub).map(([name, sub]) =>
        this.entry(name, 'value', { detail: sub.syntax?.[0], documentation: this.keywordDoc(sub) }),
      );
    }
    const enumValues =
      info?.syntax?.length === 1 ? /^\S+ \{ ?([a-z0-9-]+(?: ?\| ?[a-z0-9-]+)+) ?\}/.exec(info.syntax[0].trim()) : null;
    if (enumValues) return enumValues[1].split('|').map((v) => this.entry(v.trim(), 'value'));
    return undefined;
  }

  private actions(ruleset: string): CompletionEntry[] {
    return this.kw.actionNames(ruleset).map((name) => {
      const info = this.kw.action(ruleset, name)!.info;
      // Prefix actions take their argument in parentheses (`set-var(txn.x)`), except track-sc<n>.
      const insert = info.matchPrefix ? (name.startsWith('track-sc') ? name : `${name}(`) : `${name} `;
      return this.entry(name, 'action', {
        detail: info.syntax?.[0],
        documentation: this.keywordDoc(info),
        insertText: insert,
        ...(info.matchPrefix ? {} : { retrigger: true }),
      });
    });
  }

  private backends(): CompletionEntry[] {
    return this.model
      .backendLike()
      .filter((s) => s.name)
      .map((s) => {
        const servers = this.model.serversOf(s).filter((x) => x.name).length;
        return this.entry(s.name!.value, 'backend', {
          detail: `${s.kind} · ${servers} server${servers === 1 ? '' : 's'} · line ${s.startLine + 1}`,
        });
      });
  }

  private servers(section: Section): CompletionEntry[] {
    return this.model
      .serversOf(section)
      .filter((s) => s.name && (s.keyword === 'server' || s.keyword === 'server-template'))
      .map((s) => this.entry(s.name!.value, 'server', { detail: `${s.keyword} ${s.addressWord?.value ?? ''}`.trim() }));
  }

  private sectionNames(kinds: readonly SectionKind[]): CompletionEntry[] {
    const out: CompletionEntry[] = [];
    for (const kind of kinds) {
      for (const s of this.model.sectionsOf(kind))
        if (s.name) out.push(this.entry(s.name.value, 'reference', { detail: `${kind} (line ${s.startLine + 1})` }));
    }
    return out;
  }

  private tables(): CompletionEntry[] {
    const out: CompletionEntry[] = [];
    for (const s of this.model.proxies()) {
      if (s.name && s.directives.some((d) => d.keyword === 'stick-table'))
        out.push(this.entry(s.name.value, 'reference', { detail: `stick-table of ${s.kind}` }));
    }
    for (const s of this.model.sectionsOf('peers')) {
      for (const d of s.directives) {
        const t = d.keyword === 'table' ? d.words[d.keywordIndex + 1] : undefined;
        if (t && s.name)
          out.push(this.entry(`${s.name.value}/${t.value}`, 'reference', { detail: 'table in peers section' }));
      }
    }
    return out;
  }

  private predicates(): CompletionEntry[] {
    return Object.entries(CONDITION_PREDICATES).map(([name, info]) =>
      this.entry(name, 'fetch', { detail: info.summary, insertText: `${name}(` }),
    );
  }

  /** Named ACLs usable at this line (defined earlier in the section), predefined ACLs, `{`. */
  private condition(condAt: number): CompletionEntry[] {
    const { ctx } = this;
    const words = ctx.words;
    // Inside an anonymous ACL `{ ... }`: the first word is a fetch.
    let open = -1;
    for (let j = condAt + 1; j < ctx.wordIndex; j++) {
      if (words[j].value === '{' || words[j].value === '!{') open = j;
      if (words[j].value === '}') open = -1;
    }
    if (open >= 0) return ctx.wordIndex === open + 1 ? this.sampleWord(true) : [];
    const negated = ctx.prefix.startsWith('!');
    const range = negated ? { start: ctx.replaceStart + 1, end: ctx.replaceEnd } : undefined;
    const out: CompletionEntry[] = [];
    const seen = new Set<string>();
    for (const d of this.section?.directives ?? []) {
      if (d.line >= ctx.line) break;
      const name = d.keyword === 'acl' ? d.words[d.keywordIndex + 1] : undefined;
      if (!name || seen.has(name.value)) continue;
      seen.add(name.value);
      out.push(
        this.entry(
          name.value,
          'acl',
          {
            detail: d.words
              .slice(d.keywordIndex + 2)
              .map((w) => w.value)
              .join(' '),
            sortText: `0${name.value}`,
          },
          range,
        ),
      );
    }
    for (const [name, detail] of PREDEFINED_ACLS)
      out.push(this.entry(name, 'acl', { detail: `predefined: ${detail}`, sortText: `1${name}` }, range));
    if (!negated)
      out.push(
        this.entry('{', 'keyword', {
          detail: 'Anonymous ACL: { <fetch> [flags] [values] }',
          insertText: '{ ',
          sortText: '2{',
          retrigger: true,
        }),
      );
    return out;
  }

  private isExpressionWord(keyword: string, k: number, i: number): boolean {
    const words = this.ctx.words;
    if (keyword === 'stick' && i === k + 2) return true;
    const rules =
      keyword === 'http-request' ||
      keyword === 'http-response' ||
      keyword === 'tcp-request' ||
      keyword === 'tcp-response';
    if (!rules) return false;
    const actionIndex = keyword.startsWith('tcp-') ? k + 2 : k + 1;
    const action = words[actionIndex]?.value ?? '';
    return i === actionIndex + 1 && EXPR_ACTION_PREFIXES.some((p) => action.startsWith(p));
  }

  /** A `%[...]` block under the cursor, in any word. */
  private expressionInWord(): CompletionEntry[] | undefined {
    const w = this.ctx.word;
    if (!w) return undefined;
    const offset = this.ctx.character - w.start;
    const exprStart = logFormatBlockAt(w.raw, offset);
    if (exprStart === undefined) return undefined;
    return this.expression(w, offset, exprStart, false);
  }

  /** The current word is a whole sample expression (acl criterion, set-var value...). */
  private sampleWord(aclContext: boolean): CompletionEntry[] {
    const w = this.ctx.word;
    if (!w) return this.fetches(aclContext, { start: this.ctx.character, end: this.ctx.character });
    const offset = this.ctx.character - w.start;
    const start = w.raw.startsWith('"') || w.raw.startsWith("'") ? 1 : 0;
    return this.expression(w, offset, start, aclContext);
  }

  private expression(w: Word, offset: number, exprStart: number, aclContext: boolean): CompletionEntry[] {
    const pos = exprPosition(w.raw, offset, exprStart, w.start);
    const range = { start: pos.start, end: pos.end };
    if (pos.part === 'fetch') return this.fetches(aclContext, range);
    if (pos.part === 'converter') {
      return Object.entries(this.kw.data.converters).map(([name, info]) =>
        this.entry(
          name,
          'converter',
          {
            detail: `${name}${info.args ? `(${info.args})` : ''}: ${info.input ?? '?'} → ${info.output ?? '?'}`,
            documentation: this.docLink(info.anchor),
            ...(info.args ? { insertText: `${name}(` } : {}),
            ...(info.deprecated ? { deprecated: true } : {}),
          },
          range,
        ),
      );
    }
    return this.argument(pos.call ?? '', pos.argIndex ?? 0, range);
  }

  private fetches(aclContext: boolean, range: { start: number; end: number }): CompletionEntry[] {
    const out: CompletionEntry[] = [];
    for (const [name, info] of Object.entries(this.kw.data.fetches)) {
      out.push(
        this.entry(
          name,
          'fetch',
          {
            detail: `${name}${info.args ? `(${info.args})` : ''} → ${info.docType ?? info.output ?? '?'}`,
            documentation: this.docLink(info.anchor),
            ...(info.args && !info.args.startsWith('[') ? { insertText: `${name}(` } : {}),
            ...(info.deprecated ? { deprecated: true } : {}),
          },
          range,
        ),
      );
    }
    if (aclContext) {
      for (const [name, info] of Object.entries(this.kw.data.aclKeywords)) {
        if (this.kw.data.fetches[name]) continue;
        out.push(
          this.entry(
            name,
            'fetch',
            { detail: `ACL keyword: ${info.fetch} -m ${info.match}`, documentation: this.docLink(info.anchor) },
            range,
          ),
        );
      }
    }
    return out;
  }

  /** Values for a fetch or converter argument whose type names a section, a server or a variable. */
  private argument(call: string, index: number, range: { start: number; end: number }): CompletionEntry[] {
    const spec = this.kw.fetch(call)?.args ?? this.kw.converter(call)?.args;
    if (call === 'var' || call === 'set-var' || call === 'unset-var') {
      return ['proc.', 'sess.', 'txn.', 'req.', 'res.'].map((s) =>
        this.entry(s, 'value', { detail: 'variable scope' }, range),
      );
    }
    const type = spec ? argTypes(spec)[index]?.type : undefined;
    const named = (kinds: readonly SectionKind[], kind: CompletionKind): CompletionEntry[] =>
      kinds
        .flatMap((k) => this.model.sectionsOf(k))
        .filter((s) => s.name)
        .map((s) => this.entry(s.name!.value, kind, { detail: s.kind }, range));
    switch (type) {
      case 'backend':
        return named(['backend', 'listen'], 'backend');
      case 'frontend':
        return named(['frontend', 'listen'], 'reference');
      case 'user list':
        return named(['userlist'], 'reference');
      case 'table':
        return this.tables().map((e) => ({ ...e, start: range.start, end: range.end }));
      case 'server': {
        const out: CompletionEntry[] = [];
        for (const s of this.model.backendLike()) {
          if (!s.name) continue;
          for (const srv of this.model.serversOf(s))
            if (srv.name && srv.keyword === 'server')
              out.push(this.entry(`${s.name.value}/${srv.name.value}`, 'server', {}, range));
        }
        return out;
      }
      default:
        return [];
    }
  }

  private params(which: 'bind' | 'server', prev: string): CompletionEntry[] {
    const table = which === 'bind' ? this.kw.data.bindOptions : this.kw.data.serverOptions;
    const prevInfo = own(table, prev);
    // The previous word is an option waiting for its value: suggest values we know, else nothing.
    if (prevInfo && (prevInfo.args ?? (prevInfo.syntax?.[0]?.trim().includes(' ') ? 1 : 0)) > 0) {
      if (prev === 'resolvers') return this.sectionNames(['resolvers']);
      if (prev === 'track') {
        const out = this.servers(this.section!);
        for (const s of this.model.backendLike()) {
          if (!s.name || s === this.section) continue;
          for (const srv of this.model.serversOf(s))
            if (srv.name && srv.keyword === 'server')
              out.push(this.entry(`${s.name.value}/${srv.name.value}`, 'server'));
        }
        return out;
      }
      return [];
    }
    return Object.entries(table).map(([name, info]) =>
      this.entry(name, 'parameter', {
        detail: info.syntax?.[0],
        documentation: this.keywordDoc(info),
        ...(info.deprecated ? { deprecated: true } : {}),
      }),
    );
  }

  private keywordDoc(info: KeywordInfo): string {
    const parts: string[] = [];
    if (info.syntax?.length) parts.push('```haproxy\n' + info.syntax.join('\n') + '\n```');
    const link = this.kw.docLink(info.anchor);
    if (link) parts.push(`[HAProxy ${this.kw.version} manual](${link})`);
    return parts.join('\n\n');
  }

  private docLink(anchor: string | undefined): string {
    const link = this.kw.docLink(anchor);
    return link ? `[HAProxy ${this.kw.version} manual](${link})` : '';
  }
}
