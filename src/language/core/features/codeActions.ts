// Quick fixes as plain edits: create a missing section (backend, userlist, resolvers...), replace a
// misspelled or removed keyword, add the final line feed, suppress a diagnostic with a comment, or
// make the document target the HAProxy version that knows a keyword.

import { suppressionEdit } from '../analysis/suppression';
import type { ConfigDiagnostic, QuickFixData } from '../analysis/types';
import type { ConfigModel } from '../../../shared/haproxy-config/configModel';
import type { Section } from '../../../shared/haproxy-config/model';

export interface TextEdit {
  readonly line: number;
  readonly start: number;
  readonly endLine: number;
  readonly end: number;
  readonly newText: string;
}

export interface CodeAction {
  readonly title: string;
  readonly kind: 'quickfix';
  readonly edits: readonly TextEdit[];
  readonly preferred?: boolean;
  /** The diagnostic the action fixes. */
  readonly diagnostic: ConfigDiagnostic;
  /** Instead of edits: make the document target this HAProxy version (the editor runs its command). */
  readonly setVersion?: string;
}

export interface CodeActionOptions {
  /** One indentation level for generated lines. */
  readonly indent: string;
  /** The end-of-line sequence of the document. */
  readonly eol: '\n' | '\r\n';
}

export function codeActionsFor(
  model: ConfigModel,
  diagnostics: readonly ConfigDiagnostic[],
  options: CodeActionOptions,
): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of diagnostics) {
    for (const fix of d.fixes ?? []) {
      const action = fixAction(model, d, fix, options);
      if (action) out.push(action);
    }
    out.push(suppressAction(model, d, options));
  }
  return out;
}

function lineEnd(model: ConfigModel, line: number): number {
  return model.lines[line].replace(/\r$/, '').length;
}

function fixAction(
  model: ConfigModel,
  d: ConfigDiagnostic,
  fix: QuickFixData,
  options: CodeActionOptions,
): CodeAction | undefined {
  switch (fix.kind) {
    case 'replace':
      return {
        title: fix.title,
        kind: 'quickfix',
        preferred: true,
        diagnostic: d,
        edits: [{ line: d.line, start: d.start, endLine: d.line, end: d.end, newText: fix.text }],
      };
    case 'insert-final-newline': {
      const last = model.lines.length - 1;
      const end = model.lines[last].length;
      return {
        title: 'Add the final line feed',
        kind: 'quickfix',
        preferred: true,
        diagnostic: d,
        edits: [{ line: last, start: end, endLine: last, end, newText: options.eol }],
      };
    }
    case 'create-section':
      return createSection(model, d, fix.sectionKind, fix.name, options);
    case 'set-version':
      return { title: fix.title, kind: 'quickfix', preferred: true, diagnostic: d, edits: [], setVersion: fix.version };
  }
}

/** Appends `<kind> <name>` after the last section of that kind (or at the end of the file). */
function createSection(
  model: ConfigModel,
  d: ConfigDiagnostic,
  kind: string,
  name: string,
  options: CodeActionOptions,
): CodeAction {
  const { eol, indent } = options;
  const sameKind = model.sections.filter((s) => s.kind === kind || (kind === 'backend' && s.kind === 'listen'));
  const after: Section | undefined = sameKind[sameKind.length - 1] ?? model.sections[model.sections.length - 1];
  const body: string[] = [];
  const from = model.sectionAt(d.line);
  if (kind === 'backend' && from) {
    // Keep the proxy's mode so the new backend accepts its traffic (HTTP frontends need HTTP backends).
    const mode = from.directives.find((x) => x.keyword === 'mode')?.words[1]?.value;
    if (mode === 'http' || mode === 'tcp') body.push(`${indent}mode ${mode}`);
  }
  if (kind === 'cache') body.push(`${indent}total-max-size 4`);
  const block = [`${kind} ${name}`, ...body].join(eol);
  let line: number;
  let character: number;
  let text: string;
  if (after) {
    line = after.lastDirectiveLine;
    character = lineEnd(model, line);
    text = `${eol}${eol}${block}`;
  } else {
    line = model.lines.length - 1;
    character = model.lines[line].length;
    text = `${character > 0 ? eol : ''}${block}${eol}`;
  }
  return {
    title: `Create ${kind} '${name}'`,
    kind: 'quickfix',
    preferred: true,
    diagnostic: d,
    edits: [{ line, start: character, endLine: line, end: character, newText: text }],
  };
}

function suppressAction(model: ConfigModel, d: ConfigDiagnostic, options: CodeActionOptions): CodeAction {
  const e = suppressionEdit(model, d.line, d.code);
  const edit: TextEdit = e.replaceWholeLine
    ? { line: e.line, start: 0, endLine: e.line, end: lineEnd(model, e.line), newText: e.text }
    : { line: e.line, start: 0, endLine: e.line, end: 0, newText: e.text.replace(/\n$/, options.eol) };
  return { title: `Suppress '${d.code}' on this line`, kind: 'quickfix', diagnostic: d, edits: [edit] };
}
