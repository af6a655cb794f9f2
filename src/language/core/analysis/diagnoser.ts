// The cross-section rules over a whole configuration: syntax and structure, defaults inheritance,
// duplicate sections, proxy warnings HAProxy prints (no bind, missing timeouts, HTTP rules in TCP
// mode), references to undefined names and unused backends. Section-local results come from
// LocalChecker, cached with each section.

import { compareVersions, type HaproxyKeywords } from '../keywords';
import type { ConfigModel } from '../../../shared/haproxy-config/configModel';
import type { Directive, Section } from '../../../shared/haproxy-config/model';
import { SECTIONS, hasBackendRole, hasFrontendRole } from '../../../shared/haproxy-config/sections';
import type { DiagnoseOptions } from './diagnostics';
import {
  BACKEND_KINDS,
  capitalize,
  sectionLocal,
  severityFor,
  type BoundDiagnostic,
  type SectionFacts,
} from './localChecker';
import { applySuppressions } from './suppression';
import { versionNotes } from './versionNotes';
import { REF_SECTION_KINDS, SymbolIndex, type IndexedOccurrence } from './symbolIndex';
import type { ConfigDiagnostic, DiagnosticCode, Severity } from './types';

export class Diagnoser {
  private readonly out: ConfigDiagnostic[] = [];
  private readonly index: SymbolIndex;
  private readonly kw: HaproxyKeywords;
  /** A frontend and a backend may have the same name (not from HAProxy 3.4 on). */
  private readonly sharedProxyNames: boolean;

  constructor(
    private readonly model: ConfigModel,
    private readonly options: DiagnoseOptions,
  ) {
    this.kw = options.keywords;
    this.sharedProxyNames = compareVersions(options.keywords.version, '3.4') < 0;
    this.index = SymbolIndex.of(model, options.keywords);
  }

