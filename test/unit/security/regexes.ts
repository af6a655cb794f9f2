// Every regular expression of src/ (literals and `new RegExp(...)`, found with the TypeScript
// compiler API) and every pattern of the shipped grammar, checked with recheck (ReDoS checker).
// Shared by test/unit/security/regex.test.ts and the bench (scripts/bench/hostile.js).
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { repoRoot } from '../../support/paths';

export interface FoundRegex {
  /** file:line, or grammar:<json path>. */
  where: string;
  source: string;
  flags: string;
  /** Oniguruma (grammar) pattern translated for recheck, or undefined when it cannot be. */
  dynamic?: boolean;
}

function walkTs(dir: string, out: string[]): void {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walkTs(p, out);
    else if (e.name.endsWith('.ts')) out.push(p);
  }
}

/** Every regex literal and `new RegExp(<string literal>[, flags])` of src/. */
export function sourceRegexes(): FoundRegex[] {
  const files: string[] = [];
  walkTs(path.join(repoRoot, 'src'), files);
  const found: FoundRegex[] = [];
  for (const file of files) {
    const sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const where = (n: ts.Node) =>
      `${path.relative(repoRoot, file)}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
    const visit = (n: ts.Node): void => {
      if (ts.isRegularExpressionLiteral(n)) {
        const text = n.text;
        const end = text.lastIndexOf('/');
        found.push({ where: where(n), source: text.slice(1, end), flags: text.slice(end + 1) });
      } else if (
        (ts.isNewExpression(n) || ts.isCallExpression(n)) &&
        ts.isIdentifier(n.expression) &&
        n.expression.text === 'RegExp'
      ) {
        const [src, flags] = n.arguments ?? [];
        const lit = (x: ts.Node | undefined) =>
          x && (ts.isStringLiteral(x) || ts.isNoSubstitutionTemplateLiteral(x)) ? x.text : undefined;
        const s = lit(src);
        found.push({ where: where(n), source: s ?? '', flags: lit(flags) ?? '', dynamic: s === undefined });
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return found;
}

/** Every match/begin/end/while pattern of syntaxes/haproxy.tmLanguage.json, with its JSON path. */
export function grammarPatterns(file = path.join(repoRoot, 'syntaxes', 'haproxy.tmLanguage.json')): FoundRegex[] {
  const out: FoundRegex[] = [];
  const walk = (node: unknown, at: string): void => {
    if (Array.isArray(node)) node.forEach((x, i) => walk(x, `${at}[${i}]`));
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (typeof v === 'string' && ['match', 'begin', 'end', 'while'].includes(k))
          out.push({ where: `grammar:${at}.${k}`, source: v, flags: '' });
        else walk(v, `${at}.${k}`);
      }
    }
  };
  walk(JSON.parse(fs.readFileSync(file, 'utf8')), '');
  return out;
}

/**
 * An Oniguruma pattern in JavaScript syntax for recheck. `\G` (the search's start) becomes `^`:
 * both let a match start at one position only. Possessive quantifiers and atomic groups never
 * give back what they took; JavaScript has neither, so they become greedy ones, which can only
 * make the verdict worse (a pattern found safe this way is safe). `\h` is a hex digit.
 */
export function toJs(onig: string): string {
  return onig
    .replace(/\\G/g, '^')
    .replace(/\\h/g, '[0-9A-Fa-f]')
    .replace(/\(\?>/g, '(?:')
    .replace(/([*+?}])\+/g, '$1');
}

/**
 * Polynomial patterns that stay, each with the constant of src/shared/limits.ts that bounds its
 * input (`cap`), or no cap and why (these count as `regex.polynomialUncapped` in the bench).
 */
export const KNOWN_POLYNOMIAL: readonly {
  file: string;
  source: string;
  cap?: string;
  bundled?: boolean;
  why: string;
}[] = [
  {
    file: 'src/language/core/localManual.ts',
    source:
      String.raw`<h\d id="chapter-([\d.]+)"[^>]*>` +
      String.raw`(?:<small>(?:[^<\n]|<(?!\/small>)){0,400}<\/small>)?([^<]+)<\/h\d>`,
    cap: 'MAX_MANUAL_BYTES',
    why: 'each start scans to the next tag only',
  },
  {
    file: 'src/dataplane/core/connection.ts',
    source: '^-+|-+$',
    cap: 'MAX_SECRET_FIELD_CHARS',
    why: 'a typed name (80 characters) or a Secret URL host',
  },
  {
    file: 'src/language/core/features/signature.ts',
    source: '<([^>]+)>',
    bundled: true,
    why: 'reads the keyword syntax shipped with the extension, no outside input',
  },
];

export interface CheckReport {
  checked: number;
  exponential: FoundRegex[];
  /** Polynomial and not in KNOWN_POLYNOMIAL. */
  unlisted: FoundRegex[];
  /** Polynomial, listed, without a cap. */
  polynomialUncapped: FoundRegex[];
  /** Grammar patterns found polynomial once their possessive runs were made greedy for recheck. */
  polynomialPossessive: FoundRegex[];
  /** recheck gave no verdict (timeout or syntax it cannot read), with the reason. */
  unknown: { regex: FoundRegex; reason: string }[];
}

/**
 * recheck over src/ and, with `grammar`, the grammar's patterns: 'automaton' (seconds: decides the
 * patterns without lookaround, which are most of the exponential kind) or 'full' (the fuzzer too:
 * over ten minutes on 2 cores). A per-pattern timeout keeps it bounded.
 */
export function checkAll(options: { grammar?: 'automaton' | 'full'; timeoutMs?: number } = {}): CheckReport {
  process.env.RECHECK_BACKEND ??= 'pure';
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { checkSync } = require('recheck') as typeof import('recheck');
  const report: CheckReport = {
    checked: 0,
    exponential: [],
    unlisted: [],
    polynomialUncapped: [],
    polynomialPossessive: [],
    unknown: [],
  };
  const all = [
    ...sourceRegexes().map((r) => ({ r, js: r.source, grammar: false })),
    ...(options.grammar ? grammarPatterns().map((r) => ({ r, js: toJs(r.source), grammar: true })) : []),
  ];
  for (const { r, js, grammar } of all) {
    if (r.dynamic) {
      report.unknown.push({ regex: r, reason: 'built at run time' });
      continue;
    }
    report.checked++;
    let d: ReturnType<typeof checkSync>;
    try {
      const checker = grammar && options.grammar === 'automaton' ? 'automaton' : 'auto';
      // A fixed seed: the fuzzer is random, and a test must give the same verdict every run.
      d = checkSync(js, r.flags, { timeout: options.timeoutMs ?? 3000, checker, randomSeed: 0 });
    } catch (err) {
      report.unknown.push({ regex: r, reason: String(err) });
      continue;
    }
    if (d.status === 'unknown') report.unknown.push({ regex: r, reason: d.error.kind });
    if (d.status !== 'vulnerable') continue;
    // Possessive runs were made greedy for recheck (JavaScript has none): a polynomial verdict on
    // such a pattern can come from that translation; the hostile-lines test and the bench measure it.
    if (grammar && d.complexity.type === 'polynomial' && /[*+?}]\+/.test(r.source)) {
      report.polynomialPossessive.push(r);
      continue;
    }
    if (d.complexity.type === 'exponential') report.exponential.push(r);
    else {
      const known = KNOWN_POLYNOMIAL.find((k) => r.where.startsWith(`${k.file}:`) && k.source === r.source);
      if (!known) report.unlisted.push(r);
      else if (!known.cap && !known.bundled) report.polynomialUncapped.push(r);
    }
  }
  return report;
}
