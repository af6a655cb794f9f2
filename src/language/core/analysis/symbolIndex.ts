// Every name a configuration defines or refers to, with what each reference resolves to. Shared by
// diagnostics (undefined and unused names), go to definition, find references, rename and
// document highlights. Built once per model from the cached per-line semantics.

import type { HaproxyKeywords } from '../keywords';
import type { ConfigModel } from '../../../shared/haproxy-config/configModel';
import type { Directive, Section } from '../../../shared/haproxy-config/model';
import type { SectionKind } from '../../../shared/haproxy-config/sections';
import { PREDEFINED_ACLS } from './removed';
import {
  keyedSemantics,
  semKey,
  semanticsOf,
  valueOffset,
  type LineSemantics,
  type Occurrence,
  type RefKind,
} from './semantics';

export interface IndexedOccurrence extends Occurrence {
  readonly line: number;
  /** The section the line belongs to. */
  readonly section?: Section;
  /** The directive (or section header) holding the name. */
  readonly directive: Directive;
}

/** What a name denotes. */
export type Target =
  | { readonly type: 'section'; readonly section: Section }
  | { readonly type: 'acl'; readonly section: Section; readonly name: string }
  | { readonly type: 'server'; readonly section: Section; readonly name: string }
  | { readonly type: 'predefined-acl'; readonly name: string };

/** Section kinds each reference kind may resolve to. */
export const REF_SECTION_KINDS: Readonly<Partial<Record<RefKind, readonly SectionKind[]>>> = {
  backend: ['backend', 'listen'],
  frontend: ['frontend', 'listen'],
  table: ['frontend', 'backend', 'listen'],
  defaults: ['defaults'],
  userlist: ['userlist'],
  resolvers: ['resolvers'],
  peers: ['peers'],
  cache: ['cache'],
  'http-errors': ['http-errors'],
  mailers: ['mailers'],
  'fcgi-app': ['fcgi-app'],
  ring: ['ring'],
};

const indexes = new WeakMap<ConfigModel, { keywords: HaproxyKeywords | undefined; index: SymbolIndex }>();

/** An occurrence bound to its directive: its line follows the directive when sections shift. */
class BoundOccurrence implements IndexedOccurrence {
  constructor(
    private readonly occ: Occurrence,
    readonly directive: Directive,
    readonly section: Section,
  ) {}
  get line(): number {
    return this.directive.line;
  }
  get kind(): RefKind {
    return this.occ.kind;
  }
  get role(): Occurrence['role'] {
    return this.occ.role;
  }
  get name(): string {
    return this.occ.name;
  }
  get start(): number {
    return this.occ.start;
  }
  get end(): number {
    return this.occ.end;
  }
  get exact(): boolean {
    return this.occ.exact;
  }
  get backend(): string | undefined {
    return this.occ.backend;
  }
  get via(): string {
    return this.occ.via;
  }
  get template(): boolean | undefined {
    return this.occ.template;
  }
}

/** What one section defines and refers to; cached with the section. */
interface SectionSymbols {
  readonly keywords: HaproxyKeywords | undefined;
  readonly occurrences: IndexedOccurrence[];
  readonly aclDefs: Map<string, IndexedOccurrence[]>;
  readonly serverDefs: IndexedOccurrence[];
  readonly dynamicBackend: Directive[];
  /** Table names this section declares: its own name with a stick-table, `peers/table` in peers. */
  readonly tables: { name: string; directive: Directive }[];
  /** References to names outside the section (not ACLs, not `from`), without environment variables. */
  readonly externalRefs: IndexedOccurrence[];
  /** Backend (and table) names this section uses. */
  readonly usedBackends: string[];
}

// Shared by the sections that hold no such thing (most hold no table, no dynamic backend...): never
// modified, the lists of a section are only filled while it is read.
const NONE = Object.freeze([]) as never[];
const NO_ACLS = new Map<string, IndexedOccurrence[]>();

