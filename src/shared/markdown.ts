// Text from a server or a cluster inside Markdown (tooltips): it must read as text, never as
// markup. An image (`![](https://…)`) would make the tooltip fetch a remote address, a link would
// invite a click, a table cell or a line break would reshape the rest of the tooltip.

/** Every ASCII punctuation character may be escaped with a backslash in CommonMark: all are. */
const PUNCTUATION = /[!-/:-@[-`{-~]/g;

/**
 * `text` escaped for Markdown: punctuation backslash-escaped (no emphasis, link, image, HTML,
 * entity, table cell or theme icon `$(…)`; `://`, `www.` and `@` lose what makes them autolinks),
 * line breaks and tabs turned into spaces, and leading spaces dropped (no code block).
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n\t\f\v\u2028\u2029]+/g, ' ')
    .replace(/^ +/, '')
    .replace(PUNCTUATION, '\\$&');
}

/**
 * `text` as an inline code span, whatever it holds: fenced by one backtick more than its longest
 * run of backticks, on one line. Markdown inside a code span is not interpreted.
 */
export function markdownCode(text: string): string {
  const flat = text.replace(/[\r\n\t\f\v\u2028\u2029]+/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad =
    flat.startsWith('`') || flat.endsWith('`') || (flat.startsWith(' ') && flat.endsWith(' ') && flat.trim() !== '')
      ? ' '
      : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}
