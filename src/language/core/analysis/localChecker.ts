// Section-local diagnostics and facts, cached with the section object: a re-parse keeps the object
// while the section is unchanged, so an edit re-checks only the sections it touched.

import type { HaproxyKeywords } from '../keywords';
import type { Directive, Section } from '../../../shared/haproxy-config/model';
import { SECTIONS, firstInvalidNameChar, isProxyKind, type SectionKind } from '../../../shared/haproxy-config/sections';
import { checkKey, checkLine } from './lineChecks';
import { PREDEFINED_ACLS } from './removed';
import { valueOffset } from './semantics';
import { sectionSymbols, type IndexedOccurrence } from './symbolIndex';
import type { DiagnosticCode, LineDiagnostic, Severity } from './types';

/** A diagnostic bound to a directive: its line follows the directive when sections shift. */
export interface BoundDiagnostic {
  readonly at: Directive;
  readonly d: LineDiagnostic;
  /** Related locations, bound the same way (cached messages never name line numbers). */
  readonly related?: readonly {
    readonly at: Directive;
    readonly start: number;
    readonly end: number;
    readonly message: string;
  }[];
}

/** What the cross-section rules need to know about a section, computed once per section version. */
export interface SectionFacts {
  /** The last `mode` value of the section itself. */
  readonly mode?: string;
  /** Own `timeout <name> <value>` settings (last wins). */
  readonly timeouts: ReadonlyMap<string, string>;
  readonly hasBind: boolean;
  readonly disabled: boolean;
  readonly hasServers: boolean;
  /** Some line depends on the environment (`.if defined(...)`): warnings about absences are unsafe. */
  readonly uncertain: boolean;
  /** Holds TCP/HTTP rules (matters for defaults sections). */
  readonly hasRules: boolean;
  /** First line of each kind of HTTP-only setting, for the TCP-mode warning. */
  readonly httpOnly: readonly { readonly what: string; readonly at: Directive; readonly frontendOnly: boolean }[];
  /** The header is rejected by HAProxy (addresses on a proxy line). */
  readonly rejected: boolean;
  /** The header has an error (HAProxy stops there): warnings about the section would be noise. */
  readonly headerError: boolean;
}

export interface SectionLocal {
  readonly keywords: HaproxyKeywords;
  readonly diagnostics: readonly BoundDiagnostic[];
  readonly facts: SectionFacts;
}

export const BACKEND_KINDS: readonly SectionKind[] = ['backend', 'listen'];
const NO_DEFS: readonly IndexedOccurrence[] = [];
const NO_TIMEOUTS: ReadonlyMap<string, string> = new Map();
const RULE_KEYWORDS = new Set(['http-request', 'http-response', 'http-after-response', 'tcp-request', 'tcp-response']);

/** Global keywords HAProxy accepts once, by group (aliases share one setting). */
const ONCE_IN_GLOBAL: ReadonlyMap<string, string> = new Map([
  ...['maxconn', 'ulimit-n', 'chroot', 'pidfile', 'uid', 'gid', 'user', 'group'].map((k) => [k, k] as const),
  ...['tune.rcvbuf.client', 'tune.rcvbuf.server', 'tune.sndbuf.client', 'tune.sndbuf.server'].map(
    (k) => [k, k] as const,
  ),
  ['tune.ssl.capture-buffer-size', 'ssl-capture'],
  ['tune.ssl.capture-cipherlist-size', 'ssl-capture'],
]);

export function sectionLocal(section: Section, kw: HaproxyKeywords): SectionLocal {
  const memo = (section.memo ??= {});
  const hit = memo.local as SectionLocal | undefined;
  if (hit && hit.keywords === kw) return hit;
  const local = new LocalChecker(section, kw).run();
  memo.local = local;
  return local;
}

export class LocalChecker {
  private readonly out: BoundDiagnostic[] = [];
  /** Lines with an error of their own (an ACL defined there does not exist for HAProxy). */
  private readonly lineErrors = new Set<Directive>();
  private rejected = false;

  constructor(
    private readonly section: Section,
    private readonly kw: HaproxyKeywords,
  ) {}