export function sectionSymbols(section: Section, keywords: HaproxyKeywords | undefined): SectionSymbols {
  const memo = (section.memo ??= {});
  const hit = memo.symbols as SectionSymbols | undefined;
  if (hit && hit.keywords === keywords) return hit;
  let occurrences: IndexedOccurrence[] | undefined;
  let aclDefs: Map<string, IndexedOccurrence[]> | undefined;
  let serverDefs: IndexedOccurrence[] | undefined;
  let dynamicBackend: Directive[] | undefined;
  let tables: { name: string; directive: Directive }[] | undefined;
  let externalRefs: IndexedOccurrence[] | undefined;
  let usedBackends: string[] | undefined;
  if (section.from) {
    const f = section.from;
    const at = valueOffset(f);
    const occ: Occurrence = {
      kind: 'defaults',
      role: 'reference',
      name: f.value,
      start: at ?? f.start,
      end: at === undefined ? f.end : at + f.value.length,
      exact: at !== undefined,
      via: 'from',
      backend: undefined,
      template: undefined,
    };
    (occurrences ??= []).push(new BoundOccurrence(occ, section.header, section));
  }
  const kind = section.kind;
  const ctx = { keywords };
  const key = semKey(kind, keywords);
  const directives = section.directives;
  for (let i = 0; i < directives.length; i++) {
    const d = directives[i];
    const sem = keyedSemantics(d, kind, ctx, key);
    if (sem.dynamicBackend) (dynamicBackend ??= []).push(d);
    if (d.keyword === 'stick-table' && section.name) (tables ??= []).push({ name: section.name.value, directive: d });
    if (d.keyword === 'table' && section.kind === 'peers' && section.name && d.words[d.keywordIndex + 1]) {
      (tables ??= []).push({ name: `${section.name.value}/${d.words[d.keywordIndex + 1].value}`, directive: d });
    }
    const occs = sem.occurrences;
    for (let j = 0; j < occs.length; j++) {
      const occ = occs[j];
      const bound = new BoundOccurrence(occ, d, section);
      (occurrences ??= []).push(bound);
      if (occ.role === 'reference') {
        if (occ.kind === 'backend' || occ.kind === 'table') (usedBackends ??= []).push(occ.name);
        if (occ.kind === 'server' && occ.backend !== undefined) (usedBackends ??= []).push(occ.backend);
        if (occ.kind !== 'acl' && occ.kind !== 'defaults' && !occ.name.includes('$') && !occ.name.includes('%['))
          (externalRefs ??= []).push(bound);
      }
      if (occ.role !== 'definition') continue;
      if (occ.kind === 'acl') {
        aclDefs ??= new Map();
        const list = aclDefs.get(occ.name);
        if (list) list.push(bound);
        else aclDefs.set(occ.name, [bound]);
      } else if (occ.kind === 'server') {
        (serverDefs ??= []).push(bound);
      }
    }
  }
  // Lists of exactly the right size (push grows them by half): they are kept with the section.
  const result: SectionSymbols = {
    keywords,
    occurrences: occurrences ? occurrences.slice() : NONE,
    aclDefs: aclDefs ?? NO_ACLS,
    serverDefs: serverDefs ? serverDefs.slice() : NONE,
    dynamicBackend: dynamicBackend ? dynamicBackend.slice() : NONE,
    tables: tables ? tables.slice() : NONE,
    externalRefs: externalRefs ? externalRefs.slice() : NONE,
    usedBackends: usedBackends ? usedBackends.slice() : NONE,
  };
  memo.symbols = result;
  return result;
}

export class SymbolIndex {
  private all?: IndexedOccurrence[];
  private tableMap?: Map<string, { section: Section; line: number }>;

  static of(model: ConfigModel, keywords?: HaproxyKeywords): SymbolIndex {
    const hit = indexes.get(model);
    if (hit && hit.keywords === keywords) return hit.index;
    const index = new SymbolIndex(model, keywords);
    indexes.set(model, { keywords, index });
    return index;
  }

  private constructor(
    readonly model: ConfigModel,
    private readonly keywords?: HaproxyKeywords,
  ) {}

  private symbols(section: Section): SectionSymbols {
    return sectionSymbols(section, this.keywords);
  }

  semantics(d: Directive, section: Section): LineSemantics {
    return semanticsOf(d, section.kind, { keywords: this.keywords });
  }

