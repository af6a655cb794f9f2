// The parsed form of a haproxy.cfg file. Positions are 0-based lines and UTF-16 character offsets,
// as editors count them. Everything is immutable once built; per-line tokenization is shared
// between versions of a document (see parser.ts, reparse()).

import type { Tristate } from './conditionals';
import type { SectionKind } from './sections';
import type { TokenizedLine, Word } from './tokenizer';

export interface Position {
  readonly line: number;
  readonly character: number;
}

export interface Range {
  readonly start: Position;
  readonly end: Position;
}

/** One line holding a keyword and its arguments (or a section header). */
export interface Directive {
  readonly line: number;
  readonly tokens: TokenizedLine;
  /** All words of the line, the `no` / `default` prefix included. */
  readonly words: readonly Word[];
  /** Index in `words` of the keyword: 1 after a `no` / `default` prefix, else 0. */
  readonly keywordIndex: number;
  /** The keyword as HAProxy reads it (unquoted). */
  readonly keyword: string;
  readonly modifier: 'no' | 'default' | undefined;
  /**
   * Whether HAProxy reads this line: true, or undefined inside a `.if` block that depends on the
   * environment or the build (the line is modelled, checks that could be wrong are relaxed).
   */
  readonly active: true | undefined;
}

export interface Section {
  readonly kind: SectionKind;
  readonly header: Directive;
  /** The section's name (second word of the header), when present. */
  readonly name?: Word;
  /** The defaults section named by `from NAME`. */
  readonly from?: Word;
  /** Directives in order, header excluded, lines of inactive `.if` branches excluded. */
  readonly directives: readonly Directive[];
  readonly startLine: number;
  /** Last line before the next section (blank lines and comments included). */
  readonly endLine: number;
  /** Last line holding a directive of this section (the header line when empty). */
  readonly lastDirectiveLine: number;
  readonly index: number;
  /**
   * Analysis results cached with the section (see analysis/). A section object lives as long as its
   * lines are unchanged: re-parsing after an edit elsewhere keeps it (shifted if needed).
   */
  memo?: SectionMemo;
}

/** Per-section caches, keyed by what they depend on (keyword data...). */
export interface SectionMemo {
  [key: string]: unknown;
}

export type ConditionalKeyword = '.if' | '.elif' | '.else' | '.endif' | '.diag' | '.notice' | '.warning' | '.alert';

/** A line starting with `.`: a conditional block directive or a message directive. */
export interface ConditionalDirective {
  readonly line: number;
  readonly tokens: TokenizedLine;
  readonly keyword: ConditionalKeyword | string;
  /** For `.if` / `.elif`: the statically evaluated condition (undefined: depends on the environment). */
  readonly value?: Tristate;
  /** For `.if` / `.elif`: HAProxy's complaint when the expression does not parse. */
  readonly conditionError?: { readonly message: string; readonly offset: number };
  /** True when HAProxy reads the line itself (false inside a skipped branch). */
  readonly reached: Tristate;
}

/** A line where the reached state changes (a conditional line), and the state after it. */
export interface ConditionalTransition {
  readonly line: number;
  readonly reached: Tristate;
}

/** A `.if` ... `.endif` block, for folding and structure checks. */
export interface ConditionalBlock {
  readonly ifLine: number;
  /** `.elif` and `.else` lines in order. */
  readonly branchLines: readonly number[];
  /** The `.endif` line, or -1 when the block is not terminated. */
  readonly endLine: number;
}

/** Structural problems found while building the model (HAProxy's wording). */
export interface StructureProblem {
  readonly code:
    | 'unterminated-if'
    | 'lone-endif'
    | 'elif-after-else'
    | 'else-after-else'
    | 'lone-else'
    | 'lone-elif'
    | 'unknown-directive';
  readonly line: number;
  readonly start: number;
  readonly end: number;
  readonly message: string;
}

export interface ParseOptions {
  /** Target HAProxy version for `.if version_atleast(...)`, e.g. "2.6". */
  readonly haproxyVersion?: string;
}