  private add(
    at: Directive,
    r: { start: number; end: number },
    code: DiagnosticCode,
    severity: Severity,
    message: string,
    related?: BoundDiagnostic['related'],
  ): void {
    this.out.push({ at, d: { code, severity, message, start: r.start, end: r.end }, ...(related ? { related } : {}) });
  }

  run(): SectionLocal {
    const section = this.section;
    this.header();
    if (this.rejected) {
      for (const d of section.directives) {
        this.add(
          d,
          d.words[d.keywordIndex],
          'section-rejected',
          'error',
          `HAProxy ignores this line: the '${section.kind}' header above was rejected.`,
        );
      }
    } else {
      this.lines();
      if (isProxyKind(section.kind) && section.kind !== 'defaults') {
        this.aclOrder();
        this.serverDuplicates();
      } else if (section.kind === 'log-forward') {
        if (!section.directives.some((d) => d.keyword === 'bind' || d.keyword === 'dgram-bind')) {
          this.add(
            section.header,
            section.name ?? section.header.words[0],
            'missing-bind',
            'warning',
            `log-forward '${section.name?.value ?? ''}' has no 'bind' or 'dgram-bind' line.`,
          );
        }
      } else if (!isProxyKind(section.kind)) {
        this.completeness();
        if (section.kind === 'global') this.globalRepeats();
      }
    }
    return { keywords: this.kw, diagnostics: this.out, facts: this.facts() };
  }

  /** Global settings HAProxy refuses to see twice ("already specified", "already configured"). */
  private globalRepeats(): void {
    const seen = new Map<string, Directive>();
    for (const d of this.section.directives) {
      const group = ONCE_IN_GLOBAL.get(d.keyword);
      if (group === undefined || d.modifier !== undefined) continue;
      const first = seen.get(group);
      if (!first) {
        seen.set(group, d);
        continue;
      }
      const w = d.words[d.keywordIndex];
      this.add(
        d,
        w,
        'duplicate-setting',
        severityFor(d, 'error'),
        `'${d.keyword}' is already set on line ${first.line + 1}; HAProxy rejects a second one.`,
        [
          {
            at: first,
            start: first.words[first.keywordIndex].start,
            end: first.words[first.keywordIndex].end,
            message: 'First set here',
          },
        ],
      );
    }
  }

  private header(): void {
    const section = this.section;
    const info = SECTIONS[section.kind];
    const header = section.header;
    const words = header.words;
    if (header.tokens.error) return;
    const sev = severityFor(header, 'error');
    if (info.name === 'required' && !section.name) {
      this.add(header, words[0], 'missing-name', sev, `'${section.kind}' expects a name.`);
      return;
    }
    const name = section.name;
    if (name && (isProxyKind(section.kind) || section.kind === 'log-forward') && !name.value.includes('$')) {
      const bad = firstInvalidNameChar(name.value);
      if (bad >= 0) {
        const at = valueOffset(name);
        this.add(
          header,
          at === undefined ? name : { start: at + bad, end: at + bad + 1 },
          'invalid-name',
          sev,
          `Character '${name.value[bad]}' is not permitted in ${section.kind} name '${name.value}' (letters, ` +
            `digits, '-', '_', '.' and ':' only).`,
        );
      }
    }
    const nameCount = info.name === 'none' ? 1 : 2;
    const extra = words.slice(nameCount);
    if (info.from && extra.length >= 1 && extra[0].value === 'from') {
      if (extra.length === 1)
        this.add(header, extra[0], 'missing-argument', sev, "'from' expects the name of a defaults section.");
      else if (extra.length > 2)
        this.add(
          header,
          { start: extra[2].start, end: extra[extra.length - 1].end },
          'invalid-section-header',
          sev,
          `Unexpected arguments after 'from ${extra[1].value}'.`,
        );
      return;
    }
    if (extra.length === 0 || section.kind === 'defaults') return;
    const range = { start: extra[0].start, end: extra[extra.length - 1].end };
    if (section.kind === 'frontend' || section.kind === 'listen' || section.kind === 'backend') {
      this.add(
        header,
        range,
        'invalid-section-header',
        sev,
        "Addresses are no longer accepted on the section line: use a 'bind' line.",
      );
      this.rejected = true;
    } else {
      this.add(
        header,
        range,
        'invalid-section-header',
        sev,
        `'${section.kind}' takes ${info.name === 'none' ? 'no argument' : 'only a name'}.`,
      );
    }
  }

