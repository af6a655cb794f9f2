// What the targeted HAProxy version does not know, said with the version that does: a keyword that
// only a newer version has ("needs HAProxy 3.2 or newer", with a quick fix to change the target), one
// that a newer version removed (with the version that removed it, and the new name for renames), and
// old names a newer version still accepts but warns about. The other versions' keyword data is
// loaded only when a line has something unknown.

import { availableKeywordVersions, compareVersions, loadKeywords, type HaproxyKeywords } from '../keywords';
import type { ConfigModel } from '../../../shared/haproxy-config/configModel';
import type { ConfigDiagnostic, DiagnosticCode, QuickFixData } from './types';

type Lookup = (kw: HaproxyKeywords, name: string) => boolean;

const LOOKUPS: Partial<Record<DiagnosticCode, Lookup>> = {
  'unknown-keyword': (kw, name) => kw.data.sectionKinds.some((s) => kw.keyword(s, name) !== undefined),
  'unknown-option': (kw, name) => kw.data.sectionKinds.some((s) => kw.option(s, name) !== undefined),
  'unknown-action': (kw, name) => kw.rulesets().some((r) => kw.action(r, name) !== undefined),
  'unknown-bind-option': (kw, name) => kw.bindOption(name) !== undefined,
  'unknown-server-option': (kw, name) => kw.serverOption(name) !== undefined,
  'unknown-fetch': (kw, name) => kw.fetch(name) !== undefined,
  'unknown-converter': (kw, name) => kw.converter(name) !== undefined,
};

/** Renamed keywords: the old name, the new one and the version of the rename (README of the shared data). */
export interface Rename {
  readonly from: string;
  readonly to: string;
  readonly since: string;
}

export const RENAMES: readonly Rename[] = [
  { from: 'option accept-invalid-http-request', to: 'option accept-unsafe-violations-in-http-request', since: '3.2' },
  { from: 'option accept-invalid-http-response', to: 'option accept-unsafe-violations-in-http-response', since: '3.2' },
];

/** Where a name is known among the bundled versions, relative to the target. */
export interface VersionSpan {
  /** The first bundled version after the target that knows it. */
  readonly newer?: string;
  /** The first bundled version after the last older one that knows it: where it was removed. */
  readonly removedIn?: string;
}

export function versionSpan(target: string, known: (v: string) => boolean): VersionSpan {
  const versions = availableKeywordVersions();
  const newer = versions.find((v) => compareVersions(v, target) > 0 && known(v));
  if (newer) return { newer };
  const older = versions.filter((v) => compareVersions(v, target) < 0 && known(v));
  if (older.length === 0) return {};
  const last = older[older.length - 1];
  return { removedIn: versions.find((v) => compareVersions(v, last) > 0) };
}

function nameOf(model: ConfigModel, d: ConfigDiagnostic): string {
  const text = (model.lines[d.line] ?? '').slice(d.start, d.end);
  const paren = text.indexOf('(');
  return paren > 0 ? text.slice(0, paren) : text;
}

function label(code: DiagnosticCode, name: string): string {
  return code === 'unknown-option' ? `option ${name}` : name;
}

/** One diagnostic rewritten for the version span, or undefined when no bundled version knows the name. */
function rewrite(model: ConfigModel, d: ConfigDiagnostic, kw: HaproxyKeywords): ConfigDiagnostic | undefined {
  const lookup = LOOKUPS[d.code];
  if (!lookup) return undefined;
  const name = nameOf(model, d);
  if (!name) return undefined;
  const target = kw.version;
  const span = versionSpan(target, (v) => lookup(loadKeywords(v), name));
  const what = label(d.code, name);
  if (span.newer) return newer(d, what, span.newer, target);
  if (span.removedIn) {
    const rename = RENAMES.find((r) => r.from === what);
    const newName = rename ? rename.to.replace(/^option /, '') : undefined;
    const fixes: QuickFixData[] = newName
      ? [{ kind: 'replace', text: newName, title: `Replace with '${rename!.to}'` }]
      : [];
    return {
      ...d,
      code: 'removed-keyword',
      message:
        `'${what}' was removed in HAProxy ${span.removedIn}${rename ? `; it is now '${rename.to}'` : ''}` +
        `; this file targets ${target}.`,
      fixes,
    };
  }
  return undefined;
}

