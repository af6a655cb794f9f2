// Splits one haproxy.cfg line into words exactly as HAProxy 2.6's parse_line() does with the options
// the configuration parser uses (quotes, backslash escapes, '#' comments, environment variables in
// double quotes). Never throws: malformed input yields an error record and the words read so far.

/** A `$VAR` / `${VAR}` / `${VAR-default}` reference that HAProxy expands (inside double quotes). */
export interface EnvRef {
  readonly name: string;
  /** Character range of the whole reference in the line, `$` included. */
  readonly start: number;
  readonly end: number;
  /** The text after `-` in `${VAR-default}`, if any. */
  readonly defaultValue?: string;
  /** `${VAR[*]}`: the value is split into several words. */
  readonly wordExpand?: boolean;
}

export interface Word {
  /** The exact source text of the word. */
  readonly raw: string;
  /** The argument HAProxy sees: quotes removed, escapes applied, environment references left as written. */
  readonly value: string;
  /** Character range of the word in its line (end exclusive). */
  readonly start: number;
  readonly end: number;
  /** True when a quote character took part in the word. */
  readonly quoted: boolean;
  /** Environment references HAProxy expands in this word (double-quoted parts only). */
  readonly envRefs?: readonly EnvRef[];
}

export type LineErrorKind =
  'unmatched-quote' | 'unmatched-brace' | 'invalid-hex' | 'invalid-env-name' | 'too-many-words';

export interface LineError {
  readonly kind: LineErrorKind;
  readonly start: number;
  readonly end: number;
  /** HAProxy's own wording of the error. */
  readonly message: string;
}

export interface TokenizedLine {
  readonly words: readonly Word[];
  /** Character where a comment starts, or -1. */
  readonly commentStart: number;
  /** The first error HAProxy would report for this line (it then ignores the line). */
  readonly error?: LineError;
  /**
   * Analysis results cached with the line (semantics, line checks): pairs of key (what the result
   * depends on, e.g. the section kind) and result. A tokenized line is shared by every identical
   * line of a file and by every version of a document in which the line is unchanged, so an
   * identical line in a frontend and in a backend keeps both results.
   */
  sem?: unknown[];
  checks?: unknown[];
}

/** Cached value of a memo (pairs key, value), or undefined. */
export function memoGet(memo: unknown[] | undefined, key: unknown): unknown {
  if (memo) for (let i = 0; i < memo.length; i += 2) if (memo[i] === key) return memo[i + 1];
  return undefined;
}

/** Stores a value in a memo, keeping the last four keys. */
export function memoSet(memo: unknown[] | undefined, key: unknown, value: unknown): unknown[] {
  // A first entry gets an array of exactly two slots (`[]` + push would reserve 17): one memo per
  // distinct line is kept with the model.
  if (!memo) return [key, value];
  // A shared pair (see memoSetCommon) is copied before it changes.
  if (Object.isFrozen(memo)) memo = memo.slice();
  if (memo.length >= 8) memo.splice(0, 2);
  memo.push(key, value);
  return memo;
}

/** A memo cache key (what a cached result depends on), with room for its shared pair (memoSetCommon). */
export interface MemoKey {
  common: unknown[] | undefined;
}

export function newMemoKey(): MemoKey {
  return { common: undefined };
}

/**
 * memoSet() for a result most lines have (no diagnostic, no semantics): a memo holding only that
 * result is one frozen pair shared by every such line, instead of an array per line.
 */
export function memoSetCommon(memo: unknown[] | undefined, key: MemoKey, value: unknown): unknown[] {
  if (memo) return memoSet(memo, key, value);
  let pair = key.common;
  if (!pair || pair[1] !== value) key.common = pair = Object.freeze([key, value]) as unknown[];
  return pair;
}

/** HAProxy keeps at most this many words per line (MAX_LINE_ARGS). */
export const MAX_LINE_WORDS = 64;

const EMPTY_WORDS: readonly Word[] = [];
/** What the scratch array holds between lines. */
const EMPTY_LINE_WORD: Word = { raw: '', value: '', start: 0, end: 0, quoted: false, envRefs: undefined };

// C isspace() in the "C" locale.
function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

function isHex(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}