  /** References and ACL / server definitions, in file order. */
  get occurrences(): readonly IndexedOccurrence[] {
    if (!this.all) {
      const all: IndexedOccurrence[] = [];
      for (const s of this.model.sections) for (const o of this.symbols(s).occurrences) all.push(o);
      this.all = all;
    }
    return this.all;
  }

  /** What a section defines and refers to (cached with the section). */
  sectionSymbols(section: Section): SectionSymbols {
    return this.symbols(section);
  }

  /** Lines whose `use_backend` picks a backend at run time (then every backend may be used). */
  get dynamicBackendLines(): number[] {
    const out: number[] = [];
    for (const s of this.model.sections) for (const d of this.symbols(s).dynamicBackend) out.push(d.line);
    return out;
  }

  /** Proxies holding a stick-table, and `peers/table` names declared in peers sections. */
  get tables(): ReadonlyMap<string, { section: Section; line: number }> {
    if (!this.tableMap) {
      const map = new Map<string, { section: Section; line: number }>();
      for (const s of this.model.sections)
        for (const t of this.symbols(s).tables)
          if (!map.has(t.name)) map.set(t.name, { section: s, line: t.directive.line });
      this.tableMap = map;
    }
    return this.tableMap;
  }

  occurrencesOnLine(line: number): readonly IndexedOccurrence[] {
    const section = this.model.sectionAt(line);
    if (!section) return [];
    return this.symbols(section).occurrences.filter((o) => o.line === line);
  }

  /** The ACL definitions of a section by name. */
  aclDefinitions(section: Section, name: string): readonly IndexedOccurrence[] {
    return this.symbols(section).aclDefs.get(name) ?? [];
  }

  aclNames(section: Section): string[] {
    return [...this.symbols(section).aclDefs.keys()];
  }

  serverDefinitions(section: Section): readonly IndexedOccurrence[] {
    return this.symbols(section).serverDefs;
  }

  /** The name under the cursor: a reference, an ACL or server definition, or a section header name. */
  at(line: number, character: number): { occurrence?: IndexedOccurrence; header?: Section } | undefined {
    for (const occ of this.occurrencesOnLine(line)) {
      if (character >= occ.start && character <= occ.end) return { occurrence: occ };
    }
    const section = this.model.sectionAt(line);
    if (
      section &&
      section.header.line === line &&
      section.name &&
      character >= section.name.start &&
      character <= section.name.end
    ) {
      return { header: section };
    }
    return undefined;
  }

  /** Whether a section-level reference resolves to something, without building the targets. */
  resolves(occ: IndexedOccurrence): boolean {
    if (
      occ.kind === 'acl' ||
      occ.kind === 'server' ||
      occ.kind === 'defaults' ||
      (occ.kind === 'table' && occ.name.includes('/'))
    )
      return this.resolve(occ).length > 0;
    const kinds = REF_SECTION_KINDS[occ.kind];
    return kinds !== undefined && this.model.hasSection(kinds, occ.name);
  }

  /** What an occurrence denotes (several targets when the name is ambiguous, none when undefined). */
  resolve(occ: IndexedOccurrence): Target[] {
    if (occ.kind === 'acl') {
      if (!occ.section) return [];
      const defs = this.aclDefinitions(occ.section, occ.name);
      if (defs.length > 0) return [{ type: 'acl', section: occ.section, name: occ.name }];
      return PREDEFINED_ACLS.has(occ.name) ? [{ type: 'predefined-acl', name: occ.name }] : [];
    }
    if (occ.kind === 'server') {
      const holders =
        occ.backend !== undefined
          ? this.model.findSections(['backend', 'listen'], occ.backend)
          : occ.section
            ? [occ.section]
            : [];
      return holders
        .filter((s) => this.findServer(s, occ.name))
        .map((s) => ({ type: 'server', section: s, name: this.findServer(s, occ.name)!.name }));
    }
    return this.resolveSections(occ).map((section) => ({ type: 'section', section }));
  }

