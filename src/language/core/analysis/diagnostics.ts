// Static diagnostics of a whole configuration: syntax, structure, per-line keyword checks, section
// headers and duplicates, names that are used but never defined, and the warnings HAProxy prints for
// proxies (no bind, missing timeouts, HTTP rules in TCP mode). Every rule follows what `haproxy -c`
// 2.6 does; where HAProxy is silent, so are we (unused backends are hints).
//
// Incremental by construction: what depends on one section only (its lines, ACL order, duplicate
// servers, header, completeness, and the facts other checks need from it) is cached with the
// section object, which a re-parse keeps while the section is unchanged. Only the cross-section
// rules run over the whole file after an edit, on those cached facts.

import type { HaproxyKeywords } from '../keywords';
import type { ConfigModel } from '../../../shared/haproxy-config/configModel';
import type { Directive, Section } from '../../../shared/haproxy-config/model';
import { SECTIONS, firstInvalidNameChar, hasBackendRole, hasFrontendRole, isProxyKind, type SectionKind } from '../../../shared/haproxy-config/sections';
import { checkKey, checkLine } from './lineChecks';
import { PREDEFINED_ACLS } from './removed';
import { valueOffset } from './semantics';
import { applySuppressions } from './suppression';
import { REF_SECTION_KINDS, SymbolIndex, sectionSymbols, type IndexedOccurrence } from './symbolIndex';
import type { ConfigDiagnostic, DiagnosticCode, LineDiagnostic, Severity } from './types';

export interface DiagnoseOptions {
  readonly keywords: HaproxyKeywords;
  /** Report backends nobody refers to (hints). Default true. */
  readonly unusedBackends?: boolean;
}

const results = new WeakMap<ConfigModel, { keywords: HaproxyKeywords; unused: boolean; diagnostics: ConfigDiagnostic[] }>();

/** All diagnostics of a model (cached per model). */
export function diagnose(model: ConfigModel, options: DiagnoseOptions): ConfigDiagnostic[] {
  const unused = options.unusedBackends !== false;
  const hit = results.get(model);
  if (hit && hit.keywords === options.keywords && hit.unused === unused) return hit.diagnostics;
  const diagnostics = new Diagnoser(model, options).run();
  results.set(model, { keywords: options.keywords, unused, diagnostics });
  return diagnostics;
}

/** A diagnostic bound to a directive: its line follows the directive when sections shift. */
interface BoundDiagnostic {
  readonly at: Directive;
  readonly d: LineDiagnostic;
  /** Related locations, bound the same way (cached messages never name line numbers). */
  readonly related?: readonly { readonly at: Directive; readonly start: number; readonly end: number; readonly message: string }[];
}

/** What the cross-section rules need to know about a section, computed once per section version. */
interface SectionFacts {
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

interface SectionLocal {
  readonly keywords: HaproxyKeywords;
  readonly diagnostics: readonly BoundDiagnostic[];
  readonly facts: SectionFacts;
}

const BACKEND_KINDS: readonly SectionKind[] = ['backend', 'listen'];
const NO_DEFS: readonly IndexedOccurrence[] = [];
const NO_TIMEOUTS: ReadonlyMap<string, string> = new Map();
const RULE_KEYWORDS = new Set(['http-request', 'http-response', 'http-after-response', 'tcp-request', 'tcp-response']);

class Diagnoser {
  private readonly out: ConfigDiagnostic[] = [];
  private readonly index: SymbolIndex;
  private readonly kw: HaproxyKeywords;

  constructor(
    private readonly model: ConfigModel,
    private readonly options: DiagnoseOptions,
  ) {
    this.kw = options.keywords;
    this.index = SymbolIndex.of(model, options.keywords);
  }

  private at(line: number, r: { start: number; end: number }, code: DiagnosticCode, severity: Severity, message: string, extra: Partial<ConfigDiagnostic> = {}): void {
    this.out.push({ code, severity, message, line, start: r.start, end: r.end, ...extra });
  }