  private lines(): void {
    const section = this.section;
    const ctx = {
      keywords: this.kw,
      kind: section.kind,
      namedDefaults: section.kind === 'defaults' && section.name !== undefined,
    };
    const key = checkKey(ctx);
    const directives = section.directives;
    for (let i = 0; i < directives.length; i++) {
      const d = directives[i];
      const diags = checkLine(d, ctx, key);
      for (let j = 0; j < diags.length; j++) {
        const diag = diags[j];
        if (diag.severity === 'error') this.lineErrors.add(d);
        this.out.push({
          at: d,
          d: d.active === undefined && diag.severity === 'error' ? { ...diag, severity: 'warning' } : diag,
        });
      }
    }
  }

  /** HAProxy resolves ACL names while reading a rule: the ACL must be defined earlier in the same section. */
  private aclOrder(): void {
    const section = this.section;
    const symbols = sectionSymbols(section, this.kw);
    const occurrences = symbols.occurrences;
    // Lines with an error of their own, and directives by line: built on first need (most sections
    // use only ACLs defined above).
    let errorLines: Set<number> | undefined;
    if (this.lineErrors.size > 0) {
      errorLines = new Set();
      for (const d of this.lineErrors) errorLines.add(d.line);
    }
    let byLine: Map<number, Directive> | undefined;
    const directiveAt = (line: number): Directive => {
      if (!byLine) {
        byLine = new Map();
        for (const d of section.directives) byLine.set(d.line, d);
      }
      return byLine.get(line)!;
    };
    const bound = (
      o: { line: number; start: number; end: number },
      message: string,
    ): NonNullable<BoundDiagnostic['related']> => [{ at: directiveAt(o.line), start: o.start, end: o.end, message }];
    for (let i = 0; i < occurrences.length; i++) {
      const occ = occurrences[i];
      if (occ.kind !== 'acl' || occ.role !== 'reference') continue;
      const all = symbols.aclDefs.get(occ.name) ?? NO_DEFS;
      // Defined earlier by a line without an error of its own: fine.
      const line = occ.line;
      let definedBefore = false;
      for (let j = 0; j < all.length; j++) {
        const def = all[j];
        if (def.line < line && !errorLines?.has(def.line)) {
          definedBefore = true;
          break;
        }
      }
      if (definedBefore) continue;
      if (all.length === 0 && PREDEFINED_ACLS.has(occ.name)) continue;
      const defs = errorLines ? all.filter((def) => !errorLines!.has(def.line)) : all;
      const d = directiveAt(line);
      const sev = severityFor(d, 'error');
      if (defs.length === 0 && all.length > 0) {
        this.add(
          d,
          occ,
          'undefined-acl',
          sev,
          `ACL '${occ.name}' does not exist: its definition is invalid.`,
          bound(all[0], `invalid definition of acl ${occ.name}`),
        );
      } else if (defs.length > 0) {
        this.add(
          d,
          occ,
          'undefined-acl',
          sev,
          `ACL '${occ.name}' is used before its definition: HAProxy needs it defined first.`,
          bound(defs[0], `acl ${occ.name} is defined here`),
        );
      } else {
        this.add(
          d,
          occ,
          'undefined-acl',
          sev,
          `No ACL named '${occ.name}' in ${section.kind} '${section.name?.value ?? ''}'.`,
        );
      }
    }
  }

  private serverDuplicates(): void {
    const section = this.section;
    const defs = sectionSymbols(section, this.kw).serverDefs;
    if (defs.length < 2) return; // no duplicate possible
    const seen = new Map<string, IndexedOccurrence>();
    for (const def of defs) {
      if (def.template || def.name.includes('$')) continue;
      const first = seen.get(def.name);
      if (!first) {
        seen.set(def.name, def);
        continue;
      }
      const d = def.directive;
      this.add(
        d,
        def,
        'duplicate-server',
        severityFor(d, 'error'),
        `Another server named '${def.name}' is defined earlier in this ${section.kind}.`,
        [{ at: first.directive, start: first.start, end: first.end, message: `first server ${def.name}` }],
      );
    }
  }

