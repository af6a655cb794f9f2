// Formatting: section headers at column 0, directives (and the comments among them) indented one
// level, single spaces between words (or the first argument aligned in runs of directives),
// trailing whitespace removed. Words are never changed: every formatted line is tokenized again and
// must give the same words, else the line is left as it was. Lines HAProxy would reject (unmatched
// quotes...) are left alone.

import type { ConfigModel } from '../../../shared/haproxy-config/configModel';
import { isSectionKeyword } from '../../../shared/haproxy-config/sections';
import { tokenizeLine, type TokenizedLine } from '../../../shared/haproxy-config/tokenizer';
import { TimeSlicer, type SliceOptions } from '../../../shared/slices';

export interface FormatOptions {
  /** One indentation level, e.g. four spaces or a tab. */
  readonly indent: string;
  /** Align the first argument of consecutive directives in a section. */
  readonly alignArguments?: boolean;
  /** Only lines in [startLine, endLine] are changed (range formatting). */
  readonly startLine?: number;
  readonly endLine?: number;
}

export interface LineEdit {
  readonly line: number;
  /** Characters replaced on the line (the whole line without its '\r'). */
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

/** Longest keyword column used for alignment; longer keywords get a single space. */
const MAX_ALIGN = 24;

export function formatConfig(model: ConfigModel, options: FormatOptions): LineEdit[] {
  const f = new Formatter(model, options);
  const edits: LineEdit[] = [];
  f.formatLines(f.first, f.last, edits);
  return edits;
}

/** Lines formatted between two looks at the clock. */
const LINES_PER_CHECK = 512;

/**
 * formatConfig() in time slices (src/shared/slices.ts): every line is tokenized again to check the
 * words kept (a 10 MB file: about 400 ms in one go). The same edits; rejects with an AbortError on abort.
 */
export async function formatConfigInSlices(
  model: ConfigModel,
  options: FormatOptions,
  slices: SliceOptions = {},
): Promise<LineEdit[]> {
  const slicer = new TimeSlicer(slices);
  const f = new Formatter(model, options);
  const edits: LineEdit[] = [];
  for (let from = f.first; from <= f.last; from += LINES_PER_CHECK) {
    if (slicer.due) await slicer.yield();
    f.formatLines(from, Math.min(f.last, from + LINES_PER_CHECK - 1), edits);
  }
  return edits;
}

/** What formatting needs of the whole model (depths, alignment), then the edits of a range of lines. */
class Formatter {
  readonly first: number;
  readonly last: number;
  private readonly depth: Uint8Array;
  private readonly align: Map<number, number> | undefined;

  constructor(
    private readonly model: ConfigModel,
    private readonly options: FormatOptions,
  ) {
    this.first = Math.max(0, options.startLine ?? 0);
    this.last = Math.min(model.lines.length - 1, options.endLine ?? model.lines.length - 1);
    this.depth = lineDepths(model);
    this.align = options.alignArguments ? alignmentColumns(model) : undefined;
  }

  /** Adds to `edits` those of the lines [from, to]. */
  formatLines(from: number, to: number, edits: LineEdit[]): void {
    const { lines, tokens } = this.model;
    for (let line = from; line <= to; line++) {
      const raw = lines[line];
      const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      const tk = tokens[line];
      const formatted = formatLine(text, tk, this.options.indent.repeat(this.depth[line]), this.align?.get(line));
      if (formatted !== text) edits.push({ line, start: 0, end: text.length, newText: formatted });
    }
  }
}

function formatLine(text: string, tk: TokenizedLine, indent: string, column: number | undefined): string {
  if (tk.error) return text;
  const words = tk.words;
  if (words.length === 0) {
    if (tk.commentStart < 0) return ''; // blank: drop its whitespace
    return indent + text.slice(tk.commentStart).trimEnd();
  }
  let out = indent + words[0].raw;
  for (let i = 1; i < words.length; i++) {
    const gap = i === 1 && column !== undefined ? Math.max(1, column - words[0].raw.length) : 1;
    out += ' '.repeat(gap) + words[i].raw;
  }
  if (tk.commentStart >= 0) {
    // Keep the author's spacing before a trailing comment (often aligned), at least one space.
    const before = text.slice(words[words.length - 1].end, tk.commentStart);
    out += (before.length > 0 ? before : ' ') + text.slice(tk.commentStart).trimEnd();
  }
  if (!sameWords(tk, tokenizeLine(out))) return text;
  return out;
}

function sameWords(a: TokenizedLine, b: TokenizedLine): boolean {
  if (a.words.length !== b.words.length || a.commentStart < 0 !== b.commentStart < 0 || b.error) return false;
  for (let i = 0; i < a.words.length; i++) if (a.words[i].value !== b.words[i].value) return false;
  return true;
}

/** 0 for headers, top-level lines and comments introducing the next section; 1 inside sections. */
function lineDepths(model: ConfigModel): Uint8Array {
  const depth = new Uint8Array(model.lines.length);
  const { tokens } = model;
  let inSection = false;
  for (let line = 0; line < tokens.length; line++) {
    const words = tokens[line].words;
    if (words.length === 0) {
      depth[line] = inSection ? 1 : 0;
      continue;
    }
    const first = words[0].value;
    if (isSectionKeyword(first)) {
      inSection = true;
      depth[line] = 0;
      continue;
    }
    depth[line] = inSection ? 1 : 0;
  }
  // Comment lines directly above a header (no blank line between) describe it: column 0.
  for (let line = tokens.length - 1; line >= 0; line--) {
    const words = tokens[line].words;
    if (words.length === 0 || !isSectionKeyword(words[0].value)) continue;
    let l = line - 1;
    while (l >= 0 && tokens[l].words.length === 0 && tokens[l].commentStart >= 0) depth[l--] = 0;
  }
  return depth;
}

/** Line -> column of the first argument, for runs of consecutive directives in a section. */
function alignmentColumns(model: ConfigModel): Map<number, number> {
  const out = new Map<number, number>();
  for (const section of model.sections) {
    let run: number[] = [];
    let width = 0;
    const flush = (): void => {
      if (run.length > 1) for (const l of run) out.set(l, width + 1);
      run = [];
      width = 0;
    };
    let prevLine = section.header.line;
    for (const d of section.directives) {
      if (d.line !== prevLine + 1) flush();
      prevLine = d.line;
      const len = d.words[0].raw.length;
      if (d.words.length < 2 || len > MAX_ALIGN || d.tokens.error) {
        flush();
        continue;
      }
      run.push(d.line);
      width = Math.max(width, len);
    }
    flush();
  }
  return out;
}
