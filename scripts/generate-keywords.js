#!/usr/bin/env node
// Builds the keyword data of every supported HAProxy version (2.6, 2.8, 3.0, 3.2, 3.4) from the
// shared reference folder (../shared/reference/haproxy-versions: each version's `-dKall` dump, `-vv`
// and text manual), written as src/language/core/keywords/haproxy-2.6.json (full) and, for the
// others, haproxy-<x.y>.json holding a merge patch over 2.6. An installed binary is an optional
// extra source for the 2.6 base (pass its path). The facts per version come from:
//  - the installed binary: `haproxy -vv` (version, features) and `haproxy -dKall` (every keyword
//    registered at run time: the binary's truth for existence);
//  - the HTML configuration manual (haproxy-doc): which section accepts which keyword, the proxy
//    keywords matrix, deprecation labels, argument hints from title lines and documentation anchors.
// Only structured facts are taken from the manual (titles, tables, keyword lists), never prose.
//
// Usage: node scripts/generate-keywords.js [path/to/haproxy-2.6] [--doc configuration.html] [--out dir] [--check]
// Environment: HAPROXY_GATEWAY_SHARED_DIR (the shared folder), HAPROXY_DOC (the 2.6 HTML manual).
// --check compares with the committed files.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const GENERATOR = 'scripts/generate-keywords.js';
const FORMAT = 1;
const DEFAULT_DOC = '/usr/share/doc/haproxy-doc/html/configuration.html';
const OUT_DIR = path.join(__dirname, '..', 'src', 'language', 'core', 'keywords');

const PROXY_KINDS = ['defaults', 'frontend', 'listen', 'backend'];
// Misspelled keyword titles in the manual, mapped to what HAProxy accepts.
const DOC_ERRATA = { 'tcp-resposne': 'tcp-response' };
// Rule sets whose second word is an action keyword; the `tcp-*` ones carry a rule stage first.
const RULESET_ROOTS = {
  'http-request': [],
  'http-response': [],
  'http-after-response': [],
  'tcp-request': ['connection', 'session', 'content'],
  'tcp-response': ['content'],
};

// ---------------------------------------------------------------------------------------------
// Small helpers

function unescapeHtml(s) {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&#39;/g, "'")
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&');
}

function stripTags(s) {
  // dconv adds a dropdown of "this keyword is available in sections..." after linked keywords.
  return s.replace(/<ul class="dropdown-menu">[\s\S]*?<\/ul>/g, '').replace(/<[^>]*>/g, '');
}

function squash(s) {
  return s.replace(/\s+/g, ' ').trim();
}

/** Sorts object keys recursively so that the JSON output is byte-for-byte deterministic. */
function sortDeep(value) {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (value && typeof value === 'object') {
    const out = {};
    for (const key of Object.keys(value).sort()) out[key] = sortDeep(value[key]);
    return out;
  }
  return value;
}

function uniqSorted(list) {
  return [...new Set(list)].sort();
}

function pushUnique(list, item) {
  if (!list.includes(item)) list.push(item);
}

// ---------------------------------------------------------------------------------------------
// Binary facts

function findHaproxy(argvPath) {
  if (argvPath) return argvPath;
  if (process.env.HAPROXY) return process.env.HAPROXY;
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    const candidate = path.join(dir, 'haproxy');
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  return null;
}

