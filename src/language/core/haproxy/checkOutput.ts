// Reads what `haproxy -c -f FILE` prints: one message per [ALERT] / [WARNING] / [NOTICE] / [DIAG]
// line, with the file and line it names (`parsing [FILE:LINE]`, `[FILE:LINE]`), the column when it
// says "at position N", and the indented continuation lines as detail. Messages HAProxy prints
// without a line (post-parse checks such as "unable to find required default_backend") are placed
// on a line by locateMessage() using the parsed model.

import { MAX_MESSAGE_LINE_CHARS } from '../../../shared/limits';
import type { ConfigModel } from '../../../shared/haproxy-config/configModel';
import type { Section } from '../../../shared/haproxy-config/model';

export type CheckSeverity = 'alert' | 'warning' | 'notice' | 'diag';

export interface CheckMessage {
  readonly severity: CheckSeverity;
  /** The file HAProxy names, if any. */
  readonly file?: string;
  /** 1-based line HAProxy names, if any. */
  readonly line?: number;
  /** 0-based character from "at position N" (HAProxy counts from 1). */
  readonly column?: number;
  readonly message: string;
  /** Continuation lines (`   | ...`, the echoed source line and its caret). */
  readonly detail: readonly string[];
}

const HEAD = /^\[(ALERT|WARNING|NOTICE|DIAG)\]\s+(?:\d+\/\d+\s+)?(?:\(\d+\)\s*)?:\s?(.*)$/;
// No `[` inside the file name: tried at each `[` of a line of them, a lazy `[^\]]+?` scanned the
// rest of the line every time (quadratic; HAProxy echoes the offending line in its ALERT).
const LOCATION = /\[([^[\]\r\n]+):(\d+)\]\s*(?::\s*)?/;

/** Summary lines that repeat what the messages already say. */
const NOISE = [
  /^Error\(s\) found in configuration file/i,
  /^Fatal errors found in configuration/i,
  /^haproxy version is /i,
  /^path to executable is /i,
  /^Some (?:warnings|errors) were found/i,
];

export function parseCheckOutput(output: string): CheckMessage[] {
  const out: {
    severity: CheckSeverity;
    file?: string;
    line?: number;
    column?: number;
    message: string;
    detail: string[];
  }[] = [];
  for (const rawLine of output.split('\n')) {
    // Lines are cut to a bound: HAProxy echoes configuration lines, which can be any length.
    const line = rawLine.slice(0, MAX_MESSAGE_LINE_CHARS).replace(/\r$/, '');
    const head = HEAD.exec(line);
    if (!head) {
      // Continuation of the previous message (indented, or the caret under an echoed line).
      const last = out[out.length - 1];
      if (last && /^\s/.test(line) && line.trim() !== '') last.detail.push(line);
      continue;
    }
    const severity = head[1].toLowerCase() as CheckSeverity;
    let text = head[2].trim();
    // Drop the context tag (`config : `) HAProxy 2.x puts first.
    text = text.replace(/^config\s*:\s*/, '');
    if (NOISE.some((re) => re.test(text))) continue;
    let file: string | undefined;
    let lineNo: number | undefined;
    const loc = LOCATION.exec(text);
    if (loc && loc.index <= 12) {
      file = loc[1];
      lineNo = Number(loc[2]);
      text = (text.slice(0, loc.index).replace(/parsing\s*$/i, '') + text.slice(loc.index + loc[0].length)).trim();
      // `[t.cfg:5] : parsing [t.cfg:5] : msg`: the location can be repeated.
      const again = LOCATION.exec(text);
      if (again && again.index <= 10 && again[1] === file)
        text = (
          text.slice(0, again.index).replace(/parsing\s*$/i, '') + text.slice(again.index + again[0].length)
        ).trim();
    }
    const pos = /at position (\d+)/.exec(text);
    out.push({
      severity,
      ...(file !== undefined ? { file } : {}),
      ...(lineNo !== undefined ? { line: lineNo } : {}),
      ...(pos ? { column: Math.max(0, Number(pos[1]) - 1) } : {}),
      message: text.replace(/:\s*$/, '').trim(),
      detail: [],
    });
  }
  return out;
}

/** Where a message without a line belongs, from the names it quotes. 0-based line, or undefined. */
export function locateMessage(
  message: string,
  model: ConfigModel,
): { line: number; start: number; end: number } | undefined {
  const quoted = [...message.matchAll(/'([^']*)'/g)].map((m) => m[1]);
  const section = findNamedSection(message, model);
  if (!section) return undefined;
  // A directive of that section naming another quoted word (the missing backend, server, peers...).
  const others = quoted.filter((q) => q !== section.name?.value && q !== '');
  for (const q of others) {
    for (const d of section.directives) {
      const w = d.words.find(
        (x, i) => i > d.keywordIndex && (x.value === q || x.value.startsWith(`${q}/`) || x.value.endsWith(`/${q}`)),
      );
      if (w && !isKeywordOnly(q, d.words[d.keywordIndex].value)) return { line: d.line, start: w.start, end: w.end };
      // Quoted keyword: `'http-request' rules ignored...`, `'option forwardfor' ignored...`.
      const text = d.words
        .slice(d.keywordIndex)
        .map((x) => x.value)
        .join(' ');
      if (text === q || text.startsWith(`${q} `)) {
        const first = d.words[d.keywordIndex];
        return { line: d.line, start: first.start, end: first.end };
      }
    }
  }
  const name = section.name ?? section.header.words[0];
  return { line: section.header.line, start: name.start, end: name.end };
}

function isKeywordOnly(q: string, keyword: string): boolean {
  return q === keyword;
}

const KIND_WORDS: readonly [RegExp, readonly string[]][] = [
  [/\bfrontend '([^']+)'/i, ['frontend']],
  [/\bbackend '([^']+)'/i, ['backend', 'listen']],
  [/\b(?:proxy|Proxy) '([^']+)'/, ['listen', 'frontend', 'backend', 'log-forward']],
  [/\bcache '([^']+)'/i, ['cache']],
  [/\bfcgi-app '([^']+)'/i, ['fcgi-app']],
  [/\bresolvers '([^']+)'/i, ['resolvers']],
  [/\bpeers (?:section )?'([^']+)'/i, ['peers']],
  [/\bmailers (?:section )?'([^']+)'/i, ['mailers']],
  [/\bprogram (?:section )?'([^']+)'/i, ['program']],
  [/\blog[- ]forward (?:section )?'([^']+)'/i, ['log-forward']],
];

function findNamedSection(message: string, model: ConfigModel): Section | undefined {
  let best: { index: number; section: Section } | undefined;
  for (const [re, kinds] of KIND_WORDS) {
    const m = re.exec(message);
    if (!m) continue;
    const found = model.sections.find((s) => kinds.includes(s.kind) && s.name?.value === m[1]);
    if (found && (!best || m.index < best.index)) best = { index: m.index, section: found };
  }
  return best?.section;
}