  private at(
    line: number,
    r: { start: number; end: number },
    code: DiagnosticCode,
    severity: Severity,
    message: string,
    extra: Partial<ConfigDiagnostic> = {},
  ): void {
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
    return applySuppressions(this.model, versionNotes(this.model, this.out, this.kw));
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
      this.at(
        last,
        { start: len, end: len },
        'missing-final-newline',
        'error',
        'HAProxy rejects a file whose last line has no line feed.',
        {
          fixes: [{ kind: 'insert-final-newline' }],
        },
      );
    }
  }

  private structure(): void {
    for (const p of this.model.problems) this.at(p.line, p, 'conditional-syntax', 'error', capitalize(p.message) + '.');
    for (const c of this.model.conditionals) {
      if (!c.conditionError) continue;
      const words = c.tokens.words;
      const first = words[1] ?? words[0];
      const last = words[words.length - 1];
      this.at(
        c.line,
        { start: first.start, end: last.end },
        'invalid-condition',
        'error',
        capitalize(c.conditionError.message) + '.',
      );
    }
    for (const d of this.model.outOfSection) {
      if (d.tokens.error) continue;
      this.at(
        d.line,
        d.words[d.keywordIndex],
        'out-of-section',
        severityFor(d, 'error'),
        `'${d.keyword}' appears before any section: start with 'global', 'defaults', 'frontend', 'backend'...`,
      );
    }
  }

  private fromDefaults(section: Section, from: NonNullable<Section['from']>): void {
    if (from.value.includes('$') || section.header.tokens.error) return;
    const extra = section.header.words.length;
    if (extra !== 4) return; // reported by the header check
    const candidates = this.model
      .sectionsOf('defaults')
      .filter((s) => s.name?.value === from.value && s.startLine < section.startLine);
    const sev = severityFor(section.header, 'error');
    if (candidates.length === 0) {
      const later = this.model.sectionsOf('defaults').some((s) => s.name?.value === from.value);
      this.at(
        section.header.line,
        from,
        'undefined-defaults',
        sev,
        later
          ? `Defaults section '${from.value}' must be declared before the sections that use it.`
          : `No defaults section named '${from.value}'.`,
      );
    } else if (candidates.length > 1) {
      this.at(
        section.header.line,
        from,
        'ambiguous-defaults',
        sev,
        `Ambiguous defaults section '${from.value}': declared on lines ` +
          `${candidates.map((c) => c.startLine + 1).join(' and ')}.`,
        {
          related: candidates.map((c) => ({
            line: c.header.line,
            start: c.name!.start,
            end: c.name!.end,
            message: `defaults '${from.value}'`,
          })),
        },
      );
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
        // Frontends and backends may share a name up to 3.2 (3.4 refuses it); listen and log-forward
        // collide with both.
        if (section.kind === 'frontend') k1 = this.sharedProxyNames ? `fe:${name}` : `be:${name}`;
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
      this.at(
        section.header.line,
        section.name,
        'duplicate-section',
        severity,
        section.kind === 'userlist'
          ? `Duplicate userlist '${name}' (line ${previous.startLine + 1}): HAProxy ignores this one.`
          : `${capitalize(section.kind)} '${name}' has the same name as the ${previous.kind} declared on line ` +
              `${previous.startLine + 1}.`,
        {
          related: [
            {
              line: previous.header.line,
              start: previous.name!.start,
              end: previous.name!.end,
              message: `${previous.kind} '${name}'`,
            },
          ],
        },
      );
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
    if (hit && hit.kw === this.kw && hit.chain.length === chain.length && hit.chain.every((s, i) => s === chain[i]))
      out = hit.out;
    else {
      out = this.computeWarnings(
        section,
        chain.map((s) => sectionLocal(s, this.kw).facts),
      );
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
      warn(
        section.header,
        where,
        'missing-bind',
        `${capitalize(label)} '${name}' has no 'bind' line: it accepts no connection.`,
      );
    }
    const mode = inherited((f) => f.mode) ?? 'tcp';
    if (mode !== 'http' && mode !== 'tcp') return out;
    const timeout = (t: string): boolean => {
      const v = inherited((f) => f.timeouts.get(t));
      return v !== undefined && !/^0+(us|ms|s|m|h|d)?$/.test(v);
    };
    const missing =
      (hasFrontendRole(kind) && !timeout('client')) ||
      (hasBackendRole(kind) &&
        facts.hasServers &&
        (!timeout('connect') || (!timeout('server') && (mode === 'http' || !timeout('tunnel')))));
    if (missing && !uncertain) {
      const needed = [
        hasFrontendRole(kind) ? 'client' : '',
        hasBackendRole(kind) ? 'connect' : '',
        hasBackendRole(kind) ? 'server' : '',
      ].filter(Boolean);
      warn(
        section.header,
        where,
        'missing-timeouts',
        `Missing timeouts for ${label} '${name}': set ${needed.map((t) => `'timeout ${t}'`).join(', ')} here or in ` +
          `its defaults section.`,
      );
    }
    if (mode === 'tcp' && !uncertain) {
      for (const h of facts.httpOnly) {
        if (h.frontendOnly && !hasFrontendRole(kind)) continue;
        warn(
          h.at,
          h.at.words[h.at.keywordIndex],
          'requires-http-mode',
          `${h.what} ignored: ${label} '${name}' is in TCP mode (add 'mode http').`,
        );
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
        this.at(
          section.header.line,
          where,
          'keyword-not-allowed',
          sev,
          `A listen section cannot inherit from a defaults section that defines TCP/HTTP rules (line ` +
            `${defaults.startLine + 1}).`,
        );
        continue;
      }
      const first = firstUser.get(defaults);
      if (!first) firstUser.set(defaults, section);
      else if (first.kind !== section.kind) {
        this.at(
          section.header.line,
          where,
          'keyword-not-allowed',
          sev,
          `Frontends and backends cannot inherit from the same defaults section when it defines TCP/HTTP rules ` +
            `(defaults on line ${defaults.startLine + 1}, already used by ${first.kind} '${first.name?.value ?? ''}').`,
        );
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
    if (
      kind === 'backend' ||
      kind === 'frontend' ||
      kind === 'userlist' ||
      kind === 'resolvers' ||
      kind === 'peers' ||
      kind === 'cache' ||
      kind === 'http-errors' ||
      kind === 'mailers' ||
      kind === 'fcgi-app'
    ) {
      if (this.model.hasSection(REF_SECTION_KINDS[kind]!, occ.name)) return;
    }
    if (kind === 'server') {
      // reported as a backend
      if (occ.backend !== undefined && !this.model.hasSection(BACKEND_KINDS, occ.backend)) return;
      if (this.index.resolve(occ).length === 0) {
        const holder = occ.backend ?? occ.section?.name?.value ?? '';
        this.at(occ.line, occ, 'undefined-server', sev, `No server named '${occ.name}' in backend '${holder}'.`);
      }
      return;
    }
    if (kind === 'table') {
      if (!this.index.tables.get(occ.name)) {
        const proxy = this.index.resolves(occ);
        this.at(
          occ.line,
          occ,
          'undefined-table',
          sev,
          proxy ? `Proxy '${occ.name}' has no stick-table.` : `No stick table named '${occ.name}'.`,
        );
      }
      return;
    }
    if (this.index.resolves(occ)) return;
    if (kind === 'ring') {
      // HAProxy 2.6 accepts `log ring@name` without the ring when only checking the file.
      this.at(
        occ.line,
        occ,
        'undefined-ring',
        'warning',
        `No ring section named '${occ.name}': logs sent there are lost.`,
      );
      return;
    }
    const code = `undefined-${kind}` as DiagnosticCode;
    const kinds = REF_SECTION_KINDS[kind] ?? [];
    const what =
      kind === 'backend'
        ? 'backend or listen section'
        : kind === 'frontend'
          ? 'frontend or listen section'
          : `${kind} section`;
    const createKind =
      kind === 'backend' ? 'backend' : kind === 'frontend' ? 'frontend' : kinds.length === 1 ? kinds[0] : undefined;
    this.at(
      occ.line,
      occ,
      code,
      sev,
      `No ${what} named '${occ.name}'.`,
      createKind ? { fixes: [{ kind: 'create-section', sectionKind: createKind, name: occ.name }] } : {},
    );
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
      this.at(
        section.header.line,
        section.name,
        'unused-backend',
        'hint',
        `Backend '${section.name.value}' is never used (no use_backend or default_backend names it).`,
        {
          tags: ['unnecessary'],
        },
      );
    }
  }
}
