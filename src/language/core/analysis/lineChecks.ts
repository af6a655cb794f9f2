// Checks that depend on one line and its section kind only: keywords and where they are allowed,
// removed and deprecated keywords, options and actions, bind and server options, addresses, names,
// sample fetches and converters, variable names, timeouts, modes. Results are cached per tokenized
// line, so an edit re-checks only the lines it touched.

import type { HaproxyKeywords, KeywordInfo } from '../keywords';
import type { AddressRules } from '../../../shared/haproxy-config/address';
import { ADDRESS_RULES } from '../../../shared/haproxy-config/address';
import type { Directive } from '../../../shared/haproxy-config/model';
import type { SampleCall } from '../../../shared/haproxy-config/samples';
import { firstInvalidNameChar, isProxyKind, type SectionKind } from '../../../shared/haproxy-config/sections';
import {
  optionValueCount,
  parseAddressList,
  parseBind,
  readServerHead,
  type OptionArity,
} from '../../../shared/haproxy-config/statements';
import {
  memoGet,
  memoSet,
  memoSetCommon,
  newMemoKey,
  type MemoKey,
  type TokenizedLine,
  type Word,
} from '../../../shared/haproxy-config/tokenizer';
import {
  FEATURE_KEYWORD_PREFIXES,
  MODIFIABLE_KEYWORDS,
  PROXY_MODES,
  REMOVED_GLOBAL_KEYWORDS,
  REMOVED_OPTIONS,
  REMOVED_PROXY_KEYWORDS,
  TIMEOUT_NAMES,
  VARIABLE_SCOPES,
  type RemovedKeyword,
} from './removed';
import { own } from './own';
import { semanticsOf, valueOffset, type SampleUse } from './semantics';
import { closestMatch } from './suggest';
import type { LineDiagnostic } from './types';

export interface LineCheckContext {
  readonly keywords: HaproxyKeywords;
  readonly kind: SectionKind;
  /** For defaults sections: whether it has a name (some keywords need one). */
  readonly namedDefaults: boolean;
}

/** Keywords whose second word must come from a fixed list (reliable lists only). */
const CHECKED_SUBS = new Set([
  'timeout',
  'capture',
  'redirect',
  'stick',
  'tcp-request',
  'tcp-response',
  'monitor',
  'email-alert',
  'compression',
  'declare',
  'rate-limit',
  'persist',
  'external-check',
  'http-error',
]);

const RULESETS = new Set(['http-request', 'http-response', 'http-after-response']);

/** Between frontends and backends, HAProxy ignores a misplaced keyword with a warning, except these. */
const PROXY_CROSS_ERRORS = new Set([
  'declare',
  'default-server',
  'server',
  'server-template',
  'retry-on',
  'tcp-response',
  'use-fcgi-app',
]);
/** Accepted silently by HAProxy on either side although documented for one. */
const PROXY_CROSS_SILENT = new Set(['unique-id-format', 'unique-id-header', 'persist', 'transparent']);

/** Values an option takes: from the binary's count, else from the manual's syntax line. */
export function optionArity(info: { args?: number; syntax?: string[] } | undefined): number {
  if (!info) return 1;
  if (info.args !== undefined) return info.args;
  const first = info.syntax?.[0];
  return first !== undefined && first.trim().split(/\s+/).length > 1 ? 1 : 0;
}

/** Cache keys: section kind, named-defaults flag and keyword data. */
const checkKeys = new Map<string, Map<HaproxyKeywords, MemoKey>>();
export function checkKey(ctx: LineCheckContext): MemoKey {
  const id = `${ctx.kind}|${ctx.namedDefaults ? 1 : 0}`;
  let byKw = checkKeys.get(id);
  if (!byKw) checkKeys.set(id, (byKw = new Map()));
  let key = byKw.get(ctx.keywords);
  if (!key) byKw.set(ctx.keywords, (key = newMemoKey()));
  return key;
}

const NONE: readonly LineDiagnostic[] = Object.freeze([]);

