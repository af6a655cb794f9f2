// Where a YAML document is malformed, without its text: the parser's messages quote the offending
// line, and in a Secret or a kubeconfig that line may hold a key or a token.

/** "line 3, column 35 (BAD_INDENT)" for an error of the `yaml` package; "unknown position" otherwise. */
export function yamlErrorPosition(err: unknown): string {
  const e = err as { linePos?: unknown; code?: unknown } | null;
  const start = Array.isArray(e?.linePos) ? (e.linePos[0] as { line?: unknown; col?: unknown } | undefined) : undefined;
  const code = typeof e?.code === 'string' && /^[A-Z_]{1,40}$/.test(e.code) ? ` (${e.code})` : '';
  if (start && Number.isInteger(start.line) && Number.isInteger(start.col))
    return `line ${String(start.line)}, column ${String(start.col)}${code}`;
  return `unknown position${code}`;
}
