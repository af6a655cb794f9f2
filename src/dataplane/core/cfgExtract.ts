// A minimal reader of haproxy.cfg for the Data Plane tree: sections, and in them the few keywords
// the tree shows (mode, bind, default_backend, balance, server). It exists because the tree must
// be built from ONE raw-configuration request instead of N+1 resource requests; the full editor
// parser (src/language/core/parser) was not committed when this was written.

export interface CfgSection {
  kind: string;
  name: string;
  /** 0-based line of the header. */
  line: number;
  /** 0-based line after the section's last line. */
  endLine: number;
  directives: CfgDirective[];
}

export interface CfgDirective {
  line: number;
  words: string[];
}

export interface CfgBind {
  name?: string;
  address: string;
  ssl: boolean;
}

export interface CfgFrontend {
  name: string;
  mode: string;
  binds: CfgBind[];
  defaultBackend?: string;
  line: number;
}

export interface CfgServer {
  name: string;
  address: string;
  port?: number;
  weight: number;
  check: boolean;
  backup: boolean;
  disabled: boolean;
  line: number;
}

export interface CfgBackend {
  name: string;
  mode: string;
  balance: string;
  servers: CfgServer[];
  line: number;
}

const SECTION_KEYWORDS = new Set(['global', 'defaults', 'frontend', 'backend', 'listen', 'userlist', 'peers', 'resolvers', 'mailers', 'program', 'http-errors', 'ring', 'cache', 'fcgi-app', 'log-forward', 'crt-store', 'traces']);

/** Splits a line into words like HAProxy: quotes group, backslash escapes, # starts a comment. */
export function words(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < line.length) cur += line[++i];
      else cur += c;
      continue;
    }
    if (c === '#') break;
    if (c === ' ' || c === '\t') {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
      continue;
    }
    inWord = true;
    if (c === '"' || c === "'") quote = c;
    else if (c === '\\' && i + 1 < line.length) cur += line[++i];
    else cur += c;
  }
  if (inWord) out.push(cur);
  return out;
}

export function sections(text: string): CfgSection[] {
  const lines = text.split(/\r?\n/);
  const out: CfgSection[] = [];
  let cur: CfgSection | undefined;
  lines.forEach((raw, i) => {
    const w = words(raw);
    if (w.length === 0) return;
    if (SECTION_KEYWORDS.has(w[0]!)) {
      if (cur) cur.endLine = i;
      cur = { kind: w[0]!, name: w[1] ?? '', line: i, endLine: lines.length, directives: [] };
      out.push(cur);
    } else if (cur) {
      cur.directives.push({ line: i, words: w });
    }
  });
  return out;
}

export interface CfgTree {
  frontends: CfgFrontend[];
  backends: CfgBackend[];
}

/** Frontends (frontend + listen) and backends (backend + listen) with the keywords the tree shows. */
export function extractTree(text: string): CfgTree {
  const frontends: CfgFrontend[] = [];
  const backends: CfgBackend[] = [];
  let defMode = 'tcp';
  let defBalance = 'roundrobin';
  for (const s of sections(text)) {
    const first = (kw: string) => s.directives.find((d) => d.words[0] === kw)?.words;
    if (s.kind === 'defaults') {
      defMode = first('mode')?.[1] ?? defMode;
      defBalance = first('balance')?.[1] ?? defBalance;
      continue;
    }
    if (s.kind !== 'frontend' && s.kind !== 'backend' && s.kind !== 'listen') continue;
    const mode = first('mode')?.[1] ?? defMode;
    if (s.kind !== 'backend') {
      const binds = s.directives.filter((d) => d.words[0] === 'bind').map((d) => parseBind(d.words));
      frontends.push({ name: s.name, mode, binds, defaultBackend: first('default_backend')?.[1], line: s.line });
    }
    if (s.kind !== 'frontend') {
      const servers = s.directives.filter((d) => d.words[0] === 'server' && d.words.length >= 3).map((d) => parseServer(d.words, d.line));
      backends.push({ name: s.name, mode, balance: first('balance')?.[1] ?? defBalance, servers, line: s.line });
    }
  }
  return { frontends, backends };
}

function parseBind(w: string[]): CfgBind {
  const nameAt = w.indexOf('name');
  return { address: w[1] ?? '', ssl: w.includes('ssl'), name: nameAt > 0 ? w[nameAt + 1] : undefined };
}

function parseServer(w: string[], line: number): CfgServer {
  const { address, port } = splitAddress(w[2]!);
  const weightAt = w.indexOf('weight');
  const weight = weightAt > 0 ? Number(w[weightAt + 1]) : 1;
  return { name: w[1]!, address, port, weight: Number.isFinite(weight) ? weight : 1, check: w.includes('check'), backup: w.includes('backup'), disabled: w.includes('disabled'), line };
}

/** `host:port`, `[v6]:port`, `ipv4@host:port`, `unix@/path`: port only when numeric. */
export function splitAddress(a: string): { address: string; port?: number } {
  const m = /^(.*):(\d+)$/.exec(a);
  if (!m || a.includes('@/')) return { address: a };
  return { address: m[1]!.replace(/^\[|\]$/g, ''), port: Number(m[2]) };
}