  run(): ConfigDiagnostic[] {
    this.syntax();
    this.structure();
    const sections = this.model.sections;
    for (let i = 0; i < sections.length; i++) {
      const section = sections[i];
      const local = sectionLocal(section, this.kw);
      for (const b of local.diagnostics) {
        const related = b.related?.map((r) => ({ line: r.at.line, start: r.start, end: r.end, message: r.message }));
        this.out.push(related ? { ...b.d, line: b.at.line, related } : { ...b.d, line: b.at.line });
      }
      if (section.from) this.fromDefaults(section, section.from);
    }
    this.duplicates();
    for (const section of this.model.proxies()) this.proxyWarnings(section);
    this.defaultsWithRules();
    this.references();
    if (this.options.unusedBackends !== false) this.unusedBackends();
    return applySuppressions(this.model, this.out);
  }

  private syntax(): void {
    const { model } = this;
    const tokens = model.tokens;
    for (let line = 0; line < tokens.length; line++) {
      const e = tokens[line].error;
      if (e) this.at(line, e, e.kind, 'error', capitalize(e.message) + '.');
    }
    if (!model.endsWithNewline) {
      const last = model.lines.length - 1;
      const len = model.lines[last].length;
      this.at(last, { start: len, end: len }, 'missing-final-newline', 'error', 'HAProxy rejects a file whose last line has no line feed.', {
        fixes: [{ kind: 'insert-final-newline' }],
      });
    }
  }

  private structure(): void {
    for (const p of this.model.problems) this.at(p.line, p, 'conditional-syntax', 'error', capitalize(p.message) + '.');
    for (const c of this.model.conditionals) {
      if (!c.conditionError) continue;
      const words = c.tokens.words;
      const first = words[1] ?? words[0];
      const last = words[words.length - 1];
      this.at(c.line, { start: first.start, end: last.end }, 'invalid-condition', 'error', capitalize(c.conditionError.message) + '.');
    }
    for (const d of this.model.outOfSection) {
      if (d.tokens.error) continue;
      this.at(d.line, d.words[d.keywordIndex], 'out-of-section', severityFor(d, 'error'), `'${d.keyword}' appears before any section: start with 'global', 'defaults', 'frontend', 'backend'...`);
    }
  }

  private fromDefaults(section: Section, from: NonNullable<Section['from']>): void {
    if (from.value.includes('$') || section.header.tokens.error) return;
    const extra = section.header.words.length;
    if (extra !== 4) return; // reported by the header check
    const candidates = this.model.sectionsOf('defaults').filter((s) => s.name?.value === from.value && s.startLine < section.startLine);
    const sev = severityFor(section.header, 'error');
    if (candidates.length === 0) {
      const later = this.model.sectionsOf('defaults').some((s) => s.name?.value === from.value);
      this.at(section.header.line, from, 'undefined-defaults', sev,
        later ? `Defaults section '${from.value}' must be declared before the sections that use it.` : `No defaults section named '${from.value}'.`);
    } else if (candidates.length > 1) {
      this.at(section.header.line, from, 'ambiguous-defaults', sev, `Ambiguous defaults section '${from.value}': declared on lines ${candidates.map((c) => c.startLine + 1).join(' and ')}.`, {
        related: candidates.map((c) => ({ line: c.header.line, start: c.name!.start, end: c.name!.end, message: `defaults '${from.value}'` })),
      });
    }
  }