function runHaproxy(bin, args) {
  // -dKall exits non-zero (no listener); the dump is on stdout either way.
  try {
    return execFileSync(bin, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  } catch (err) {
    if (err && typeof err.stdout === 'string' && err.stdout.length > 0) return err.stdout;
    throw err;
  }
}

/** Parses `haproxy -vv`: full version and the enabled build features. */
function parseVersionOutput(text) {
  const m = /^HA-?Proxy version (\S+)/m.exec(text);
  if (!m) throw new Error('cannot find "HAProxy version" in haproxy -vv output');
  const full = m[1];
  const mm = /^(\d+)\.(\d+)/.exec(full);
  const features = [];
  const fl = /^Feature list : (.*)$/m.exec(text);
  if (fl) for (const f of fl[1].trim().split(/\s+/)) if (f.startsWith('+')) features.push(f.slice(1));
  return { full, short: `${mm[1]}.${mm[2]}`, features: features.sort() };
}

/**
 * Parses `haproxy -dKall` (2.6 layout): ACL keywords, configuration keywords per section (with
 * bind/server/option/action sub-lists), converters, filters, sample fetches and services.
 */
function parseDumpOutput(text) {
  const out = {
    acl: {}, // name -> { fetch, match }
    sections: {}, // section -> Set(first words)
    bind: {}, // option -> { args, ssl }
    server: {}, // option -> { args }
    options: {}, // option -> { flags: [FE, BE, HTTP] }
    actions: {}, // ruleset -> { name -> { prefix } }
    crtList: {}, // option -> { args }
    converters: {}, // name -> { args, input, output }
    fetches: {}, // name -> { args, output, usage }
    filters: [],
    services: [],
    cli: [],
  };
  let block = null;
  let section = null;
  for (const rawLine of text.split('\n')) {
    const line = rawLine.replace(/\r$/, '');
    if (line.startsWith('# List of registered ')) {
      const what = line.slice('# List of registered '.length);
      if (what.startsWith('ACL')) block = 'acl';
      else if (what.startsWith('configuration')) block = 'config';
      else if (what.startsWith('CLI')) block = 'cli';
      else if (what.startsWith('sample converter')) block = 'conv';
      else if (what.startsWith('filter')) block = 'filter';
      else if (what.startsWith('sample fetch')) block = 'fetch';
      else if (what.startsWith('service')) block = 'service';
      else block = null;
      continue;
    }
    if (line.startsWith('#') || line.trim() === '') continue;
    switch (block) {
      case 'acl': {
        const m = /^(\S+) = (\S+) -m (\S+)$/.exec(line);
        if (m) out.acl[m[1]] = { fetch: m[2], match: m[3] };
        break;
      }
      case 'config': {
        if (!line.startsWith('\t')) {
          section = line.trim();
          out.sections[section] = out.sections[section] || new Set();
          break;
        }
        const kw = line.trim();
        let m;
        if ((m = /^bind <addr> (ssl )?(\S+)(?: \+(\d+))?$/.exec(kw))) {
          out.bind[m[2]] = { args: m[3] ? Number(m[3]) : 0, ssl: Boolean(m[1]) };
        } else if ((m = /^server <name> <addr> (\S+)(?: \+(\d+))?$/.exec(kw))) {
          out.server[m[1]] = { args: m[2] ? Number(m[2]) : 0 };
        } else if ((m = /^option (\S+) \[ ([A-Z ]+) \]$/.exec(kw))) {
          out.options[m[1]] = { flags: m[2].trim().split(/\s+/) };
        } else if (
          (m = /^(http-request|http-response|http-after-response|tcp-request \S+|tcp-response \S+) (\S+)$/.exec(kw))
        ) {
          const prefix = m[2].endsWith('*');
          const name = prefix ? m[2].slice(0, -1) : m[2];
          (out.actions[m[1]] = out.actions[m[1]] || {})[name] = { prefix };
        } else if (section === 'crt-list') {
          m = /^(\S+)(?: \+(\d+))?$/.exec(kw);
          if (m) out.crtList[m[1]] = { args: m[2] ? Number(m[2]) : 0 };
        } else {
          out.sections[section].add(kw.split(/\s+/)[0]);
        }
        break;
      }
      case 'cli':
        out.cli.push(line.replace(/\s*\[[A-Z]+\]/g, '').trim());
        break;
      case 'conv': {
        const m = /^([^\s(:]+)(?:\(([^)]*)\))?: (\S+) => (\S+)$/.exec(line);
        if (m) out.converters[m[1]] = { args: m[2] === undefined ? null : m[2], input: m[3], output: m[4] };
        break;
      }
      case 'filter': {
        const m = /^(\S+)/.exec(line);
        if (m) out.filters.push(m[1]);
        break;
      }
      case 'fetch': {
        const m = /^\[ ([Y. ]+) \] ([^\s(:]+)(?:\(([^)]*)\))?: (\S+)$/.exec(line);
        if (m)
          out.fetches[m[2]] = { args: m[3] === undefined ? null : m[3], output: m[4], usage: m[1].replace(/ /g, '') };
        break;
      }
      case 'service':
        out.services.push(line.trim());
        break;
      default:
        break;
    }
  }
  return out;
}

/** The fetch usage columns, in the order of `-dKall`'s matrix (one character per column). */
function parseFetchUsageColumns(text) {
  const cols = [];
  for (const line of text.split('\n')) {
    const m = /^#[ /]*_\.-+ (.+)$/.exec(line);
    if (m) cols.push(m[1].trim());
  }
  return cols;
}

// ---------------------------------------------------------------------------------------------
// Manual facts

/**
 * Chapter markers in document order: rendered headings (`<h2 id="chapter-4.2">`) and chapters the
 * HTML converter left as plain text ("6.2.1. Cache section" underlined with dashes).
 */
function findChapters(html) {
  const marks = [];
  const h = /<h[1-6] id="chapter-([\d.]+)"[^>]*>([\s\S]*?)<\/h[1-6]>/g;
  let m;
  while ((m = h.exec(html))) {
    const title = squash(unescapeHtml(stripTags(m[2].replace(/<small>[\s\S]*?<\/small>/, ''))));
    marks.push({ index: m.index, id: m[1], title });
  }
  const plain = /(?:^|>)(\d+(?:\.\d+)*)\.[ \t]+([^<\n]+)\n-{3,}\n/gm;
  while ((m = plain.exec(html))) marks.push({ index: m.index, id: m[1], title: squash(unescapeHtml(m[2])) });
  marks.sort((a, b) => a.index - b.index);
  return marks;
}

function chapterAt(marks, index) {
  let lo = 0;
  let hi = marks.length - 1;
  let found = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (marks[mid].index <= index) {
      found = marks[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** Every `<div class="keyword">` title: name, anchor, argument hint, deprecation, chapter. */
function parseKeywordTitles(html, marks) {
  const list = [];
  const re =
    /<div class="keyword"><b><a class="anchor" name="[^"]*"><\/a><a href="#([^"]+)">([^<]+)<\/a><\/b>([\s\S]*?)<\/div>/g;
  let m;
  while ((m = re.exec(html))) {
    const anchor = m[1];
    const name = squash(unescapeHtml(m[2])).replace(/^\S+/, (w) => DOC_ERRATA[w] || w);
    let rest = m[3];
    const deprecated = /label-warning">\(deprecated\)/.test(rest);
    rest = rest
      .replace(/<span class="pull-right">[\s\S]*?<\/span><\/span>/g, '')
      .replace(/<span class="label[^"]*">[^<]*<\/span>/g, '');
    const tail = squash(unescapeHtml(stripTags(rest)));
    const chapter = chapterAt(marks, m.index);
    list.push({
      name,
      anchor,
      tail,
      deprecated,
      chapter: chapter ? chapter.id : '',
      chapterTitle: chapter ? chapter.title : '',
    });
  }
  return list;
}

/** The proxy keywords matrix of section 4.1: keyword -> kinds, negatable "(*)", "(!)", deprecated. */
function parseProxyMatrix(html) {
  const start = html.indexOf('id="chapter-4.1"');
  const end = html.indexOf('id="chapter-4.2"');
  if (start < 0 || end < 0) throw new Error('proxy keywords matrix (4.1) not found in the manual');
  const part = html.slice(start, end);
  const rows = {};
  const rowRe = /<tr><td None>([\s\S]*?)<\/tr>/g;
  let m;
  while ((m = rowRe.exec(part))) {
    const cells = m[1].split(/<\/td>\s*<td[^>]*>/).map((c) => c.replace(/<\/td>\s*$/, ''));
    if (cells.length !== 5) continue;
    const first = cells[0];
    const deprecated = /\(deprecated\)/.test(first);
    const negatable = /\(\*\)/.test(first);
    const nameMatch = /<a href="#([^"]+)">(?:<span class="pull-right">[\s\S]*?<\/span><\/span>)?([^<]+)<\/a>/.exec(
      first,
    );
    if (!nameMatch) continue;
    const name = squash(unescapeHtml(nameMatch[2]));
    const kinds = [];
    let namedDefaultsOnly = false;
    cells.slice(1).forEach((cell, i) => {
      const text = squash(unescapeHtml(stripTags(cell)));
      const yes = /alt="X"/.test(cell) || /^X\b/.test(text);
      if (yes) kinds.push(['defaults', 'frontend', 'listen', 'backend'][i]);
      if (i === 0 && /\(!\)/.test(text)) namedDefaultsOnly = true;
    });
    rows[name] = { kinds, deprecated, negatable, namedDefaultsOnly, anchor: nameMatch[1] };
  }
  return rows;
}

/** The keyword list at the top of chapter 3 (global section). */
function parseGlobalList(html) {
  const start = html.indexOf('id="chapter-3"');
  const end = html.indexOf('id="chapter-3.1"');
  const text = unescapeHtml(stripTags(html.slice(start, end)));
  const list = {};
  for (const line of text.split('\n')) {
    const m = /^\s+- (\S+)(\s+\(deprecated\))?\s*$/.exec(line);
    if (m) list[m[1]] = { deprecated: Boolean(m[2]) };
  }
  return list;
}

