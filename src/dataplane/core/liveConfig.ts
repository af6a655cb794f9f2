// Reads a live haproxy.cfg fetched from a server (one raw-configuration request) with the shared
// parser of src/shared/haproxy-config: sections, and in them the few keywords the Data Plane tree
// and the VIP code use (mode, bind, default_backend, balance, server). Replaces the former minimal
// reader (cfgExtract.ts), so quoting, escapes, comments and `.if` blocks read as HAProxy reads them.
import { serverAddress } from '../../shared/haproxy-config/address';
import { parseConfig } from '../../shared/haproxy-config/parser';

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
  /** The words as HAProxy reads them (quotes removed, escapes applied). */
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

export interface CfgTree {
  frontends: CfgFrontend[];
  backends: CfgBackend[];
}

export function sections(text: string): CfgSection[] {
  return parseConfig(text).sections.map((s) => ({
    kind: s.kind,
    name: s.name?.value ?? '',
    line: s.startLine,
    endLine: s.endLine + 1,
    directives: s.directives.map((d) => ({ line: d.line, words: d.words.map((w) => w.value) })),
  }));
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
      const binds = s.directives.filter((d) => d.words[0] === 'bind').map((d) => bind(d.words));
      frontends.push({ name: s.name, mode, binds, defaultBackend: first('default_backend')?.[1], line: s.line });
    }
    if (s.kind !== 'frontend') {
      const servers = s.directives
        .filter((d) => d.words[0] === 'server' && d.words.length >= 3)
        .map((d) => server(d.words, d.line));
      backends.push({ name: s.name, mode, balance: first('balance')?.[1] ?? defBalance, servers, line: s.line });
    }
  }
  return { frontends, backends };
}

function bind(w: string[]): CfgBind {
  const nameAt = w.indexOf('name');
  return { address: w[1] ?? '', ssl: w.includes('ssl'), name: nameAt > 0 ? w[nameAt + 1] : undefined };
}

function server(w: string[], line: number): CfgServer {
  const { address, port } = serverAddress(w[2]!);
  const weightAt = w.indexOf('weight');
  const weight = weightAt > 0 ? Number(w[weightAt + 1]) : 1;
  return {
    name: w[1]!,
    address,
    port,
    weight: Number.isFinite(weight) ? weight : 1,
    check: w.includes('check'),
    backup: w.includes('backup'),
    disabled: w.includes('disabled'),
    line,
  };
}

/**
 * The live file without the header lines the Data Plane API writes above the configuration
 * (`# _md5hash=…` from v2.x/v3.x on a structured write, then `# _version=N`): they are the server's
 * bookkeeping, rewritten on every write, and not configuration the user edits.
 */
export function stripServerHeader(text: string): string {
  return text.replace(/^(?:# _md5hash=[0-9a-f]*\r?\n)?(?:# _version=\d+\r?\n)?/, '');
}
