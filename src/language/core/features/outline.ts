// Document symbols: sections with their binds, servers, ACLs and the other named entries they hold,
// for the outline, breadcrumbs and "Go to Symbol".

import type { ConfigModel } from '../../../shared/haproxy-config/configModel';
import type { Directive, Range, Section } from '../../../shared/haproxy-config/model';
import { SECTIONS } from '../../../shared/haproxy-config/sections';
import { parseBind, parseServer } from '../../../shared/haproxy-config/statements';

export type OutlineKind =
  | 'section'
  | 'bind'
  | 'server'
  | 'server-template'
  | 'acl'
  | 'user'
  | 'group'
  | 'peer'
  | 'nameserver'
  | 'mailer'
  | 'table'
  | 'backend-rule';

export interface OutlineSymbol {
  readonly name: string;
  readonly detail: string;
  readonly kind: OutlineKind;
  /** The section kind for sections (icons differ per kind). */
  readonly sectionKind?: string;
  readonly range: Range;
  readonly selectionRange: Range;
  readonly children: readonly OutlineSymbol[];
}

export function outline(model: ConfigModel): OutlineSymbol[] {
  return model.sections.map((s) => sectionSymbol(model, s));
}

function lineRange(model: ConfigModel, line: number): Range {
  return {
    start: { line, character: 0 },
    end: { line, character: (model.lines[line] ?? '').replace(/\r$/, '').length },
  };
}

/** The symbol of one section with its children (outline() of a large model is built a few sections at a time). */
export function sectionSymbol(model: ConfigModel, section: Section): OutlineSymbol {
  const header = section.header;
  const name = section.name?.value ?? section.kind;
  const sel = section.name ?? header.words[0];
  const endLine = section.lastDirectiveLine;
  const children: OutlineSymbol[] = [];
  for (const d of section.directives) {
    const child = directiveSymbol(model, section, d);
    if (child) children.push(child);
  }
  return {
    name,
    detail: section.name
      ? section.kind + (section.from ? ` from ${section.from.value}` : '')
      : SECTIONS[section.kind].summary,
    kind: 'section',
    sectionKind: section.kind,
    range: { start: { line: header.line, character: 0 }, end: lineRange(model, endLine).end },
    selectionRange: {
      start: { line: header.line, character: sel.start },
      end: { line: header.line, character: sel.end },
    },
    children,
  };
}

function directiveSymbol(model: ConfigModel, section: Section, d: Directive): OutlineSymbol | undefined {
  if (d.modifier) return undefined;
  const words = d.words;
  const k = d.keywordIndex;
  const sym = (name: string, detail: string, kind: OutlineKind, sel = words[k + 1] ?? words[k]): OutlineSymbol => ({
    name: name === '' ? d.keyword : name,
    detail,
    kind,
    range: lineRange(model, d.line),
    selectionRange: { start: { line: d.line, character: sel.start }, end: { line: d.line, character: sel.end } },
    children: [],
  });
  switch (d.keyword) {
    case 'bind':
    case 'dgram-bind': {
      const b = parseBind(d);
      if (!b.addressWord) return undefined;
      const opts = b.options
        .map((o) => o.name.value)
        .filter((n) => n === 'ssl' || n === 'alpn' || n === 'proto' || n === 'name');
      return sym(b.addressWord.value, [d.keyword, ...opts].join(' '), 'bind', b.addressWord);
    }
    case 'server':
    case 'server-template':
    case 'peer':
    case 'mailer':
    case 'nameserver': {
      const s = parseServer(d, section.kind);
      if (!s?.name) return undefined;
      const kind: OutlineKind =
        d.keyword === 'server' ? (section.kind === 'peers' ? 'peer' : 'server') : (d.keyword as OutlineKind);
      const flags = s.options
        .map((o) => o.name.value)
        .filter((n) => n === 'check' || n === 'backup' || n === 'ssl' || n === 'disabled');
      const detail = [s.count ? `×${s.count.value}` : '', s.addressWord?.value ?? '', ...flags]
        .filter(Boolean)
        .join(' ');
      return sym(s.name.value, detail, kind, s.name);
    }
    case 'acl': {
      const name = words[k + 1];
      if (!name) return undefined;
      return sym(
        name.value,
        words
          .slice(k + 2)
          .map((w) => w.value)
          .join(' '),
        'acl',
        name,
      );
    }
    case 'user':
    case 'group':
      if (section.kind !== 'userlist' || !words[k + 1]) return undefined;
      return sym(words[k + 1].value, d.keyword, d.keyword);
    case 'table':
      if (section.kind !== 'peers' || !words[k + 1]) return undefined;
      return sym(
        words[k + 1].value,
        words
          .slice(k + 2)
          .map((w) => w.value)
          .join(' '),
        'table',
      );
    case 'use_backend':
    case 'default_backend': {
      const target = words[k + 1];
      if (!target) return undefined;
      const rest = words
        .slice(k + 2)
        .map((w) => w.value)
        .join(' ');
      return sym(`→ ${target.value}`, d.keyword + (rest ? ` ${rest}` : ''), 'backend-rule', target);
    }
    default:
      return undefined;
  }
}
