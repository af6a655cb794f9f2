// Hover: what the word under the cursor is. Keywords, options, actions and bind/server options show
// our summary (when we wrote one), the syntax from the keyword data and a link to the manual of the
// target version; fetches and converters their signature; names what they refer to (a backend's
// servers, an ACL's definition); environment variables their default.

import { availableKeywordVersions, loadKeywords, type HaproxyKeywords, type KeywordInfo } from '../keywords';
import { own } from '../analysis/own';
import { PREDEFINED_ACLS } from '../analysis/removed';
import { argTypes } from '../analysis/semantics';
import { SymbolIndex, type Target } from '../analysis/symbolIndex';
import { CONDITION_PREDICATES } from '../../../shared/haproxy-config/conditionals';
import type { ConfigModel } from '../../../shared/haproxy-config/configModel';
import type { Section } from '../../../shared/haproxy-config/model';
import { SECTIONS, isSectionKeyword } from '../../../shared/haproxy-config/sections';
import { parseBind } from '../../../shared/haproxy-config/statements';
import { cursorContext, exprPosition, logFormatBlockAt } from './cursor';
import { KEYWORD_SUMMARIES } from './summaries';

export interface HoverResult {
  readonly markdown: string;
  readonly line: number;
  readonly start: number;
  readonly end: number;
}

export interface HoverOptions {
  readonly keywords: HaproxyKeywords;
  /** Heading of a manual anchor from the user's local copy of the manual, if available. */
  readonly localDocHeading?: (anchor: string) => string | undefined;
}

const MAX_LISTED_SERVERS = 20;

/** An environment variable under the cursor: its name and default (the editor's environment is not HAProxy's). */
function envHover(
  refs:
    readonly { start: number; end: number; name: string; defaultValue?: string; wordExpand?: boolean }[] | undefined,
  character: number,
): { markdown: string; start: number; end: number } | undefined {
  const ref = refs?.find((r) => character >= r.start && character <= r.end);
  if (!ref) return undefined;
  const markdown =
    `**Environment variable** \`${ref.name}\`` +
    (ref.defaultValue !== undefined ? `, default \`${ref.defaultValue}\`` : '') +
    (ref.wordExpand ? ' (split into several words)' : '') +
    '\n\nHAProxy expands it inside double quotes when it reads the file.';
  return { markdown, start: ref.start, end: ref.end };
}

/** A conditional block directive (`.if`…) or a predicate inside one. */
function conditionalHover(directive: string, wordIndex: number, word: string): string | undefined {
  if (wordIndex === 0) return `**${directive}**: conditional block directive (HAProxy 2.4+).`;
  const name = firstCallName(word);
  const pred = name ? CONDITION_PREDICATES[name] : undefined;
  return pred ? `**${name}()**: ${pred.summary}.` : undefined;
}

/**
 * The first `name(` in a word, read in one pass: a regex tried at every letter of a long word would
 * be quadratic (50,000 letters took seconds).
 */
function firstCallName(word: string): string | undefined {
  const isNameChar = (c: string | undefined) => c !== undefined && ((c >= 'a' && c <= 'z') || c === '_');
  for (let i = 0; i < word.length;) {
    if (!isNameChar(word[i])) {
      i++;
      continue;
    }
    let j = i;
    while (isNameChar(word[j])) j++;
    if (word[j] === '(') return word.slice(i, j);
    i = j;
  }
  return undefined;
}