function isAlpha(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function isAlnum(code: number): boolean {
  return isAlpha(code) || (code >= 48 && code <= 57);
}

const SQUOTE = 39;
const DQUOTE = 34;
const HASH = 35;
const BACKSLASH = 92;
const DOLLAR = 36;

/**
 * Plain words (no quote, escape or comment) already read, by start character and text: within one
 * parse, every line with `http-request` at character 4 shares one Word. A Word is immutable and
 * position-free apart from its character range in its line, and identical lines already share their
 * words, so sharing equal plain words between lines changes nothing for readers; it keeps a large
 * file's model several times smaller (most words repeat at the same column).
 *
 * An open-addressing table keyed by a hash of the characters the tokenizer computes while reading
 * the word: a word seen before is found without building its string.
 */
export class WordPool {
  private table: (Word | undefined)[];
  /** The hash of each slot's word (start included), to grow without hashing again. */
  private hashes: Int32Array;
  private count = 0;

  /** `expected`: about how many distinct words to hold (the table then rarely grows). */
  constructor(expected = 512) {
    let size = 1024;
    while (size < expected * 2) size *= 2;
    this.table = emptyTable(size);
    this.hashes = new Int32Array(size);
  }

  /** The plain word `line[start, end)`, whose characters hash to `charsHash` (see hashWordChar). */
  word(line: string, start: number, end: number, charsHash: number): Word {
    const hash = charsHash ^ Math.imul(start, 0x9e3779b1);
    const table = this.table;
    const mask = table.length - 1;
    let at = hash & mask;
    for (let w = table[at]; w !== undefined; w = table[at]) {
      if (w.start === start && w.end === end && sameChars(w.raw, line, start)) return w;
      at = (at + 1) & mask;
    }
    const raw = line.slice(start, end);
    const word: Word = { raw, value: raw, start, end, quoted: false, envRefs: undefined };
    table[at] = word;
    this.hashes[at] = hash;
    if (++this.count * 2 > table.length) this.grow();
    return word;
  }

  private grow(): void {
    const oldTable = this.table;
    const oldHashes = this.hashes;
    const size = oldTable.length * 2;
    const table = emptyTable(size);
    const hashes = new Int32Array(size);
    const mask = size - 1;
    for (let i = 0; i < oldTable.length; i++) {
      const w = oldTable[i];
      if (w === undefined) continue;
      const hash = oldHashes[i];
      let at = hash & mask;
      while (table[at] !== undefined) at = (at + 1) & mask;
      table[at] = w;
      hashes[at] = hash;
    }
    this.table = table;
    this.hashes = hashes;
  }
}

function emptyTable(size: number): (Word | undefined)[] {
  return new Array<Word | undefined>(size).fill(undefined);
}

export function newWordPool(expected?: number): WordPool {
  return new WordPool(expected);
}

const HASH_SEED = 0x811c9dc5 | 0;

/** FNV-1a step over a character code. */
function hashWordChar(hash: number, code: number): number {
  return Math.imul(hash ^ code, 16777619);
}

/** Whether `line` holds `raw` at `start` (the caller checked that the lengths fit). */
function sameChars(raw: string, line: string, start: number): boolean {
  for (let i = 0; i < raw.length; i++) if (raw.charCodeAt(i) !== line.charCodeAt(start + i)) return false;
  return true;
}

// Words of the line being read, scratch[0, count): copied to an array of the exact size at the end
// of the line (the scratch array keeps its storage; setting its length would reallocate it).
const scratch: Word[] = [];

/** Tokenizes one line (without its line terminator; a trailing '\r' is whitespace, as for HAProxy). */
export function tokenizeLine(line: string): TokenizedLine {
  return tokenizePooled(line, undefined);
}

/** tokenizeLine(), sharing plain words through `pool` (see WordPool). */
export function tokenizePooled(line: string, pool: WordPool | undefined): TokenizedLine {
  const n = line.length;
  let i = 0;
  const words = scratch;
  let count = 0;
  let commentStart = -1;
  let error: LineError | undefined;

  while (i < n) {
    let c = line.charCodeAt(i);
    while (c === 32 || (c >= 9 && c <= 13)) {
      if (++i >= n) break;
      c = line.charCodeAt(i);
    }
    if (i >= n) break;
    if (c === HASH) {
      commentStart = i;
      break;
    }
    // Fast path: a word without quotes, backslashes or '#' is its own value.
    const start = i;
    let hash = HASH_SEED;
    while (i < n) {
      c = line.charCodeAt(i);
      if (c === 32 || (c >= 9 && c <= 13) || c === DQUOTE || c === SQUOTE || c === BACKSLASH || c === HASH) break;
      hash = hashWordChar(hash, c);
      i++;
    }
    if (i >= n || c === 32 || (c >= 9 && c <= 13)) {
      words[count++] = pool ? pool.word(line, start, i, hash) : plainWord(line, start, i);
      continue;
    }
    if (c === HASH) {
      // A '#' ends the word and starts a comment, even glued to the word.
      if (i > start) words[count++] = pool ? pool.word(line, start, i, hash) : plainWord(line, start, i);
      commentStart = i;
      break;
    }
    const slow = readComplexWord(line, start);
    if (slow.word) words[count++] = slow.word;
    i = slow.end;
    if (slow.error) {
      error = slow.error;
      break;
    }
    if (slow.comment) {
      commentStart = slow.end;
      break;
    }
  }

  if (!error && count > MAX_LINE_WORDS) {
    const w = words[MAX_LINE_WORDS];
    error = {
      kind: 'too-many-words',
      start: w.start,
      end: words[count - 1].end,
      message: `too many words, truncating after word ${MAX_LINE_WORDS}`,
    };
  }

  if (count === 0)
    return commentStart < 0 && !error
      ? EMPTY_LINE
      : { words: EMPTY_WORDS, commentStart, error, sem: undefined, checks: undefined };
  const out = words.slice(0, count);
  // Keep no reference to the line (a word's text may be a slice of the whole document).
  scratch.fill(EMPTY_LINE_WORD, 0, count);
  return { words: out, commentStart, error, sem: undefined, checks: undefined };
}

/** A word without quotes, escapes or '#': its own value. */
function plainWord(line: string, start: number, end: number): Word {
  const raw = line.slice(start, end);
  return { raw, value: raw, start, end, quoted: false, envRefs: undefined };
}

interface ComplexWord {
  readonly word?: Word;
  /** Where reading stopped: after the word, at the '#' of a comment, or at the end on error. */
  readonly end: number;
  readonly comment?: boolean;
  readonly error?: LineError;
}

/** The escape at `i` (a backslash outside single quotes): its replacement (none: the backslash stays) and length. */
function readEscape(
  line: string,
  i: number,
  inDquote: boolean,
): { replacement?: string; consumed: number } | { error: LineError } {
  const n = line.length;
  const next = i + 1 < n ? line.charCodeAt(i + 1) : -1;
  let replacement: string | undefined;
  let consumed = 2;
  switch (next) {
    case 32:
    case BACKSLASH:
    case HASH:
    case SQUOTE:
    case DQUOTE:
      replacement = String.fromCharCode(next);
      break;
    case 116: // t
      replacement = '\t';
      break;
    case 110: // n
      replacement = '\n';
      break;
    case 114: // r
      replacement = '\r';
      break;
    case DOLLAR:
      // '\$' only means '$' where '$' would be expanded: inside double quotes.
      if (inDquote) replacement = '$';
      break;
    case 120: // x
      if (i + 3 < n && isHex(line.charCodeAt(i + 2)) && isHex(line.charCodeAt(i + 3))) {
        replacement = String.fromCharCode(parseInt(line.slice(i + 2, i + 4), 16));
        consumed = 4;
      } else {
        const error: LineError = {
          kind: 'invalid-hex',
          start: i,
          end: Math.min(n, i + 4),
          message: 'truncated or invalid hexadecimal sequence',
        };
        return { error };
      }
      break;
    default:
      // Other combinations (including a trailing backslash) are not escapes: the '\' stays.
      break;
  }
  return { replacement, consumed };
}

/** Reads a word holding quotes, escapes or environment references, from `start`. */
function readComplexWord(line: string, start: number): ComplexWord {
  const n = line.length;
  let i = start;
  let value = '';
  let plainFrom = start;
  let squote = -1;
  let dquote = -1;
  let quoted = false;
  let envRefs: EnvRef[] | undefined;
  const make = (end: number, complete: boolean): Word | undefined =>
    end > start
      ? {
          raw: line.slice(start, end),
          value: complete ? value + line.slice(plainFrom, end) : line.slice(start, end),
          start,
          end,
          quoted,
          envRefs,
        }
      : undefined;

  while (i < n) {
    const c = line.charCodeAt(i);
    if (squote < 0 && dquote < 0 && isSpace(c)) break;
    if (c === SQUOTE && dquote < 0) {
      value += line.slice(plainFrom, i);
      squote = squote < 0 ? i : -1;
      quoted = true;
      plainFrom = ++i;
      continue;
    }
    if (c === DQUOTE && squote < 0) {
      value += line.slice(plainFrom, i);
      dquote = dquote < 0 ? i : -1;
      quoted = true;
      plainFrom = ++i;
      continue;
    }
    if (c === HASH && squote < 0 && dquote < 0) {
      return { word: make(i, true), end: i, comment: true };
    }
    if (c === BACKSLASH && squote < 0) {
      const escape = readEscape(line, i, dquote >= 0);
      if ('error' in escape) return { word: make(Math.min(n, i + 2), false), end: n, error: escape.error };
      const { replacement, consumed } = escape;
      if (replacement !== undefined) {
        value += line.slice(plainFrom, i) + replacement;
        i += consumed;
        plainFrom = i;
      } else {
        i++;
      }
      continue;
    }
    if (c === DOLLAR && dquote >= 0) {
      const ref = readEnvRef(line, i);
      if ('error' in ref) return { word: make(Math.min(n, ref.error.end), false), end: n, error: ref.error };
      (envRefs ??= []).push(ref.ref);
      // The reference stays in the value as written, so consumers can show and resolve it.
      i = ref.ref.end;
      continue;
    }
    i++;
  }

  if (squote >= 0 || dquote >= 0) {
    const at = squote >= 0 ? squote : dquote;
    return {
      word: make(i, false),
      end: n,
      error: { kind: 'unmatched-quote', start: at, end: at + 1, message: 'unmatched quote' },
    };
  }
  return { word: make(i, true), end: i };
}

// Shared by every blank line; same shape as the others (monomorphic property access). Blank lines
// hold no directive, so nothing is ever cached in its memo.
const EMPTY_LINE: TokenizedLine = {
  words: EMPTY_WORDS,
  commentStart: -1,
  error: undefined,
  sem: undefined,
  checks: undefined,
};

type EnvRead = { ref: EnvRef } | { error: LineError };

/** Reads `$NAME`, `${NAME}`, `${NAME-default}` or `${NAME[*]}` at `at` (the '$'), inside double quotes. */
function readEnvRef(line: string, at: number): EnvRead {
  const n = line.length;
  let i = at + 1;
  let brace = -1;
  if (i < n && line.charCodeAt(i) === 123 /* { */) brace = i++;
  const first = i < n ? line.charCodeAt(i) : -1;
  if (!(isAlpha(first) || first === 95)) {
    return {
      error: {
        kind: 'invalid-env-name',
        start: at,
        end: Math.min(n, i + 1),
        message: 'forbidden first char in environment variable name',
      },
    };
  }
  const nameStart = i;
  while (i < n && (isAlnum(line.charCodeAt(i)) || line.charCodeAt(i) === 95)) i++;
  const name = line.slice(nameStart, i);
  if (brace < 0) return { ref: { name, start: at, end: i } };

  let wordExpand = false;
  if (line.startsWith('[*]', i)) {
    wordExpand = true;
    i += 3;
  }
  let defaultValue: string | undefined;
  if (i < n && line.charCodeAt(i) === 45 /* - */) {
    const close = line.indexOf('}', i + 1);
    if (close < 0) return { error: unmatchedBrace(brace) };
    defaultValue = line.slice(i + 1, close);
    i = close;
  }
  if (i >= n || line.charCodeAt(i) !== 125 /* } */) return { error: unmatchedBrace(brace) };
  i++;
  const ref: EnvRef = { name, start: at, end: i };
  if (defaultValue !== undefined) (ref as { defaultValue?: string }).defaultValue = defaultValue;
  if (wordExpand) (ref as { wordExpand?: boolean }).wordExpand = true;
  return { ref };
}

function unmatchedBrace(brace: number): LineError {
  return {
    kind: 'unmatched-brace',
    start: brace,
    end: brace + 1,
    message: 'unmatched brace in environment variable name',
  };
}

/** Splits text into lines on '\n' only, as HAProxy reads them; a '\r' before it stays in the line. */
export function splitLines(text: string): string[] {
  return text.split('\n');
}
