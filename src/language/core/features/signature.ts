// Signature help inside the parentheses of a sample fetch or converter: its argument types from the
// binary (brackets mark optional ones), the manual's argument names, and the active argument.

import type { HaproxyKeywords } from '../keywords';
import { argTypes } from '../analysis/semantics';
import type { ConfigModel } from '../../../shared/haproxy-config/configModel';
import { cursorContext, exprPosition, logFormatBlockAt } from './cursor';

export interface SignatureResult {
  readonly label: string;
  readonly parameters: readonly { readonly label: [number, number]; readonly documentation?: string }[];
  readonly activeParameter: number;
  readonly documentation?: string;
}

export function signatureAt(
  model: ConfigModel,
  line: number,
  character: number,
  keywords: HaproxyKeywords,
): SignatureResult | undefined {
  const ctx = cursorContext(model, line, character);
  const w = ctx.word;
  if (!w || ctx.inComment) return undefined;
  const offset = character - w.start;
  const exprStart = logFormatBlockAt(w.raw, offset) ?? (w.raw.startsWith('"') || w.raw.startsWith("'") ? 1 : 0);
  const pos = exprPosition(w.raw, offset, exprStart, w.start);
  if (pos.part !== 'argument' || !pos.call) return undefined;
  const fetch = keywords.fetch(pos.call);
  const conv = fetch ? undefined : keywords.converter(pos.call);
  const info = fetch ?? conv;
  if (!info?.args) return undefined;
  const types = argTypes(info.args);
  const docNames = parseDocArgs(info.docArgs);
  let label = `${pos.call}(`;
  const parameters: { label: [number, number]; documentation?: string }[] = [];
  types.forEach((t, i) => {
    if (i > 0) label += ', ';
    const name = docNames[i] ? `${docNames[i]}: ${t.type}` : t.type;
    const text = t.optional ? `[${name}]` : name;
    parameters.push({
      label: [label.length, label.length + text.length],
      ...(t.optional ? { documentation: 'optional' } : {}),
    });
    label += text;
  });
  label += ')';
  const out = fetch ? `→ ${fetch.docType ?? fetch.output ?? '?'}` : `${conv?.input ?? '?'} → ${conv?.output ?? '?'}`;
  label += ` ${out}`;
  const link = keywords.docLink(info.anchor);
  return {
    label,
    parameters,
    activeParameter: Math.min(pos.argIndex ?? 0, Math.max(0, parameters.length - 1)),
    ...(link ? { documentation: `[HAProxy ${keywords.version} manual](${link})` } : {}),
  };
}

/** `([<name>[,<occ>]])` -> ['name', 'occ']. */
export function parseDocArgs(docArgs: string | undefined): string[] {
  if (!docArgs) return [];
  return [...docArgs.matchAll(/<([^>]+)>/g)].map((m) => m[1]);
}