  private duplicates(): void {
    const seen = new Map<string, Section>();
    const sections = this.model.sections;
    for (let i = 0; i < sections.length; i++) {
      const section = sections[i];
      const ns = SECTIONS[section.kind].namespace;
      if (!ns || !section.name || section.name.value.includes('$')) continue;
      const name = section.name.value;
      let k1: string;
      let k2: string | undefined;
      if (ns === 'proxy') {
        // Frontends and backends may share a name; listen and log-forward collide with both.
        if (section.kind === 'frontend') k1 = `fe:${name}`;
        else if (section.kind === 'backend') k1 = `be:${name}`;
        else {
          k1 = `fe:${name}`;
          k2 = `be:${name}`;
        }
      } else {
        k1 = `${ns}:${name}`;
      }
      const previous = seen.get(k1) ?? (k2 !== undefined ? seen.get(k2) : undefined);
      if (!seen.has(k1)) seen.set(k1, section);
      if (k2 !== undefined && !seen.has(k2)) seen.set(k2, section);
      if (!previous) continue;
      const either = section.header.active === undefined || previous.header.active === undefined;
      const severity: Severity = section.kind === 'userlist' || either ? 'warning' : 'error';
      this.at(section.header.line, section.name, 'duplicate-section', severity,
        section.kind === 'userlist'
          ? `Duplicate userlist '${name}' (line ${previous.startLine + 1}): HAProxy ignores this one.`
          : `${capitalize(section.kind)} '${name}' has the same name as the ${previous.kind} declared on line ${previous.startLine + 1}.`,
        { related: [{ line: previous.header.line, start: previous.name!.start, end: previous.name!.end, message: `${previous.kind} '${name}'` }] });
    }
  }