/** Old names the target still accepts but a rename replaced: a deprecation warning with a fix. */
function renameWarnings(model: ConfigModel, kw: HaproxyKeywords, out: ConfigDiagnostic[]): void {
  for (const rename of RENAMES) {
    if (compareVersions(kw.version, rename.since) < 0) continue;
    const [first, second] = rename.from.split(' ');
    for (const line of model.linesContaining(second ?? first)) {
      const d = model.directiveAt(line);
      if (!d || d.keyword !== first || d.modifier === 'default') continue;
      const w = d.words[d.keywordIndex + 1];
      if (!w || w.value !== second) continue;
      if (out.some((x) => x.line === line && x.start === w.start)) continue;
      const to = rename.to.replace(/^option /, '');
      out.push({
        code: 'deprecated-keyword',
        severity: 'warning',
        message: `'${rename.from}' is deprecated since HAProxy ${rename.since}; use '${rename.to}'.`,
        line,
        start: w.start,
        end: w.end,
        tags: ['deprecated'],
        fixes: [{ kind: 'replace', text: to, title: `Replace with '${rename.to}'` }],
      });
    }
  }
}

/** An address prefix (`mptcp@`) the parser does not know: fine when the target has it, else which version does. */
function addressNote(
  model: ConfigModel,
  d: ConfigDiagnostic,
  kw: HaproxyKeywords,
): ConfigDiagnostic | null | undefined {
  const text = (model.lines[d.line] ?? '').slice(d.start, d.end).replace(/^["']/, '');
  const prefix = /^([a-z0-9+]+@)/.exec(text)?.[1];
  // Only "Invalid address: 'mptcp@' ...": the parser did not know the prefix (other address errors stay).
  if (!prefix || !d.message.includes(`'${prefix}'`)) return undefined;
  if (kw.data.addressPrefixes.includes(prefix)) return null;
  const span = versionSpan(kw.version, (v) => loadKeywords(v).data.addressPrefixes.includes(prefix));
  if (!span.newer) return undefined;
  return newer(d, prefix, span.newer, kw.version);
}

function newer(d: ConfigDiagnostic, what: string, version: string, target: string): ConfigDiagnostic {
  const fix: QuickFixData = { kind: 'set-version', version, title: `Target HAProxy ${version}` };
  return {
    ...d,
    code: 'newer-keyword',
    severity: 'error',
    message: `'${what}' needs HAProxy ${version} or newer; this file targets ${target}.`,
    fixes: [fix],
  };
}

/** Section kinds the target does not know (`traces` before 3.2): the header says which version does. */
function sectionNotes(model: ConfigModel, kw: HaproxyKeywords, out: ConfigDiagnostic[]): void {
  for (const section of model.sections) {
    if (!section.header || kw.isSectionKind(section.kind) || section.kind === 'namespace_list') continue;
    const span = versionSpan(kw.version, (v) => loadKeywords(v).isSectionKind(section.kind));
    const w = section.header.words[section.header.keywordIndex];
    if (!w) continue;
    const base = { severity: 'error' as const, line: section.header.line, start: w.start, end: w.end };
    if (span.newer)
      out.push(newer({ ...base, code: 'newer-keyword', message: '' }, section.kind, span.newer, kw.version));
    else if (span.removedIn) {
      out.push({
        ...base,
        code: 'removed-keyword',
        message:
          `'${section.kind}' sections were removed in HAProxy ${span.removedIn}` + `; this file targets ${kw.version}.`,
      });
    } else continue;
    // HAProxy reads the lines below as part of the section before: each one is an unknown keyword there.
    for (const d of section.directives) {
      const k = d.words[d.keywordIndex];
      if (!k) continue;
      const message =
        `HAProxy ${kw.version} does not know '${section.kind}' sections` +
        `: it reads this line as part of the section above.`;
      out.push({ code: 'section-rejected', severity: 'error', message, line: d.line, start: k.start, end: k.end });
    }
  }
}

/** Checks that only some versions make: from which version each applies (the shared verdicts). */
interface VersionRule {
  readonly since: string;
  readonly section: 'global' | 'proxy';
  readonly keyword: string;
  /** The word to flag, or undefined when the line is fine. */
  readonly check: (
    words: readonly { value: string; start: number; end: number }[],
    k: number,
    raw: string,
  ) => { start: number; end: number } | undefined;
  readonly message: string;
}

const VERSION_RULES: readonly VersionRule[] = [
  {
    since: '2.8',
    section: 'proxy',
    keyword: 'option',
    // `option httpchk GET / HTTP/1.1\r\nHost:\ x`: the old way to send headers (raw text: escapes kept).
    check: (w, k, raw) =>
      w[k + 1]?.value === 'httpchk' && w[k + 4] && raw.slice(w[k + 4].start, w[k + 4].end).includes('\\r\\n')
        ? w[k + 4]
        : undefined,
    message:
      "headers or a body after the version of 'option httpchk' are refused from HAProxy 2.8 on; use 'http-check send'.",
  },
  {
    since: '3.0',
    section: 'global',
    keyword: 'tune.quic.frontend.max-streams-bidi',
    check: (w, k) => (w[k + 1] && /^0+$/.test(w[k + 1].value) ? w[k + 1] : undefined),
    message: "'tune.quic.frontend.max-streams-bidi' expects a positive integer from HAProxy 3.0 on.",
  },
];

function versionRules(model: ConfigModel, kw: HaproxyKeywords, out: ConfigDiagnostic[]): void {
  for (const rule of VERSION_RULES) {
    if (compareVersions(kw.version, rule.since) < 0) continue;
    for (const line of model.linesContaining(rule.keyword)) {
      const d = model.directiveAt(line);
      const section = model.sectionAt(line);
      if (!d || !section || d.keyword !== rule.keyword) continue;
      if ((rule.section === 'global') !== (section.kind === 'global')) continue;
      const w = rule.check(d.words, d.keywordIndex, model.lines[line] ?? '');
      if (w)
        out.push({ code: 'invalid-value', severity: 'error', message: rule.message, line, start: w.start, end: w.end });
    }
  }
}

/** Keywords (`<section kind> <name>`, options as `<kind> option <name>`) a newer version deprecates. */
const laterDeprecations = new Map<string, ReadonlyMap<string, string>>();

function deprecatedLater(kw: HaproxyKeywords): ReadonlyMap<string, string> {
  let hit = laterDeprecations.get(kw.version);
  if (hit) return hit;
  const out = new Map<string, string>();
  for (const v of availableKeywordVersions().filter((x) => compareVersions(x, kw.version) > 0)) {
    const later = loadKeywords(v);
    for (const kind of kw.data.sectionKinds) {
      const table = later.data.sections[kind];
      if (!table) continue;
      for (const [name, info] of Object.entries(table.keywords)) {
        const now = kw.keyword(kind, name);
        if (info.deprecated && now && !now.deprecated && !out.has(`${kind} ${name}`)) out.set(`${kind} ${name}`, v);
      }
      for (const [name, info] of Object.entries(table.options)) {
        const now = kw.option(kind, name);
        const key = `${kind} option ${name}`;
        if (info.deprecated && now && !now.deprecated && !out.has(key)) out.set(key, v);
      }
    }
  }
  laterDeprecations.set(kw.version, (hit = out));
  return hit;
}

/** What a newer version deprecates: a warning now, before the upgrade turns it into an error. */
function laterDeprecationWarnings(model: ConfigModel, kw: HaproxyKeywords, out: ConfigDiagnostic[]): void {
  for (const [key, version] of deprecatedLater(kw)) {
    const words = key.split(' ');
    const kind = words[0];
    const option = words[1] === 'option' ? words[2] : undefined;
    for (const line of model.linesContaining(option ?? words[1])) {
      const d = model.directiveAt(line);
      if (!d || model.sectionAt(line)?.kind !== kind) continue;
      const w = option !== undefined ? d.words[d.keywordIndex + 1] : d.words[d.keywordIndex];
      if (!w || (option !== undefined ? d.keyword !== 'option' || w.value !== option : d.keyword !== words[1]))
        continue;
      if (out.some((x) => x.line === line && x.start === w.start)) continue;
      const what = option !== undefined ? `option ${option}` : words[1];
      const message = `'${what}' is deprecated from HAProxy ${version} on; this file targets ${kw.version}.`;
      out.push({
        code: 'deprecated-keyword',
        severity: 'warning',
        message,
        line,
        start: w.start,
        end: w.end,
        tags: ['deprecated'],
      });
    }
  }
}

/** The diagnostics with version notes: unknown names that another bundled version knows are explained. */
export function versionNotes(
  model: ConfigModel,
  diagnostics: ConfigDiagnostic[],
  kw: HaproxyKeywords,
): ConfigDiagnostic[] {
  const out: ConfigDiagnostic[] = [];
  for (const d of diagnostics) {
    if (d.code === 'invalid-address') {
      const note = addressNote(model, d, kw);
      if (note !== null) out.push(note ?? d);
    } else out.push(d.severity === 'error' || d.severity === 'warning' ? (rewrite(model, d, kw) ?? d) : d);
  }
  sectionNotes(model, kw, out);
  versionRules(model, kw, out);
  renameWarnings(model, kw, out);
  laterDeprecationWarnings(model, kw, out);
  return out;
}