/** The diagnostics of one line (cached with its tokenized line). */
export function checkLine(
  d: Directive,
  ctx: LineCheckContext,
  key: MemoKey = checkKey(ctx),
): readonly LineDiagnostic[] {
  const tk = d.tokens as TokenizedLine;
  const hit = memoGet(tk.checks, key);
  if (hit !== undefined) return hit as readonly LineDiagnostic[];
  const found = new LineChecker(d, ctx).run();
  if (found.length === 0) {
    tk.checks = memoSetCommon(tk.checks, key, NONE);
    return NONE;
  }
  tk.checks = memoSet(tk.checks, key, found);
  return found;
}

class LineChecker {
  private out: LineDiagnostic[] = NONE as LineDiagnostic[];
  private readonly kw: HaproxyKeywords;
  private readonly words: readonly Word[];
  private readonly k: number;
  /** The keyword's data, once looked up (lines other than `option`). */
  private info: KeywordInfo | undefined = undefined;

  constructor(
    private readonly d: Directive,
    private readonly ctx: LineCheckContext,
  ) {
    this.kw = ctx.keywords;
    this.words = d.words;
    this.k = d.keywordIndex;
  }

  private add(diag: Omit<LineDiagnostic, 'start' | 'end'>, w: { start: number; end: number }): void {
    if (this.out === NONE) this.out = [];
    this.out.push({ ...diag, start: w.start, end: w.end });
  }

  private error(
    code: LineDiagnostic['code'],
    message: string,
    w: { start: number; end: number },
    extra: Partial<LineDiagnostic> = {},
  ): void {
    this.add({ code, severity: 'error', message, ...extra }, w);
  }

  run(): readonly LineDiagnostic[] {
    const { d, ctx } = this;
    if (d.tokens.error) return this.out; // the tokenizer error is reported instead
    // A section the keyword data does not describe (namespace_list): nothing to check against.
    if (!own(this.kw.data.sections, ctx.kind)) return this.out;
    const kwWord = this.words[this.k];

    if (d.modifier && !MODIFIABLE_KEYWORDS.has(d.keyword)) {
      this.error(
        'unsupported-modifier',
        `'${d.modifier}' is only accepted before option, log, busy-polling, set-dumpable, strict-limits, ` +
          `insecure-fork-wanted and numa-cpu-mapping`,
        this.words[0],
      );
    }

    if (ctx.kind === 'global') {
      const removed = REMOVED_GLOBAL_KEYWORDS.get(d.keyword);
      if (removed) return (this.removed(d.keyword, removed, kwWord), this.out);
    } else if (isProxyKind(ctx.kind)) {
      const removed = REMOVED_PROXY_KEYWORDS.get(d.keyword);
      if (removed && !this.kw.keyword(ctx.kind, d.keyword)?.sub)
        return (this.removed(d.keyword, removed, kwWord), this.out);
    }

    if (d.keyword === 'option' && (isProxyKind(ctx.kind) || this.kw.optionNames(ctx.kind).length > 0)) {
      this.option();
    } else {
      const info = this.kw.keyword(ctx.kind, d.keyword);
      if (!info) {
        this.unknownKeyword(kwWord);
        return this.out;
      }
      this.info = info;
      this.known(info, kwWord);
    }
    this.specific();
    this.samples();
    return this.out;
  }

  private removed(name: string, removed: RemovedKeyword, w: Word, what = 'keyword'): void {
    const fixes =
      removed.replaceWith !== undefined
        ? [{ kind: 'replace' as const, text: removed.replaceWith, title: `Replace with '${removed.replaceWith}'` }]
        : undefined;
    this.error(
      'removed-keyword',
      `The ${what} '${name}' was removed in HAProxy ` +
        `${removed.since}${removed.instead ? `; use ${removed.instead} instead` : ''}.`,
      w,
      fixes ? { fixes } : {},
    );
  }