export function hoverAt(
  model: ConfigModel,
  line: number,
  character: number,
  options: HoverOptions,
): HoverResult | undefined {
  const ctx = cursorContext(model, line, character);
  if (ctx.inComment || !ctx.word) return undefined;
  const w = ctx.word;
  const kw = options.keywords;
  const at = (markdown: string, start = w.start, end = w.end): HoverResult => ({ markdown, line, start, end });
  const words = ctx.words;
  const section = ctx.section;

  const env = envHover(w.envRefs, character);
  if (env) return at(env.markdown, env.start, env.end);

  // Conditional directives and predicates.
  const first = words[0]?.value ?? '';
  if (first.startsWith('.')) {
    const text = conditionalHover(first, ctx.wordIndex, w.value);
    return text ? at(text) : undefined;
  }

  // Names: backends, ACLs, servers, userlists... (references and definitions).
  const index = SymbolIndex.of(model, kw);
  const hit = index.at(line, character);
  if (hit?.occurrence) {
    const targets = index.resolve(hit.occurrence);
    const occ = hit.occurrence;
    const text = targets.length > 0 ? describeTargets(model, index, targets) : undefinedText(occ.kind, occ.name);
    if (text) return at(text, occ.start, occ.end);
  }
  if (hit?.header) return at(describeSection(model, hit.header), hit.header.name!.start, hit.header.name!.end);

  // Sample fetches and converters inside the word.
  const sample = sampleHover(kw, w.raw, character - w.start, ctx.wordIndex, words, ctx.keywordIndex);
  if (sample) return at(sample.markdown, w.start + sample.start, w.start + sample.end);

  const kwIndex = ctx.keywordIndex;
  // Section headers.
  if (ctx.wordIndex === 0 && isSectionKeyword(w.value) && section?.header.line === line) {
    const info = kw.data.sections[w.value];
    const anchor = info?.header?.anchor ?? info?.anchor;
    return at(`**${w.value}** section: ${SECTIONS[w.value].summary}.` + linkText(kw, anchor, options));
  }
  if (!section) return undefined;
  const kind = section.kind;
  const keyword = words[kwIndex]?.value ?? '';

  if (ctx.wordIndex === kwIndex) {
    const info = keyword === 'option' ? undefined : kw.keyword(kind, keyword);
    if (info) return at(keywordMarkdown(kw, keyword, info, options, (k) => k.keyword(kind, keyword) !== undefined));
    if (keyword === 'option') return at(`**option**: ${KEYWORD_SUMMARIES.get('option')}`);
    return undefined;
  }
  const arg = ctx.wordIndex;
  if (keyword === 'option' && arg === kwIndex + 1) {
    const info = kw.option(kind, w.value);
    return info
      ? at(keywordMarkdown(kw, `option ${w.value}`, info, options, (k) => k.option(kind, w.value) !== undefined))
      : undefined;
  }
  if (
    (keyword === 'http-request' || keyword === 'http-response' || keyword === 'http-after-response') &&
    arg === kwIndex + 1
  ) {
    const action = kw.action(keyword, w.value);
    return action
      ? at(
          keywordMarkdown(
            kw,
            `${keyword} ${action.name}`,
            action.info,
            options,
            (k) => k.action(keyword, action.name) !== undefined,
          ),
        )
      : undefined;
  }
  if ((keyword === 'tcp-request' || keyword === 'tcp-response') && arg === kwIndex + 2) {
    const action = kw.action(`${keyword} ${words[kwIndex + 1].value}`, w.value);
    return action
      ? at(keywordMarkdown(kw, `${keyword} ${words[kwIndex + 1].value} ${action.name}`, action.info, options))
      : undefined;
  }
  const parent = kw.keyword(kind, keyword);
  const sub = own(parent?.sub, w.value);
  if (sub && arg === kwIndex + 1) return at(keywordMarkdown(kw, `${keyword} ${w.value}`, sub, options));
  if (keyword === 'bind' && arg >= kwIndex + 2) {
    const info = kw.bindOption(w.value);
    if (info)
      return at(keywordMarkdown(kw, `bind … ${w.value}`, info, options, (k) => k.bindOption(w.value) !== undefined));
  }
  if (keyword === 'bind' && arg === kwIndex + 1) {
    const b = parseBind(model.directiveAt(line)!);
    const lines = b.addresses.map((a) =>
      a.error ? `- \`${a.text}\`: ${a.error.message}` : `- \`${a.text}\`: ${describeAddress(a.address!)}`,
    );
    return at(`**bind** addresses\n\n${lines.join('\n')}`);
  }
  if ((keyword === 'server' || keyword === 'default-server' || keyword === 'server-template') && arg >= kwIndex + 1) {
    const info = kw.serverOption(w.value);
    if (info)
      return at(
        keywordMarkdown(kw, `server … ${w.value}`, info, options, (k) => k.serverOption(w.value) !== undefined),
      );
  }
  return undefined;
}

function linkText(kw: HaproxyKeywords, anchor: string | undefined, options: HoverOptions): string {
  const link = kw.docLink(anchor);
  if (!link) return '';
  const heading = anchor ? options.localDocHeading?.(anchor) : undefined;
  return `\n\n[HAProxy ${kw.version} manual${heading ? `: ${heading}` : ''}](${link})`;
}

