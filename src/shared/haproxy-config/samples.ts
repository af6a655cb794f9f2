// Sample expressions (`fetch(args),converter(args),...`), `%[...]` blocks inside log-format strings,
// and ACL conditions (`if`/`unless` followed by named ACLs, `!`, `||`/`or` and anonymous `{ ... }`).
// Offsets are relative to the text given; callers map them onto the line.

import type { Word } from './tokenizer';

export interface SampleArg {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

export interface SampleCall {
  readonly name: string;
  readonly start: number;
  readonly end: number;
  /** Offset of '(' when the call has an argument list. */
  readonly open?: number;
  /** Offset of ')' (absent when the list is not closed). */
  readonly close?: number;
  readonly args: readonly SampleArg[];
}

export interface SampleExpr {
  readonly fetch: SampleCall;
  readonly converters: readonly SampleCall[];
  readonly start: number;
  readonly end: number;
  readonly error?: { readonly message: string; readonly start: number; readonly end: number };
}

/** '(', ')', ',', ']', space or tab: the end of a fetch or converter name. */
function isNameStop(c: number): boolean {
  return c === 40 || c === 41 || c === 44 || c === 93 || c === 32 || c === 9;
}

/**
 * Parses a sample expression starting at `from`, stopping at `limit` (exclusive) or a `]`/space outside parentheses.
 */
export function parseSampleExpr(text: string, from = 0, limit = text.length): SampleExpr {
  let pos = from;
  const calls: SampleCall[] = [];
  let error: SampleExpr['error'];
  for (;;) {
    const nameStart = pos;
    while (pos < limit && !isNameStop(text.charCodeAt(pos))) pos++;
    const name = text.slice(nameStart, pos);
    if (name === '') {
      error = {
        message: calls.length === 0 ? 'missing fetch method' : 'missing converter name',
        start: nameStart,
        end: Math.min(limit, nameStart + 1),
      };
      if (calls.length === 0) calls.push({ name: '', start: nameStart, end: nameStart, args: [] });
      break;
    }
    if (pos < limit && text[pos] === '(') {
      const open = pos;
      const { args, close } = readArgs(text, pos + 1, limit);
      pos = close === undefined ? limit : close + 1;
      const end = nameStart + name.length;
      calls.push(
        close !== undefined
          ? { name, start: nameStart, end, open, close, args }
          : { name, start: nameStart, end, open, args },
      );
      if (close === undefined) {
        error = { message: `missing closing ')' after arguments to '${name}'`, start: open, end: limit };
        break;
      }
    } else {
      calls.push({ name, start: nameStart, end: pos, args: [] });
    }
    if (pos < limit && text[pos] === ',') {
      pos++;
      continue;
    }
    if (pos < limit && text[pos] !== ']' && text[pos] !== ' ' && text[pos] !== '\t') {
      error = { message: `unexpected character '${text[pos]}' after '${name}'`, start: pos, end: pos + 1 };
    }
    break;
  }
  const fetch = calls[0];
  const converters = calls.slice(1);
  return error ? { fetch, converters, start: from, end: pos, error } : { fetch, converters, start: from, end: pos };
}

function readArgs(text: string, from: number, limit: number): { args: SampleArg[]; close?: number } {
  const args: SampleArg[] = [];
  let start = from;
  let depth = 0;
  let quote = '';
  for (let i = from; i < limit; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '\\') {
      i++;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '(') {
      depth++;
    } else if (c === ')') {
      if (depth === 0) {
        if (i > from || args.length > 0) args.push({ text: text.slice(start, i), start, end: i });
        return { args, close: i };
      }
      depth--;
    } else if (c === ',' && depth === 0) {
      args.push({ text: text.slice(start, i), start, end: i });
      start = i + 1;
    }
  }
  if (limit > from) args.push({ text: text.slice(start, limit), start, end: limit });
  return { args };
}

export interface LogFormatSample {
  /** Offset of '%'. */
  readonly start: number;
  /** Offset after ']' (or the end of the text when unclosed). */
  readonly end: number;
  readonly expr: SampleExpr;
  readonly closed: boolean;
}

