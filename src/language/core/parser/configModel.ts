// Query API over a parsed configuration, shared by the editor features and by readers of
// configurations fetched from servers (Data Plane API): sections by kind and name, binds and servers
// of a proxy, the section and directive at a line.

import type { Tristate } from './conditionals';
import type { ConditionalBlock, ConditionalDirective, Directive, ParseOptions, Section, StructureProblem } from './model';
import type { SectionKind } from './sections';
import { parseBind, parseServer, type BindStatement, type ServerStatement } from './statements';
import type { EditRange } from './parser';
import type { TokenizedLine } from './tokenizer';

export interface ModelStructure {
  readonly sections: readonly Section[];
  readonly outOfSection: readonly Directive[];
  readonly conditionals: readonly ConditionalDirective[];
  readonly blocks: readonly ConditionalBlock[];
  readonly problems: readonly StructureProblem[];
  /** Lines inside `.if` branches HAProxy skips for sure. */
  readonly skippedLines: readonly number[];
}

export class ConfigModel {
  readonly sections: readonly Section[];
  /** Directives before the first section header (HAProxy rejects them). */
  readonly outOfSection: readonly Directive[];
  readonly conditionals: readonly ConditionalDirective[];
  readonly blocks: readonly ConditionalBlock[];
  readonly problems: readonly StructureProblem[];
  readonly skippedLines: readonly number[];
  private readonly byKind = new Map<SectionKind, Section[]>();
  private byName?: Map<string, Section[]>;
  private binds?: WeakMap<Section, BindStatement[]>;
  private servers?: WeakMap<Section, ServerStatement[]>;

  constructor(
    readonly text: string,
    readonly lines: readonly string[],
    readonly tokens: readonly TokenizedLine[],
    readonly options: ParseOptions,
    structure: ModelStructure,
    /** Lines changed since the model this one was re-parsed from (undefined after a full parse). */
    readonly edit?: EditRange,
    /** Sections rebuilt by an incremental re-parse: [firstSection, firstSection + rebuiltSections). */
    readonly rebuilt?: { readonly firstSection: number; readonly rebuiltSections: number },
  ) {
    this.sections = structure.sections;
    this.outOfSection = structure.outOfSection;
    this.conditionals = structure.conditionals;
    this.blocks = structure.blocks;
    this.problems = structure.problems;
    this.skippedLines = structure.skippedLines;
    for (const s of this.sections) {
      let list = this.byKind.get(s.kind);
      if (!list) this.byKind.set(s.kind, (list = []));
      list.push(s);
    }
  }

  /** HAProxy rejects a file whose last line has no final LF. */
  get endsWithNewline(): boolean {
    return this.text.length === 0 || this.text.endsWith('\n');
  }

  get lineCount(): number {
    return this.lines.length;
  }

  sectionsOf(kind: SectionKind): readonly Section[] {
    return this.byKind.get(kind) ?? [];
  }

  frontends(): readonly Section[] {
    return this.sectionsOf('frontend');
  }

  backends(): readonly Section[] {
    return this.sectionsOf('backend');
  }

  listens(): readonly Section[] {
    return this.sectionsOf('listen');
  }

  /** Frontends, backends and listen sections, in file order. */
  proxies(): readonly Section[] {
    return this.sections.filter((s) => s.kind === 'frontend' || s.kind === 'backend' || s.kind === 'listen');
  }

  /** Sections that can receive traffic from use_backend / default_backend: backend and listen. */
  backendLike(): readonly Section[] {
    return this.sections.filter((s) => s.kind === 'backend' || s.kind === 'listen');
  }

  /** Sections of these kinds with this name, in file order. */
  findSections(kinds: readonly SectionKind[], name: string): Section[] {
    if (!this.byName) {
      this.byName = new Map();
      for (const s of this.sections) {
        if (!s.name) continue;
        const list = this.byName.get(s.name.value);
        if (list) list.push(s);
        else this.byName.set(s.name.value, [s]);
      }
    }
    const same = this.byName.get(name);
    return same ? same.filter((s) => kinds.includes(s.kind)) : [];
  }

  /** The section containing `line`: from its header to the line before the next header. */
  sectionAt(line: number): Section | undefined {
    const list = this.sections;
    let lo = 0;
    let hi = list.length - 1;
    let found: Section | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].startLine <= line) {
        found = list[mid];
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /** The directive (or section header) on `line`, if any. */
  directiveAt(line: number): Directive | undefined {
    const section = this.sectionAt(line);
    if (!section) return this.outOfSection.find((d) => d.line === line);
    if (section.header.line === line) return section.header;
    const list = section.directives;
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const l = list[mid].line;
      if (l === line) return list[mid];
      if (l < line) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  conditionalAt(line: number): ConditionalDirective | undefined {
    return this.conditionals.find((c) => c.line === line);
  }

  /** Whether HAProxy reads `line` (undefined: depends on the environment or the build). */
  isReached(line: number): Tristate {
    const d = this.directiveAt(line);
    if (d) return d.active;
    if (this.skippedLines.includes(line)) return false;
    return true;
  }

  /** `bind` lines of a frontend, listen or log-forward section, with their parsed addresses. */
  bindsOf(section: Section): readonly BindStatement[] {
    this.binds ??= new WeakMap();
    let list = this.binds.get(section);
    if (!list) {
      list = [];
      for (const d of section.directives) {
        if (d.modifier) continue;
        if (d.keyword === 'bind' || d.keyword === 'dgram-bind') list.push(parseBind(d));
      }
      this.binds.set(section, list);
    }
    return list;
  }

  /** `server` lines (and `server-template`) of a backend or listen section; peers, mailers and nameservers too. */
  serversOf(section: Section): readonly ServerStatement[] {
    this.servers ??= new WeakMap();
    let list = this.servers.get(section);
    if (!list) {
      list = [];
      for (const d of section.directives) {
        if (d.modifier) continue;
        const s = parseServer(d, section.kind);
        if (s) list.push(s);
      }
      this.servers.set(section, list);
    }
    return list;
  }
}