  private resolveSections(occ: IndexedOccurrence): Section[] {
    if (occ.kind === 'defaults') {
      return this.model.sectionsOf('defaults').filter((s) => s.name?.value === occ.name && s.startLine < occ.line);
    }
    if (occ.kind === 'table' && occ.name.includes('/')) {
      const t = this.tables.get(occ.name);
      return t ? [t.section] : [];
    }
    const kinds = REF_SECTION_KINDS[occ.kind];
    return kinds ? this.model.findSections(kinds, occ.name) : [];
  }

  /** A server definition by name, server-template prefixes included (`srv` matches `srv1`..`srvN`). */
  findServer(section: Section, name: string): IndexedOccurrence | undefined {
    const defs = this.serverDefinitions(section);
    return (
      defs.find((d) => d.name === name) ??
      defs.find((d) => d.template && name.startsWith(d.name) && /^\d+$/.test(name.slice(d.name.length)))
    );
  }

  /** The target of whatever is at a position. */
  targetsAt(line: number, character: number): Target[] {
    const hit = this.at(line, character);
    if (!hit) return [];
    if (hit.header) return [{ type: 'section', section: hit.header }];
    const occ = hit.occurrence!;
    if (occ.role === 'definition') {
      if (occ.kind === 'acl' && occ.section) return [{ type: 'acl', section: occ.section, name: occ.name }];
      if (occ.kind === 'server' && occ.section) return [{ type: 'server', section: occ.section, name: occ.name }];
    }
    return this.resolve(occ);
  }

  /** Every occurrence denoting the target (definitions first), header names as occurrences. */
  occurrencesOf(target: Target): { line: number; start: number; end: number; exact: boolean; definition: boolean }[] {
    const out: { line: number; start: number; end: number; exact: boolean; definition: boolean }[] = [];
    if (target.type === 'section' && target.section.name) {
      const n = target.section.name;
      out.push({ line: target.section.header.line, ...nameRange(n), definition: true });
    }
    for (const occ of this.occurrences) {
      if (target.type === 'acl' && occ.kind === 'acl' && occ.section === target.section && occ.name === target.name) {
        out.push({
          line: occ.line,
          start: occ.start,
          end: occ.end,
          exact: occ.exact,
          definition: occ.role === 'definition',
        });
        continue;
      }
      if (target.type === 'server' && occ.kind === 'server') {
        if (
          occ.role === 'definition'
            ? occ.section === target.section && occ.name === target.name
            : this.resolve(occ).some((t) => sameTarget(t, target))
        ) {
          out.push({
            line: occ.line,
            start: occ.start,
            end: occ.end,
            exact: occ.exact,
            definition: occ.role === 'definition',
          });
        }
        continue;
      }
      if (
        target.type === 'section' &&
        occ.role === 'reference' &&
        occ.kind !== 'acl' &&
        occ.kind !== 'server' &&
        occ.name === target.section.name?.value
      ) {
        if (this.resolve(occ).some((t) => sameTarget(t, target))) {
          out.push({ line: occ.line, start: occ.start, end: occ.end, exact: occ.exact, definition: false });
        }
      }
      if (
        target.type === 'predefined-acl' &&
        occ.kind === 'acl' &&
        occ.name === target.name &&
        this.resolve(occ).some((t) => t.type === 'predefined-acl')
      ) {
        out.push({ line: occ.line, start: occ.start, end: occ.end, exact: occ.exact, definition: false });
      }
    }
    return out;
  }
}

export function sameTarget(a: Target, b: Target): boolean {
  if (a.type !== b.type) return false;
  switch (a.type) {
    case 'section':
      return a.section === (b as typeof a).section;
    case 'acl':
    case 'server':
      return a.section === (b as typeof a).section && a.name === (b as typeof a).name;
    case 'predefined-acl':
      return a.name === (b as typeof a).name;
  }
}

function nameRange(w: { start: number; end: number; raw: string; value: string }): {
  start: number;
  end: number;
  exact: boolean;
} {
  const at = valueOffset(w as Parameters<typeof valueOffset>[0]);
  return at === undefined
    ? { start: w.start, end: w.end, exact: false }
    : { start: at, end: at + w.value.length, exact: true };
}