  private unknownKeyword(w: Word): void {
    const { ctx, kw } = this;
    const name = this.d.keyword;
    for (const [prefix, feature] of FEATURE_KEYWORD_PREFIXES) {
      if (name.startsWith(prefix) && !kw.data.buildFeatures.includes(feature)) {
        // Documented but needs an optional build feature: another build may accept it.
        if (kw.data.sectionKinds.some((s) => kw.keyword(s, name))) {
          this.add(
            {
              code: 'feature-not-built',
              severity: 'warning',
              message:
                `'${name}' needs HAProxy built with ${feature}, which the reference build ` +
                `(${kw.data.haproxyVersion}) lacks.`,
            },
            w,
          );
          return;
        }
      }
    }
    const elsewhere = kw.data.sectionKinds.filter(
      (s) => s !== ctx.kind && (kw.keyword(s, name) || (name === 'option' && kw.optionNames(s).length > 0)),
    );
    const crossProxy =
      ctx.kind !== 'defaults' &&
      isProxyKind(ctx.kind) &&
      elsewhere.some((s) => s === 'frontend' || s === 'backend' || s === 'listen');
    if (crossProxy && PROXY_CROSS_SILENT.has(name)) return;
    if (crossProxy && !PROXY_CROSS_ERRORS.has(name)) {
      const side = elsewhere.includes('frontend') ? 'frontend' : 'backend';
      this.add(
        {
          code: 'ignored-in-section',
          severity: 'warning',
          message: `'${name}' is ignored in a '${ctx.kind}' section: it only applies to a ${side}.`,
        },
        w,
      );
      return;
    }
    if (elsewhere.length > 0) {
      this.error(
        'keyword-not-allowed',
        `'${name}' is not allowed in a '${ctx.kind}' section (it belongs in ${listOr(elsewhere)}).`,
        w,
      );
      return;
    }
    const suggestion = closestMatch(name, kw.keywordNames(ctx.kind));
    this.error(
      'unknown-keyword',
      `Unknown keyword '${name}' in '${ctx.kind}' section${suggestion ? `; did you mean '${suggestion}'?` : '.'}`,
      w,
      suggestion ? { fixes: [{ kind: 'replace', text: suggestion, title: `Replace with '${suggestion}'` }] } : {},
    );
  }

  private known(info: KeywordInfo, w: Word): void {
    const { ctx, d } = this;
    if (info.removed) {
      const local = REMOVED_PROXY_KEYWORDS.get(d.keyword);
      if (local) this.removed(d.keyword, local, w);
      else this.error('removed-keyword', `'${d.keyword}' is no longer supported: ${info.removed}`, w);
      return;
    }
    if (info.deprecated) {
      this.add(
        {
          code: 'deprecated-keyword',
          severity: 'warning',
          message: `'${d.keyword}' is deprecated.`,
          tags: ['deprecated'],
        },
        w,
      );
    }
    if (ctx.kind === 'defaults' && info.namedDefaultsOnly && !ctx.namedDefaults) {
      this.error(
        'keyword-not-allowed',
        `'${d.keyword}' is only allowed in a named 'defaults' section (defaults <name>).`,
        w,
      );
    }
    if (info.sub && info.subRequired && CHECKED_SUBS.has(d.keyword)) {
      const subWord = this.words[this.k + 1];
      if (!subWord) {
        this.error('missing-argument', `'${d.keyword}' expects one of ${listOr(Object.keys(info.sub))}.`, w);
        return;
      }
      if (!own(info.sub, subWord.value)) {
        const everywhere = this.subsEverywhere(d.keyword);
        if (everywhere.has(subWord.value)) {
          const severity = d.keyword === 'timeout' ? 'warning' : 'error';
          this.add(
            {
              code: 'ignored-in-section',
              severity,
              message: `'${d.keyword} ${subWord.value}' has no effect in a '${ctx.kind}' section.`,
            },
            subWord,
          );
        } else {
          const suggestion = closestMatch(subWord.value, Object.keys(info.sub));
          this.error(
            'invalid-value',
            `'${d.keyword}' expects ${listOr(Object.keys(info.sub))}, not '${subWord.value}'.`,
            subWord,
            suggestion ? { fixes: [{ kind: 'replace', text: suggestion, title: `Replace with '${suggestion}'` }] } : {},
          );
        }
        return;
      }
    }
    if (RULESETS.has(d.keyword)) this.action(d.keyword, this.k + 1);
    else if ((d.keyword === 'tcp-request' || d.keyword === 'tcp-response') && this.words[this.k + 1]) {
      const sub = this.words[this.k + 1].value;
      if (sub !== 'inspect-delay' && own(info.sub, sub)) this.action(`${d.keyword} ${sub}`, this.k + 2);
    }
  }

  private subsEverywhere(keyword: string): Set<string> {
    const all = new Set<string>();
    for (const s of this.kw.data.sectionKinds)
      for (const sub of Object.keys(this.kw.keyword(s, keyword)?.sub ?? {})) all.add(sub);
    if (keyword === 'timeout') for (const t of TIMEOUT_NAMES) all.add(t);
    return all;
  }

