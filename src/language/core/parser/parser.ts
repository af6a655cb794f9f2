// Builds a ConfigModel from text. Tolerant of any input and never throws. Tokenization is per line
// and position-free, so reparse() reuses the tokenized lines an edit did not touch and only the
// changed lines are read again; the structure pass over the token lines is cheap and linear.

import { evaluateCondition, type Tristate } from './conditionals';
import { ConfigModel } from './configModel';
import type { ConditionalBlock, ConditionalDirective, Directive, ParseOptions, Section, StructureProblem } from './model';
import { isSectionKeyword, type SectionKind } from './sections';
import { splitLines, tokenizeLine, type TokenizedLine } from './tokenizer';

/** Parses a whole configuration. */
export function parseConfig(text: string, options: ParseOptions = {}): ConfigModel {
  const lines = splitLines(text);
  const tokens = lines.map(tokenizeLine);
  return buildModel(text, lines, tokens, options);
}

/**
 * Parses a new version of a document, reusing the tokenized lines of `previous` that are unchanged
 * (common leading and trailing lines). `hint`, when known (editor change events), names the first
 * changed line and skips the scan for it.
 */
export function reparse(previous: ConfigModel, text: string, options: ParseOptions = previous.options): ConfigModel {
  if (text === previous.text) return sameOptions(options, previous.options) ? previous : buildModel(text, previous.lines, previous.tokens, options);
  const lines = splitLines(text);
  const oldLines = previous.lines;
  const oldTokens = previous.tokens;
  const max = Math.min(lines.length, oldLines.length);
  let prefix = 0;
  while (prefix < max && lines[prefix] === oldLines[prefix]) prefix++;
  let suffix = 0;
  while (suffix < max - prefix && lines[lines.length - 1 - suffix] === oldLines[oldLines.length - 1 - suffix]) suffix++;

  const tokens: TokenizedLine[] = new Array(lines.length);
  for (let i = 0; i < prefix; i++) tokens[i] = oldTokens[i];
  for (let i = prefix; i < lines.length - suffix; i++) tokens[i] = tokenizeLine(lines[i]);
  const shift = oldLines.length - lines.length;
  for (let i = lines.length - suffix; i < lines.length; i++) tokens[i] = oldTokens[i + shift];
  return buildModel(text, lines, tokens, options, { firstChanged: prefix, lastChangedNew: lines.length - suffix - 1 });
}

function sameOptions(a: ParseOptions, b: ParseOptions): boolean {
  return a.haproxyVersion === b.haproxyVersion;
}

interface Frame {
  readonly ifLine: number;
  /** Whether the enclosing context is read at all. */
  readonly parentReached: Tristate;
  /** Whether some branch of this block was already taken. */
  anyTaken: Tristate;
  /** Whether the current branch is read. */
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

interface EditRange {
  readonly firstChanged: number;
  readonly lastChangedNew: number;
}

function buildModel(text: string, lines: readonly string[], tokens: readonly TokenizedLine[], options: ParseOptions, edit?: EditRange): ConfigModel {
  const sections: Section[] = [];
  const outOfSection: Directive[] = [];
  const conditionals: ConditionalDirective[] = [];
  const blocks: ConditionalBlock[] = [];
  const problems: StructureProblem[] = [];
  const skippedLines: number[] = [];
  const stack: Frame[] = [];
  let reached: Tristate = true;

  // The section being built.
  let kind: SectionKind | undefined;
  let header: Directive | undefined;
  let directives: Directive[] = [];
  let lastDirectiveLine = -1;

  const closeSection = (endLine: number): void => {
    if (!kind || !header) return;
    const words = header.words;
    const name = words.length > 1 ? words[1] : undefined;
    const from = words.length > 3 && words[2].value === 'from' ? words[3] : undefined;
    sections.push({
      kind,
      header,
      ...(name ? { name } : {}),
      ...(from ? { from } : {}),
      directives,
      startLine: header.line,
      endLine,
      lastDirectiveLine: Math.max(lastDirectiveLine, header.line),
      index: sections.length,
    });
  };

  const lineCount = lines.length;
  for (let line = 0; line < lineCount; line++) {
    const tk = tokens[line];
    const words = tk.words;
    if (words.length === 0) continue;
    const first = words[0].value;

    if (first.charCodeAt(0) === 46 /* . */ && !words[0].quoted) {
      const cond = handleConditional(line, tk, first, stack, reached, blocks, problems, options);
      conditionals.push(cond.directive);
      reached = cond.reached;
      continue;
    }

    if (reached === false) {
      skippedLines.push(line);
      continue;
    }
    const active = reached === true ? true : undefined;

    let keywordIndex = 0;
    let modifier: 'no' | 'default' | undefined;
    if ((first === 'no' || first === 'default') && words.length > 1) {
      keywordIndex = 1;
      modifier = first;
    }
    const directive: Directive = {
      line,
      tokens: tk,
      words,
      keywordIndex,
      keyword: words[keywordIndex].value,
      ...(modifier ? { modifier } : {}),
      active,
    };

    if (keywordIndex === 0 && isSectionKeyword(first)) {
      closeSection(previousNonBlank(tokens, line));
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
  closeSection(lastLineIndex(lines));

  for (const frame of stack) {
    problems.push({ code: 'unterminated-if', line: frame.ifLine, start: 0, end: lines[frame.ifLine].length, message: "non-terminated '.if' block" });
    blocks.push({ ifLine: frame.ifLine, branchLines: frame.branchLines, endLine: -1 });
  }
  blocks.sort((a, b) => a.ifLine - b.ifLine);

  return new ConfigModel(text, lines, tokens, options, { sections, outOfSection, conditionals, blocks, problems, skippedLines }, edit);
}

/** The last line that holds anything before `line`, so a section ends before the blank lines that precede the next header. */
function previousNonBlank(tokens: readonly TokenizedLine[], line: number): number {
  let l = line - 1;
  while (l > 0 && tokens[l].words.length === 0 && tokens[l].commentStart < 0) l--;
  return Math.max(l, 0);
}

function lastLineIndex(lines: readonly string[]): number {
  // A final empty string after the last '\n' is not a line of its own.
  return lines.length > 1 && lines[lines.length - 1] === '' ? lines.length - 2 : lines.length - 1;
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
      const frame: Frame = { ifLine: line, parentReached, anyTaken: taken, reached: and3(parentReached, taken), elseSeen: false, branchLines: [] };
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
    case '.else': {
      const frame = stack[stack.length - 1];
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
        directive: { line, tokens: tk, keyword, ...(keyword === '.elif' ? { value } : {}), ...(error ? { conditionError: error } : {}), reached: frame.parentReached },
        reached: frame.reached,
      };
    }
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
      if (!MESSAGE_DIRECTIVES.has(keyword) && reached !== false) problem('unknown-directive', `unknown directive '${keyword}'`);
      return { directive: { line, tokens: tk, keyword, reached }, reached };
  }
}