  /** The defaults section a proxy inherits from: `from NAME`, else the last defaults section before it. */
  private defaultsOf(section: Section): Section | undefined {
    const all = this.model.sectionsOf('defaults');
    if (section.from) {
      let found: Section | undefined;
      let count = 0;
      for (const s of all) {
        if (s.startLine >= section.startLine) break;
        if (s.name?.value === section.from.value) {
          found = s;
          count++;
        }
      }
      return count === 1 ? found : undefined;
    }
    // Binary search: the last defaults section before this one.
    let lo = 0;
    let hi = all.length - 1;
    let found: Section | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (all[mid].startLine < section.startLine) {
        found = all[mid];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /** The section and the defaults sections it inherits from, nearest first. */
  private chain(section: Section): Section[] {
    const chain = [section];
    let s = this.defaultsOf(section);
    while (s && chain.length < 8 && !chain.includes(s)) {
      chain.push(s);
      s = this.defaultsOf(s);
    }
    return chain;
  }

  private proxyWarnings(section: Section): void {
    // Cached with the section while it inherits from the same (unchanged) defaults sections.
    const chain = this.chain(section);
    const memo = (section.memo ??= {});
    const hit = memo.warnings as { kw: HaproxyKeywords; chain: Section[]; out: BoundDiagnostic[] } | undefined;
    let out: BoundDiagnostic[];
    if (hit && hit.kw === this.kw && hit.chain.length === chain.length && hit.chain.every((s, i) => s === chain[i])) out = hit.out;
    else {
      out = this.computeWarnings(section, chain.map((s) => sectionLocal(s, this.kw).facts));
      memo.warnings = { kw: this.kw, chain, out };
    }
    for (const b of out) this.out.push({ ...b.d, line: b.at.line });
  }

  private computeWarnings(section: Section, chain: readonly SectionFacts[]): BoundDiagnostic[] {
    const out: BoundDiagnostic[] = [];
    const warn = (at: Directive, r: { start: number; end: number }, code: DiagnosticCode, message: string): void => {
      out.push({ at, d: { code, severity: 'warning', message, start: r.start, end: r.end } });
    };
    const facts = chain[0];
    if (facts.disabled || facts.rejected || facts.headerError) return out;
    const inherited = <T>(pick: (f: SectionFacts) => T | undefined): T | undefined => {
      for (const f of chain) {
        const v = pick(f);
        if (v !== undefined) return v;
      }
      return undefined;
    };
    const kind = section.kind;
    const label = kind === 'listen' ? 'proxy' : kind;
    const name = section.name?.value ?? '';
    const where = section.name ?? section.header.words[0];
    const uncertain = facts.uncertain || section.header.active === undefined;
    if (hasFrontendRole(kind) && !facts.hasBind && !uncertain) {
      warn(section.header, where, 'missing-bind', `${capitalize(label)} '${name}' has no 'bind' line: it accepts no connection.`);
    }
    const mode = inherited((f) => f.mode) ?? 'tcp';
    if (mode !== 'http' && mode !== 'tcp') return out;
    const timeout = (t: string): boolean => {
      const v = inherited((f) => f.timeouts.get(t));
      return v !== undefined && !/^0+(us|ms|s|m|h|d)?$/.test(v);
    };
    const missing =
      (hasFrontendRole(kind) && !timeout('client')) ||
      (hasBackendRole(kind) && facts.hasServers && (!timeout('connect') || (!timeout('server') && (mode === 'http' || !timeout('tunnel')))));
    if (missing && !uncertain) {
      const needed = [hasFrontendRole(kind) ? 'client' : '', hasBackendRole(kind) ? 'connect' : '', hasBackendRole(kind) ? 'server' : ''].filter(Boolean);
      warn(section.header, where, 'missing-timeouts', `Missing timeouts for ${label} '${name}': set ${needed.map((t) => `'timeout ${t}'`).join(', ')} here or in its defaults section.`);
    }
    if (mode === 'tcp' && !uncertain) {
      for (const h of facts.httpOnly) {
        if (h.frontendOnly && !hasFrontendRole(kind)) continue;
        warn(h.at, h.at.words[h.at.keywordIndex], 'requires-http-mode', `${h.what} ignored: ${label} '${name}' is in TCP mode (add 'mode http').`);
      }
    }
    return out;
  }

  /** HAProxy 2.6 forbids sharing a defaults section that holds TCP/HTTP rules between frontends and backends. */
  private defaultsWithRules(): void {
    const firstUser = new Map<Section, Section>();
    for (const section of this.model.proxies()) {
      const defaults = this.defaultsOf(section);
      if (!defaults || !sectionLocal(defaults, this.kw).facts.hasRules) continue;
      const where = section.name ?? section.header.words[0];
      const sev = severityFor(section.header, 'error');
      if (section.kind === 'listen') {
        this.at(section.header.line, where, 'keyword-not-allowed', sev, `A listen section cannot inherit from a defaults section that defines TCP/HTTP rules (line ${defaults.startLine + 1}).`);
        continue;
      }
      const first = firstUser.get(defaults);
      if (!first) firstUser.set(defaults, section);
      else if (first.kind !== section.kind) {
        this.at(section.header.line, where, 'keyword-not-allowed', sev,
          `Frontends and backends cannot inherit from the same defaults section when it defines TCP/HTTP rules (defaults on line ${defaults.startLine + 1}, already used by ${first.kind} '${first.name?.value ?? ''}').`);
      }
    }
  }

  private references(): void {
    const sections = this.model.sections;
    for (let i = 0; i < sections.length; i++) {
      const section = sections[i];
      const refs = this.index.sectionSymbols(section).externalRefs;
      if (refs.length === 0 || sectionLocal(section, this.kw).facts.rejected) continue;
      for (let j = 0; j < refs.length; j++) this.reference(refs[j]);
    }
  }

  private reference(occ: IndexedOccurrence): void {
    const sev = severityFor(occ.directive, 'error');
    const kind = occ.kind;
    if (kind === 'backend' || kind === 'frontend' || kind === 'userlist' || kind === 'resolvers' || kind === 'peers' || kind === 'cache' || kind === 'http-errors' || kind === 'mailers' || kind === 'fcgi-app') {
      if (this.model.hasSection(REF_SECTION_KINDS[kind]!, occ.name)) return;
    }
    if (kind === 'server') {
      if (occ.backend !== undefined && !this.model.hasSection(BACKEND_KINDS, occ.backend)) return; // reported as a backend
      if (this.index.resolve(occ).length === 0) {
        const holder = occ.backend ?? occ.section?.name?.value ?? '';
        this.at(occ.line, occ, 'undefined-server', sev, `No server named '${occ.name}' in backend '${holder}'.`);
      }
      return;
    }
    if (kind === 'table') {
      if (!this.index.tables.get(occ.name)) {
        const proxy = this.index.resolves(occ);
        this.at(occ.line, occ, 'undefined-table', sev, proxy ? `Proxy '${occ.name}' has no stick-table.` : `No stick table named '${occ.name}'.`);
      }
      return;
    }
    if (this.index.resolves(occ)) return;
    if (kind === 'ring') {
      // HAProxy 2.6 accepts `log ring@name` without the ring when only checking the file.
      this.at(occ.line, occ, 'undefined-ring', 'warning', `No ring section named '${occ.name}': logs sent there are lost.`);
      return;
    }
    const code = `undefined-${kind}` as DiagnosticCode;
    const kinds = REF_SECTION_KINDS[kind] ?? [];
    const what = kind === 'backend' ? 'backend or listen section' : kind === 'frontend' ? 'frontend or listen section' : `${kind} section`;
    const createKind = kind === 'backend' ? 'backend' : kind === 'frontend' ? 'frontend' : kinds.length === 1 ? kinds[0] : undefined;
    this.at(occ.line, occ, code, sev, `No ${what} named '${occ.name}'.`, createKind ? { fixes: [{ kind: 'create-section', sectionKind: createKind, name: occ.name }] } : {});
  }

  private unusedBackends(): void {
    const used = new Set<string>();
    const sections = this.model.sections;
    for (let i = 0; i < sections.length; i++) {
      const symbols = this.index.sectionSymbols(sections[i]);
      if (symbols.dynamicBackend.length > 0) return;
      for (const name of symbols.usedBackends) used.add(name);
    }
    for (const section of this.model.backends()) {
      if (!section.name || used.has(section.name.value) || section.name.value.includes('$')) continue;
      this.at(section.header.line, section.name, 'unused-backend', 'hint', `Backend '${section.name.value}' is never used (no use_backend or default_backend names it).`, {
        tags: ['unnecessary'],
      });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Section-local diagnostics and facts, cached with the section.

function sectionLocal(section: Section, kw: HaproxyKeywords): SectionLocal {
  const memo = (section.memo ??= {});
  const hit = memo.local as SectionLocal | undefined;
  if (hit && hit.keywords === kw) return hit;
  const local = new LocalChecker(section, kw).run();
  memo.local = local;
  return local;
}

class LocalChecker {
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
        this.add(d, d.words[d.keywordIndex], 'section-rejected', 'error', `HAProxy ignores this line: the '${section.kind}' header above was rejected.`);
      }
    } else {
      this.lines();
      if (isProxyKind(section.kind) && section.kind !== 'defaults') {
        this.aclOrder();
        this.serverDuplicates();
      } else if (section.kind === 'log-forward') {
        if (!section.directives.some((d) => d.keyword === 'bind' || d.keyword === 'dgram-bind')) {
          this.add(section.header, section.name ?? section.header.words[0], 'missing-bind', 'warning', `log-forward '${section.name?.value ?? ''}' has no 'bind' or 'dgram-bind' line.`);
        }
      } else if (!isProxyKind(section.kind)) {
        this.completeness();
      }
    }
    return { keywords: this.kw, diagnostics: this.out, facts: this.facts() };
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
        this.add(header, at === undefined ? name : { start: at + bad, end: at + bad + 1 }, 'invalid-name', sev,
          `Character '${name.value[bad]}' is not permitted in ${section.kind} name '${name.value}' (letters, digits, '-', '_', '.' and ':' only).`);
      }
    }
    const nameCount = info.name === 'none' ? 1 : 2;
    const extra = words.slice(nameCount);
    if (info.from && extra.length >= 1 && extra[0].value === 'from') {
      if (extra.length === 1) this.add(header, extra[0], 'missing-argument', sev, "'from' expects the name of a defaults section.");
      else if (extra.length > 2) this.add(header, { start: extra[2].start, end: extra[extra.length - 1].end }, 'invalid-section-header', sev, `Unexpected arguments after 'from ${extra[1].value}'.`);
      return;
    }
    if (extra.length === 0 || section.kind === 'defaults') return;
    const range = { start: extra[0].start, end: extra[extra.length - 1].end };
    if (section.kind === 'frontend' || section.kind === 'listen' || section.kind === 'backend') {
      this.add(header, range, 'invalid-section-header', sev, "Addresses are no longer accepted on the section line: use a 'bind' line.");
      this.rejected = true;
    } else {
      this.add(header, range, 'invalid-section-header', sev, `'${section.kind}' takes ${info.name === 'none' ? 'no argument' : 'only a name'}.`);
    }
  }