  private action(ruleset: string, index: number): void {
    const w = this.words[index];
    if (this.kw.data.actions[ruleset] === undefined) return;
    if (!w || w.value === 'if' || w.value === 'unless') {
      this.error('missing-argument', `'${ruleset}' expects an action.`, w ?? this.words[index - 1]);
      return;
    }
    // Actions registered by Lua scripts (`lua.<name>`) cannot be known statically.
    if (this.kw.action(ruleset, w.value) || this.builtinAction(ruleset, w.value) || w.value.startsWith('lua.')) return;
    const suggestion = closestMatch(w.value, this.kw.actionNames(ruleset));
    this.error(
      'unknown-action',
      `Unknown action '${w.value}' for '${ruleset}'${suggestion ? `; did you mean '${suggestion}'?` : '.'}`,
      w,
      suggestion ? { fixes: [{ kind: 'replace', text: suggestion, title: `Replace with '${suggestion}'` }] } : {},
    );
  }

  /** Actions the rule parsers handle themselves (not in the registered action lists of 2.6). */
  private builtinAction(ruleset: string, name: string): boolean {
    const common = ['accept', 'reject', 'expect-proxy', 'expect-netscaler-cip', 'capture', 'close'];
    if (ruleset.startsWith('tcp-'))
      return common.includes(name) || /^track-sc\d+$/.test(name) || /^(sc-inc-gpc|sc-set-gpt)/.test(name);
    return (
      ['allow', 'deny', 'tarpit', 'auth', 'redirect', 'reject', 'set-var', 'unset-var'].includes(name) ||
      /^track-sc\d+$/.test(name)
    );
  }

  private option(): void {
    const { ctx, kw, d } = this;
    const w = this.words[this.k + 1];
    if (!w) {
      this.error('missing-argument', "'option' expects an option name.", this.words[this.k]);
      return;
    }
    const removed = REMOVED_OPTIONS.get(w.value);
    if (removed) {
      this.removed(w.value, removed, w, 'option');
      return;
    }
    const info = kw.option(ctx.kind, w.value);
    if (info) {
      if (info.deprecated)
        this.add(
          {
            code: 'deprecated-keyword',
            severity: 'warning',
            message: `'option ${w.value}' is deprecated.`,
            tags: ['deprecated'],
          },
          w,
        );
      if (d.modifier === 'no' && info.negatable === false) {
        this.error('unsupported-modifier', `'option ${w.value}' cannot be negated with 'no'.`, this.words[0]);
      }
      return;
    }
    const elsewhere = kw.data.sectionKinds.filter((s) => s !== ctx.kind && kw.option(s, w.value));
    if (elsewhere.length > 0) {
      // HAProxy accepts options meant for the other side of a proxy and ignores them with a warning.
      const severity = isProxyKind(ctx.kind) && elsewhere.some(isProxyKind) ? 'warning' : 'error';
      this.add(
        {
          code: 'ignored-in-section',
          severity,
          message: `'option ${w.value}' has no effect in a '${ctx.kind}' section (it applies to ${listOr(elsewhere)}).`,
        },
        w,
      );
      return;
    }
    const suggestion = closestMatch(w.value, kw.optionNames(ctx.kind));
    this.error(
      'unknown-option',
      `Unknown option '${w.value}'${suggestion ? `; did you mean '${suggestion}'?` : '.'}`,
      w,
      suggestion ? { fixes: [{ kind: 'replace', text: suggestion, title: `Replace with '${suggestion}'` }] } : {},
    );
  }

  /** Keywords documented as `kw { a | b }` take one of these words only. */
  private enumValue(): void {
    const info = this.info !== undefined ? this.info : this.kw.keyword(this.ctx.kind, this.d.keyword);
    if (!info) return;
    const allowed = enumValues(info);
    if (!allowed) return;
    const w = this.words[this.k + 1];
    if (!w) {
      this.error('missing-argument', `'${this.d.keyword}' expects ${listOr(allowed)}.`, this.words[this.k]);
    } else if (!allowed.includes(w.value) && !w.value.includes('$')) {
      this.error('invalid-value', `'${this.d.keyword}' expects ${listOr(allowed)}, not '${w.value}'.`, w);
    }
  }