/** "Since HAProxy 3.0." when the first bundled version that knows it is later than the oldest. */
function sinceText(known: ((k: HaproxyKeywords) => boolean) | undefined): string | undefined {
  if (!known) return undefined;
  const versions = availableKeywordVersions();
  const first = versions.find((v) => known(loadKeywords(v)));
  return first !== undefined && first !== versions[0] ? `Since HAProxy ${first}.` : undefined;
}

function keywordMarkdown(
  kw: HaproxyKeywords,
  title: string,
  info: KeywordInfo,
  options: HoverOptions,
  known?: (k: HaproxyKeywords) => boolean,
): string {
  const parts = [`**${title}**`];
  const summary = KEYWORD_SUMMARIES.get(title);
  if (summary) parts[0] += `: ${summary}`;
  const since = sinceText(known);
  if (since) parts.push(since);
  if (info.removed) parts.push(`Removed: ${info.removed}`);
  if (info.deprecated) parts.push('*Deprecated.*');
  if (info.namedDefaultsOnly) parts.push('In a defaults section, only allowed when the section has a name.');
  if (info.syntax?.length) parts.push('```haproxy\n' + info.syntax.join('\n') + '\n```');
  else if (info.sub)
    parts.push(
      `Followed by ${Object.keys(info.sub)
        .sort()
        .map((s) => `\`${s}\``)
        .join(', ')}.`,
    );
  return parts.join('\n\n') + linkText(kw, info.anchor, options);
}

function describeAddress(a: {
  family: string;
  host: string;
  port?: { low: number; high: number; offset: boolean };
  isHostname: boolean;
  prefix: string;
  dynamic: boolean;
}): string {
  if (a.dynamic) return 'set from environment variables';
  if (a.family === 'unix' || a.family === 'abns')
    return `${a.family === 'unix' ? 'UNIX socket' : 'abstract socket'} \`${a.host}\``;
  if (a.family === 'fd' || a.family === 'sockpair') return `inherited file descriptor ${a.host}`;
  const host =
    a.host === '' || a.host === '*'
      ? 'all addresses'
      : a.isHostname
        ? `host name ${a.host} (resolved at start-up)`
        : a.host;
  const port = a.port
    ? a.port.offset
      ? `port offset ${a.port.low}`
      : a.port.low === a.port.high
        ? `port ${a.port.low}`
        : `ports ${a.port.low}-${a.port.high}`
    : 'no port';
  return `${host}, ${port}${a.prefix ? ` (${a.prefix})` : ''}`;
}

function undefinedText(kind: string, name: string): string | undefined {
  if (kind === 'acl' && PREDEFINED_ACLS.has(name)) return `**${name}**: predefined ACL: ${PREDEFINED_ACLS.get(name)}.`;
  return `**${name}**: no ${kind} of that name is defined in this file.`;
}

function describeTargets(model: ConfigModel, index: SymbolIndex, targets: Target[]): string {
  return targets
    .map((t) => {
      switch (t.type) {
        case 'section':
          return describeSection(model, t.section);
        case 'predefined-acl':
          return `**${t.name}**: predefined ACL: ${PREDEFINED_ACLS.get(t.name)}.`;
        case 'acl': {
          const defs = index.aclDefinitions(t.section, t.name);
          const lines = defs.map((d) => `${model.lines[d.line].trim()}`);
          return (
            `**acl ${t.name}** ` +
            `(${defs.length > 1 ? `${defs.length} lines, any may match` : `line ${defs[0].line + 1}`})\n\n` +
            '```haproxy\n' +
            lines.join('\n') +
            '\n```'
          );
        }
        case 'server': {
          const def = index.findServer(t.section, t.name);
          return (
            `**server ${t.name}** of ${t.section.kind} '${t.section.name?.value ?? ''}'` +
            (def ? `\n\n\`\`\`haproxy\n${model.lines[def.line].trim()}\n\`\`\`` : '')
          );
        }
      }
    })
    .join('\n\n---\n\n');
}

