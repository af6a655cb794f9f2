// Builds a ConfigModel from text. Tolerant of any input and never throws.
//
// Incremental re-parse: tokenization is per line and position-free, so reparse() keeps the
// tokenized lines an edit did not touch. Sections are rebuilt only around the edit (the section
// holding the first changed line, the one before it, through the section holding the last changed
// line); every other section object is kept, with its per-section analysis caches, and the ones
// after the edit are shifted in place. reparse() therefore consumes the previous model: do not
// use it afterwards.

import { evaluateCondition, type Tristate } from './conditionals';
import { ConfigModel } from './configModel';
import type {
  ConditionalBlock,
  ConditionalDirective,
  ConditionalTransition,
  Directive,
  ParseOptions,
  Section,
  StructureProblem,
} from './model';
import { isSectionKeyword, type SectionKind } from './sections';
import { TimeSlicer, type SliceOptions } from '../slices';
import { newWordPool, splitLines, tokenizeLine, tokenizePooled, type TokenizedLine, type WordPool } from './tokenizer';

/** Parses a whole configuration. */
export function parseConfig(text: string, options: ParseOptions = {}): ConfigModel {
  const lines = splitLines(text);
  const tokenizer = new FullTokenizer(lines);
  tokenizer.run(0, lines.length);
  return buildModel(text, lines, tokenizer.tokens, options);
}

/** Lines tokenized between two looks at the clock (about 0.1 ms of work on a 10 MB file). */
const LINES_PER_CHECK = 256;

/**
 * parseConfig() cut into time slices (src/shared/slices.ts): the same model, built on the extension
 * host without blocking it for the whole file (a 10 MB configuration: about 150 ms of tokenizing).
 * The tokenizing yields between slices; the model is built from the tokens in one last slice.
 * Rejects with the signal's reason (an AbortError) when `slices.signal` aborts.
 */
export async function parseConfigInSlices(
  text: string,
  options: ParseOptions = {},
  slices: SliceOptions = {},
): Promise<ConfigModel> {
  const slicer = new TimeSlicer(slices);
  const lines = splitLines(text);
  const tokenizer = new FullTokenizer(lines);
  for (let from = 0; from < lines.length; from += LINES_PER_CHECK) {
    if (slicer.due) await slicer.yield();
    tokenizer.run(from, Math.min(lines.length, from + LINES_PER_CHECK));
  }
  if (slicer.due) await slicer.yield();
  return buildModel(text, lines, tokenizer.tokens, options);
}

/** The tokenizing of a full parse, which can be done a range of lines at a time. */
class FullTokenizer {
  readonly tokens: TokenizedLine[];
  // Identical lines share one tokenized line (and its analysis): large configurations repeat many
  // lines (timeouts, options, headers), often two thirds of them.
  private readonly seen = new Map<string, TokenizedLine>();
  // Equal plain words at the same column share one Word too (see WordPool).
  private readonly pool: WordPool;

  constructor(private readonly lines: readonly string[]) {
    this.tokens = new Array<TokenizedLine>(lines.length);
    this.pool = newWordPool(lines.length >> 1);
  }

  /** Tokenizes the lines [from, to). */
  run(from: number, to: number): void {
    const { lines, tokens, seen, pool } = this;
    for (let i = from; i < to; i++) {
      const line = lines[i];
      let tk = seen.get(line);
      if (!tk) seen.set(line, (tk = tokenizePooled(line, pool)));
      tokens[i] = tk;
    }
  }
}

/**
 * Parses a new version of a document from the previous model: unchanged leading and trailing lines
 * keep their tokens, unchanged sections are reused. The previous model must not be used afterwards.
 */
export function reparse(previous: ConfigModel, text: string, options: ParseOptions = previous.options): ConfigModel {
  if (options.haproxyVersion === previous.options.haproxyVersion && previous.hasText(text)) return previous;
  return reparseLines(previous, splitLines(text), text, options);
}

/** An editor change: the range (in the text before this change) and the text replacing it. */
export interface TextChange {
  readonly startLine: number;
  readonly startCharacter: number;
  readonly endLine: number;
  readonly endCharacter: number;
  readonly text: string;
}

/**
 * Applies editor changes (in order, each relative to the text left by the previous ones) to the
 * previous model without splitting the whole text again. Undefined when a change does not fit the
 * model (the caller then re-parses the full text). The previous model must not be used afterwards.
 */
