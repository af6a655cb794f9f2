// Markdown of the Kubernetes tree's tooltips built from cluster text (condition messages come from
// any controller): every value escaped, so a message reads as text and never loads an image.
import { escapeMarkdown } from '../../shared/markdown';
import type { ConditionView } from './model';

/** The conditions table of a tooltip (appended after a blank line), or a note when there are none. */
export function conditionsMarkdown(conditions: readonly ConditionView[]): string {
  if (conditions.length === 0) return '\n\n_No conditions reported yet (no controller has acted on it)._';
  const rows = conditions.map(
    (c) =>
      `| ${escapeMarkdown(c.type)} | ${escapeMarkdown(c.status)}${c.stale ? ' (stale)' : ''} | ` +
      `${escapeMarkdown(c.reason)} | ${escapeMarkdown(c.message)} |\n`,
  );
  return `\n\n| Condition | Status | Reason | Message |\n|---|---|---|---|\n${rows.join('')}`;
}