  /** Checks of particular keywords. */
  private specific(): void {
    const { d, ctx, words, k } = this;
    const arg = words[k + 1];
    if (!d.modifier) this.enumValue();
    switch (d.keyword) {
      case 'filter':
        if (
          arg &&
          (arg.value === 'spoe' || arg.value === 'opentracing') &&
          !words.some((w, i) => i > k + 1 && w.value === 'config')
        ) {
          this.error('missing-argument', `'filter ${arg.value}' expects 'config <file>'.`, arg);
        }
        return;
      case 'tcp-check':
      case 'http-check':
        if (arg?.value === 'connect') {
          for (let i = k + 2; i < words.length - 1; i++) {
            if (words[i].value === 'addr' && !words[i + 1].value.includes('$'))
              this.address(words[i + 1], ADDRESS_RULES.serverParam);
          }
        }
        return;
      case 'mode':
        if (!isProxyKind(ctx.kind)) return;
        if (!arg) this.error('missing-argument', "'mode' expects 'http' or 'tcp'.", words[k]);
        else if (arg.value === 'health')
          this.error(
            'removed-keyword',
            "'mode health' was removed; use 'http-request return status 200' instead.",
            arg,
          );
        else if (!PROXY_MODES.has(arg.value) || arg.value === 'log')
          this.error('invalid-value', `Unknown proxy mode '${arg.value}': use 'http' or 'tcp'.`, arg);
        return;
      case 'timeout':
        if (
          !isProxyKind(ctx.kind) &&
          ctx.kind !== 'resolvers' &&
          ctx.kind !== 'mailers' &&
          ctx.kind !== 'log-forward' &&
          ctx.kind !== 'ring'
        )
          return;
        if ((arg && TIMEOUT_NAMES.has(arg.value)) || ctx.kind === 'resolvers')
          this.time(words[k + 2], `timeout ${arg?.value ?? ''}`, words[k + 3]);
        return;
      case 'use_backend':
      case 'default_backend':
        if (!arg || (d.keyword === 'use_backend' && (arg.value === 'if' || arg.value === 'unless'))) {
          this.error('missing-argument', `'${d.keyword}' expects a backend name.`, words[k]);
        }
        return;
      case 'acl':
        if (!isProxyKind(ctx.kind)) return;
        if (arg) this.name(arg, 'acl');
        if (arg && !words[k + 2]) this.error('invalid-sample', 'Missing fetch method in ACL expression.', arg);
        return;
      case 'bind':
      case 'dgram-bind':
        this.bind();
        return;
      case 'server':
      case 'server-template':
      case 'default-server':
      case 'peer':
      case 'mailer':
      case 'nameserver':
        this.server();
        return;
      case 'log':
        this.logTarget();
        return;
      case 'source':
        if (isProxyKind(ctx.kind) && arg) this.address(arg, ADDRESS_RULES.proxySource);
        return;
      default:
        if (isVarAction(words[k + 1]) || isVarAction(words[k + 2])) this.ruleVariable();
    }
  }

  /** `set-var(name)` / `unset-var(name)` / `set-var-fmt(name)` actions. */
  private ruleVariable(): void {
    for (const w of [this.words[this.k + 1], this.words[this.k + 2]]) {
      if (!w) continue;
      const m = /^(set|unset)-var(-fmt)?\(([^),]*)/.exec(w.value);
      if (!m) continue;
      const at = valueOffset(w);
      const start = at === undefined ? w.start : at + m[0].length - m[3].length;
      const end = at === undefined ? w.end : start + m[3].length;
      this.variableName(m[3], { start, end });
    }
  }

  private variableName(name: string, range: { start: number; end: number }): void {
    if (name.includes('$')) return;
    const dot = name.indexOf('.');
    const scope = dot >= 0 ? name.slice(0, dot) : '';
    const rest = dot >= 0 ? name.slice(dot + 1) : '';
    if (!(VARIABLE_SCOPES as readonly string[]).includes(scope) || rest === '') {
      this.error(
        'invalid-variable-name',
        `Invalid variable name '${name}': it must start with its scope, one of ` +
          `${VARIABLE_SCOPES.map((s) => `'${s}.'`).join(', ')}.`,
        range,
      );
    } else if (!/^[A-Za-z0-9_.]+$/.test(rest)) {
      this.error(
        'invalid-variable-name',
        `Invalid variable name '${name}': only letters, digits, '_' and '.' may follow the scope.`,
        range,
      );
    }
  }