export function reparseChanges(
  previous: ConfigModel,
  changes: readonly TextChange[],
  options: ParseOptions = previous.options,
): ConfigModel | undefined {
  let lines = previous.lines as string[];
  let copied = false;
  for (const c of changes) {
    if (c.startLine < 0 || c.endLine >= lines.length || c.startLine > c.endLine) return undefined;
    const first = lines[c.startLine];
    const last = lines[c.endLine];
    if (
      c.startCharacter > first.length ||
      c.endCharacter > last.length ||
      (c.startLine === c.endLine && c.startCharacter > c.endCharacter)
    )
      return undefined;
    const replacement = splitLines(first.slice(0, c.startCharacter) + c.text + last.slice(c.endCharacter));
    if (!copied) {
      lines = lines.slice();
      copied = true;
    }
    lines.splice(c.startLine, c.endLine - c.startLine + 1, ...replacement);
  }
  return reparseLines(previous, lines, undefined, options);
}

function reparseLines(
  previous: ConfigModel,
  lines: readonly string[],
  text: string | undefined,
  options: ParseOptions,
): ConfigModel {
  const oldLines = previous.lines;
  const oldTokens = previous.tokens;
  const max = Math.min(lines.length, oldLines.length);
  let prefix = 0;
  while (prefix < max && lines[prefix] === oldLines[prefix]) prefix++;
  let suffix = 0;
  while (suffix < max - prefix && lines[lines.length - 1 - suffix] === oldLines[oldLines.length - 1 - suffix]) suffix++;

  const tokens = new Array<TokenizedLine>(lines.length);
  for (let i = 0; i < prefix; i++) tokens[i] = oldTokens[i];
  for (let i = prefix; i < lines.length - suffix; i++) tokens[i] = tokenizeLine(lines[i]);
  const delta = lines.length - oldLines.length;
  for (let i = lines.length - suffix; i < lines.length; i++) tokens[i] = oldTokens[i - delta];

  const edit = {
    firstChanged: prefix,
    lastChangedOld: oldLines.length - suffix - 1,
    lastChangedNew: lines.length - suffix - 1,
    delta,
  };
  const model =
    (options.haproxyVersion === previous.options.haproxyVersion
      ? rebuildAround(previous, text, lines, tokens, options, edit)
      : undefined) ?? buildModel(text, lines, tokens, options, edit);
  model.inheritContaining(previous, edit);
  return model;
}

export interface EditRange {
  /** First changed line (same number in both versions). */
  readonly firstChanged: number;
  /** Last changed line in the old and the new version (below firstChanged for a pure insertion or deletion). */
  readonly lastChangedOld: number;
  readonly lastChangedNew: number;
  /** Lines added (negative: removed). */
  readonly delta: number;
}

// ---------------------------------------------------------------------------------------------
// Conditional blocks: a pass over the lines starting with '.' only.

interface Frame {
  readonly ifLine: number;
  readonly parentReached: Tristate;
  anyTaken: Tristate;
  reached: Tristate;
  elseSeen: boolean;
  readonly branchLines: number[];
}

function and3(a: Tristate, b: Tristate): Tristate {
  if (a === false || b === false) return false;
  return a === true && b === true ? true : undefined;
}

function or3(a: Tristate, b: Tristate): Tristate {
  if (a === true || b === true) return true;
  return a === false && b === false ? false : undefined;
}

function not3(a: Tristate): Tristate {
  return a === undefined ? undefined : !a;
}

const MESSAGE_DIRECTIVES = new Set(['.diag', '.notice', '.warning', '.alert']);

interface ConditionalState {
  readonly conditionals: ConditionalDirective[];
  readonly blocks: ConditionalBlock[];
  readonly problems: StructureProblem[];
  /** Lines where the reached state changes, and the state from the next line on. */
  readonly transitions: ConditionalTransition[];
}

function isConditionalLine(tk: TokenizedLine): boolean {
  const w = tk.words[0];
  return w !== undefined && w.value.charCodeAt(0) === 46 /* . */ && !w.quoted;
}