/** Address prefixes of chapter 11 ("'ipv4@<address>' ..."), in text order. */
function parseAddressPrefixes(html) {
  const start = html.indexOf('id="chapter-11"');
  const text = unescapeHtml(stripTags(html.slice(start)));
  const list = [];
  for (const line of text.split('\n')) {
    const m = /^'([a-z0-9+]+(?:<family>)?)@/.exec(line);
    if (m && !m[1].includes('<')) pushUnique(list, `${m[1]}@`);
  }
  return list.sort();
}

/** Text of a chapter (tags stripped), from its heading to the next heading of any level. */
function chapterText(html, id) {
  const start = html.indexOf(`id="chapter-${id}"`);
  if (start < 0) return '';
  const next = html.slice(start + 1).search(/<h[1-6] id="chapter-/);
  return unescapeHtml(stripTags(html.slice(start, next < 0 ? undefined : start + 1 + next)));
}

/** ACL flags (`-i`, `-m`...) and match methods (`beg`, `reg`...) listed in chapter 7.1. */
function parseAclSyntax(html) {
  const text = chapterText(html, '7.1');
  const flags = {};
  const methods = [];
  for (const line of text.split('\n')) {
    let m = /^\s+(-[A-Za-z-]+|--)\s+:\s+(\S.*)$/.exec(line);
    if (m) flags[m[1]] = { summary: m[2].trim().replace(/\.$/, '') };
    m = /^\s+- "(\w+)"\s*:/.exec(line);
    if (m) pushUnique(methods, m[1]);
  }
  return { flags, methods: methods.sort() };
}

/** Pre-defined ACLs of chapter 7.4: name -> equivalent expression. */
function parsePredefinedAcls(html) {
  const start = html.indexOf('id="chapter-7.4"');
  const end = html.indexOf('id="chapter-8"');
  const part = html.slice(start, end);
  const out = {};
  const re = /<tr><td None>([^<]+)<\/td><td None>([^<]*)<\/td>/g;
  let m;
  while ((m = re.exec(part))) out[squash(unescapeHtml(m[1]))] = { equivalent: squash(unescapeHtml(m[2])) };
  return out;
}

/** Conditional block directives and predicates of chapter 2.4 (".if <condition>", "defined(<name>)"). */
function parseConditionals(html) {
  const text = chapterText(html, '2.4');
  const directives = {};
  const predicates = {};
  for (const line of text.split('\n')) {
    let m = /^\s+- (\.[a-z]+)\b\s*(.*?)\s*(?::.*)?$/.exec(line);
    if (m) directives[m[1]] = { syntax: squash(`${m[1]} ${m[2]}`) };
    m = /^\s+- ([a-z_]+)\(([^)]*)\)\s*:/.exec(line);
    if (m) predicates[m[1]] = { syntax: `${m[1]}(${m[2]})` };
  }
  return { directives, predicates };
}

