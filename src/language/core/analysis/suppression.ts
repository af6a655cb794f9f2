// Suppression comments:
//   # haproxy-gateway-disable-next-line [code[, code...]] [-- reason]
//   <directive>   # haproxy-gateway-disable-line [code...]
// Without codes, every diagnostic of the line is suppressed. HAProxy ignores these lines (comments).

import type { ConfigModel } from '../../../shared/haproxy-config/configModel';
import type { ConfigDiagnostic } from './types';

export const DISABLE_NEXT_LINE = 'haproxy-gateway-disable-next-line';
export const DISABLE_LINE = 'haproxy-gateway-disable-line';

type Suppressed = Set<string> | 'all';

interface Directive {
  readonly kind: 'next-line' | 'line';
  readonly codes: Suppressed;
}

/** Reads the suppression directive of a comment text (after '#'), if any. */
export function parseSuppression(comment: string): Directive | undefined {
  const text = comment.trim();
  let kind: Directive['kind'];
  let rest: string;
  if (text.startsWith(DISABLE_NEXT_LINE)) {
    kind = 'next-line';
    rest = text.slice(DISABLE_NEXT_LINE.length);
  } else if (text.startsWith(DISABLE_LINE)) {
    kind = 'line';
    rest = text.slice(DISABLE_LINE.length);
  } else {
    return undefined;
  }
  if (rest !== '' && !/^\s/.test(rest)) return undefined;
  const reason = rest.indexOf('--');
  if (reason >= 0) rest = rest.slice(0, reason);
  const codes = rest.split(/[\s,]+/).filter((c) => c !== '');
  return { kind, codes: codes.length === 0 ? 'all' : new Set(codes) };
}

/** Line -> suppressed codes. */
export function suppressionsOf(model: ConfigModel): Map<number, Suppressed> {
  const out = new Map<number, Suppressed>();
  const merge = (line: number, codes: Suppressed): void => {
    const prev = out.get(line);
    if (prev === 'all' || codes === 'all') out.set(line, 'all');
    else out.set(line, prev ? new Set([...prev, ...codes]) : codes);
  };
  for (const line of model.linesContaining(MARKER)) {
    const commentAt = model.tokens[line].commentStart;
    if (commentAt < 0) continue;
    const text = model.lines[line];
    if (text.indexOf(MARKER, commentAt) < 0) continue;
    const s = parseSuppression(text.slice(commentAt + 1));
    if (s) merge(s.kind === 'next-line' ? line + 1 : line, s.codes);
  }
  return out;
}

const MARKER = 'haproxy-gateway-disable';

export function applySuppressions(model: ConfigModel, diagnostics: ConfigDiagnostic[]): ConfigDiagnostic[] {
  const map = suppressionsOf(model);
  if (map.size === 0) return diagnostics;
  return diagnostics.filter((d) => {
    const s = map.get(d.line);
    return !s || (s !== 'all' && !s.has(d.code));
  });
}

/**
 * The edit that suppresses `code` on `line`: a new comment line above it (same indentation), or the
 * code added to an existing disable-next-line comment right above.
 */
export function suppressionEdit(
  model: ConfigModel,
  line: number,
  code: string,
): { line: number; replaceWholeLine: boolean; text: string } {
  const prev = line - 1;
  if (prev >= 0) {
    const at = model.tokens[prev].commentStart;
    if (at >= 0 && model.tokens[prev].words.length === 0) {
      const s = parseSuppression(model.lines[prev].slice(at + 1));
      if (s && s.kind === 'next-line' && s.codes !== 'all') {
        const indent = model.lines[prev].slice(0, at);
        const codes = [...s.codes, code];
        return { line: prev, replaceWholeLine: true, text: `${indent}# ${DISABLE_NEXT_LINE} ${codes.join(', ')}` };
      }
    }
  }
  const indent = /^[ \t]*/.exec(model.lines[line] ?? '')![0];
  return { line, replaceWholeLine: false, text: `${indent}# ${DISABLE_NEXT_LINE} ${code}\n` };
}