function conditionalState(
  lines: readonly string[],
  tokens: readonly TokenizedLine[],
  options: ParseOptions,
): ConditionalState {
  const state: ConditionalState = { conditionals: [], blocks: [], problems: [], transitions: [] };
  const stack: Frame[] = [];
  let reached: Tristate = true;
  for (let line = 0; line < tokens.length; line++) {
    const tk = tokens[line];
    if (!isConditionalLine(tk)) continue;
    const cond = handleConditional(line, tk, tk.words[0].value, stack, reached, state.blocks, state.problems, options);
    state.conditionals.push(cond.directive);
    if (cond.reached !== reached) state.transitions.push({ line, reached: cond.reached });
    reached = cond.reached;
  }
  for (const frame of stack) {
    state.problems.push({
      code: 'unterminated-if',
      line: frame.ifLine,
      start: 0,
      end: lines[frame.ifLine].length,
      message: "non-terminated '.if' block",
    });
    state.blocks.push({ ifLine: frame.ifLine, branchLines: frame.branchLines, endLine: -1 });
  }
  state.blocks.sort((a, b) => a.ifLine - b.ifLine);
  return state;
}

// ---------------------------------------------------------------------------------------------
// Sections.

interface ScanResult {
  readonly sections: Section[];
  readonly outOfSection: Directive[];
  readonly skippedLines: number[];
}

/** Reads sections from the lines [from, to]; the first section starts at the first header in range. */
function scanRange(
  tokens: readonly TokenizedLine[],
  from: number,
  to: number,
  transitions: readonly ConditionalTransition[],
  firstIndex: number,
  lastLine: number,
): ScanResult {
  const sections: Section[] = [];
  const outOfSection: Directive[] = [];
  const skippedLines: number[] = [];
  let kind: SectionKind | undefined;
  let header: Directive | undefined;
  let directives: Directive[] = [];
  let lastDirectiveLine = -1;
  let t = 0;
  let reached: Tristate = true;
  while (t < transitions.length && transitions[t].line < from) reached = transitions[t++].reached;

  const close = (endLine: number): void => {
    if (!kind || !header) return;
    const words = header.words;
    sections.push({
      kind,
      header,
      name: words.length > 1 ? words[1] : undefined,
      from: words.length > 3 && words[2].value === 'from' ? words[3] : undefined,
      directives,
      startLine: header.line,
      endLine,
      lastDirectiveLine: Math.max(lastDirectiveLine, header.line),
      index: firstIndex + sections.length,
      memo: undefined,
    });
  };

  for (let line = from; line <= to; line++) {
    while (t < transitions.length && transitions[t].line < line) reached = transitions[t++].reached;
    const tk = tokens[line];
    const words = tk.words;
    if (words.length === 0 || isConditionalLine(tk)) continue;
    if (reached === false) {
      skippedLines.push(line);
      continue;
    }
    const first = words[0].value;
    let keywordIndex = 0;
    let modifier: 'no' | 'default' | undefined;
    if ((first === 'no' || first === 'default') && words.length > 1) {
      keywordIndex = 1;
      modifier = first;
    }
    // A plain literal with a fixed shape: this runs for every line of the file.
    const directive: Directive = {
      line,
      tokens: tk,
      words,
      keywordIndex,
      keyword: words[keywordIndex].value,
      modifier,
      active: reached === true ? true : undefined,
    };
    if (keywordIndex === 0 && isSectionKeyword(first)) {
      close(previousNonBlank(tokens, line));
      kind = first;
      header = directive;
      directives = [];
      lastDirectiveLine = line;
      continue;
    }
    if (kind) {
      directives.push(directive);
      lastDirectiveLine = line;
    } else {
      outOfSection.push(directive);
    }
  }
  close(lastLine);
  return { sections, outOfSection, skippedLines };
}

function buildModel(
  text: string | undefined,
  lines: readonly string[],
  tokens: readonly TokenizedLine[],
  options: ParseOptions,
  edit?: EditRange,
): ConfigModel {
  const cond = conditionalState(lines, tokens, options);
  const scan = scanRange(tokens, 0, tokens.length - 1, cond.transitions, 0, lastLineIndex(lines));
  return new ConfigModel(
    text,
    lines,
    tokens,
    options,
    {
      sections: scan.sections,
      outOfSection: scan.outOfSection,
      conditionals: cond.conditionals,
      blocks: cond.blocks,
      problems: cond.problems,
      skippedLines: scan.skippedLines,
      transitions: cond.transitions,
    },
    edit,
  );
}

/**
 * Rebuilds only the sections around an edit, when the edit leaves the conditional structure alone.
 * Undefined when it cannot (the caller then rebuilds every section, still reusing tokens).
 */