  private time(w: Word | undefined, what: string, extra: Word | undefined): void {
    if (!w) {
      this.error('missing-argument', `'${what}' expects a time value (e.g. 5s).`, this.words[this.words.length - 1]);
      return;
    }
    if (w.value.includes('$')) return;
    const m = /^(\d+)(us|ms|s|m|h|d)?$/.exec(w.value);
    if (!m) {
      const bad = /^\d*/.exec(w.value)![0].length;
      this.error(
        'invalid-value',
        `Unexpected character '${w.value[bad] ?? ''}' in '${what}': use a number with an optional unit (us, ms, s, ` +
          `m, h, d).`,
        w,
      );
      return;
    }
    const factor: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60000, h: 3600000, d: 86400000 };
    const ms = Number(m[1]) * factor[m[2] ?? 'ms'];
    if (ms > 2147483647)
      this.error(
        'invalid-value',
        `'${w.value}' is too long for '${what}' (at most 2147483647 ms, about 24.8 days).`,
        w,
      );
    if (extra && extra.value !== 'if' && extra.value !== 'unless')
      this.error('invalid-value', `Unexpected extra argument '${extra.value}' after '${w.value}'.`, extra);
  }

  private name(w: Word, what: string): void {
    if (w.value.includes('$')) return;
    const bad = firstInvalidNameChar(w.value);
    if (bad >= 0) {
      const at = valueOffset(w);
      const pos = at === undefined ? w : { start: at + bad, end: at + bad + 1 };
      this.error(
        'invalid-name',
        `Character '${w.value[bad]}' is not permitted in ${what} name '${w.value}' (letters, digits, '-', '_', '.' ` +
          `and ':' only).`,
        pos,
      );
    }
  }

  private address(w: Word, rules: AddressRules, list = false): void {
    if (w.value.includes('$')) return;
    for (const item of parseAddressList(w, rules, list)) {
      if (item.error) this.error('invalid-address', capitalize(item.error.message), item.error);
    }
  }

  private bind(): void {
    const { ctx, kw } = this;
    if (!(isProxyKind(ctx.kind) || ctx.kind === 'peers' || ctx.kind === 'log-forward')) return;
    const stmt = parseBind(this.d, bindArity(kw));
    if (!stmt.addressWord) {
      this.error('missing-argument', `'${this.d.keyword}' expects an address.`, this.words[this.k]);
      return;
    }
    if (!stmt.addressWord.value.includes('$')) {
      for (const item of stmt.addresses)
        if (item.error) this.error('invalid-address', capitalize(item.error.message), item.error);
    }
    for (const opt of stmt.options) {
      const info = kw.bindOption(opt.name.value);
      if (!info) {
        const suggestion = closestMatch(opt.name.value, Object.keys(kw.data.bindOptions));
        this.error(
          'unknown-bind-option',
          `Unknown bind option '${opt.name.value}'${suggestion ? `; did you mean '${suggestion}'?` : '.'}`,
          opt.name,
          suggestion ? { fixes: [{ kind: 'replace', text: suggestion, title: `Replace with '${suggestion}'` }] } : {},
        );
        return; // later words cannot be read reliably
      }
      if (optionArity(info) > opt.values.length) {
        this.error('missing-argument', `Bind option '${opt.name.value}' expects a value.`, opt.name);
      }
    }
  }

  private server(): void {
    const { ctx, kw, d } = this;
    // What parseServer() reads, without building the option list: the options are read in place below.
    const head = readServerHead(d, ctx.kind);
    if (!head) return;
    if (head.keyword !== 'default-server') {
      if (!head.name) {
        this.error('missing-argument', `'${head.keyword}' expects a name and an address.`, this.words[this.k]);
        return;
      }
      this.name(head.name, head.keyword === 'server' || head.keyword === 'server-template' ? 'server' : head.keyword);
      if (!head.addressWord && !(ctx.kind === 'peers' && head.keyword === 'server')) {
        this.error('missing-argument', `'${head.keyword}' expects a name and an address.`, head.name);
        return;
      }
      if (head.keyword === 'server-template' && head.count && !/^(\d+|\d+-\d+)$/.test(head.count.value)) {
        this.error(
          'invalid-value',
          `'server-template' expects a number or a range of servers, not '${head.count.value}'.`,
          head.count,
        );
      }
      if (head.address?.error && !head.addressWord?.value.includes('$'))
        this.error('invalid-address', capitalize(head.address.error.message), head.address.error);
    }
    if (head.keyword === 'peer' || head.keyword === 'mailer' || head.keyword === 'nameserver') return;
    const words = this.words;
    const arity = serverArity(kw);
    let usesrcOption = false;
    for (let i = head.optionsFrom; i < words.length;) {
      // readOptions(): the option's name, then as many values as its arity.
      const name = words[i++];
      const count = optionValueCount(words.length, i, arity(name.value) ?? 1);
      const value = count > 0 ? words[i] : undefined;
      i += count;
      if (name.value === 'usesrc') usesrcOption = true;
      const info = kw.serverOption(name.value) ?? (name.value === 'interface' ? { args: 1 } : undefined);
      if (!info) {
        const suggestion = closestMatch(name.value, Object.keys(kw.data.serverOptions));
        this.error(
          'unknown-server-option',
          `Unknown server option '${name.value}'${suggestion ? `; did you mean '${suggestion}'?` : '.'}`,
          name,
          suggestion ? { fixes: [{ kind: 'replace', text: suggestion, title: `Replace with '${suggestion}'` }] } : {},
        );
        return;
      }
      if (!value) {
        if (optionArity(info) > 0)
          this.error('missing-argument', `Server option '${name.value}' expects a value.`, name);
        continue;
      }
      if (value.value.includes('$')) continue;
      if (name.value === 'addr') this.address(value, ADDRESS_RULES.serverParam);
      else if (name.value === 'socks4') this.address(value, ADDRESS_RULES.socks4);
      else if (name.value === 'source') this.address(value, ADDRESS_RULES.serverSource);
      else if (name.value === 'usesrc' && !['client', 'clientip', 'hdr_ip'].some((p) => value.value.startsWith(p))) {
        this.address(value, ADDRESS_RULES.serverParam);
      }
    }
    // `source <addr> usesrc <addr>`: usesrc is read by the source option itself.
    let usesrcAt = -1;
    for (let i = this.k + 1; i < words.length; i++) {
      if (words[i].value === 'usesrc') {
        usesrcAt = i;
        break;
      }
    }
    if (usesrcAt > 0 && !usesrcOption) {
      const value = words[usesrcAt + 1];
      if (
        value &&
        !value.value.includes('$') &&
        !['client', 'clientip', 'hdr_ip'].some((p) => value.value.startsWith(p))
      ) {
        this.address(value, ADDRESS_RULES.serverParam);
      }
    }
  }

  private logTarget(): void {
    const target = this.words[this.k + 1];
    if (!target || this.d.modifier) return;
    const v = target.value;
    if (v === 'global' || v === 'stdout' || v === 'stderr' || v.startsWith('ring@') || v.includes('$')) return;
    this.address(target, ADDRESS_RULES.log);
  }

  /** Fetches, converters and variable names of the sample expressions on the line. */
  private samples(): void {
    const sem = semanticsOf(this.d, this.ctx.kind, { keywords: this.kw });
    const samples = sem.samples;
    for (let i = 0; i < samples.length; i++) this.sample(samples[i]);
    const problems = sem.condition?.problems;
    if (problems)
      for (let i = 0; i < problems.length; i++)
        this.error('invalid-condition', capitalize(problems[i].message), problems[i]);
  }

  private sample(use: SampleUse): void {
    const { kw } = this;
    const expr = use.expr;
    const range = (from: number, to: number): { start: number; end: number } =>
      use.exact
        ? { start: use.offset + from, end: use.offset + Math.max(to, from + 1) }
        : { start: use.word.start, end: use.word.end };
    if (use.word.value.includes('$')) return;
    if (expr.error) {
      this.error('invalid-sample', capitalize(expr.error.message), range(expr.error.start, expr.error.end));
      if (expr.fetch.name === '') return;
    }
    const fetchName = expr.fetch.name;
    const fetchKnown =
      kw.fetch(fetchName) || (use.context === 'acl' && kw.aclKeyword(fetchName)) || fetchName.startsWith('lua.');
    if (!fetchKnown && fetchName !== '') {
      const candidates =
        use.context === 'acl'
          ? [...Object.keys(kw.data.fetches), ...Object.keys(kw.data.aclKeywords)]
          : Object.keys(kw.data.fetches);
      const suggestion = closestMatch(fetchName, candidates);
      this.error(
        'unknown-fetch',
        `Unknown fetch method '${fetchName}'${suggestion ? `; did you mean '${suggestion}'?` : '.'}`,
        range(expr.fetch.start, expr.fetch.end),
        suggestion && use.exact
          ? { fixes: [{ kind: 'replace', text: suggestion, title: `Replace with '${suggestion}'` }] }
          : {},
      );
      return;
    }
    if (fetchName === 'var') this.callVariable(expr.fetch, range);
    for (const conv of expr.converters) {
      if (!kw.converter(conv.name) && !conv.name.startsWith('lua.')) {
        const suggestion = closestMatch(conv.name, Object.keys(kw.data.converters));
        this.error(
          'unknown-converter',
          `Unknown converter '${conv.name}'${suggestion ? `; did you mean '${suggestion}'?` : '.'}`,
          range(conv.start, conv.end),
          suggestion && use.exact
            ? { fixes: [{ kind: 'replace', text: suggestion, title: `Replace with '${suggestion}'` }] }
            : {},
        );
        continue;
      }
      if (conv.name === 'set-var' || conv.name === 'unset-var') this.callVariable(conv, range);
    }
  }

  private callVariable(call: SampleCall, range: (from: number, to: number) => { start: number; end: number }): void {
    const first = call.args[0];
    if (!first) return;
    this.variableName(first.text, range(first.start, first.end));
  }
}