function describeSection(model: ConfigModel, s: Section): string {
  const title = `**${s.kind} ${s.name?.value ?? ''}** (line ${s.startLine + 1})`;
  const parts = [title];
  if (s.kind === 'backend' || s.kind === 'listen') {
    const servers = model.serversOf(s).filter((x) => x.name);
    if (servers.length === 0) parts.push('No server.');
    else {
      const rows = servers.slice(0, MAX_LISTED_SERVERS).map((x) => {
        const name = x.keyword === 'server-template' ? `${x.name!.value} ×${x.count?.value ?? '?'}` : x.name!.value;
        const flags = x.options
          .map((o) => o.name.value)
          .filter((n) => ['check', 'backup', 'ssl', 'disabled'].includes(n))
          .join(' ');
        return `| ${name} | \`${x.addressWord?.value ?? ''}\` | ${flags} |`;
      });
      parts.push(
        `| server | address | |\n|---|---|---|\n${rows.join('\n')}` +
          (servers.length > MAX_LISTED_SERVERS ? `\n\n…and ${servers.length - MAX_LISTED_SERVERS} more` : ''),
      );
    }
  }
  if (s.kind === 'frontend' || s.kind === 'listen') {
    const binds = model.bindsOf(s).filter((b) => b.addressWord);
    if (binds.length > 0) parts.push('Listens on ' + binds.map((b) => `\`${b.addressWord!.value}\``).join(', '));
  }
  return parts.join('\n\n');
}

/** Hover for a fetch or converter name under the cursor, in a sample expression or `%[...]`. */
function sampleHover(
  kw: HaproxyKeywords,
  raw: string,
  offset: number,
  wordIndex: number,
  words: readonly { value: string }[],
  k: number,
): { markdown: string; start: number; end: number } | undefined {
  let exprStart = logFormatBlockAt(raw, offset);
  if (exprStart === undefined) {
    const keyword = words[k]?.value;
    const inCondition =
      words.some((w, i) => i < wordIndex && (w.value === '{' || w.value === '!{')) &&
      !words.some((w, i) => i < wordIndex && i > 0 && w.value === '}');
    const acl = keyword === 'acl' && wordIndex === k + 2;
    const anon = inCondition && (words[wordIndex - 1]?.value === '{' || words[wordIndex - 1]?.value === '!{');
    const expr =
      /^(http|tcp)-(request|response)$/.test(keyword ?? '') &&
      /^(set-var\(|track-sc|capture|set-src|set-dst)/.test(words[wordIndex - 1]?.value ?? '');
    if (!acl && !anon && !expr && !(keyword === 'stick' && wordIndex === k + 2)) return undefined;
    exprStart = raw.startsWith('"') || raw.startsWith("'") ? 1 : 0;
  }
  // Find the call whose name contains the cursor.
  let end = offset;
  while (end < raw.length && !'(),]'.includes(raw[end])) end++;
  let start = offset;
  while (start > exprStart && !'(),['.includes(raw[start - 1])) start--;
  const name = raw.slice(start, end);
  const pos = exprPosition(raw, start, exprStart, 0);
  if (pos.part === 'argument') return undefined;
  const info = pos.part === 'fetch' ? kw.fetch(name) : kw.converter(name);
  const acl = pos.part === 'fetch' && !info ? kw.aclKeyword(name) : undefined;
  if (acl) {
    const link = kw.docLink(acl.anchor);
    return {
      markdown:
        `**${name}**: ACL keyword, fetch \`${acl.fetch}\` matched with \`-m ${acl.match}\`` +
        (link ? `\n\n[HAProxy ${kw.version} manual](${link})` : ''),
      start,
      end,
    };
  }
  if (!info) return undefined;
  const args = info.args
    ? `(${argTypes(info.args)
        .map((a) => (a.optional ? `[${a.type}]` : a.type))
        .join(', ')})`
    : '';
  const io =
    pos.part === 'fetch'
      ? `→ ${(info as { docType?: string }).docType ?? info.output ?? '?'}`
      : `${(info as { input?: string }).input ?? '?'} → ${info.output ?? '?'}`;
  const docArgs = info.docArgs ? `\n\nArguments: \`${info.docArgs}\`` : '';
  const link = kw.docLink(info.anchor);
  return {
    markdown:
      `**${name}${args}** ${io} ` +
      `(${pos.part === 'fetch' ? 'sample fetch' : 'converter'})${info.deprecated ? ' *deprecated*' : ''}${docArgs}` +
      (link ? `\n\n[HAProxy ${kw.version} manual](${link})` : ''),
    start,
    end,
  };
}