function rebuildAround(
  previous: ConfigModel,
  text: string | undefined,
  lines: readonly string[],
  tokens: readonly TokenizedLine[],
  options: ParseOptions,
  edit: EditRange,
): ConfigModel | undefined {
  const { firstChanged, lastChangedOld, lastChangedNew, delta } = edit;
  const oldTokens = previous.tokens;
  for (let l = firstChanged; l <= lastChangedOld; l++) if (isConditionalLine(oldTokens[l])) return undefined;
  for (let l = firstChanged; l <= lastChangedNew; l++) if (isConditionalLine(tokens[l])) return undefined;
  // An edit that touches the end of the file changes the last section's end: rebuild it.
  const oldSections = previous.sections;
  if (oldSections.length === 0) return undefined;

  // Old sections [i0, i1] are rebuilt: from the one before the section holding the first changed
  // line, to the one holding the last changed line (or the first changed line on pure insertion).
  const holder = (line: number): number => {
    let lo = 0;
    let hi = oldSections.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (oldSections[mid].startLine <= line) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
  const firstHolder = holder(firstChanged);
  const i0 = Math.max(0, firstHolder - 1);
  const i1 = Math.max(firstHolder, holder(Math.max(firstChanged, lastChangedOld)));
  const regionStartOld = firstHolder < 0 ? 0 : oldSections[i0].startLine;
  const regionEndOld = i1 + 1 < oldSections.length ? oldSections[i1 + 1].startLine - 1 : previous.lines.length - 1;
  const regionStart = regionStartOld;
  const regionEnd = regionEndOld + delta;
  if (regionEnd < regionStart - 1) return undefined;

  // No conditional line changed: the conditional structure is the old one, shifted.
  const cond = shiftedConditionals(previous, edit);

  const scan = scanRange(
    tokens,
    regionStart,
    regionEnd,
    cond.transitions,
    firstHolder < 0 ? 0 : i0,
    lastLineIndex(lines),
  );
  // The rebuilt region must end before the next kept section starts.
  const after = oldSections.slice(i1 + 1);
  const lastRebuilt = scan.sections[scan.sections.length - 1];
  if (after.length > 0 && lastRebuilt) {
    (lastRebuilt as { endLine: number }).endLine = previousNonBlank(tokens, after[0].startLine + delta);
  }
  const before = firstHolder < 0 ? [] : oldSections.slice(0, i0);
  const sections: Section[] = [...before, ...scan.sections];
  for (const s of after) {
    shiftSection(s, delta, sections.length);
    sections.push(s);
  }
  const outOfSection = firstHolder < 0 ? scan.outOfSection : [...previous.outOfSection, ...scan.outOfSection];
  const skippedLines = [
    ...previous.skippedLines.filter((l) => l < regionStart),
    ...scan.skippedLines,
    ...previous.skippedLines.filter((l) => l > regionEndOld).map((l) => l + delta),
  ];
  return new ConfigModel(
    text,
    lines,
    tokens,
    options,
    {
      sections,
      outOfSection,
      conditionals: cond.conditionals,
      blocks: cond.blocks,
      problems: cond.problems,
      skippedLines,
      transitions: cond.transitions,
    },
    edit,
    { firstSection: before.length, rebuiltSections: scan.sections.length },
  );
}

/** The previous model's conditional structure moved by the edit (which touched no conditional line). */
function shiftedConditionals(previous: ConfigModel, edit: EditRange): ConditionalState {
  const { lastChangedOld, delta } = edit;
  const move = (line: number): number => (line > lastChangedOld ? line + delta : line);
  if (delta === 0) {
    return {
      conditionals: [...previous.conditionals],
      blocks: [...previous.blocks],
      problems: [...previous.problems],
      transitions: [...previous.transitions],
    };
  }
  return {
    conditionals: previous.conditionals.map((c) => ({ ...c, line: move(c.line) })),
    blocks: previous.blocks.map((b) => ({
      ifLine: move(b.ifLine),
      branchLines: b.branchLines.map(move),
      endLine: b.endLine < 0 ? -1 : move(b.endLine),
    })),
    problems: previous.problems.map((p) => ({ ...p, line: move(p.line) })),
    transitions: previous.transitions.map((t) => ({ line: move(t.line), reached: t.reached })),
  };
}

/** Moves a kept section (and its directives) by `delta` lines: in place, the old model is consumed. */
function shiftSection(s: Section, delta: number, index: number): void {
  const m = s as { -readonly [K in keyof Section]: Section[K] };
  m.index = index;
  if (delta === 0) return;
  m.startLine += delta;
  m.endLine += delta;
  m.lastDirectiveLine += delta;
  (s.header as { line: number }).line += delta;
  for (const d of s.directives) (d as { line: number }).line += delta;
}

/**
 * The last line that holds anything before `line`, so a section ends before the blank lines that precede the next
 * header.
 */
function previousNonBlank(tokens: readonly TokenizedLine[], line: number): number {
  let l = line - 1;
  while (l > 0 && tokens[l].words.length === 0 && tokens[l].commentStart < 0) l--;
  return Math.max(l, 0);
}

function lastLineIndex(lines: readonly string[]): number {
  // A final empty string after the last '\n' is not a line of its own.
  return lines.length > 1 && lines[lines.length - 1] === '' ? lines.length - 2 : lines.length - 1;
}

/** An '.elif' or '.else' of the innermost open block (`frame`; undefined: a lone one). */
function handleElse(
  line: number,
  tk: TokenizedLine,
  keyword: string,
  frame: Frame | undefined,
  reached: Tristate,
  problem: (code: StructureProblem['code'], message: string) => void,
  evalArgs: () => { value: Tristate; error?: { message: string; offset: number } },
): { directive: ConditionalDirective; reached: Tristate } {
  if (!frame) {
    problem(keyword === '.elif' ? 'lone-elif' : 'lone-else', `lone '${keyword}' with no matching '.if'`);
    return { directive: { line, tokens: tk, keyword, reached }, reached };
  }
  frame.branchLines.push(line);
  if (frame.elseSeen) {
    problem(keyword === '.elif' ? 'elif-after-else' : 'else-after-else', `'${keyword}' after '.else' is not permitted`);
  }
  let value: Tristate = true;
  let error: { message: string; offset: number } | undefined;
  if (keyword === '.elif') {
    if (frame.parentReached !== false && frame.anyTaken !== true) {
      const cond = evalArgs();
      value = cond.value;
      error = cond.error;
    } else {
      value = false;
    }
  } else {
    frame.elseSeen = true;
  }
  const taken = and3(not3(frame.anyTaken), value);
  frame.anyTaken = or3(frame.anyTaken, value);
  frame.reached = and3(frame.parentReached, taken);
  return {
    directive: {
      line,
      tokens: tk,
      keyword,
      ...(keyword === '.elif' ? { value } : {}),
      ...(error ? { conditionError: error } : {}),
      reached: frame.parentReached,
    },
    reached: frame.reached,
  };
}

function handleConditional(
  line: number,
  tk: TokenizedLine,
  keyword: string,
  stack: Frame[],
  reached: Tristate,
  blocks: ConditionalBlock[],
  problems: StructureProblem[],
  options: ParseOptions,
): { directive: ConditionalDirective; reached: Tristate } {
  const words = tk.words;
  const kwWord = words[0];
  const problem = (code: StructureProblem['code'], message: string): void => {
    problems.push({ code, line, start: kwWord.start, end: kwWord.end, message });
  };
  const evalArgs = (): { value: Tristate; error?: { message: string; offset: number } } => {
    const args = words.slice(1);
    const text = args.map((w) => w.value).join(' ');
    const hasEnv = args.some((w) => w.envRefs !== undefined);
    return evaluateCondition(text, { haproxyVersion: options.haproxyVersion, hasEnv });
  };

  switch (keyword) {
    case '.if': {
      const parentReached = reached;
      const cond = parentReached === false ? { value: false as Tristate } : evalArgs();
      const taken = cond.value;
      const frame: Frame = {
        ifLine: line,
        parentReached,
        anyTaken: taken,
        reached: and3(parentReached, taken),
        elseSeen: false,
        branchLines: [],
      };
      stack.push(frame);
      return {
        directive: {
          line,
          tokens: tk,
          keyword,
          value: cond.value,
          ...(cond.error && parentReached !== false ? { conditionError: cond.error } : {}),
          reached: parentReached,
        },
        reached: frame.reached,
      };
    }
    case '.elif':
    case '.else':
      return handleElse(line, tk, keyword, stack[stack.length - 1], reached, problem, evalArgs);
    case '.endif': {
      const frame = stack.pop();
      if (!frame) {
        problem('lone-endif', "lone '.endif' with no matching '.if'");
        return { directive: { line, tokens: tk, keyword, reached }, reached };
      }
      blocks.push({ ifLine: frame.ifLine, branchLines: frame.branchLines, endLine: line });
      return { directive: { line, tokens: tk, keyword, reached: frame.parentReached }, reached: frame.parentReached };
    }
    default:
      if (!MESSAGE_DIRECTIVES.has(keyword) && reached !== false)
        problem('unknown-directive', `unknown directive '${keyword}'`);
      return { directive: { line, tokens: tk, keyword, reached }, reached };
  }
}