/** Option arities by name, per keyword data (the data never changes). */
function cachedArity(
  cache: WeakMap<HaproxyKeywords, OptionArity>,
  kw: HaproxyKeywords,
  compute: (name: string) => number,
): OptionArity {
  let arity = cache.get(kw);
  if (!arity) {
    const known = new Map<string, number>();
    arity = (name) => {
      let n = known.get(name);
      if (n === undefined) {
        if (known.size >= 4096) known.clear(); // names typed by users: keep the cache small
        known.set(name, (n = compute(name)));
      }
      return n;
    };
    cache.set(kw, arity);
  }
  return arity;
}

const serverArities = new WeakMap<HaproxyKeywords, OptionArity>();
const bindArities = new WeakMap<HaproxyKeywords, OptionArity>();

/** `source <addr> [usesrc <addr>] [interface <name>]`: the parts after source read as options of one value. */
function serverArity(kw: HaproxyKeywords): OptionArity {
  return cachedArity(serverArities, kw, (name) =>
    name === 'usesrc' || name === 'interface' || name === 'source' ? 1 : optionArity(kw.serverOption(name)),
  );
}

function bindArity(kw: HaproxyKeywords): OptionArity {
  return cachedArity(bindArities, kw, (name) => optionArity(kw.bindOption(name)));
}

const enumCache = new WeakMap<KeywordInfo, readonly string[] | null>();

/** The values of a keyword documented as `kw { a | b }`, else null. */
export function enumValues(info: KeywordInfo): readonly string[] | null {
  let hit = enumCache.get(info);
  if (hit === undefined) {
    const syntax = info.syntax;
    const m =
      syntax && syntax.length === 1
        ? /^\S+ \{ ([a-z0-9-]+(?: \| [a-z0-9-]+)+) \}(?: \[ EXPERIMENTAL \])?$/.exec(syntax[0].trim())
        : null;
    hit = m ? m[1].split(' | ') : null;
    enumCache.set(info, hit);
  }
  return hit;
}

function isVarAction(w: Word | undefined): boolean {
  if (!w) return false;
  const v = w.value;
  return (v.startsWith('set-var') || v.startsWith('unset-var')) && /^(set|unset)-var(-fmt)?\(/.test(v);
}

function listOr(items: readonly string[]): string {
  const quoted = items.map((i) => `'${i}'`);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
}

function capitalize(s: string): string {
  return s.length > 0 ? s[0].toUpperCase() + s.slice(1) : s;
}