/** Finds the `%[...]` blocks of a log-format string. `%%` is a literal percent sign. */
export function findLogFormatSamples(text: string): LogFormatSample[] {
  const out: LogFormatSample[] = [];
  let i = text.indexOf('%');
  while (i >= 0 && i < text.length) {
    if (text[i + 1] === '%') {
      i = text.indexOf('%', i + 2);
      continue;
    }
    // Optional {flags} before the block: %{+Q}[...]
    let j = i + 1;
    if (text[j] === '{') {
      const close = text.indexOf('}', j);
      if (close < 0) break;
      j = close + 1;
    }
    if (text[j] === '[') {
      const end = findClosingBracket(text, j + 1);
      const limit = end < 0 ? text.length : end;
      out.push({
        start: i,
        end: end < 0 ? text.length : end + 1,
        expr: parseSampleExpr(text, j + 1, limit),
        closed: end >= 0,
      });
      i = text.indexOf('%', end < 0 ? text.length : end + 1);
    } else {
      i = text.indexOf('%', j);
    }
  }
  return out;
}

/** The ']' closing a `%[` block: the first one outside parentheses and quotes. */
function findClosingBracket(text: string, from: number): number {
  let depth = 0;
  let quote = '';
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '\\') i++;
    else if (c === '"' || c === "'") quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === ']' && depth === 0) return i;
  }
  return -1;
}

// ---------------------------------------------------------------------------------------------
// ACL conditions

export interface NamedAclTerm {
  readonly kind: 'named';
  readonly word: Word;
  /** The ACL name (without a leading '!'). */
  readonly name: string;
  /** Character range of the name in the line. */
  readonly start: number;
  readonly end: number;
  readonly negated: boolean;
}

export interface AnonymousAclTerm {
  readonly kind: 'anonymous';
  readonly open: Word;
  readonly close?: Word;
  /** Words between the braces: fetch expression, flags, operator, values. */
  readonly words: readonly Word[];
  readonly negated: boolean;
}

export type AclTerm = NamedAclTerm | AnonymousAclTerm;

export interface Condition {
  /** The `if` / `unless` word. */
  readonly keyword: Word;
  readonly keywordIndex: number;
  readonly terms: readonly AclTerm[];
  readonly problems: readonly { readonly message: string; readonly start: number; readonly end: number }[];
}

/** Parses the condition starting at `words[index]` (which is `if` or `unless`). */
export function parseCondition(words: readonly Word[], index: number): Condition {
  const terms: AclTerm[] = [];
  const problems: { message: string; start: number; end: number }[] = [];
  let negated = false;
  let i = index + 1;
  while (i < words.length) {
    const w = words[i];
    const v = w.value;
    if (v === '||' || v.toLowerCase() === 'or') {
      i++;
      continue;
    }
    if (v === '!') {
      negated = !negated;
      i++;
      continue;
    }
    if (v === '{' || v === '!{') {
      const inner: Word[] = [];
      let j = i + 1;
      while (j < words.length && words[j].value !== '}') inner.push(words[j++]);
      const close = j < words.length ? words[j] : undefined;
      if (!close) problems.push({ message: "missing closing '}' in condition", start: w.start, end: w.end });
      else if (inner.length === 0)
        problems.push({ message: 'missing fetch method in anonymous ACL', start: w.start, end: close.end });
      const neg = negated || v === '!{';
      terms.push(
        close
          ? { kind: 'anonymous', open: w, close, words: inner, negated: neg }
          : { kind: 'anonymous', open: w, words: inner, negated: neg },
      );
      negated = false;
      i = j + 1;
      continue;
    }
    if (v === '}') {
      problems.push({ message: "unexpected '}' in condition", start: w.start, end: w.end });
      i++;
      continue;
    }
    let name = v;
    let start = w.start;
    let neg = negated;
    while (name.startsWith('!')) {
      name = name.slice(1);
      start++;
      neg = !neg;
    }
    terms.push({ kind: 'named', word: w, name, start, end: w.end, negated: neg });
    negated = false;
    i++;
  }
  if (terms.length === 0 && problems.length === 0) {
    problems.push({
      message: `missing condition after '${words[index].value}'`,
      start: words[index].start,
      end: words[index].end,
    });
  }
  return { keyword: words[index], keywordIndex: index, terms, problems };
}
