#!/usr/bin/env node
// Builds syntaxes/haproxy.tmLanguage.json (scope source.haproxy) from the hand-written rule
// template below and the keyword data of src/language/core/keywords/haproxy-<version>.json, so
// regenerating for another HAProxy version updates every keyword list of the grammar.
//
// Usage: node scripts/generate-grammar.js [--version 2.6] [--check]
//
// Design, for speed (vscode-textmate runs every regex of the current context at each token):
//  - every directive is a begin/end region anchored at the line start (`\G[ \t]*keyword`) that
//    ends at the end of the line, so argument rules only run inside the directives that need them;
//  - positional arguments (ACL criterion, action, address, sample expression) are matched with
//    `\G`, which only matches right after the region's begin: the long keyword lists are tried
//    at one position, never searched along the line;
//  - keyword lists become prefix tries (`re(?:q\.(?:hdr|...)|s\....)`), so a lookup costs the
//    length of the word, not the number of keywords;
//  - sections are regions too (a header opens one, the next header closes it), so each section
//    kind only offers its own keywords.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const KEYWORDS_DIR = path.join(ROOT, 'src', 'language', 'core', 'keywords');
const OUT_FILE = path.join(ROOT, 'syntaxes', 'haproxy.tmLanguage.json');
const GENERATOR = 'scripts/generate-grammar.js';
const S = '.haproxy';

// ---------------------------------------------------------------------------------------------
// Regex helpers

function escapeRegex(s) {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, (c) => (c === '-' || c === '/' ? c : `\\${c}`));
}

/**
 * A regex alternation of `words` compiled as a prefix trie, e.g. ["req.hdr", "req.cook", "res.hdr"]
 * -> `re(?:q\.(?:cook|hdr)|s\.hdr)`. Longer words are tried before their prefixes; callers add
 * the boundary that makes the match whole.
 */
function trie(words) {
  const rootNode = new Map();
  const END = '';
  for (const w of new Set(words)) {
    if (!w) continue;
    let node = rootNode;
    for (const ch of w) {
      if (!node.has(ch)) node.set(ch, new Map());
      node = node.get(ch);
    }
    node.set(END, null);
  }
  const emit = (node) => {
    const terminal = node.has(END);
    const keys = [...node.keys()].filter((k) => k !== END).sort();
    if (keys.length === 0) return '';
    const alts = keys.map((k) => {
      // Collapse single-child chains into literal strings.
      let s = escapeRegex(k);
      let child = node.get(k);
      while (child && child.size === 1 && !child.has(END)) {
        const [only] = child.keys();
        s += escapeRegex(only);
        child = child.get(only);
      }
      return s + emit(child);
    });
    const body = alts.length === 1 ? alts[0] : `(?:${alts.join('|')})`;
    if (!terminal) return body;
    return alts.length === 1 && alts[0].length === 1 ? `${body}?` : `(?:${alts.join('|')})?`;
  };
  const out = emit(rootNode);
  // No word: a group that matches nothing (an empty group would match everywhere).
  if (out === '') return '(?!)';
  return out.startsWith('(?:') ? out : `(?:${out})`;
}

// ---------------------------------------------------------------------------------------------
// Hostile input: no backtracking over runs of blanks or separators

// Runs that patterns skip before a token. Greedy, a run is given back character by character when
// what follows fails, and a search retried at every position inside a run does that again: a line
// of 20,000 blanks took over a minute in one regex search, which VS Code cannot interrupt.
const RUN_CLASSES = [String.raw`[ \t]`, String.raw`[ \t,=]`, String.raw`[ \t(,=]`];

/**
 * Makes every skipped run possessive (`[ \t]+` -> `[ \t]++`, never given back: what follows a run
 * never starts with one of its characters) and, where a pattern can start with a run, lets it
 * start only at the first character of the run (`(?<![ \t])`): a search over a long run then costs
 * its length, not its square.
 */