  private lines(): void {
    const section = this.section;
    const ctx = { keywords: this.kw, kind: section.kind, namedDefaults: section.kind === 'defaults' && section.name !== undefined };
    const key = checkKey(ctx);
    const directives = section.directives;
    for (let i = 0; i < directives.length; i++) {
      const d = directives[i];
      const diags = checkLine(d, ctx, key);
      for (let j = 0; j < diags.length; j++) {
        const diag = diags[j];
        if (diag.severity === 'error') this.lineErrors.add(d);
        this.out.push({ at: d, d: d.active === undefined && diag.severity === 'error' ? { ...diag, severity: 'warning' } : diag });
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
    const bound = (o: { line: number; start: number; end: number }, message: string): NonNullable<BoundDiagnostic['related']> => [
      { at: directiveAt(o.line), start: o.start, end: o.end, message },
    ];
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
        this.add(d, occ, 'undefined-acl', sev, `ACL '${occ.name}' does not exist: its definition is invalid.`, bound(all[0], `invalid definition of acl ${occ.name}`));
      } else if (defs.length > 0) {
        this.add(d, occ, 'undefined-acl', sev, `ACL '${occ.name}' is used before its definition: HAProxy needs it defined first.`, bound(defs[0], `acl ${occ.name} is defined here`));
      } else {
        this.add(d, occ, 'undefined-acl', sev, `No ACL named '${occ.name}' in ${section.kind} '${section.name?.value ?? ''}'.`);
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
      this.add(d, def, 'duplicate-server', severityFor(d, 'error'), `Another server named '${def.name}' is defined earlier in this ${section.kind}.`, [
        { at: first.directive, start: first.start, end: first.end, message: `first server ${def.name}` },
      ]);
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
      this.add(h, where, 'incomplete-section', 'error', `Cache '${name}' has no 'total-max-size': HAProxy requires its size.`);
    } else if (section.kind === 'fcgi-app' && !has('docroot')) {
      this.add(h, where, 'incomplete-section', 'error', `fcgi-app '${name}' has no 'docroot'.`);
    } else if (section.kind === 'program' && !has('command')) {
      this.add(h, where, 'incomplete-section', 'error', `Program '${name}' has no 'command' to run.`);
    } else if (section.kind === 'resolvers' && !has('nameserver') && !has('parse-resolv-conf')) {
      this.add(h, where, 'incomplete-section', 'warning', `Resolvers '${name}' has no nameserver.`);
    } else if (section.kind === 'mailers' && !has('mailer')) {
      this.add(h, where, 'incomplete-section', 'warning', `Mailers '${name}' has no mailer: HAProxy removes the section.`);
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
            httpOnly.push({ what: bit === 1 ? "'option httplog' is" : "'option forwardfor' is", at: d, frontendOnly: o === 'httplog' });
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
    return { mode, timeouts: timeouts ?? NO_TIMEOUTS, hasBind, disabled, hasServers, uncertain, hasRules, httpOnly, rejected: this.rejected, headerError };
  }
}

/** Errors inside `.if` blocks that depend on the environment are reported as warnings. */
function severityFor(d: Directive, severity: Severity): Severity {
  return d.active === undefined && severity === 'error' ? 'warning' : severity;
}

function capitalize(s: string): string {
  return s.length > 0 ? s[0].toUpperCase() + s.slice(1) : s;
}

export type { SectionKind };