/** Log-format variables of the 8.2.6 table: name (without %) -> { field, type, requires }. */
function parseLogFormatVariables(html) {
  const text = chapterText(html, '8.2.6');
  const out = {};
  for (const line of text.split('\n')) {
    const m = /^\s*\|\s*([A-Z]?)\s*\|\s*%(\w+)\s*\|\s*(.*?)\s*\|\s*(.*?)\s*\|\s*$/.exec(line);
    if (!m) continue;
    const v = { field: squash(m[3]) };
    if (m[4]) v.type = m[4];
    if (m[1] === 'H') v.requires = 'http';
    if (m[1] === 'S') v.requires = 'ssl';
    out[m[2]] = v;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Assembly

function docUrlFor(short) {
  return `https://docs.haproxy.org/${short}/configuration.html`;
}

function newEntry() {
  return { foundIn: [] };
}

function addSyntax(entry, text) {
  if (!text) return;
  entry.syntax = entry.syntax || [];
  pushUnique(entry.syntax, text);
}

/** Adds a (possibly multi-word) keyword into a tree of { name -> entry (with .sub) }. */
function addPath(tree, words, fill) {
  let node = tree;
  let entry = null;
  for (let i = 0; i < words.length; i++) {
    entry = node[words[i]] = node[words[i]] || newEntry();
    if (i < words.length - 1) node = entry.sub = entry.sub || {};
  }
  fill(entry);
  return entry;
}

function markDoc(entry, t) {
  pushUnique(entry.foundIn, 'doc');
  entry.documented = true;
  if (!entry.anchor) entry.anchor = t.anchor;
  if (t.deprecated) entry.deprecated = true;
  addSyntax(entry, t.name + (t.tail ? ` ${t.tail}` : ''));
}

/** Marks keywords that only have multi-word documented forms (e.g. `timeout`): a sub-keyword is required. */
function finishTree(tree) {
  for (const entry of Object.values(tree)) {
    if (entry.sub) {
      finishTree(entry.sub);
      if (!entry.documented) {
        entry.subRequired = true;
        // The first word exists wherever any of its forms does.
        for (const s of Object.values(entry.sub)) for (const f of s.foundIn) pushUnique(entry.foundIn, f);
      }
    }
    delete entry.documented;
    entry.foundIn.sort();
    if (entry.syntax) entry.syntax.sort();
  }
}

function buildKeywords({ versionText, dumpText, html, haproxyPath, docPath, probeRemoved }) {
  const version = parseVersionOutput(versionText);
  const dump = parseDumpOutput(dumpText);
  const marks = findChapters(html);
  const titles = parseKeywordTitles(html, marks);
  const matrix = parseProxyMatrix(html);
  const globalList = parseGlobalList(html);

  const sections = {};
  const newSection = (kind, anchor) => {
    sections[kind] = sections[kind] || { anchor: anchor || undefined, keywords: {}, options: {}, foundIn: [] };
    return sections[kind];
  };

  // Section kinds: global (chapter 3.1-3.3), the proxies of the 4.1 matrix, and every chapter
  // describing a section (3.4+ and those titled "... section"): its first keyword is the header.
  newSection('global', '3');
  for (const kind of PROXY_KINDS) newSection(kind, '4');
  const chapterFirst = new Map();
  for (const t of titles) if (!chapterFirst.has(t.chapter)) chapterFirst.set(t.chapter, t);
  const sectionChapters = new Map(); // chapter id -> section kind
  for (const mark of marks) {
    const isGlobalSub = /^3\.\d+$/.test(mark.id) && !['3.1', '3.2', '3.3'].includes(mark.id);
    const isSection = /\bsection$/i.test(mark.title) && !/^proxy section$/i.test(mark.title);
    if (!isGlobalSub && !isSection) continue;
    const first = chapterFirst.get(mark.id);
    if (!first || first.name.includes(' ')) continue;
    sectionChapters.set(mark.id, first.name);
    const s = newSection(first.name, first.anchor);
    s.header = { anchor: first.anchor, syntax: first.name + (first.tail ? ` ${first.tail}` : '') };
    pushUnique(s.foundIn, 'doc');
  }
  for (const kind of [...PROXY_KINDS, 'global']) pushUnique(sections[kind].foundIn, 'doc');
  for (const kind of Object.keys(dump.sections)) if (sections[kind]) pushUnique(sections[kind].foundIn, 'binary');
  // The binary registers proxy keywords under "listen" for all proxy kinds.
  if (dump.sections.listen) for (const kind of PROXY_KINDS) pushUnique(sections[kind].foundIn, 'binary');

  const actions = {};
  const rulesetOf = (words) => {
    const root = words[0];
    if (!(root in RULESET_ROOTS)) return null;
    const stages = RULESET_ROOTS[root];
    if (stages.length === 0) return words.length > 1 ? { name: root, rest: words.slice(1) } : null;
    if (words.length > 2 && stages.includes(words[1])) return { name: `${root} ${words[1]}`, rest: words.slice(2) };
    return null;
  };
  const addAction = (ruleset, words, fill) => {
    actions[ruleset] = actions[ruleset] || {};
    return addPath(actions[ruleset], words, fill);
  };

  const bindOptions = {};
  const serverOptions = {};
  const converters = {};
  const fetches = {};
  const filters = {};

  const proxyKindsFor = (words) => {
    // Longest matrix row that prefixes the keyword (e.g. "balance url_param" -> "balance").
    for (let n = words.length; n > 0; n--) {
      const row = matrix[words.slice(0, n).join(' ')];
      if (row) return row;
    }
    return null;
  };

  for (const t of titles) {
    const words = t.name.split(' ');
    const chap = t.chapter;
    if (/^3\.[123]$/.test(chap)) {
      addPath(sections.global.keywords, words, (e) => markDoc(e, t));
    } else if (sectionChapters.has(chap)) {
      const kind = sectionChapters.get(chap);
      if (words.length === 1 && words[0] === kind && chapterFirst.get(chap) === t) continue;
      const s = sections[kind];
      if (words[0] === 'option' || (words[0] === 'no' && words[1] === 'option')) {
        const neg = words[0] === 'no';
        const optWords = words.slice(neg ? 2 : 1);
        addPath(s.options, optWords.slice(0, 1), (e) => {
          if (neg) e.negatable = true;
          else markDoc(e, { ...t, tail: [optWords.slice(1).join(' '), t.tail].filter(Boolean).join(' ') });
        });
      } else addPath(s.keywords, words, (e) => markDoc(e, t));
    } else if (chap === '4.2' || (/^\d+(\.\d+)*$/.test(chap) && /proxy section/i.test(t.chapterTitle))) {
      const ruleset = rulesetOf(words);
      if (ruleset) {
        addAction(ruleset.name, ruleset.rest, (e) => markDoc(e, t));
        continue;
      }
      if (words[0] === 'option' || (words[0] === 'no' && words[1] === 'option')) {
        const neg = words[0] === 'no';
        const optWords = words.slice(neg ? 2 : 1);
        const row = matrix[`option ${optWords[0]}`] || matrix[`option ${optWords.join(' ')}`];
        const kinds = row ? row.kinds : PROXY_KINDS;
        for (const kind of kinds) {
          addPath(sections[kind].options, optWords.slice(0, 1), (e) => {
            if (neg || (row && row.negatable)) e.negatable = true;
            if (row && row.deprecated) e.deprecated = true;
            if (!neg) markDoc(e, { ...t, tail: [optWords.slice(1).join(' '), t.tail].filter(Boolean).join(' ') });
            else if (!e.anchor) e.anchor = t.anchor;
          });
        }
        continue;
      }
      if (words[0] === 'no' && words.length > 1) {
        // "no log": the negated form of a keyword.
        const row = proxyKindsFor(words.slice(1));
        for (const kind of row ? row.kinds : PROXY_KINDS) {
          addPath(sections[kind].keywords, words.slice(1), (e) => {
            e.negatable = true;
          });
        }
        continue;
      }
      const row = proxyKindsFor(words);
      const kinds = row ? row.kinds : PROXY_KINDS;
      for (const kind of kinds) {
        addPath(sections[kind].keywords, words, (e) => {
          markDoc(e, t);
          if (row && row.deprecated) e.deprecated = true;
          if (row && row.negatable) e.negatable = true;
          if (row && row.namedDefaultsOnly && kind === 'defaults') e.namedDefaultsOnly = true;
        });
      }
    } else if (chap === '5.1') {
      addPath(bindOptions, words.slice(0, 1), (e) => markDoc(e, t));
    } else if (chap === '5.2') {
      addPath(serverOptions, words.slice(0, 1), (e) => markDoc(e, t));
    } else if (chap === '7.3.1') {
      const e = (converters[t.name] = converters[t.name] || newEntry());
      pushUnique(e.foundIn, 'doc');
      e.anchor = e.anchor || t.anchor;
      if (t.deprecated) e.deprecated = true;
      const m = /^(\(.*\))?\s*(?::\s*(\S+))?/.exec(t.tail);
      if (m && m[1]) e.docArgs = m[1];
    } else if (/^7\.3\.[2-6]$/.test(chap)) {
      const e = (fetches[t.name] = fetches[t.name] || newEntry());
      pushUnique(e.foundIn, 'doc');
      e.anchor = e.anchor || t.anchor;
      if (t.deprecated) e.deprecated = true;
      const m = /^(\(.*\))?\s*(?::\s*(.+))?$/.exec(t.tail);
      if (m && m[1]) e.docArgs = m[1];
      if (m && m[2]) e.docType = m[2].trim();
    } else if (/^9\.\d+$/.test(chap) && words[0] === 'filter' && words[1]) {
      const e = (filters[words[1]] = filters[words[1]] || newEntry());
      markDoc(e, t);
    }
  }

  // Proxy keywords the matrix lists but 4.2 does not document with a title of their own.
  for (const [name, row] of Object.entries(matrix)) {
    const words = name.split(' ');
    if (words[0] === 'option' || rulesetOf(words)) continue;
    for (const kind of row.kinds) {
      addPath(sections[kind].keywords, words, (e) => {
        pushUnique(e.foundIn, 'doc');
        if (!e.anchor) e.anchor = row.anchor;
        if (row.deprecated) e.deprecated = true;
        if (row.negatable) e.negatable = true;
        if (row.namedDefaultsOnly && kind === 'defaults') e.namedDefaultsOnly = true;
      });
    }
  }
  for (const [name, info] of Object.entries(matrix)) {
    const words = name.split(' ');
    if (words[0] !== 'option') continue;
    for (const kind of info.kinds) {
      addPath(sections[kind].options, [words[1]], (e) => {
        pushUnique(e.foundIn, 'doc');
        if (!e.anchor) e.anchor = info.anchor;
        if (info.negatable) e.negatable = true;
        if (info.deprecated) e.deprecated = true;
      });
    }
  }
  // Global keywords named in the chapter 3 list without a title of their own.
  for (const [name, info] of Object.entries(globalList)) {
    addPath(sections.global.keywords, [name], (e) => {
      pushUnique(e.foundIn, 'doc');
      if (info.deprecated) e.deprecated = true;
    });
  }

  // Binary: section keywords (first words).
  for (const [kind, words] of Object.entries(dump.sections)) {
    const targets = kind === 'listen' ? PROXY_KINDS : sections[kind] ? [kind] : [];
    for (const w of words) {
      if (w === 'option' || w === 'no') continue;
      if (kind === 'listen') {
        // The binary does not say which proxy kinds accept it: use the manual's, else all.
        const known = PROXY_KINDS.filter((k) => sections[k].keywords[w]);
        for (const k of known.length ? known : targets)
          addPath(sections[k].keywords, [w], (e) => pushUnique(e.foundIn, 'binary'));
      } else for (const k of targets) addPath(sections[k].keywords, [w], (e) => pushUnique(e.foundIn, 'binary'));
    }
  }
  // Binary: boolean proxy options with their FE/BE applicability.
  for (const [name, info] of Object.entries(dump.options)) {
    const fe = info.flags.includes('FE');
    const be = info.flags.includes('BE');
    const kinds = PROXY_KINDS.filter(
      (k) => k === 'defaults' || k === 'listen' || (k === 'frontend' && fe) || (k === 'backend' && be),
    );
    for (const kind of kinds) {
      addPath(sections[kind].options, [name], (e) => {
        pushUnique(e.foundIn, 'binary');
        e.negatable = true; // every registered boolean option takes "no option"
        if (info.flags.includes('HTTP')) e.httpOnly = true;
      });
    }
  }
  // Binary: actions.
  for (const [ruleset, names] of Object.entries(dump.actions)) {
    for (const [name, info] of Object.entries(names)) {
      addAction(ruleset, [name], (e) => {
        pushUnique(e.foundIn, 'binary');
        if (info.prefix) e.matchPrefix = true;
      });
    }
  }
  // Doc names prefixed actions by their instances (track-sc0, track-sc1...): fold them into the
  // binary's prefix entry, keeping each instance's anchor.
  for (const table of Object.values(actions)) {
    for (const name of Object.keys(table)) {
      const base = Object.keys(table).find(
        (b) => b !== name && table[b].matchPrefix && name.startsWith(b) && /^\d+$/.test(name.slice(b.length)),
      );
      if (base && table[name].foundIn.length === 1 && table[name].foundIn[0] === 'doc') {
        pushUnique(table[base].foundIn, 'doc');
        table[base].anchor = table[base].anchor || table[name].anchor;
        for (const s of table[name].syntax || []) addSyntax(table[base], s);
        delete table[name];
      }
    }
  }
  // Binary: bind / server / crt-list options.
  for (const [name, info] of Object.entries(dump.bind)) {
    addPath(bindOptions, [name], (e) => {
      pushUnique(e.foundIn, 'binary');
      e.args = info.args;
      if (info.ssl) e.ssl = true;
    });
  }
  for (const [name, info] of Object.entries(dump.server)) {
    addPath(serverOptions, [name], (e) => {
      pushUnique(e.foundIn, 'binary');
      e.args = info.args;
    });
  }
  for (const [name, info] of Object.entries(dump.converters)) {
    const e = (converters[name] = converters[name] || newEntry());
    pushUnique(e.foundIn, 'binary');
    if (info.args !== null) e.args = info.args;
    e.input = info.input;
    e.output = info.output;
  }
  for (const [name, info] of Object.entries(dump.fetches)) {
    const e = (fetches[name] = fetches[name] || newEntry());
    pushUnique(e.foundIn, 'binary');
    if (info.args !== null) e.args = info.args;
    e.output = info.output;
    e.usage = info.usage;
  }
  for (const f of dump.filters) {
    const e = (filters[f] = filters[f] || newEntry());
    pushUnique(e.foundIn, 'binary');
  }

  // Keywords the binary registers but the manual does not document are often removed ones kept
  // only to print a migration hint: ask the binary (when a probe is given) and record its message.
  if (probeRemoved) {
    for (const kind of ['global', ...PROXY_KINDS]) {
      for (const [name, e] of Object.entries(sections[kind].keywords)) {
        if (e.foundIn.length !== 1 || e.foundIn[0] !== 'binary' || e.sub) continue;
        const message = probeRemoved(kind, name);
        if (message) e.removed = message;
      }
    }
  }

  for (const s of Object.values(sections)) {
    finishTree(s.keywords);
    finishTree(s.options);
    s.foundIn.sort();
    if (s.anchor === undefined) delete s.anchor;
  }
  for (const table of Object.values(actions)) finishTree(table);
  for (const table of [bindOptions, serverOptions, converters, fetches, filters]) finishTree(table);

  const aclKeywords = {};
  for (const [name, info] of Object.entries(dump.acl)) {
    aclKeywords[name] = { fetch: info.fetch, match: info.match };
    const doc = fetches[name] && fetches[name].anchor ? fetches[name] : fetches[info.fetch];
    if (doc && doc.anchor) aclKeywords[name].anchor = doc.anchor;
  }

  const data = {
    format: FORMAT,
    generator: GENERATOR,
    haproxyVersion: version.full,
    version: version.short,
    docUrl: docUrlFor(version.short),
    sources: {
      binary: path.basename(haproxyPath || 'haproxy'),
      manual: path.basename(docPath || 'configuration.html'),
    },
    buildFeatures: version.features,
    sectionKinds: Object.keys(sections).sort(),
    sections,
    actions,
    bindOptions,
    serverOptions,
    crtListOptions: Object.fromEntries(Object.entries(dump.crtList).map(([k, v]) => [k, { args: v.args }])),
    aclKeywords,
    fetches,
    fetchUsageColumns: parseFetchUsageColumns(dumpText),
    converters,
    filters,
    services: uniqSorted(dump.services),
    addressPrefixes: parseAddressPrefixes(html),
    acl: { ...parseAclSyntax(html), predefined: parsePredefinedAcls(html) },
    conditional: parseConditionals(html),
    logFormatVariables: parseLogFormatVariables(html),
  };
  return sortDeep(data);
}

function serialize(data) {
  return `${JSON.stringify(data, null, 1)}\n`;
}

function parseArgs(argv) {
  const opts = { bin: null, doc: process.env.HAPROXY_DOC || DEFAULT_DOC, out: OUT_DIR, check: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--doc') opts.doc = argv[++i];
    else if (a === '--out') opts.out = argv[++i];
    else if (a === '--check') opts.check = true;
    else if (!a.startsWith('--')) opts.bin = a;
    else throw new Error(`unknown option ${a}`);
  }
  return opts;
}

/** Checks a single keyword with `haproxy -c`; returns HAProxy's message when it says the keyword is gone. */
function makeRemovalProbe(bin) {
  const os = require('node:os');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haproxy-kw-'));
  const file = path.join(dir, 'probe.cfg');
  const cache = new Map();
  const probe = (kind, keyword) => {
    const key = `${kind === 'global' ? 'global' : 'proxy'} ${keyword}`;
    if (cache.has(key)) return cache.get(key);
    const body =
      kind === 'global'
        ? `global\n    ${keyword}\n`
        : `${kind === 'defaults' ? 'defaults' : `${kind} probe`}\n    ${keyword}\n`;
    fs.writeFileSync(file, body);
    let output = '';
    try {
      output = execFileSync(bin, ['-c', '-f', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      output = `${err.stdout || ''}${err.stderr || ''}`;
    }
    const m =
      /\[ALERT\][^\n]*?\]\s*:\s*([^\n]*(?:not supported anymore|no longer supported|has been removed)[^\n]*)/i.exec(
        output,
      );
    const message = m ? m[1].trim() : null;
    cache.set(key, message);
    return message;
  };
  probe.dispose = () => fs.rmSync(dir, { recursive: true, force: true });
  return probe;
}

/** Runs the binary and reads the manual; returns { data, fileName }. */
function generate({ bin, doc }) {
  const haproxyPath = findHaproxy(bin);
  if (!haproxyPath) throw new Error('haproxy not found: pass its path, set HAPROXY or add it to PATH');
  const versionText = runHaproxy(haproxyPath, ['-vv']);
  const dumpText = runHaproxy(haproxyPath, ['-dKall', '-q', '-c', '-f', '/dev/null']);
  const html = fs.readFileSync(doc, 'utf8');
  const probeRemoved = makeRemovalProbe(haproxyPath);
  let data;
  try {
    data = buildKeywords({ versionText, dumpText, html, haproxyPath, docPath: doc, probeRemoved });
  } finally {
    probeRemoved.dispose();
  }
  return { data, fileName: `haproxy-${data.version}.json` };
}

/**
 * The TypeScript registry of every haproxy-<version>.json beside it, as loaders: the data (a quarter
 * of a megabyte) is read with JSON.parse when first needed, not parsed as code when the extension
 * loads. esbuild.js keeps these requires external and copies the files to dist/keywords/.
 */
function renderVersionsModule(dir) {
  const files = fs
    .readdirSync(dir)
    .filter((f) => /^haproxy-\d+\.\d+\.json$/.test(f))
    .sort(compareFileVersions);
  const lines = [
    `// Generated by ${GENERATOR}: one loader per keyword data file. Do not edit.`,
    '// Loaders, not imports: the data is read when first needed, not when the extension loads.',
    '/* eslint-disable @typescript-eslint/no-require-imports */',
    "import type { KeywordData } from './index';",
    "import { applyPatch, type KeywordPatch } from './patch';",
    '',
    '/** Versions other than the base are stored as a patch over it (the VSIX stays small). */',
    'export const KEYWORD_DATA: Record<string, () => KeywordData> = {',
  ];
  for (const file of files) {
    const version = file.slice('haproxy-'.length, -'.json'.length);
    const head = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    if (head.patch) {
      lines.push(
        `  '${version}': () => applyPatch(KEYWORD_DATA['${head.base}']!(), (require('./${file}') as KeywordPatch).patch),`,
      );
    } else lines.push(`  '${version}': () => require('./${file}') as KeywordData,`);
  }
  lines.push('};', '');
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Every supported version from the shared reference folder (no binary needed)

/** The versions whose dumps and manuals `../shared/reference/haproxy-versions/` holds; the first is the base. */
const VERSIONS = ['2.6', '2.8', '3.0', '3.2', '3.4'];
const BASE_VERSION = VERSIONS[0];
// Sections the 2.6 parser does not have; 3.2+ dumps list their keywords in the `cfg` block.
const NEW_SECTIONS = ['crt-store', 'traces', 'acme'];

/** Same rule as the tests (test/support/paths.ts): HAPROXY_GATEWAY_SHARED_DIR, else ../shared beside the checkout. */
function sharedVersionsDir() {
  const shared = process.env.HAPROXY_GATEWAY_SHARED_DIR || path.resolve(__dirname, '..', '..', 'shared');
  return path.join(shared, 'reference', 'haproxy-versions');
}

/** `-vv` without the "Feature list" line (the shared version.txt): features from the "Built with" lines. */
function featuresFromBuiltWith(text) {
  const out = [];
  const rules = [
    [/^Built with (SSL library|OpenSSL)/m, 'OPENSSL'],
    [/^Built with Lua/m, 'LUA'],
    [/^Built with PCRE2/m, 'PCRE2'],
    [/^PCRE2 library supports JIT : yes/m, 'PCRE2_JIT'],
    [/Prometheus exporter/m, 'PROMEX'],
    [/^QUIC:/m, 'QUIC'],
    [/^Built with multi-threading/m, 'THREAD'],
    [/^Built with network namespace/m, 'NS'],
    [/^Built with transparent proxy/m, 'TPROXY'],
    [/^Built with libslz/m, 'SLZ'],
    [/^Built with zlib/m, 'ZLIB'],
    [/OpenTracing/m, 'OT'],
    [/crypt\(3\): yes/m, 'CRYPT_H'],
  ];
  for (const [re, f] of rules) if (re.test(text)) out.push(f);
  return out;
}

/**
 * Keyword titles of a plain-text manual (what dconv turns into anchors): a line in column 0 after a
 * blank line, followed by an indented line, inside a numbered chapter. Returns name -> { anchor, tail, chapter }.
 */
function parseTextTitles(txt) {
  const lines = txt.split('\n');
  const titles = new Map();
  titles.all = [];
  let chapter = '';
  for (let i = 1; i < lines.length - 1; i++) {
    const line = lines[i];
    const heading = /^(\d+(?:\.\d+)*)\.\s+\S/.exec(line);
    if (heading && /^-{3,}/.test(lines[i + 1])) {
      chapter = heading[1];
      continue;
    }
    if (!chapter || !/^[a-z0-9.]/.test(line) || lines[i - 1].trim() !== '' || !/^ {2,}\S/.test(lines[i + 1])) continue;
    const m = /^((?:[a-z0-9._][a-z0-9._+-]*)(?: [a-z0-9._][a-z0-9._+-]*)*)(.*)$/.exec(line.replace(/\s+$/, ''));
    if (!m) continue;
    const name = m[1];
    const rest = m[2].trim();
    const deprecated = /\(deprecated\)/.test(rest);
    const tail = squash(rest.replace(/\(deprecated\)/g, ''));
    const anchor = `${chapter}-${encodeURIComponent(name)}`;
    const title = { name, anchor, tail, chapter, deprecated };
    if (!titles.has(name)) titles.set(name, title);
    titles.all.push(title);
  }
  return titles;
}

/** Names listed as "(deprecated)" in a plain-text manual (global list, matrix rows, titles). */
function parseTextDeprecated(txt) {
  const out = new Set();
  for (const line of txt.split('\n')) {
    let m = /^\s+- (\S+)\s+\(deprecated\)\s*$/.exec(line);
    if (m) out.add(m[1]);
    m = /^([a-z][a-z0-9._\- ]*?)\s+\(deprecated\)\s+(?:X|-)/.exec(line);
    if (m) out.add(m[1].trim());
  }
  return out;
}

/**
 * The version's own manual corrects the 2.6 manual's facts: anchors and argument lines come from
 * its keyword titles, deprecations from its lists; entries known only from the 2.6 manual that the
 * version's manual no longer mentions are dropped.
 */
function applyTextManual(data, txt) {
  const titles = parseTextTitles(txt);
  const deprecated = parseTextDeprecated(txt);
  const visit = (table, prefix) => {
    for (const [name, e] of Object.entries(table)) {
      const full = prefix ? `${prefix} ${name}` : name;
      const t = titles.get(full);
      if (t) {
        e.anchor = t.anchor;
        if (!e.foundIn.includes('doc')) e.foundIn = [...e.foundIn, 'doc'].sort();
        e.syntax = [squash(`${full} ${t.tail}`)];
        if (t.deprecated) e.deprecated = true;
      } else if (
        e.foundIn.length === 1 &&
        e.foundIn[0] === 'doc' &&
        !e.sub &&
        !new RegExp(`(^|[\\s"'])${escapeRe(name)}([\\s"',]|$)`, 'm').test(txt)
      ) {
        delete table[name];
        continue;
      }
      if (deprecated.has(full)) e.deprecated = true;
      if (e.sub) visit(e.sub, full);
    }
  };
  for (const s of Object.values(data.sections)) {
    visit(s.keywords, '');
    visit(s.options, 'option');
  }
  for (const [ruleset, table] of Object.entries(data.actions)) visit(table, ruleset);
  for (const table of [data.bindOptions, data.serverOptions, data.fetches, data.converters]) visit(table, '');
}

function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Lines of a text-manual chapter: from its "<id>. " heading to the next numbered heading. */
function textChapter(txt, id) {
  const lines = txt.split('\n');
  const start = lines.findIndex((l, i) => l.startsWith(`${id}. `) && /^-{3,}/.test(lines[i + 1] || ''));
  if (start < 0) return [];
  let end = start + 2;
  while (end < lines.length && !(/^\d+(\.\d+)*\.\s+\S/.test(lines[end]) && /^-{3,}/.test(lines[end + 1] || ''))) end++;
  return lines.slice(start + 2, end);
}

/** The proxy keywords matrix of a text manual (4.1): name -> { kinds, deprecated, namedDefaultsOnly }. */
function parseTextMatrix(txt) {
  const rows = {};
  const re =
    /^([a-z][a-z0-9_.-]*(?: [a-z0-9_.<>-]+)*?)((?:\s+\((?:deprecated|\*)\))*)\s+(X(?: \(!\))?|-)\s+(X|-)\s+(X|-)\s+(X|-)\s*$/;
  for (const line of textChapter(txt, '4.1')) {
    const m = re.exec(line);
    if (!m) continue;
    const kinds = PROXY_KINDS.filter((_, i) => m[3 + i].startsWith('X'));
    rows[m[1]] = {
      kinds,
      deprecated: /deprecated/.test(m[2]),
      negatable: /\(\*\)/.test(m[2]),
      namedDefaultsOnly: /\(!\)/.test(m[3]),
    };
  }
  return rows;
}

/**
 * Keywords the version's manual documents but its dump omits (parser built-ins such as `stats-file`)
 * and the sections it documents that 2.6 lacks (`log-profile`): added as documented-only entries.
 */
function addTextManualKeywords(data, txt) {
  const titles = parseTextTitles(txt);
  const doc = (name) => {
    const t = titles.get(name);
    const e = { foundIn: ['doc'] };
    if (t) {
      e.anchor = t.anchor;
      e.syntax = [squash(`${name} ${t.tail}`)];
      if (t.deprecated) e.deprecated = true;
    }
    return e;
  };
  for (const line of textChapter(txt, '3')) {
    const m = /^\s+- (\S+)(\s+\(deprecated\))?\s*$/.exec(line);
    if (!m || own(data.sections.global.keywords, m[1])) continue;
    data.sections.global.keywords[m[1]] = { ...doc(m[1]), ...(m[2] ? { deprecated: true } : {}) };
  }
  for (const [name, row] of Object.entries(parseTextMatrix(txt))) {
    const words = name.split(' ');
    if (words.length > 1 || RULESET_ROOTS[words[0]]) continue;
    for (const kind of row.kinds) {
      const table = data.sections[kind].keywords;
      if (own(table, name)) continue;
      table[name] = doc(name);
      if (row.deprecated) table[name].deprecated = true;
      if (row.negatable) table[name].negatable = true;
      if (row.namedDefaultsOnly && kind === 'defaults') table[name].namedDefaultsOnly = true;
    }
  }
  const header = titles.get('log-profile');
  if (header && !data.sections['log-profile']) {
    const keywords = {};
    for (const t of titles.all) {
      if (t.chapter !== header.chapter || t.name === 'log-profile') continue;
      keywords[t.name.split(' ')[0]] = { foundIn: ['doc'], anchor: t.anchor, syntax: [squash(`${t.name} ${t.tail}`)] };
    }
    data.sections['log-profile'] = {
      foundIn: ['doc'],
      anchor: header.anchor,
      header: { anchor: header.anchor, syntax: `log-profile ${header.tail}` },
      keywords,
      options: {},
    };
    data.sectionKinds = [...data.sectionKinds, 'log-profile'].sort();
  }
  // Sections of the 2.6 manual this version's manual no longer documents (`program` in 3.4).
  for (const kind of Object.keys(data.sections)) {
    const s = data.sections[kind];
    if (!s.header || s.foundIn.includes('binary') || titles.has(kind)) continue;
    delete data.sections[kind];
    data.sectionKinds = data.sectionKinds.filter((k) => k !== kind);
  }
  for (const line of txt.split('\n')) {
    const m = /^'([a-z0-9+]+)@<address>/.exec(line);
    if (m && !data.addressPrefixes.includes(`${m[1]}@`))
      data.addressPrefixes = [...data.addressPrefixes, `${m[1]}@`].sort();
  }
}

function own(table, key) {
  return Object.prototype.hasOwnProperty.call(table, key);
}

/** Sections 3.2+ add (`crt-store`, `traces`, `acme`): their keywords come from the dump. */
function addNewSections(data, dumpText) {
  const dump = parseDumpOutput(dumpText);
  for (const kind of NEW_SECTIONS) {
    if (!dump.sections[kind]) continue;
    const keywords = {};
    for (const w of dump.sections[kind]) keywords[w] = { foundIn: ['binary'] };
    data.sections[kind] = { foundIn: ['binary'], keywords, options: {} };
    if (!data.sectionKinds.includes(kind)) data.sectionKinds = [...data.sectionKinds, kind].sort();
  }
}

/** RFC 7386 merge patch from `base` to `next` (null deletes; arrays are replaced whole). */
function diffPatch(base, next) {
  if (!isObject(base) || !isObject(next)) return next;
  const patch = {};
  for (const key of Object.keys(base)) if (!(key in next)) patch[key] = null;
  for (const [key, value] of Object.entries(next)) {
    if (!(key in base)) patch[key] = value;
    else if (JSON.stringify(base[key]) !== JSON.stringify(value))
      patch[key] = isObject(base[key]) && isObject(value) ? diffPatch(base[key], value) : value;
  }
  return patch;
}

function isObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Same as src/language/core/keywords/patch.ts (kept in step by a unit test). */
function applyPatch(base, patch) {
  if (!isObject(patch)) return patch;
  const out = isObject(base) ? { ...base } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = applyPatch(out[key], value);
  }
  return out;
}

/**
 * Keyword data of one version from the shared folder: that version's dump and `-vv`, the facts of
 * the 2.6 HTML manual (section rules, matrix, tables), corrected by the version's own text manual.
 */
function buildSharedVersion(version, { html, base }) {
  const dir = path.join(sharedVersionsDir(), version);
  const dumpText = fs.readFileSync(path.join(dir, 'keywords.txt'), 'utf8');
  let versionText = fs.readFileSync(path.join(dir, 'version.txt'), 'utf8');
  if (!/^Feature list/m.test(versionText)) {
    versionText += `\nFeature list : ${featuresFromBuiltWith(versionText)
      .map((f) => `+${f}`)
      .join(' ')}\n`;
  }
  const data = buildKeywords({ versionText, dumpText, html, docPath: 'configuration.txt', haproxyPath: 'haproxy' });
  data.sources = {
    binary: `shared ${version}/keywords.txt`,
    manual: `shared ${version}/configuration.txt (+ 2.6 configuration.html)`,
  };
  addNewSections(data, dumpText);
  if (version !== BASE_VERSION) {
    const txt = fs.readFileSync(path.join(dir, 'configuration.txt'), 'utf8');
    applyTextManual(data, txt);
    addTextManualKeywords(data, txt);
  }
  // Removal messages come from probing a 2.6 binary; keep them when it is not there to probe.
  if (base) carryRemoved(base, data);
  // The shared -vv lacks the "Feature list" line: the committed base keeps the real binary's.
  if (base && base.version === version) data.buildFeatures = base.buildFeatures;
  return sortDeep(data);
}

/** Copies `removed` messages of keywords the binary still registers from an earlier file. */
function carryRemoved(from, to) {
  for (const [kind, s] of Object.entries(from.sections || {})) {
    const target = to.sections[kind];
    if (!target) continue;
    for (const [name, e] of Object.entries(s.keywords))
      if (e.removed && target.keywords[name]) target.keywords[name].removed = e.removed;
  }
}

/** Writes haproxy-2.6.json (full) and haproxy-<x.y>.json (a patch over 2.6) for every version. */
function generateAll(opts) {
  const dir = sharedVersionsDir();
  if (!fs.existsSync(dir)) throw new Error(`${dir} not found: set HAPROXY_GATEWAY_SHARED_DIR`);
  const html = fs.readFileSync(opts.doc, 'utf8');
  const basePath = path.join(opts.out, `haproxy-${BASE_VERSION}.json`);
  const committed = fs.existsSync(basePath) ? JSON.parse(fs.readFileSync(basePath, 'utf8')) : null;
  const files = new Map();
  let base = null;
  for (const version of VERSIONS) {
    let data;
    if (version === BASE_VERSION && opts.bin) data = generate(opts).data;
    else data = buildSharedVersion(version, { html, base: committed });
    if (version === BASE_VERSION) {
      base = data;
      files.set(`haproxy-${version}.json`, serialize(data));
    } else {
      const patch = { format: FORMAT, base: BASE_VERSION, patch: diffPatch(base, data) };
      files.set(`haproxy-${version}.json`, serialize(sortDeep(patch)));
    }
  }
  return files;
}

function compareFileVersions(a, b) {
  const va = a.match(/\d+/g).map(Number);
  const vb = b.match(/\d+/g).map(Number);
  return va[0] - vb[0] || va[1] - vb[1];
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const files = generateAll(opts);
  let stale = 0;
  for (const [fileName, text] of files) {
    const target = path.join(opts.out, fileName);
    if (opts.check) {
      const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
      if (current !== text) {
        console.error(`${target} is out of date: run node ${GENERATOR}`);
        stale++;
      }
      continue;
    }
    fs.mkdirSync(opts.out, { recursive: true });
    fs.writeFileSync(target, text);
    console.log(`wrote ${path.relative(process.cwd(), target)} (${(text.length / 1024).toFixed(0)} KiB)`);
  }
  if (opts.check) {
    if (stale) process.exit(1);
    console.log('keyword data is up to date');
    return;
  }
  fs.writeFileSync(path.join(opts.out, 'versions.ts'), renderVersionsModule(opts.out));
  console.log('the grammar is built from this data: run node scripts/generate-grammar.js');
}

module.exports = {
  VERSIONS,
  generateAll,
  applyPatch,
  diffPatch,
  parseTextTitles,
  sharedVersionsDir,
  renderVersionsModule,
  buildKeywords,
  parseDumpOutput,
  parseVersionOutput,
  generate,
  serialize,
  findHaproxy,
};

if (require.main === module) main();
