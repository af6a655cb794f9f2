// Turns the messages of `haproxy -c` into diagnostics on the lines they name. Messages without a
// line are placed with locateMessage() (the proxy and the name they quote), else on line 1.

import type { ConfigDiagnostic, Severity } from '../analysis/types';
import type { ConfigModel } from '../../../shared/haproxy-config/configModel';
import { locateMessage, type CheckMessage } from './checkOutput';

export interface HaproxyDiagnostic extends Omit<ConfigDiagnostic, 'code'> {
  readonly code: 'haproxy';
  /** HAProxy's own message, as printed. */
  readonly source: 'haproxy -c';
}

const SEVERITY: Readonly<Record<CheckMessage['severity'], Severity>> = {
  alert: 'error',
  warning: 'warning',
  notice: 'information',
  diag: 'information',
};

export function checkMessagesToDiagnostics(
  messages: readonly CheckMessage[],
  model: ConfigModel,
  /** Whether a message's file is the checked document. */
  isOurFile: (message: CheckMessage) => boolean,
): HaproxyDiagnostic[] {
  const out: HaproxyDiagnostic[] = [];
  for (const m of messages) {
    // Notices without a location are banners ("haproxy version is ..."); the parser drops most.
    if (m.severity === 'notice' && m.line === undefined) continue;
    if (m.file !== undefined && !isOurFile(m)) continue;
    const detail = m.detail.filter((d) => d.trim().startsWith('|')).map((d) => d.trim().replace(/^\|\s?/, ''));
    const message = detail.length > 0 ? `${m.message}\n${detail.join('\n')}` : m.message;
    const base = { code: 'haproxy' as const, source: 'haproxy -c' as const, severity: SEVERITY[m.severity], message };
    if (m.line !== undefined) {
      const line = Math.min(Math.max(0, m.line - 1), Math.max(0, model.lines.length - 1));
      out.push({ ...base, line, ...rangeOnLine(model, line, m.column) });
      continue;
    }
    const located = locateMessage(m.message, model);
    if (located) out.push({ ...base, ...located });
    else out.push({ ...base, line: 0, ...rangeOnLine(model, 0, undefined) });
  }
  return out;
}

/** The word at `column`, else the line's words (or the whole line when it has none). */
function rangeOnLine(model: ConfigModel, line: number, column: number | undefined): { start: number; end: number } {
  const words = model.tokens[line]?.words ?? [];
  const text = (model.lines[line] ?? '').replace(/\r$/, '');
  if (column !== undefined) {
    const w = words.find((x) => column >= x.start && column < x.end);
    if (w) return { start: column, end: w.end };
    return { start: Math.min(column, text.length), end: Math.min(column + 1, text.length) };
  }
  if (words.length > 0) return { start: words[0].start, end: words[words.length - 1].end };
  return { start: 0, end: text.length };
}