  private completeness(): void {
    const section = this.section;
    const has = (kw: string): boolean => section.directives.some((d) => d.keyword === kw);
    const where = section.name ?? section.header.words[0];
    const name = section.name?.value ?? '';
    const h = section.header;
    if (h.active === undefined) return;
    if (section.kind === 'cache' && !has('total-max-size')) {
      this.add(
        h,
        where,
        'incomplete-section',
        'error',
        `Cache '${name}' has no 'total-max-size': HAProxy requires its size.`,
      );
    } else if (section.kind === 'fcgi-app' && !has('docroot')) {
      this.add(h, where, 'incomplete-section', 'error', `fcgi-app '${name}' has no 'docroot'.`);
    } else if (section.kind === 'program' && !has('command')) {
      this.add(h, where, 'incomplete-section', 'error', `Program '${name}' has no 'command' to run.`);
    } else if (section.kind === 'resolvers' && !has('nameserver') && !has('parse-resolv-conf')) {
      this.add(h, where, 'incomplete-section', 'warning', `Resolvers '${name}' has no nameserver.`);
    } else if (section.kind === 'mailers' && !has('mailer')) {
      this.add(
        h,
        where,
        'incomplete-section',
        'warning',
        `Mailers '${name}' has no mailer: HAProxy removes the section.`,
      );
    }
  }

  private facts(): SectionFacts {
    const section = this.section;
    let mode: string | undefined;
    let timeouts: Map<string, string> | undefined;
    let hasBind = false;
    let disabled = false;
    let hasServers = false;
    let uncertain = section.header.active === undefined;
    let hasRules = false;
    const httpOnly: { what: string; at: Directive; frontendOnly: boolean }[] = [];
    // HTTP-only settings already seen (only the first line of each is kept): option httplog 1,
    // option forwardfor 2, http-request 4, http-response 8, http-after-response 16.
    let seenHttp = 0;
    const directives = section.directives;
    for (let i = 0; i < directives.length; i++) {
      const d = directives[i];
      if (d.active === undefined) uncertain = true;
      if (d.modifier) continue;
      const k = d.keywordIndex;
      switch (d.keyword) {
        case 'mode':
          mode = d.words[k + 1]?.value;
          break;
        case 'timeout': {
          const n = d.words[k + 1]?.value;
          const v = d.words[k + 2]?.value;
          if (n !== undefined && v !== undefined) (timeouts ??= new Map()).set(n, v);
          break;
        }
        case 'bind':
          hasBind = true;
          break;
        case 'disabled':
          disabled = true;
          break;
        case 'server':
        case 'server-template':
          hasServers = true;
          break;
        case 'option': {
          const o = d.words[k + 1]?.value;
          const bit = o === 'httplog' ? 1 : o === 'forwardfor' ? 2 : 0;
          if (bit !== 0 && (seenHttp & bit) === 0) {
            seenHttp |= bit;
            httpOnly.push({
              what: bit === 1 ? "'option httplog' is" : "'option forwardfor' is",
              at: d,
              frontendOnly: o === 'httplog',
            });
          }
          break;
        }
        case 'http-request':
        case 'http-response':
        case 'http-after-response': {
          hasRules = true;
          const bit = d.keyword === 'http-request' ? 4 : d.keyword === 'http-response' ? 8 : 16;
          if ((seenHttp & bit) === 0) {
            seenHttp |= bit;
            httpOnly.push({ what: `'${d.keyword}' rules are`, at: d, frontendOnly: false });
          }
          break;
        }
        default:
          if (RULE_KEYWORDS.has(d.keyword)) hasRules = true;
      }
    }
    const headerError = this.out.some((b) => b.at === section.header && b.d.severity === 'error');
    return {
      mode,
      timeouts: timeouts ?? NO_TIMEOUTS,
      hasBind,
      disabled,
      hasServers,
      uncertain,
      hasRules,
      httpOnly,
      rejected: this.rejected,
      headerError,
    };
  }
}

/** Errors inside `.if` blocks that depend on the environment are reported as warnings. */
export function severityFor(d: Directive, severity: Severity): Severity {
  return d.active === undefined && severity === 'error' ? 'warning' : severity;
}

export function capitalize(s: string): string {
  return s.length > 0 ? s[0].toUpperCase() + s.slice(1) : s;
}
