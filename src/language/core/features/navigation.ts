// Go to definition, find references, document highlights and rename for the names a configuration
// defines: sections (backends, userlists, resolvers, peers, caches...), ACLs and servers.

import type { HaproxyKeywords } from '../keywords';
import { SymbolIndex, type Target } from '../analysis/symbolIndex';
import type { ConfigModel } from '../../../shared/haproxy-config/configModel';
import { firstInvalidNameChar, isProxyKind } from '../../../shared/haproxy-config/sections';

export interface Location {
  readonly line: number;
  readonly start: number;
  readonly end: number;
}

export interface Highlight extends Location {
  readonly write: boolean;
}

export function definitionsAt(
  model: ConfigModel,
  line: number,
  character: number,
  keywords?: HaproxyKeywords,
): Location[] {
  const index = SymbolIndex.of(model, keywords);
  return index.targetsAt(line, character).flatMap((t) => definitionLocations(index, t));
}

function definitionLocations(index: SymbolIndex, t: Target): Location[] {
  return index
    .occurrencesOf(t)
    .filter((o) => o.definition)
    .map((o) => ({ line: o.line, start: o.start, end: o.end }));
}

export function referencesAt(
  model: ConfigModel,
  line: number,
  character: number,
  includeDeclaration: boolean,
  keywords?: HaproxyKeywords,
): Location[] {
  const index = SymbolIndex.of(model, keywords);
  const out: Location[] = [];
  const seen = new Set<string>();
  for (const t of index.targetsAt(line, character)) {
    for (const o of index.occurrencesOf(t)) {
      if (o.definition && !includeDeclaration) continue;
      const key = `${o.line}:${o.start}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ line: o.line, start: o.start, end: o.end });
    }
  }
  return out.sort((a, b) => a.line - b.line || a.start - b.start);
}

export function highlightsAt(
  model: ConfigModel,
  line: number,
  character: number,
  keywords?: HaproxyKeywords,
): Highlight[] {
  const index = SymbolIndex.of(model, keywords);
  const targets = index.targetsAt(line, character);
  return targets.flatMap((t) =>
    index.occurrencesOf(t).map((o) => ({ line: o.line, start: o.start, end: o.end, write: o.definition })),
  );
}

export type PrepareRenameResult =
  { readonly range: Location; readonly placeholder: string } | { readonly error: string };

export function prepareRename(
  model: ConfigModel,
  line: number,
  character: number,
  keywords?: HaproxyKeywords,
): PrepareRenameResult {
  const index = SymbolIndex.of(model, keywords);
  const hit = index.at(line, character);
  const targets = index.targetsAt(line, character);
  if (!hit || targets.length === 0)
    return { error: 'Only backends, ACLs, servers and other named sections can be renamed.' };
  if (targets.length > 1)
    return { error: 'This name refers to several definitions; rename one of them at its definition.' };
  const target = targets[0];
  if (target.type === 'predefined-acl') return { error: `'${target.name}' is a predefined ACL.` };
  if (target.type === 'server' && index.findServer(target.section, target.name)?.template) {
    return {
      error:
        'Servers of a server-template are named by its prefix: rename the prefix on the server-template line by hand.',
    };
  }
  const occurrences = index.occurrencesOf(target);
  if (occurrences.some((o) => !o.exact))
    return { error: 'The name appears inside quotes or escapes somewhere: rename it by hand.' };
  const range = hit.header ? hit.header.name! : hit.occurrence!;
  const start = 'start' in range ? range.start : 0;
  const end = range.end;
  return { range: { line, start, end }, placeholder: model.lines[line].slice(start, end) };
}

export interface RenameEdit extends Location {
  readonly newText: string;
}

export type RenameResult = { readonly edits: readonly RenameEdit[] } | { readonly error: string };

export function renameAt(
  model: ConfigModel,
  line: number,
  character: number,
  newName: string,
  keywords?: HaproxyKeywords,
): RenameResult {
  const prepared = prepareRename(model, line, character, keywords);
  if ('error' in prepared) return prepared;
  if (newName === '' || /[\s#"'\\]/.test(newName))
    return { error: `'${newName}' is not a valid name: no spaces, quotes, '#' or backslashes.` };
  const index = SymbolIndex.of(model, keywords);
  const target = index.targetsAt(line, character)[0];
  const proxyName =
    target.type === 'server' ||
    target.type === 'acl' ||
    (target.type === 'section' && (isProxyKind(target.section.kind) || target.section.kind === 'log-forward'));
  const bad = firstInvalidNameChar(newName);
  if (proxyName && bad >= 0)
    return {
      error: `Character '${newName[bad]}' is not permitted in this name (letters, digits, '-', '_', '.' and ':' only).`,
    };
  if (target.type === 'section' && target.section.kind !== 'defaults') {
    const clash = model.sections.find(
      (s) => s !== target.section && s.kind === target.section.kind && s.name?.value === newName,
    );
    if (clash) return { error: `A ${clash.kind} named '${newName}' already exists (line ${clash.startLine + 1}).` };
  }
  return {
    edits: index.occurrencesOf(target).map((o) => ({ line: o.line, start: o.start, end: o.end, newText: newName })),
  };
}