function hardenRuns(re) {
  let out = '';
  // Stack of "this group opened where the pattern can start".
  const stack = [];
  let atStart = true;
  let inClass = false;
  for (let i = 0; i < re.length;) {
    if (!inClass && atStart) {
      const run = RUN_CLASSES.find((c) => re.startsWith(c, i) && /^[+*](?![+?])/.test(re.slice(i + c.length)));
      if (run) {
        out += `(?<!${run})${run}${re[i + run.length]}+`;
        i += run.length + 1;
        atStart = false;
        continue;
      }
    }
    const c = re[i];
    if (c === '\\') {
      out += re.slice(i, i + 2);
      i += 2;
      atStart = false;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      i++;
      continue;
    }
    if (c === '[') {
      const run = RUN_CLASSES.find((cl) => re.startsWith(cl, i) && /^[+*](?![+?])/.test(re.slice(i + cl.length)));
      if (run) {
        out += `${run}${re[i + run.length]}+`;
        i += run.length + 1;
        atStart = false;
        continue;
      }
      inClass = true;
      atStart = false;
      out += c;
      i++;
      continue;
    }
    if (c === '(') {
      // Lookarounds do not consume: what follows them is still at the start.
      const look = /^\(\?<?[=!]/.test(re.slice(i));
      const head = /^\((?:\?(?::|<?[=!]|<[A-Za-z]\w*>))?/.exec(re.slice(i))[0];
      stack.push({ start: atStart, look, after: atStart });
      out += head;
      i += head.length;
      continue;
    }
    if (c === ')') {
      const g = stack.pop();
      out += c;
      i++;
      atStart = g && g.look ? g.after : false;
      continue;
    }
    if (c === '|') {
      atStart = stack.length === 0 ? true : stack[stack.length - 1].start;
      out += c;
      i++;
      continue;
    }
    out += c;
    i++;
    atStart = false;
  }
  return out;
}

/**
 * Puts a `\G` that follows the pattern's leading lookarounds first: `(?<=x)\Gy` -> `\G(?<=x)y`
 * (zero-width assertions commute). Oniguruma only sees the start-position anchor when it comes
 * first; behind a lookaround it tries the pattern at every position of the line.
 */
function anchorFirst(re) {
  let i = 0;
  while (/^\(\?(?:<?[=!])/.test(re.slice(i))) {
    let depth = 0;
    let inClass = false;
    for (; i < re.length; i++) {
      const c = re[i];
      if (c === '\\') i++;
      else if (inClass) inClass = c !== ']';
      else if (c === '[') inClass = true;
      else if (c === '(') depth++;
      else if (c === ')' && --depth === 0) break;
    }
    i++;
  }
  return i > 0 && re.startsWith('\\G', i) ? `\\G${re.slice(0, i)}${re.slice(i + 2)}` : re;
}

/** Applies hardenRuns and anchorFirst to every regex of a grammar (match, begin, end, while). */
function hardenGrammar(node) {
  if (Array.isArray(node)) return node.map(hardenGrammar);
  if (!node || typeof node !== 'object') return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    out[k] =
      typeof v === 'string' && ['match', 'begin', 'end', 'while'].includes(k)
        ? anchorFirst(hardenRuns(v))
        : hardenGrammar(v);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Keyword data

function newestDataFile() {
  const files = fs.readdirSync(KEYWORDS_DIR).filter((f) => /^haproxy-\d+\.\d+\.json$/.test(f));
  const version = (f) => f.slice(8, -5).split('.').map(Number);
  files.sort((a, b) => {
    const [a1, a2] = version(a);
    const [b1, b2] = version(b);
    return a1 - b1 || a2 - b2;
  });
  if (files.length === 0) throw new Error(`no keyword data in ${KEYWORDS_DIR}: run scripts/generate-keywords.js`);
  return path.join(KEYWORDS_DIR, files[files.length - 1]);
}

/** One version's data: haproxy-2.6.json is whole, later versions are merge patches over their base. */
function loadVersion(version) {
  const file = JSON.parse(fs.readFileSync(path.join(KEYWORDS_DIR, `haproxy-${version}.json`), 'utf8'));
  return file.patch ? require('./generate-keywords.js').applyPatch(loadVersion(file.base), file.patch) : file;
}

/** Objects merged key by key, string lists united: a keyword of any version is in the union. */
function unite(a, b) {
  if (Array.isArray(a) && Array.isArray(b)) return [...new Set([...a, ...b])].sort();
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const out = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = k in out ? unite(out[k], v) : v;
    return out;
  }
  return b;
}

/** The keyword lists the grammar is built from: one version's, or the union of every bundled version. */
function loadData(version) {
  if (version) return loadVersion(version);
  const versions = fs
    .readdirSync(KEYWORDS_DIR)
    .filter((f) => /^haproxy-\d+\.\d+\.json$/.test(f))
    .map((f) => f.slice(8, -5));
  if (versions.length === 0) throw new Error(`no keyword data in ${newestDataFile()}`);
  versions.sort(
    (a, b) => Number(a.split('.')[0]) - Number(b.split('.')[0]) || Number(a.split('.')[1]) - Number(b.split('.')[1]),
  );
  const all = versions.map(loadVersion);
  const union = all.reduce(unite);
  const newest = all[all.length - 1];
  return { ...union, version: newest.version, haproxyVersion: `${all[0].haproxyVersion} to ${newest.haproxyVersion}` };
}

/**
 * Literal words of syntax lines after the first `skip` words: `cookie <name> [ rewrite | insert ]`
 * -> rewrite, insert. Placeholders (`<name>`), punctuation and prose ellipses are dropped.
 */
function literalWords(syntax, skip) {
  const out = new Set();
  for (const line of syntax) {
    const words = line
      .replace(/<[^>]*>/g, ' ')
      .split(/[\s[\]{}|,()]+/)
      .filter(Boolean);
    for (const w of words.slice(skip)) {
      if (/^[a-z][a-z0-9_.-]*[a-z0-9]$/.test(w) && !['if', 'unless', 'of', 'or', 'and'].includes(w)) out.add(w);
    }
  }
  return out;
}

/** Flattens a section's keyword tree into phrases: [['timeout','client'], ...] with their info. */
function phrasesOf(tree, prefix = [], out = []) {
  for (const [name, info] of Object.entries(tree)) {
    const words = [...prefix, name];
    out.push({ words, info });
    if (info.sub) phrasesOf(info.sub, words, out);
  }
  return out;
}

// Directives with dedicated rules (their first word); the others are generic directives.
const SPECIAL_FIRST_WORDS = new Set([
  'acl',
  'http-request',
  'http-response',
  'http-after-response',
  'tcp-request',
  'tcp-response',
  'bind',
  'server',
  'default-server',
  'server-template',
  'peer',
  'mailer',
  'nameserver',
  'log-format',
  'log-format-sd',
  'error-log-format',
  'unique-id-format',
  'log',
  'stick',
  'use_backend',
  'default_backend',
  'use-server',
  'balance',
  'option',
  'no',
]);

// Actions whose first argument is a sample expression (fetch + converters).
const EXPRESSION_ACTIONS = [
  'set-var',
  'track-sc',
  'track-sc0',
  'track-sc1',
  'track-sc2',
  'sc-set-gpt',
  'sc-set-gpt0',
  'set-src',
  'set-dst',
  'set-src-port',
  'set-dst-port',
  'set-priority-class',
  'set-priority-offset',
  'capture',
  'do-resolve',
];

// Actions whose first argument is a header name.
const HEADER_ACTIONS = ['set-header', 'add-header', 'del-header', 'replace-header', 'replace-value', 'early-hint'];

// Server-like lines: `<keyword> <name> <address> [options]`, per section kind.
const NAMED_ADDRESS_KEYWORDS = {
  peers: ['peer', 'server'],
  ring: ['server'],
  mailers: ['mailer'],
  resolvers: ['nameserver'],
};

const LOG_FACILITIES = [
  'kern',
  'user',
  'mail',
  'daemon',
  'auth',
  'syslog',
  'lpr',
  'news',
  'uucp',
  'cron',
  'auth2',
  'ftp',
  'ntp',
  'audit',
  'alert',
  'cron2',
  'local0',
  'local1',
  'local2',
  'local3',
  'local4',
  'local5',
  'local6',
  'local7',
];
const LOG_LEVELS = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'];

// ---------------------------------------------------------------------------------------------
// Grammar template

const R = String.raw;

// vscode-textmate appends "\n" to every line it scans. Ending rules with a lookahead for it (and
// word boundaries with `[\s#]`, which include it) is much cheaper for Oniguruma than `$`.
const EOL = R`(?=\n)`;
/** Keyword/value pairs taken in one match (`check inter 2s weight 10 maxconn 100`): one scan, not five. */
const RUN_PAIRS = 5;
/**
 * Words after the keyword on a whole-line fast path. A longer line goes to the directive's region,
 * which splits blanks between unscoped words at other places than one match would.
 */
const SIMPLE_WORDS = 3;
/** Operators and ACL names of a condition taken in one match (`if a || !b c`). */
const CONDITION_ITEMS = 3;
/**
 * After `\G`, on patterns whose match starts with an ASCII character: a lookahead that changes
 * nothing but Oniguruma's search (see `lineStart`).
 */
const ASCII = R`(?=[\t -~])`;

/** `re` with its capture groups made non-capturing: for lookaheads that only test. */
function withoutCaptures(re) {
  let out = '';
  let inClass = false;
  for (let i = 0; i < re.length; i++) {
    const c = re[i];
    if (c === '\\') {
      out += c + re[++i];
      continue;
    }
    if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(' && re[i + 1] !== '?') {
      out += '(?:';
      continue;
    }
    out += c;
  }
  return out;
}

/** Number of capturing groups in a regex source (ignores escapes, classes and `(?...)`). */
function countGroups(re) {
  let n = 0;
  let inClass = false;
  for (let i = 0; i < re.length; i++) {
    const c = re[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(' && re[i + 1] !== '?') n++;
  }
  return n;
}

/**
 * One `match` rule from several lexical alternatives, each `{ re, caps: { group: scope } }`.
 * One regex instead of one per token kind: vscode-oniguruma pays a fixed cost per regex and
 * per scan, so a context with fewer regexes is faster. At a given position the first
 * alternative wins, as the first pattern would.
 */
function lex(parts) {
  let offset = 0;
  const alts = [];
  const captures = {};
  for (const p of parts.filter(Boolean)) {
    alts.push(p.re);
    for (const [g, scope] of Object.entries(p.caps))
      captures[offset + Number(g)] = typeof scope === 'string' ? { name: scope } : scope;
    offset += countGroups(p.re);
  }
  return { match: alts.join('|'), captures };
}

/**
 * A keyword list matched as a whole word after a blank. With `pairs`, a following number (with
 * its unit) or path is taken in the same match (`inter 2s`, `crt /x.pem`), and up to `pairs` such
 * pairs in a row (`check inter 2s weight 10`).
 */
function wordsPart(words, scope, pairs = 0) {
  if (!words.length) return null;
  const t = trie(words);
  if (!pairs) return { re: R`[ \t]+(${t})(?=[\s#])`, caps: { 1: scope } };
  const pair = R`(${t})(?=[\s#])(?:[ \t]+(?:([+-]?\d+(?:\.\d+)?)(us|ms|s|m|h|d|[kKgG])?(?=[\s#])|(/(?:[^\s#"'\\%]|\\[^\n])*)))?`;
  const caps = {};
  for (let i = 0; i < pairs; i++)
    Object.assign(caps, {
      [4 * i + 1]: scope,
      [4 * i + 2]: `constant.numeric${S}`,
      [4 * i + 3]: `keyword.other.unit${S}`,
      [4 * i + 4]: `string.unquoted.path${S}`,
    });
  let re = '';
  for (let i = 0; i < pairs; i++) re = i === 0 ? pair : R`${pair}(?:[ \t]+${re})?`;
  return { re: R`[ \t]+${re}`, caps };
}

/**
 * The grammar for keyword data. `fastPaths: false` leaves out the one-match shortcuts for common
 * shapes (simple lines, plain strings, simple anonymous ACLs): tests check they change no scope.
 */
function buildGrammar(data, { fastPaths = true } = {}) {
  const kinds = data.sectionKinds;
  const repo = {};
  // Inside a section every line starts at the anchor: the section's `while` check sets it at the
  // line start, and `\G` lets Oniguruma try a directive at that one position instead of
  // searching the whole line (which `^` alone does). The `^` keeps directives from matching after
  // a section header's name, where the anchor also is. Top-level rules use `^` (see `topLevel`).
  // `ASCII` right after `\G` (every directive starts with a blank or an ASCII letter) gives
  // Oniguruma a first-character map that the line's first character satisfies: without it,
  // before trying any position, vscode-oniguruma searches the whole line for a literal of each
  // pattern of the section (`use_backend` on a server line: ~200 ns; with it: ~10 ns).
  const lineStart = R`\G${ASCII}^[ \t]*`;
  // The general form takes one keyword/value pair, ACL pattern or condition item a match.
  const runPairs = fastPaths ? RUN_PAIRS : 1;
  const kindsRe = trie(kinds);
  const sectionEnd = R`\G${ASCII}^(?=[ \t]*${kindsRe}(?=[\s#]))`;
  // A directive HAProxy does not know may start with any character.
  const anyLineStart = R`\G^[ \t]*`;
  const KW = `keyword.other.directive${S}`;

  // --- Lexical parts -------------------------------------------------------------------------------

  const P = {
    // HAProxy starts a comment at any unquoted, unescaped '#', even inside a word.
    comment: { re: R`((#).*)`, caps: { 1: `comment.line.number-sign${S}`, 2: `punctuation.definition.comment${S}` } },
    // Strong quoting: nothing is interpreted inside single quotes. Adjacent quoted parts make one
    // word in HAProxy ('a''b' is ab) and one token here: a line of 20,000 quotes is one token,
    // not 10,000 (each token costs a scan).
    single: {
      re: R`((')[^']*(?:''[^']*)*('|(?=\n)))`,
      caps: {
        1: `string.quoted.single${S}`,
        2: `punctuation.definition.string.begin${S}`,
        3: `punctuation.definition.string.end${S}`,
      },
    },
    // Outside quotes: "\ " "\#" "\\" "\'" "\"" "\$" "\n" "\r" "\t" "\xNN"; other backslashes stay literal.
    // Escaped backslashes in a row are one token: a line of backslashes is one token, not 10,000.
    escape: { re: R`((?:\\\\)+|\\(?:[ \t#'"$nrt]|x[0-9A-Fa-f]{2}))`, caps: { 1: `constant.character.escape${S}` } },
    // HAProxy has no line continuation: a final backslash is a literal character of the last word.
    trailing: { re: R`(\\)(?=\n)`, caps: { 1: `constant.character.literal-backslash${S}` } },
    env: {
      // The default stops at `$`: scanning past other `${` to the line's end, from each of them,
      // was quadratic on a line of `${a-${a-...`.
      re: R`(\$\{)([A-Za-z_.][\w.]*)(\[\*\])?(?:(-)([^}"$]*))?(\})|(\$)([A-Za-z_]\w*)`,
      caps: {
        1: `punctuation.definition.variable.begin${S}`,
        2: `variable.other.environment${S}`,
        3: `keyword.operator.expand${S}`,
        4: `keyword.operator.default${S}`,
        5: `string.unquoted.default${S}`,
        6: `punctuation.definition.variable.end${S}`,
        7: `punctuation.definition.variable${S}`,
        8: `variable.other.environment${S}`,
      },
    },
    // Up to four log variables with the literal text between them in one match.
    logvar: (() => {
      const one = R`((%)(\{[^}\s]*\})?${trie(Object.keys(data.logFormatVariables || {}))}(?![A-Za-z]))`;
      const gap = R`[^%"\\#\n]*`;
      const caps = { 1: `constant.character.escape${S}` };
      for (let i = 0; i < 4; i++)
        Object.assign(caps, {
          [3 * i + 2]: `variable.language.log-format${S}`,
          [3 * i + 3]: `punctuation.definition.variable${S}`,
          [3 * i + 4]: `storage.modifier.log-format${S}`,
        });
      return { re: R`(%%)|${one}(?:${gap}${one}(?:${gap}${one}(?:${gap}${one})?)?)?`, caps };
    })(),
    ipv4: {
      re: R`[ \t,=]+(\d{1,3}(?:\.\d{1,3}){3})(?:(/)(\d{1,2}(?:\.\d{1,3}){0,3}))?(?:(:)(\d+))?(?![\w.])`,
      caps: {
        1: `constant.numeric.ip${S}`,
        2: `punctuation.separator.mask${S}`,
        3: `constant.numeric.mask${S}`,
        4: `punctuation.separator.port${S}`,
        5: `constant.numeric.port${S}`,
      },
    },
    // Bare IPv6 values (ACL patterns, `except`): at least two colons, hex digits only.
    ipv6: {
      re: R`[ \t]+((?:[0-9A-Fa-f]{1,4})?(?::[0-9A-Fa-f]{0,4}){2,7}(?:\d{1,3}(?:\.\d{1,3}){3})?)(?:(/)(\d{1,3}))?(?![\w.:])`,
      caps: { 1: `constant.numeric.ip${S}`, 2: `punctuation.separator.mask${S}`, 3: `constant.numeric.mask${S}` },
    },
    number: {
      // A whole word, or an argument in parentheses (`http_req_rate(10s)`); never inside a word.
      re: R`[ \t(,=]+([+-]?\d+(?:\.\d+)?)(us|ms|s|m|h|d|[kKgG])?(?=[\s),#])`,
      caps: { 1: `constant.numeric${S}`, 2: `keyword.other.unit${S}` },
    },
    // Stops at `%`, so that `/new%[path]` keeps its sample expression.
    path: { re: R`[ \t]+(/(?:[^\s#"'\\%]|\\[^\n])*)`, caps: { 1: `string.unquoted.path${S}` } },
    // A double-quoted string with nothing to interpret inside, in one match; the others go to
    // the string rules (escapes, variables, %[...]).
    plainString: {
      re: R`((")[^"\\$%\n]*(?:""[^"\\$%\n]*)*("))`,
      caps: {
        1: `string.quoted.double${S}`,
        2: `punctuation.definition.string.begin${S}`,
        3: `punctuation.definition.string.end${S}`,
      },
    },
  };
  // Lexical rules come before the string rules in each context, so that plain strings match here.
  const generic = [P.comment, fastPaths ? P.plainString : null, P.single, P.escape, P.trailing];
  const values = [P.ipv4, P.number, P.path];

  // --- Strings and embedded samples ----------------------------------------------------------------

  const doubleString = (withLogVars) => ({
    begin: '"',
    end: R`"|(?=\n)`,
    name: `string.quoted.double${S}`,
    beginCaptures: { 0: { name: `punctuation.definition.string.begin${S}` } },
    endCaptures: { 0: { name: `punctuation.definition.string.end${S}` } },
    // Environment variables are expanded inside double quotes only (and in addresses).
    patterns: [
      { include: '#sample-embedded' },
      lex([{ re: R`(\\.)`, caps: { 1: `constant.character.escape${S}` } }, P.env, withLogVars ? P.logvar : null]),
    ],
  });
  repo['string-double'] = doubleString(false);
  // Plain strings in one match where the string-double region comes first: a run of `""` is then
  // one token, not a region opened and closed per pair.
  repo['string-plain'] = lex([P.plainString]);
  repo['string-double-lf'] = doubleString(true);

  // --- Sample expressions: fetch(args),converter(args),... ------------------------------------------

  const fetchNames = Object.keys(data.fetches);
  const deprecatedFetches = fetchNames.filter((n) => data.fetches[n].deprecated);
  const liveFetches = fetchNames.filter((n) => !data.fetches[n].deprecated);
  const aclKeywords = Object.keys(data.aclKeywords).filter((n) => !data.fetches[n]);
  const converters = Object.keys(data.converters);
  const simpleArgs = R`(?:(\()([^()\s"'\]]*)(\)))?`;
  const argCaps = (g) => ({
    [g]: `punctuation.section.arguments.begin${S}`,
    [g + 1]: `variable.parameter.argument${S}`,
    [g + 2]: `punctuation.section.arguments.end${S}`,
  });
  repo.converter = lex([
    {
      // Also used on captured text, which has no final "\n": the boundary cannot need one.
      re: R`(,)(?:(${trie(converters)})|[A-Za-z_][\w.-]*)(?![\w.-])${simpleArgs}`,
      caps: { 1: `punctuation.separator.converter${S}`, 2: `support.function.converter${S}`, ...argCaps(3) },
    },
  ]);
  repo['sample-arguments'] = {
    // Arguments that the one-regex form cannot take: quotes, nested parentheses, blanks.
    begin: R`\(`,
    end: R`\)|(?=\n)`,
    beginCaptures: { 0: { name: `punctuation.section.arguments.begin${S}` } },
    endCaptures: { 0: { name: `punctuation.section.arguments.end${S}` } },
    contentName: `variable.parameter.argument${S}`,
    patterns: [
      { include: '#string-double' },
      { include: '#sample-arguments' },
      lex([
        P.single,
        { re: R`(\\.)`, caps: { 1: `constant.character.escape${S}` } },
        { re: '(,)', caps: { 1: `punctuation.separator.arguments${S}` } },
      ]),
    ],
  };
  // The common shape in one regex: fetch, simple arguments, converter chain (7 groups). Rules
  // whose begin can end with an expression take it in the same match (one scan, not several).
  const exprHead = (names) => R`(?:(${trie(deprecatedFetches)})|(${trie(names)})|[A-Za-z_][\w.-]*)(?=[(,\s\]}#])`;
  const exprSimple = (names) => R`(${exprHead(names)}${simpleArgs}((?:,[A-Za-z_][\w.-]*(?:\([^()\s"'\]]*\))?)*))`;
  const exprCaps = (g) => ({
    [g]: { name: `meta.sample-expression${S}` },
    [g + 1]: { name: `support.function.fetch${S} invalid.deprecated${S}` },
    [g + 2]: { name: `support.function.fetch${S}` },
    ...Object.fromEntries(Object.entries(argCaps(g + 3)).map(([k, v]) => [k, { name: v }])),
    [g + 6]: { patterns: [{ include: '#converter' }] },
  });
  const fetchSimple = exprSimple(liveFetches);
  // An ACL criterion may also be a predefined ACL keyword (`path_beg`, `hdr_sub`...).
  const criterionNames = [...liveFetches, ...aclKeywords];
  const criterionSimple = exprSimple(criterionNames);
  /** Fallback for what the one-regex form cannot take (quotes, nested parentheses), at the anchor. */
  const complexExpression = (id, names, simple, stop, guard = '') => {
    repo[id] = {
      // Not where the one-regex form matches: a parent already took the expression before it.
      begin: R`${guard}\G${ASCII}(?![ \t]*${simple}(?=${stop}))[ \t]*${exprHead(names)}`,
      end: R`(?=${stop})`,
      name: `meta.sample-expression${S}`,
      beginCaptures: {
        // Group numbers count the groups of the negative lookahead.
        [countGroups(simple) + 1]: { name: `support.function.fetch${S} invalid.deprecated${S}` },
        [countGroups(simple) + 2]: { name: `support.function.fetch${S}` },
      },
      patterns: [{ include: '#sample-arguments' }, { include: '#converter' }],
    };
  };
  complexExpression('sample-expression-complex', liveFetches, fetchSimple, R`[\s\]}#]`);
  // After the actions that take an expression: `set-src`, `track-sc0`, `set-var(txn.x)`...
  const afterExpressionAction = R`(?<=${EXPRESSION_ACTIONS.filter((a) => !/\d$/.test(a))
    .map(escapeRegex)
    .join('|')}|[0-9]|\))`;
  complexExpression('sample-expression-after-action', liveFetches, fetchSimple, R`[\s\]}#]`, afterExpressionAction);
  complexExpression('acl-criterion-complex', criterionNames, criterionSimple, R`[\s}#]`);
  repo['sample-expression'] = {
    patterns: [
      { match: R`\G${ASCII}[ \t]*${fetchSimple}(?=[\s\]}#])`, captures: exprCaps(1) },
      { include: '#sample-expression-complex' },
    ],
  };

  repo['sample-embedded'] = {
    begin: R`(%)(\{[^}\s]*\})?(\[)(?:[ \t]*${fetchSimple}(?=[\s\]]))?`,
    end: R`\]|(?=[\s"])`,
    name: `meta.embedded.sample${S}`,
    beginCaptures: {
      1: { name: `punctuation.section.embedded.begin${S}` },
      2: { name: `storage.modifier.log-format${S}` },
      3: { name: `punctuation.section.embedded.begin${S}` },
      ...exprCaps(4),
    },
    endCaptures: { 0: { name: `punctuation.section.embedded.end${S}` } },
    patterns: [{ include: '#sample-expression-complex' }],
  };

  // --- ACLs and conditions -----------------------------------------------------------------------

  const acl = data.acl || { flags: {}, methods: [], predefined: {} };
  // What an ACL value can be, other than a pattern; each starts at the blank before it.
  const aclValueKinds = [
    {
      re: R`[ \t]+(-m)[ \t]+(?:(${trie(acl.methods)})(?=[\s#])|[^\s#]+)`,
      caps: { 1: `constant.language.flag${S}`, 2: `support.constant.match-method${S}` },
    },
    {
      re: R`[ \t]+(-[fM])[ \t]+([^\s#]+)`,
      caps: { 1: `constant.language.flag${S}`, 2: `string.unquoted.filename${S}` },
    },
    wordsPart(Object.keys(acl.flags), `constant.language.flag${S}`),
    wordsPart(['eq', 'ge', 'gt', 'le', 'lt'], `keyword.operator.comparison${S}`),
    P.ipv4,
    P.ipv6,
    P.number,
  ].filter(Boolean);
  // Any other word is a pattern to match. Up to three in one match (`path_end .css .js .png`):
  // a following word counts only where none of the kinds above would match, as in a new scan.
  const aclPattern = R`[ \t]+([^\s#"'\\{}]+)`;
  const notOtherKind = `(?!${aclValueKinds.map((k) => withoutCaptures(k.re)).join('|')})`;
  repo['acl-values'] = {
    patterns: [
      lex([
        ...generic,
        ...aclValueKinds,
        {
          re: fastPaths
            ? R`${aclPattern}(?:${notOtherKind}${aclPattern}(?:${notOtherKind}${aclPattern})?)?`
            : aclPattern,
          caps: {
            1: `string.unquoted.pattern${S}`,
            2: `string.unquoted.pattern${S}`,
            3: `string.unquoted.pattern${S}`,
          },
        },
      ]),
      { include: '#string-double' },
    ],
  };
  // `{ ssl_fc }`, `{ path /ping }`: a criterion and at most one simple value, in one match.
  repo['anonymous-acl-simple'] = {
    match: R`(?<![^ \t!])(\{)[ \t]+${criterionSimple}(?:[ \t]+(?:([+-]?\d+(?:\.\d+)?)(us|ms|s|m|h|d|[kKgG])?|(\d{1,3}(?:\.\d{1,3}){3}(?:/\d{1,2})?)|([^\s#"'\\{}-][^\s#"'\\{}]*)))?[ \t]+(\})(?=[\s#])`,
    name: `meta.acl.anonymous${S}`,
    captures: {
      1: { name: `punctuation.section.block.begin${S}` },
      ...exprCaps(2),
      9: { name: `constant.numeric${S}` },
      10: { name: `keyword.other.unit${S}` },
      11: { name: `constant.numeric.ip${S}` },
      12: { name: `string.unquoted.pattern${S}` },
      13: { name: `punctuation.section.block.end${S}` },
    },
  };
  repo['anonymous-acl'] = {
    begin: R`(?<![^ \t!])(\{)(?=[ \t])(?:[ \t]+${criterionSimple}(?=[\s}#]))?`,
    end: R`(?<=[ \t])(\})(?=[\s#])|(?=\n)`,
    beginCaptures: { 1: { name: `punctuation.section.block.begin${S}` }, ...exprCaps(2) },
    endCaptures: { 1: { name: `punctuation.section.block.end${S}` } },
    name: `meta.acl.anonymous${S}`,
    patterns: [{ include: '#acl-criterion-complex' }, { include: '#acl-values' }],
  };
  // An operator, a predefined ACL or an ACL name (any other word, even one named like a keyword
  // or a fetch), and up to CONDITION_ITEMS of them in one match: each where a new scan would take
  // it (the lookbehinds see the same characters), with only blanks between.
  const conditionItem = R`(?>(!|\|\||(?<![^ \t])or(?=[\s#]))|(?<![^ \t!])(${trie(Object.keys(acl.predefined))})(?=[\s#])|(?<![^ \t!])([^\s#!{}|"']+))`;
  const conditionItemsPerMatch = fastPaths ? CONDITION_ITEMS : 1;
  let conditionRun = conditionItem;
  for (let i = 1; i < conditionItemsPerMatch; i++) conditionRun = R`${conditionItem}(?:[ \t]*${conditionRun})?`;
  const conditionItems = {
    re: conditionRun,
    caps: Object.fromEntries(
      [...Array(conditionItemsPerMatch).keys()].flatMap((i) => [
        [3 * i + 1, `keyword.operator.logical${S}`],
        [3 * i + 2, `constant.language.acl${S}`],
        [3 * i + 3, `variable.other.acl${S}`],
      ]),
    ),
  };
  repo.condition = {
    // The first ACL name is taken with the keyword when it is a plain name.
    begin: R`(?<=[ \t])(if|unless)(?=[\s#])(?:[ \t]+(!)?(?:(${trie(Object.keys(acl.predefined))})|((?!or(?=[\s#]))[^\s#!{}|"']+))(?=[\s#]))?`,
    end: EOL,
    beginCaptures: {
      1: { name: `keyword.control.conditional${S}` },
      2: { name: `keyword.operator.logical${S}` },
      3: { name: `constant.language.acl${S}` },
      4: { name: `variable.other.acl${S}` },
    },
    name: `meta.condition${S}`,
    patterns: [
      ...(fastPaths ? [{ include: '#anonymous-acl-simple' }] : []),
      { include: '#anonymous-acl' },
      lex([P.comment, conditionItems]),
    ],
  };
  repo['directive-acl'] = {
    begin: R`${lineStart}(acl)[ \t]+([^\s#]+)(?:[ \t]+${criterionSimple}(?=[\s#]))?`,
    end: EOL,
    name: `meta.directive.acl${S}`,
    beginCaptures: { 1: { name: KW }, 2: { name: `entity.name.function.acl${S}` }, ...exprCaps(3) },
    patterns: [{ include: '#acl-criterion-complex' }, { include: '#acl-values' }],
  };

  // --- Arguments -----------------------------------------------------------------------------------

  repo.arguments = {
    patterns: [lex([...generic, ...values]), { include: '#string-double' }, { include: '#sample-embedded' }],
  };
  // Literal words of the actions' syntax (`deny_status`, `content-type`, `realm`...), their
  // documented sub-forms (`normalize-uri path-strip-dot`) and redirect options.
  const ruleParams = new Set([
    'location',
    'prefix',
    'scheme',
    'code',
    'drop-query',
    'append-slash',
    'set-cookie',
    'clear-cookie',
    'ignore-empty',
  ]);
  for (const [ruleset, table] of Object.entries(data.actions)) {
    for (const [name, info] of Object.entries(table)) {
      for (const w of literalWords(info.syntax || [], ruleset.split(' ').length + 1)) ruleParams.add(w);
      for (const sub of Object.keys(info.sub || {})) ruleParams.add(sub);
      ruleParams.delete(name);
    }
  }
  // Rule arguments are often log-format strings: log variables, %[...] and quoted strings.
  repo['rule-arguments'] = {
    patterns: [
      { include: '#condition' },
      lex([...generic, P.logvar, wordsPart([...ruleParams], `entity.other.attribute-name${S}`, runPairs), ...values]),
      { include: '#string-double-lf' },
      { include: '#sample-embedded' },
    ],
  };

  // --- Addresses -----------------------------------------------------------------------------------

  const portCaps = (g) => ({
    [g]: `punctuation.separator.port${S}`,
    [g + 1]: `constant.numeric.port${S}`,
    [g + 2]: `punctuation.separator.range${S}`,
    [g + 3]: `constant.numeric.port${S}`,
  });
  const port = R`(?:(:)([+-]?\d+)(?:(-)(\d+))?)`;
  // `[prefix@]host[:port[-port]]` in one regex; lists, paths, quotes and variables fall back to
  // the address region below.
  const addressBody = R`[ \t]+(?=[^\s#])([A-Za-z][A-Za-z0-9+]*@)?(?:(\[)([0-9A-Fa-f:.]*)(\])|(\d{1,3}(?:\.\d{1,3}){3})|([0-9A-Fa-f]*::?[0-9A-Fa-f:]*(?=:[0-9+-]))|(\*)|([A-Za-z_][\w.-]*))?${port}?(?=[\s#])`;
  const addressCaps = (g) =>
    Object.fromEntries(
      Object.entries({
        0: `storage.type.address-prefix${S}`,
        1: `punctuation.definition.address.begin${S}`,
        2: `constant.numeric.ip${S}`,
        3: `punctuation.definition.address.end${S}`,
        4: `constant.numeric.ip${S}`,
        5: `constant.numeric.ip${S}`,
        6: `constant.language.wildcard${S}`,
        7: `string.unquoted.hostname${S}`,
        ...portCaps(8),
      }).map(([k, v]) => [g + Number(k), { name: v }]),
    );
  const addressSimple = (guard) => ({
    match: R`${guard}\G${ASCII}${addressBody}`,
    name: `meta.address${S}`,
    captures: addressCaps(1),
  });
  const addressRegion = (guard) => ({
    begin: R`${guard}\G${ASCII}[ \t]+(?=[^\s#])`,
    end: R`(?=[\s#])`,
    name: `meta.address${S}`,
    patterns: [
      ...(fastPaths ? [{ include: '#string-plain' }] : []),
      { include: '#string-double' },
      lex([
        { re: R`((?:\G|(?<=,))[A-Za-z][A-Za-z0-9+]*@)`, caps: { 1: `storage.type.address-prefix${S}` } },
        P.single,
        P.env,
        {
          re: R`(\[)([0-9A-Fa-f:.]*)(\])`,
          caps: {
            1: `punctuation.definition.address.begin${S}`,
            2: `constant.numeric.ip${S}`,
            3: `punctuation.definition.address.end${S}`,
          },
        },
        { re: R`(\d{1,3}(?:\.\d{1,3}){3}(?=[:,\s]))`, caps: { 1: `constant.numeric.ip${S}` } },
        // Unbracketed IPv6 before a port (`:::443`): the last colon separates the port.
        // Only from the start of a run of hex digits and colons: tried inside a long run of
        // colons, each start would scan the rest of the run (quadratic).
        {
          re: R`(?<![0-9A-Fa-f:])([0-9A-Fa-f]*::?[0-9A-Fa-f:]*(?=:[0-9+-][^:\s]*[,\s]))`,
          caps: { 1: `constant.numeric.ip${S}` },
        },
        {
          re: R`(?<![0-9A-Fa-f:])([0-9A-Fa-f]*:[0-9A-Fa-f]*:[0-9A-Fa-f:]*(?=[,\s]))`,
          caps: { 1: `constant.numeric.ip${S}` },
        },
        { re: port, caps: portCaps(1) },
        { re: R`(\*)`, caps: { 1: `constant.language.wildcard${S}` } },
        { re: '(,+)', caps: { 1: `punctuation.separator.list${S}` } },
        { re: R`(/[^\s,#"]*)`, caps: { 1: `string.unquoted.path${S}` } },
        { re: R`([A-Za-z0-9_][\w.-]*)`, caps: { 1: `string.unquoted.hostname${S}` } },
        P.escape,
      ]),
    ],
  });

  // --- Rules: http-request, tcp-request content, ... ------------------------------------------------

  const rulesets = Object.keys(data.actions).sort();
  /** The actions of rule set `rs` that are in `pick(rs)` (and `lua.*` with `lua`): regex alternatives. */
  const actionAlternatives = (rs, pick, lua) => {
    const table = data.actions[rs];
    const names = pick(rs).filter((n) => table[n]);
    const prefixed = names.filter((n) => table[n].matchPrefix);
    const plain = names.filter((n) => !table[n].matchPrefix);
    // Prefix actions continue with more characters: track-sc0, sc-inc-gpc0(1), set-var(txn.x).
    return [
      prefixed.length ? R`${trie(prefixed)}[0-9]*` : null,
      plain.length ? trie(plain) : null,
      lua ? R`lua\.[\w.-]+` : null,
    ].filter(Boolean);
  };
  /** The words of rule set `rs` (`tcp-request content`), blanks between, without captures. */
  const rulesetWords = (rs) =>
    rs
      .split(' ')
      .map(escapeRegex)
      .join(R`[ \t]+`);
  /**
   * The rules of `sets` whose action is in `pick(ruleset)` (and `lua.*` with `lua`), keywords and
   * action with its simple arguments, without captures: the lookahead of an alternative of the rules.
   */
  const ruleCheck = (sets, pick, lua) => {
    const alts = [];
    for (const rs of sets) {
      const actionAlts = actionAlternatives(rs, pick, lua);
      if (!actionAlts.length) continue;
      alts.push(R`${rulesetWords(rs)}[ \t]+(?:${actionAlts.join('|')})(?:\([^()\s"'\]]*\))?(?=[\s#])`);
    }
    return alts.length ? alts.join('|') : null;
  };
  /**
   * The general form of a rules begin: one alternative per rule set and kind of line, each with its
   * own groups (first matching alternative wins). ~190 groups in a proxy section.
   */
  const ruleBeginPerSet = (sets, tails) => {
    const alts = [];
    const caps = {};
    let g = 0;
    for (const { pick, tail, lua } of tails) {
      for (const rs of sets) {
        const actionAlts = actionAlternatives(rs, pick, lua);
        if (!actionAlts.length) continue;
        const words = rs.split(' ').length;
        for (let i = 1; i <= words; i++) caps[g + i] = { name: KW };
        caps[g + words + 1] = { name: `support.function.action${S}` };
        Object.assign(
          caps,
          Object.fromEntries(Object.entries(argCaps(g + words + 2)).map(([k, v]) => [k, { name: v }])),
        );
        const action = R`[ \t]+(${actionAlts.join('|')})${simpleArgs}`;
        const keywords = rs
          .split(' ')
          .map((w) => `(${escapeRegex(w)})`)
          .join(R`[ \t]+`);
        let alt = R`${keywords}${lua ? `(?:${action})?` : action}(?=[\s#])`;
        g += words + 4;
        if (tail) {
          alt += R`(?:[ \t]+${tail.re}(?=[\s#]))?`;
          Object.assign(caps, tail.caps(g + 1));
          g += countGroups(tail.re);
        }
        alts.push(alt);
      }
    }
    return { begin: R`${lineStart}(?:${alts.join('|')})`, beginCaptures: caps };
  };
  /**
   * One rule for all the rule sets of a section: the action, with the expression or header name
   * that follows some actions, all in the begin match. Each kind of line (expression action, header
   * action, other action, keyword alone) is one alternative: a lookahead without captures checks
   * that the action belongs to the rule set, and a few shared groups then split the tokens.
   * The general form (`ruleBeginPerSet`) gives the same tokens with ~190 groups, and
   * vscode-oniguruma builds an object for every group of the pattern on every match.
   */
  const ruleRules = (sets, id) => {
    const headerName = {
      re: R`([^\s#"'%]+)`,
      caps: (g) => ({ [g]: { name: `support.type.property-name.header${S}` } }),
    };
    const tails = [
      { pick: () => EXPRESSION_ACTIONS, tail: { re: fetchSimple, caps: exprCaps } },
      { pick: () => HEADER_ACTIONS, tail: headerName },
      { pick: (rs) => Object.keys(data.actions[rs]), lua: true },
    ];
    // Keywords: `tcp-request content` (two words) or `http-request` (one), 3 groups in all.
    const twoWord = sets.filter((rs) => rs.includes(' ')).map((rs) => rs.split(' '));
    const oneWord = sets.filter((rs) => !rs.includes(' '));
    const roots = [...new Set(twoWord.map(([root]) => root))];
    if (roots.some((r) => oneWord.includes(r))) throw new Error(`rule set ${roots} both with and without a stage`);
    const keywordAlts = [];
    if (roots.length) keywordAlts.push(R`(${trie(roots)})[ \t]+(${trie([...new Set(twoWord.map(([, st]) => st))])})`);
    if (oneWord.length) keywordAlts.push(R`(${trie(oneWord)})`);
    const keywords = `(?:${keywordAlts.join('|')})`;
    const keywordCaps = (g) =>
      Object.fromEntries([...Array(countGroups(keywords)).keys()].map((i) => [g + i, { name: KW }]));
    // Given the lookahead, the action is what comes before `(` or the next blank.
    const action = R`[ \t]+([^\s#(]+)${simpleArgs}(?=[\s#])`;
    const actionCaps = (g) => ({
      [g]: { name: `support.function.action${S}` },
      ...Object.fromEntries(Object.entries(argCaps(g + 1)).map(([k, v]) => [k, { name: v }])),
    });
    const alts = [];
    const beginCaptures = {};
    let g = 0;
    const add = (re, caps) => {
      alts.push(re);
      Object.assign(beginCaptures, caps(g + 1));
      g += countGroups(re);
    };
    for (const { pick, tail, lua } of tails) {
      const check = ruleCheck(sets, pick, lua);
      if (!check) continue;
      const tailRe = tail ? R`(?:[ \t]+${tail.re}(?=[\s#]))?` : '';
      add(R`(?=${check})${keywords}${action}${tailRe}`, (g0) => {
        const k = countGroups(keywords);
        return { ...keywordCaps(g0), ...actionCaps(g0 + k), ...(tail ? tail.caps(g0 + k + 4) : {}) };
      });
    }
    const keywordOnly = sets.map(rulesetWords).join('|');
    add(R`(?=(?:${keywordOnly})(?=[\s#]))${keywords}(?=[\s#])`, keywordCaps);
    const head = fastPaths
      ? { begin: R`${lineStart}(?:${alts.join('|')})`, beginCaptures }
      : ruleBeginPerSet(sets, tails);
    repo[id] = {
      begin: head.begin,
      end: EOL,
      name: `meta.directive.rule${S}`,
      beginCaptures: head.beginCaptures,
      patterns: [{ include: '#sample-expression-after-action' }, { include: '#rule-arguments' }],
    };
    return [`#${id}`];
  };

  // --- Per-directive rules ---------------------------------------------------------------------------

  const optionWords = (table) => {
    const names = Object.keys(table);
    return [
      wordsPart(
        names.filter((n) => table[n].deprecated),
        `entity.other.attribute-name${S} invalid.deprecated${S}`,
        runPairs,
      ),
      wordsPart(
        names.filter((n) => !table[n].deprecated),
        `entity.other.attribute-name${S}`,
        runPairs,
      ),
    ];
  };
  repo['directive-bind'] = {
    // bind in proxies, peers and log-forward; dgram-bind in log-forward; stats socket in global.
    begin: R`${lineStart}(bind|dgram-bind|stats[ \t]+socket)(?=[\s#])`,
    end: EOL,
    name: `meta.directive.bind${S}`,
    beginCaptures: { 1: { name: KW } },
    patterns: [
      addressSimple(''),
      addressRegion(''),
      lex([...generic, ...optionWords(data.bindOptions), ...values]),
      { include: '#string-double' },
    ],
  };
  repo['server-options'] = {
    patterns: [lex([...generic, ...optionWords(data.serverOptions), ...values]), { include: '#string-double' }],
  };
  repo['server-arguments'] = {
    patterns: [
      // default-server has no name nor address.
      addressSimple('(?<!default-server)'),
      addressRegion('(?<!default-server)'),
      { include: '#server-options' },
    ],
  };
  repo['directive-log'] = {
    begin: R`${lineStart}(?:(no)[ \t]+)?(log)(?=[\s#])(?:[ \t]+(global)(?=[\s#]))?`,
    end: EOL,
    name: `meta.directive.log${S}`,
    beginCaptures: { 1: { name: `keyword.other.negation${S}` }, 2: { name: KW }, 3: { name: KW } },
    patterns: [
      addressSimple('(?<!global)'),
      addressRegion('(?<!global)'),
      lex([
        ...generic,
        wordsPart([...LOG_FACILITIES, ...LOG_LEVELS], `support.constant.log${S}`),
        wordsPart(['len', 'format', 'sample', 'profile'], `entity.other.attribute-name${S}`),
        ...values,
      ]),
      { include: '#string-double' },
    ],
  };
  repo['directive-log-format'] = {
    begin: R`${lineStart}(log-format|log-format-sd|error-log-format|unique-id-format)(?=[\s#])`,
    end: EOL,
    name: `meta.directive.log-format${S}`,
    beginCaptures: { 1: { name: KW } },
    patterns: [lex([...generic, P.logvar]), { include: '#string-double-lf' }, { include: '#sample-embedded' }],
  };
  repo['directive-stick'] = {
    begin: R`${lineStart}(stick)[ \t]+(on|match|store-request|store-response)(?=[\s#])(?:[ \t]+${fetchSimple}(?=[\s#]))?`,
    end: EOL,
    name: `meta.directive.stick${S}`,
    beginCaptures: { 1: { name: KW }, 2: { name: KW }, ...exprCaps(3) },
    patterns: [{ include: '#sample-expression-complex' }, { include: '#rule-arguments' }],
  };
  repo['directive-use-backend'] = {
    begin: R`${lineStart}(use_backend|default_backend|use-server)(?=[\s#])(?:[ \t]+((?!(?:if|unless)(?=[\s#]))[\w.:-]+)(?=[\s#]))?`,
    end: EOL,
    name: `meta.directive.switching${S}`,
    beginCaptures: { 1: { name: KW }, 2: { name: `entity.name.type.backend${S}` } },
    patterns: [{ include: '#rule-arguments' }],
  };
  repo['directive-balance'] = {
    begin: R`${lineStart}(balance)(?=[\s#])(?:[ \t]+(roundrobin|static-rr|leastconn|first|source|uri|url_param|hdr|random|rdp-cookie)${simpleArgs}(?=[\s#]))?`,
    end: EOL,
    name: `meta.directive.balance${S}`,
    beginCaptures: {
      1: { name: KW },
      2: { name: `support.constant.algorithm${S}` },
      ...Object.fromEntries(Object.entries(argCaps(3)).map(([k, v]) => [k, { name: v }])),
    },
    patterns: [{ include: '#arguments' }],
  };
  repo['directive-unknown'] = {
    // A word HAProxy does not know here: no keyword scope, arguments still tokenized. Not a
    // section header, which ends the section (`sectionEnd`, tried after this).
    begin: R`${anyLineStart}(?![ \t]*${kindsRe}(?=[\s#]))(?=[^\s#])`,
    end: EOL,
    name: `meta.directive.unknown${S}`,
    patterns: [{ include: '#arguments' }],
  };

  // --- Conditional blocks (.if/.elif/.else/.endif, .diag/.notice/.warning/.alert) ---------------

  const cond = data.conditional || { directives: {}, predicates: {} };
  const condNames = Object.keys(cond.directives);
  const withCondition = condNames.filter((d) => /<condition>/.test(cond.directives[d].syntax));
  const withMessage = condNames.filter((d) => /message/.test(cond.directives[d].syntax));
  const bare = condNames.filter((d) => !withCondition.includes(d) && !withMessage.includes(d));
  repo['conditional-block'] = {
    begin: R`${lineStart}(?:(${trie([...withCondition, ...bare])})|(${trie(withMessage)}))(?=[\s#])`,
    end: EOL,
    name: `meta.preprocessor${S}`,
    beginCaptures: { 1: { name: `keyword.control.conditional${S}` }, 2: { name: `keyword.other.message${S}` } },
    patterns: [
      ...(fastPaths ? [{ include: '#string-plain' }] : []),
      { include: '#string-double' },
      {
        begin: R`(${trie(Object.keys(cond.predicates))})(\()`,
        end: R`\)|(?=\n)`,
        beginCaptures: {
          1: { name: `support.function.predicate${S}` },
          2: { name: `punctuation.section.arguments.begin${S}` },
        },
        endCaptures: { 0: { name: `punctuation.section.arguments.end${S}` } },
        patterns: [
          { include: '#string-double' },
          lex([
            P.single,
            { re: '(,)', caps: { 1: `punctuation.separator.arguments${S}` } },
            { re: R`(\d+(?:\.\d+)*(?:-[\w.]+)?)(?=[,)\s])`, caps: { 1: `constant.numeric${S}` } },
            { re: R`([^\s,()"']+)`, caps: { 1: `variable.parameter.argument${S}` } },
          ]),
        ],
      },
      lex([
        P.comment,
        P.single,
        { re: R`(&&|\|\||!)`, caps: { 1: `keyword.operator.logical${S}` } },
        // A run of parentheses in one token (a line of them would otherwise be one scan each).
        { re: R`([()]+)`, caps: { 1: `punctuation.section.group${S}` } },
        P.number,
      ]),
    ],
  };

  // --- Fast path for simple lines -------------------------------------------------------------------

  /**
   * Most lines are a keyword and a few plain words: `timeout client 30s`, `maxconn 1000`,
   * `mode http`. One match takes such a whole line (two scans instead of four or more), with
   * the same scopes the directive's region would give; any other line falls to the region.
   */
  const simpleLine = (head, headCaps, literals) => {
    const lit = literals.length ? R`(${trie(literals)})(?=[\s#])` : '((?!))';
    const word = R`(?:(\d{1,3}(?:\.\d{1,3}){3})(?:(/)(\d{1,2}(?:\.\d{1,3}){0,3}))?(?:(:)(\d+))?(?=[\s#])|([+-]?\d+(?:\.\d+)?)(us|ms|s|m|h|d|[kKgG])?(?=[\s#])|${lit}|(/(?:[^\s#"'\\%]|\\[^\n])*)(?=[\s#])|(?![/"'])[^\s#"'\\%$(]+)`;
    const wordScopes = [
      `constant.numeric.ip${S}`,
      `punctuation.separator.mask${S}`,
      `constant.numeric.mask${S}`,
      `punctuation.separator.port${S}`,
      `constant.numeric.port${S}`,
      `constant.numeric${S}`,
      `keyword.other.unit${S}`,
      `support.constant.value${S}`,
      `string.unquoted.path${S}`,
    ];
    const headGroups = countGroups(head);
    const captures = { ...headCaps };
    for (let i = 0; i < SIMPLE_WORDS; i++)
      wordScopes.forEach((scope, j) => (captures[headGroups + i * wordScopes.length + j + 1] = { name: scope }));
    const g = headGroups + SIMPLE_WORDS * wordScopes.length;
    captures[g + 1] = { name: `comment.line.number-sign${S}` };
    captures[g + 2] = { name: `punctuation.definition.comment${S}` };
    let words = '';
    for (let i = 0; i < SIMPLE_WORDS; i++) words = R`(?:[ \t]+(?>${word})${words})?`;
    return { match: R`${head}(?>${words})[ \t]*(?:((#).*))?(?=\n)`, captures };
  };

  // --- Sections ------------------------------------------------------------------------------------

  const proxyRulesets = rulesets;
  const sectionPatterns = {};
  /**
   * A section's line rules, the most frequent kinds of line first (real configurations and the
   * benchmark agree): at the line start Oniguruma tries the patterns in order, and each one that
   * fails costs 100-300 ns. Comment lines come after the three most frequent kinds: the patterns
   * before them fail at once on `#`, and the other lines no longer try the comment first.
   * Rules for different first words never match the same line, so the order changes no token,
   * except where kept here: `bind` (which takes `stats socket`) before the generic keywords, each
   * fast path before its region, the unknown directive last.
   */
  const LINE_ORDER = [
    (i) => i.startsWith('#rules-'),
    (i) => i === '#directive-bind',
    (i) => /^#keywords-.*-simple$/.test(i),
    (i) => i.startsWith('#servers-'),
    (i) => i === '#comment-line',
    (i) => i === '#directive-acl',
    (i) => /^#option-.*-simple$/.test(i),
    (i) => i === '#directive-use-backend',
    (i) => i.startsWith('#keywords-') && !i.endsWith('-conditional'),
    (i) => i.startsWith('#option-'),
    (i) => i === '#directive-balance',
    (i) => i === '#directive-stick',
    (i) => i.startsWith('#keywords-'),
    (i) => i === '#directive-log',
    (i) => i === '#directive-log-format',
    (i) => i === '#conditional-block',
    (i) => i === '#directive-unknown',
  ];
  const lineOrder = (includes) => {
    const rank = (i) => {
      const r = LINE_ORDER.findIndex((f) => f(i));
      if (r < 0) throw new Error(`no place in LINE_ORDER for ${i}`);
      return r;
    };
    return [...includes].sort((a, b) => rank(a) - rank(b));
  };
  for (const kind of kinds) {
    const section = data.sections[kind];
    const id = kind.replace(/[^\w-]/g, '_');
    const has = (w) => Boolean(section.keywords[w]);
    const includes = ['#comment-line', '#conditional-block'];
    const all = phrasesOf(section.keywords);

    if (has('acl')) includes.push('#directive-acl');
    const sets = proxyRulesets.filter((rs) => {
      const [root, stage] = rs.split(' ');
      return stage
        ? Boolean(section.keywords[root] && section.keywords[root].sub && section.keywords[root].sub[stage])
        : has(root);
    });
    if (sets.length) includes.push(...ruleRules(sets, `rules-${id}`));
    if (has('bind') || (section.keywords.stats && section.keywords.stats.sub && section.keywords.stats.sub.socket))
      includes.push('#directive-bind');

    // Server-like lines: `<keyword> <name> <address> [options]`, server-template, default-server.
    const named = (NAMED_ADDRESS_KEYWORDS[kind] || ['server']).filter(has);
    const serverAlts = [];
    if (named.length) serverAlts.push(R`(${named.join('|')})[ \t]+([^\s#]+)`);
    if (has('server-template')) serverAlts.push(R`(server-template)[ \t]+([^\s#]+)[ \t]+(\d+(?:-\d+)?)`);
    if (has('default-server')) serverAlts.push('(default-server)');
    if (named.length && fastPaths) {
      // `server name address` with the common form of address in the begin: one scan less a
      // line. Any other address goes to the rule below.
      repo[`servers-${id}-with-address`] = {
        begin: R`${lineStart}(${named.join('|')})[ \t]+([^\s#]+)(${addressBody})`,
        end: EOL,
        name: `meta.directive.server${S}`,
        beginCaptures: {
          1: { name: KW },
          2: { name: `variable.other.server${S}` },
          3: { name: `meta.address${S}` },
          ...addressCaps(4),
        },
        patterns: [{ include: '#server-options' }],
      };
      includes.push(`#servers-${id}-with-address`);
    }
    if (serverAlts.length) {
      const caps = {};
      let g = 0;
      if (named.length) Object.assign(caps, { [++g]: { name: KW }, [++g]: { name: `variable.other.server${S}` } });
      if (has('server-template'))
        Object.assign(caps, {
          [++g]: { name: KW },
          [++g]: { name: `variable.other.server${S}` },
          [++g]: { name: `constant.numeric${S}` },
        });
      if (has('default-server')) caps[++g] = { name: KW };
      repo[`servers-${id}`] = {
        begin: R`${lineStart}(?:${serverAlts.join('|')})(?=[\s#])`,
        end: EOL,
        name: `meta.directive.server${S}`,
        beginCaptures: caps,
        patterns: [{ include: '#server-arguments' }],
      };
      includes.push(`#servers-${id}`);
    }
    if (has('log')) includes.push('#directive-log');
    if (['log-format', 'log-format-sd', 'error-log-format', 'unique-id-format'].some(has))
      includes.push('#directive-log-format');
    if (has('stick')) includes.push('#directive-stick');
    if (['use_backend', 'default_backend', 'use-server'].some(has)) includes.push('#directive-use-backend');
    if (has('balance')) includes.push('#directive-balance');

    // option / no option / default option
    const opts = Object.keys(section.options || {});
    if (opts.length) {
      const dep = opts.filter((n) => section.options[n].deprecated);
      const live = opts.filter((n) => !section.options[n].deprecated);
      const head = R`${lineStart}(?:(no|default)[ \t]+)?(option)(?=[\s#])(?:[ \t]+(?:(${trie(dep)})|(${trie(live)}))(?=[\s#]))?`;
      const headCaps = {
        1: { name: `keyword.other.negation${S}` },
        2: { name: KW },
        3: { name: `support.constant.option${S} invalid.deprecated${S}` },
        4: { name: `support.constant.option${S}` },
      };
      repo[`option-${id}-simple`] = { ...simpleLine(head, headCaps, []), name: `meta.directive.option${S}` };
      repo[`option-${id}`] = {
        begin: head,
        end: EOL,
        name: `meta.directive.option${S}`,
        beginCaptures: headCaps,
        patterns: [{ include: '#arguments' }],
      };
      if (fastPaths) includes.push(`#option-${id}-simple`);
      includes.push(`#option-${id}`);
    }

    // Every other keyword, multi-word forms included, with the literal values of its syntax.
    const covered = (w) => {
      if (w[0] === 'tcp-request' || w[0] === 'tcp-response')
        return w.length === 1 || ['connection', 'session', 'content'].includes(w[1]);
      return SPECIAL_FIRST_WORDS.has(w[0]);
    };
    const usable = all.filter((p) => !covered(p.words));
    const conditional = new Set();
    for (const p of all)
      if ((p.info.syntax || []).some((t) => /\{ *if\b|\bif *\||\[ *if\b/.test(t))) conditional.add(p.words[0]);
    const literal = new Set();
    for (const p of all) for (const w of literalWords(p.info.syntax || [], p.words.length)) literal.add(w);
    repo[`arguments-${id}`] = {
      patterns: [
        lex([...generic, wordsPart([...literal], `support.constant.value${S}`, runPairs), ...values]),
        { include: '#string-double' },
        { include: '#sample-embedded' },
      ],
    };
    for (const withCond of [true, false]) {
      const group = usable.filter((p) => conditional.has(p.words[0]) === withCond);
      if (!group.length) continue;
      const phraseTrie = (list) =>
        list.length ? trie(list.map((p) => p.words.join(' '))).replace(/ /g, R`[ \t]+`) : null;
      const removed = phraseTrie(group.filter((p) => p.info.removed));
      const deprecated = phraseTrie(group.filter((p) => p.info.deprecated && !p.info.removed));
      const live = phraseTrie(group.filter((p) => !p.info.deprecated && !p.info.removed));
      const alts = [];
      const caps = {};
      let g = 0;
      for (const [re, scope] of [
        [removed, `invalid.illegal.removed${S}`],
        [deprecated, `${KW} invalid.deprecated${S}`],
        [live, KW],
      ]) {
        if (!re) continue;
        alts.push(`(${re})`);
        caps[++g] = { name: scope };
      }
      const rid = `keywords-${id}${withCond ? '-conditional' : ''}`;
      if (!withCond && fastPaths) {
        repo[`${rid}-simple`] = {
          ...simpleLine(R`${lineStart}(?:${alts.join('|')})(?=[\s#])`, caps, [...literal]),
          name: `meta.directive${S}`,
        };
        includes.push(`#${rid}-simple`);
      }
      repo[rid] = {
        begin: R`${lineStart}(?:${alts.join('|')})(?=[\s#])`,
        end: EOL,
        name: `meta.directive${S}`,
        beginCaptures: caps,
        patterns: withCond
          ? [{ include: '#condition' }, { include: `#arguments-${id}` }]
          : [{ include: `#arguments-${id}` }],
      };
      includes.push(`#${rid}`);
    }
    includes.push('#directive-unknown');
    sectionPatterns[kind] = lineOrder(includes).map((include) => ({ include }));
  }

  // Also takes a comment after a section header (the anchor is then the end of the header).
  repo['comment-line'] = {
    match: R`\G${ASCII}[ \t]*((#).*)`,
    captures: { 1: { name: `comment.line.number-sign${S}` }, 2: { name: `punctuation.definition.comment${S}` } },
  };
  // Lines before the first section have no anchor at their start: `^` variants.
  const topLevel = (rule) =>
    JSON.parse(
      JSON.stringify(rule)
        .split(JSON.stringify(lineStart).slice(1, -1))
        .join(R`^[ \t]*`)
        .split(JSON.stringify(anyLineStart).slice(1, -1))
        .join(R`^[ \t]*`),
    );
  for (const id of ['conditional-block', 'directive-unknown']) repo[`${id}-top`] = topLevel(repo[id]);
  repo['comment-line-top'] = { ...repo['comment-line'], match: R`^[ \t]*((#).*)` };

  const topPatterns = [{ include: '#comment-line-top' }, { include: '#conditional-block-top' }];
  for (const kind of kinds) {
    const id = kind.replace(/[^\w-]/g, '_');
    // Old syntax: `frontend name address` / `listen name address`.
    const headerAddress = ['frontend', 'listen'].includes(kind)
      ? [addressSimple(R`(?<=\S)`), addressRegion(R`(?<=\S)`)]
      : [];
    const header = R`^[ \t]*(${escapeRegex(kind)})(?=[\s#])(?:[ \t]+(?!from(?=[\s#]))([^\s#]+))?(?:[ \t]+(from)[ \t]+([^\s#]+))?`;
    const headerCaptures = {
      1: { name: `entity.name.section${S}` },
      2: { name: `entity.name.type.section${S}` },
      3: { name: `keyword.other.from${S}` },
      4: { name: `entity.name.type.defaults${S}` },
    };
    // A header with nothing after its names but a comment takes its whole line, "\n" included.
    // vscode-textmate then sets the anchor at the start of every line of the section (its begin
    // took the end of its line), and the section ends before the next header: no `while` check
    // on every line (a scan each). The end comes last: no directive matches a header.
    if (fastPaths) {
      repo[`section-${id}`] = {
        begin: R`${header}[ \t]*(?:((#).*))?\n`,
        end: sectionEnd,
        applyEndPatternLast: 1,
        name: `meta.section.${id}${S}`,
        beginCaptures: {
          ...headerCaptures,
          5: { name: `comment.line.number-sign${S}` },
          6: { name: `punctuation.definition.comment${S}` },
        },
        patterns: sectionPatterns[kind],
      };
      topPatterns.push({ include: `#section-${id}` });
    }
    // Any other header (an address after the name: old syntax): the section goes on while lines
    // are not section headers.
    repo[`section-${id}-open`] = {
      begin: header,
      while: R`^(?![ \t]*${kindsRe}(?=[\s#]))`,
      name: `meta.section.${id}${S}`,
      beginCaptures: headerCaptures,
      // Only after the header's name, where no directive (`^`) matches: last but one.
      patterns: [...sectionPatterns[kind].slice(0, -1), ...headerAddress, ...sectionPatterns[kind].slice(-1)],
    };
    topPatterns.push({ include: `#section-${id}-open` });
  }
  topPatterns.push({ include: '#directive-unknown-top' });

  return hardenGrammar({
    information_for_contributors: [
      `This file is generated by ${GENERATOR} from its rule template and the keyword data of`,
      `HAProxy ${data.haproxyVersion} (src/language/core/keywords/haproxy-${data.version}.json). Do not edit it:`,
      'change the generator or regenerate the keyword data, then run `node scripts/generate-grammar.js`.',
    ],
    $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
    name: 'HAProxy',
    scopeName: 'source.haproxy',
    fileTypes: ['cfg'],
    patterns: topPatterns,
    repository: repo,
  });
}

function serialize(grammar) {
  return `${JSON.stringify(grammar, null, 2)}\n`;
}

function main() {
  const args = process.argv.slice(2);
  const vi = args.indexOf('--version');
  const data = loadData(vi >= 0 ? args[vi + 1] : undefined);
  const text = serialize(buildGrammar(data));
  if (args.includes('--check')) {
    const current = fs.existsSync(OUT_FILE) ? fs.readFileSync(OUT_FILE, 'utf8') : '';
    if (current !== text) {
      console.error(`${path.relative(ROOT, OUT_FILE)} is out of date: run node ${GENERATOR}`);
      process.exit(1);
    }
    console.log(`${path.relative(ROOT, OUT_FILE)} is up to date`);
    return;
  }
  fs.mkdirSync(path.dirname(OUT_FILE), { recursive: true });
  fs.writeFileSync(OUT_FILE, text);
  console.log(`wrote ${path.relative(ROOT, OUT_FILE)} for HAProxy ${data.haproxyVersion}`);
}

module.exports = { buildGrammar, serialize, loadData, trie, hardenRuns, anchorFirst, OUT_FILE };

if (require.main === module) main();
