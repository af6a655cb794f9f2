// Where the cursor is on a line: in which word, what has been typed, and the sample expression
// (if any) around it. Shared by completion, hover and signature help.

import type { ConfigModel } from '../../../shared/haproxy-config/configModel';
import type { Section } from '../../../shared/haproxy-config/model';
import { findLogFormatSamples } from '../../../shared/haproxy-config/samples';
import type { Word } from '../../../shared/haproxy-config/tokenizer';

export interface CursorContext {
  readonly line: number;
  readonly character: number;
  readonly section?: Section;
  readonly words: readonly Word[];
  /** Index of the word under the cursor, or of the word about to be typed. */
  readonly wordIndex: number;
  readonly word?: Word;
  /** Raw text of the current word before the cursor. */
  readonly prefix: string;
  /** Character range a completion replaces (the current word up to its end). */
  readonly replaceStart: number;
  readonly replaceEnd: number;
  readonly inComment: boolean;
  /** 1 after a `no` / `default` prefix, else 0. */
  readonly keywordIndex: number;
}

export function cursorContext(model: ConfigModel, line: number, character: number): CursorContext {
  const tokens = model.tokens[line];
  const words = tokens?.words ?? [];
  const section = model.sectionAt(line);
  const inComment = tokens !== undefined && tokens.commentStart >= 0 && character > tokens.commentStart;
  let wordIndex = words.length;
  let word: Word | undefined;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (character >= w.start && character <= w.end) {
      wordIndex = i;
      word = w;
      break;
    }
    if (character < w.start) {
      wordIndex = i;
      break;
    }
  }
  const prefix = word ? word.raw.slice(0, character - word.start) : '';
  const first = words[0]?.value;
  const keywordIndex = (first === 'no' || first === 'default') && words.length > 1 && wordIndex > 0 ? 1 : 0;
  return {
    line,
    character,
    ...(section ? { section } : {}),
    words,
    wordIndex,
    ...(word ? { word } : {}),
    prefix,
    replaceStart: word ? word.start : character,
    replaceEnd: word ? word.end : character,
    inComment,
    keywordIndex,
  };
}

export interface ExprPosition {
  /** What is being typed: a fetch (first call) or a converter (after a comma), or an argument. */
  readonly part: 'fetch' | 'converter' | 'argument';
  /** Text typed for that part so far. */
  readonly typed: string;
  /** Character range (in the line) of the part under the cursor. */
  readonly start: number;
  readonly end: number;
  /** For arguments: the call and the argument index. */
  readonly call?: string;
  readonly argIndex?: number;
  /** Name of the fetch or converter under the cursor (whole name). */
  readonly name?: string;
}

/**
 * Position inside a sample expression: `text` is the word's raw text, `offset` the cursor's offset in
 * it, `exprStart` where the expression starts in `text` (0 for a whole-word expression; after `%[`).
 */
export function exprPosition(text: string, offset: number, exprStart: number, lineStart: number): ExprPosition {
  // Walk from the expression start to the cursor, tracking calls and parentheses.
  let depth = 0;
  let partStart = exprStart;
  let isFetch = true;
  let call = '';
  let argIndex = 0;
  let argStart = exprStart;
  let nameStart = exprStart;
  for (let i = exprStart; i < offset; i++) {
    const c = text[i];
    if (c === '(') {
      if (depth === 0) {
        call = text.slice(nameStart, i);
        argIndex = 0;
        argStart = i + 1;
      }
      depth++;
    } else if (c === ')') {
      depth = Math.max(0, depth - 1);
    } else if (c === ',' && depth === 1) {
      argIndex++;
      argStart = i + 1;
    } else if (c === ',' && depth === 0) {
      isFetch = false;
      partStart = i + 1;
      nameStart = i + 1;
    }
  }
  if (depth > 0) {
    let end = offset;
    while (end < text.length && text[end] !== ',' && text[end] !== ')') end++;
    return {
      part: 'argument',
      typed: text.slice(argStart, offset),
      start: lineStart + argStart,
      end: lineStart + end,
      call,
      argIndex,
    };
  }
  let end = offset;
  while (end < text.length && !'(),]'.includes(text[end])) end++;
  const name = text.slice(partStart, end);
  return {
    part: isFetch ? 'fetch' : 'converter',
    typed: text.slice(partStart, offset),
    start: lineStart + partStart,
    end: lineStart + end,
    name,
  };
}

/** If `offset` is inside a `%[...]` block of a log-format word, where its expression starts. */
export function logFormatBlockAt(raw: string, offset: number): number | undefined {
  let found: number | undefined;
  for (const b of findLogFormatSamples(raw)) {
    const exprStart = raw.indexOf('[', b.start) + 1;
    if (offset >= exprStart && offset <= b.end - (b.closed ? 1 : 0)) found = exprStart;
  }
  return found;
}
