// Query API over a parsed configuration, shared by the editor features and by readers of
// configurations fetched from servers (Data Plane API): sections by kind and name, binds and servers
// of a proxy, the section and directive at a line.

import type { Tristate } from './conditionals';
import type {
  ConditionalBlock,
  ConditionalDirective,
  ConditionalTransition,
  Directive,
  ParseOptions,
  Section,
  StructureProblem,
} from './model';
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
  /** Where the reached state changes (for incremental re-parsing). */
  readonly transitions: readonly ConditionalTransition[];
}

export class ConfigModel {
  readonly sections: readonly Section[];
  /** Directives before the first section header (HAProxy rejects them). */
  readonly outOfSection: readonly Directive[];
  readonly conditionals: readonly ConditionalDirective[];
  readonly blocks: readonly ConditionalBlock[];
  readonly problems: readonly StructureProblem[];
  readonly skippedLines: readonly number[];
  readonly transitions: readonly ConditionalTransition[];
  private readonly byKind = new Map<SectionKind, Section[]>();
  private byName?: Map<string, Section[]>;
  private binds?: WeakMap<Section, BindStatement[]>;
  private servers?: WeakMap<Section, ServerStatement[]>;

  private textValue: string | undefined;
  private containing?: Map<string, number[]>;

  constructor(
    text: string | undefined,
    readonly lines: readonly string[],
    readonly tokens: readonly TokenizedLine[],
    readonly options: ParseOptions,
    structure: ModelStructure,
    /** Lines changed since the model this one was re-parsed from (undefined after a full parse). */
    readonly edit?: EditRange,
    /** Sections rebuilt by an incremental re-parse: [firstSection, firstSection + rebuiltSections). */
    readonly rebuilt?: { readonly firstSection: number; readonly rebuiltSections: number },
  ) {
    this.textValue = text;
    this.sections = structure.sections;
    this.outOfSection = structure.outOfSection;
    this.conditionals = structure.conditionals;
    this.blocks = structure.blocks;
    this.problems = structure.problems;
    this.skippedLines = structure.skippedLines;
    this.transitions = structure.transitions;
    for (const s of this.sections) {
      let list = this.byKind.get(s.kind);
      if (!list) this.byKind.set(s.kind, (list = []));
      list.push(s);
    }
  }

  /** The whole text (joined from the lines when the model was built from editor changes). */
  get text(): string {
    this.textValue ??= this.lines.join('\n');
    return this.textValue;
  }

  /** True when `text` is this model's text (cheap when the text is kept, else a line-by-line comparison). */
  hasText(text: string): boolean {
    if (this.textValue !== undefined) return this.textValue === text;
    if (text.length !== this.lines.reduce((n, l) => n + l.length + 1, -1)) return false;
    return this.text === text;
  }

  /** HAProxy rejects a file whose last line has no final LF. */
  get endsWithNewline(): boolean {
    const last = this.lines[this.lines.length - 1];
    return last === '' || last === undefined;
  }

  /**
   * Lines containing `needle` (cached; carried over incrementally by re-parsing). Used to find the
   * rare lines worth a closer look, such as suppression comments, without scanning every line.
   */
  linesContaining(needle: string): readonly number[] {
    this.containing ??= new Map();
    let hit = this.containing.get(needle);
    if (!hit) {
      hit = [];
      // One search of the whole text first, when it is at hand: usually the needle is nowhere.
      if (this.textValue === undefined || this.textValue.includes(needle)) {
        for (let i = 0; i < this.lines.length; i++) if (this.lines[i].includes(needle)) hit.push(i);
      }
      this.containing.set(needle, hit);
    }
    return hit;
  }

  /** Seeds linesContaining() of a re-parsed model from the previous one. */
  inheritContaining(previous: ConfigModel, edit: EditRange): void {
    if (!previous.containing) return;
    this.containing = new Map();
    for (const [needle, lines] of previous.containing) {
      const out: number[] = [];
      for (const l of lines) if (l < edit.firstChanged) out.push(l);
      for (let l = edit.firstChanged; l <= edit.lastChangedNew; l++) if (this.lines[l].includes(needle)) out.push(l);
      for (const l of lines) if (l > edit.lastChangedOld) out.push(l + edit.delta);
      this.containing.set(needle, out);
    }
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
    const same = this.named().get(name);
    return same ? same.filter((s) => kinds.includes(s.kind)) : [];
  }

  /** Whether a section of one of these kinds has this name. */
  hasSection(kinds: readonly SectionKind[], name: string): boolean {
    const same = this.named().get(name);
    if (!same) return false;
    for (const s of same) if (kinds.includes(s.kind)) return true;
    return false;
  }

  private named(): Map<string, Section[]> {
    if (!this.byName) {
      this.byName = new Map();
      for (const s of this.sections) {
        if (!s.name) continue;
        const list = this.byName.get(s.name.value);
        if (list) list.push(s);
        else this.byName.set(s.name.value, [s]);
      }
    }
    return this.byName;
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
