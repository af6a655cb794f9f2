// Replays the recorded exchanges of the real Data Plane API (shared/reference/dataplaneapi/
// recordings: v3.4.2 and v2.9.27 in front of HAProxy 2.6) against the emulator, or against a real
// binary when one is given, each scenario on a fresh HAProxy in the recorded initial state, and
// lists every difference: status, Configuration-Version / Reload-Id / Content-Type /
// Configuration-Checksum, body shape (keys and types; exact for ids, statuses, versions, messages
// and configuration texts, normalized as the recordings are) and haproxy.cfg after the scenario.
// Used by conformance.test.ts (with its table of known differences) and by scripts/bench/dataplane.js.
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataPlaneEmulator } from '../../fixtures/dataplane/emulator';
import { HaproxyProcess, freePort } from '../../fixtures/dataplane/haproxy';
import { type ApiMajor, startRealDataplaneapi, stopChild, waitReady } from '../../fixtures/dataplane/index';
import { referenceDir } from '../../support/paths';

export const RECORDINGS = path.join(referenceDir, 'dataplaneapi', 'recordings');
export const VERSIONS: Record<string, ApiMajor> = { 'v3.4.2': 3, 'v2.9.27': 2 };

interface Exchange {
  step: string;
  request: {
    method: string;
    path: string;
    query: Record<string, unknown>;
    headers: Record<string, string>;
    body?: unknown;
  };
  response: { status: number; headers: Record<string, string>; body?: unknown };
}

interface Recording {
  scenario: string;
  version: string;
  reloadCommand?: string;
  exchanges: Exchange[];
}

export interface Difference {
  /** `v3.4.2/05-transaction-outdated#9 body.message` (#: the exchange's index; `cfg`: the file after). */
  key: string;
  step: string;
  detail: string;
}

export function scenarios(): { version: string; scenario: string }[] {
  const out: { version: string; scenario: string }[] = [];
  for (const version of Object.keys(VERSIONS)) {
    const dir = path.join(RECORDINGS, version, 'normalized');
    if (!fs.existsSync(dir)) continue;
    for (const f of fs.readdirSync(dir).sort())
      if (f.endsWith('.json')) out.push({ version, scenario: f.slice(0, -5) });
  }
  return out;
}

// Ports the recordings used, mapped to free ones here (other programs may hold the recorded ones).
const RECORDED_PORTS = [18080, 18081, 18082, 18083, 18090, 18099];

interface Target {
  url: string;
  emulator?: DataPlaneEmulator;
  settle(): Promise<void>;
  stop(): Promise<void>;
}

class Ctx {
  readonly ports = new Map<number, number>();
  readonly txIds = new Map<string, string>(); // <TX-n> → actual
  today = localDate();
  password = '';
  constructor(readonly run: string) {}

  /** Placeholders and recorded ports → this run's values (requests and the initial file). */
  fill(text: string): string {
    let t = text.replace(/<RUN>/g, this.run).replace(/<DATE>/g, this.today);
    for (const [k, v] of this.txIds) t = t.split(k).join(v);
    for (const [rec, act] of this.ports) t = t.replace(new RegExp(`:${rec}\\b`, 'g'), `:${act}`);
    return t;
  }

  /** This run's values → the recordings' placeholders (answers and the final file). */
  normalize(text: string): string {
    let t = text.split(this.run).join('<RUN>');
    t = t
      .split(os.tmpdir())
      .join('<tmpdir>')
      .replace(/onlyvalidate\d+/g, 'onlyvalidate<N>');
    t = t.replace(/# _md5hash=[0-9a-f]+/g, '# _md5hash=<MD5>').replace(/\((\d+)\)/g, '(<PID>)');
    t = t.split(`${this.today}-`).join('<DATE>-');
    for (const [k, v] of this.txIds) t = t.split(v).join(k);
    for (const [rec, act] of this.ports) t = t.replace(new RegExp(`:${act}\\b`, 'g'), `:${rec}`);
    return t;
  }

  /** Binds an unknown transaction id seen in an answer to the placeholder the recording has there. */
  bind(recorded: unknown, actual: unknown): void {
    if (typeof recorded !== 'string' || typeof actual !== 'string') return;
    const m = /<TX-\d+>/.exec(recorded);
    if (!m || this.txIds.has(m[0])) return;
    const id = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/.exec(actual);
    if (id && ![...this.txIds.values()].includes(id[0])) this.txIds.set(m[0], id[0]);
  }
}

function localDate(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export interface ReplayOptions {
  /** A real binary instead of the emulator (HAPROXY_GATEWAY_DATAPLANEAPI...). */
  real?: boolean;
}

/** Replays one recorded scenario; returns its differences. */
export async function replay(version: string, scenario: string, opts: ReplayOptions = {}): Promise<Difference[]> {
  const api = VERSIONS[version]!;
  const rec = JSON.parse(
    fs.readFileSync(path.join(RECORDINGS, version, 'normalized', `${scenario}.json`), 'utf8'),
  ) as Recording;
  const before = fs.readFileSync(path.join(RECORDINGS, version, 'normalized', `${scenario}.before.cfg`), 'utf8');
  const after = fs.readFileSync(path.join(RECORDINGS, version, 'normalized', `${scenario}.after.cfg`), 'utf8');
  const run = fs.mkdtempSync(path.join(os.tmpdir(), 'hgw-conformance-'));
  const ctx = new Ctx(run);
  const cleanup: (() => Promise<void> | void)[] = [() => fs.rmSync(run, { recursive: true, force: true })];
  const diffs: Difference[] = [];
  try {
    for (const p of RECORDED_PORTS) ctx.ports.set(p, await freePort());
    cleanup.push(await listenUpstream(ctx.ports.get(18081)!));
    // Scenario 13: the port the new bind wants is held by another process.
    if (scenario.startsWith('13-')) cleanup.push(await holdPort(ctx.ports.get(18083)!));
    const configPath = path.join(run, 'haproxy.cfg');
    fs.writeFileSync(configPath, ctx.fill(before));
    ctx.password = /user admin insecure-password (\S+)/.exec(before)?.[1] ?? '';
    const haproxy = await HaproxyProcess.start(configPath, run);
    cleanup.push(() => haproxy.stop());
    await checksSettled(haproxy);
    const target = await startTarget(api, scenario, rec, run, configPath, haproxy, ctx, opts);
    cleanup.push(() => target.stop());
    await replayExchanges(rec, ctx, target, diffs);
    await target.settle();
    const got = ctx.normalize(fs.readFileSync(configPath, 'utf8'));
    if (got !== after)
      diffs.push({
        key: `${version}/${scenario}#cfg`,
        step: 'haproxy.cfg after the scenario',
        detail: firstDifference(after, got),
      });
  } finally {
    for (const c of cleanup.reverse()) await Promise.resolve(c()).catch(() => undefined);
  }
  return diffs.map((d) => ({ ...d, key: d.key.startsWith(version) ? d.key : `${version}/${scenario}${d.key}` }));
}

async function startTarget(
  api: ApiMajor,
  scenario: string,
  rec: Recording,
  run: string,
  configPath: string,
  haproxy: HaproxyProcess,
  ctx: Ctx,
  opts: ReplayOptions,
): Promise<Target> {
  const port = await freePort();
  const maxOpenTransactions = scenario.startsWith('06-') ? 3 : undefined;
  const reloadCommand = rec.reloadCommand === 'simple' ? 'simple' : 'verdict';
  if (!opts.real) {
    // Reloads run when the replay says so: the recordings show both the pending and the done state.
    const emu = new DataPlaneEmulator({
      api,
      haproxy,
      configPath,
      dir: run,
      host: '127.0.0.1',
      port,
      userlist: 'dataplaneapi',
      reloadDelayMs: 0,
      maxOpenTransactions,
      reloadCommand,
      masterRuntime: scenario.startsWith('15-'),
      hooks: {},
    });
    await emu.start();
    return { url: emu.url, emulator: emu, settle: () => emu.runPendingReloads(), stop: () => emu.stop() };
  }
  const child: ChildProcess = await startRealDataplaneapi({
    api,
    dir: run,
    configPath,
    haproxy,
    port,
    reloadDelayMs: 1000,
    mtls: false,
    maxOpenTransactions,
    reloadCommand,
  });
  const url = `http://127.0.0.1:${port}`;
  await waitReady(url, 'admin', ctx.password, undefined, false, child, api);
  const settle = async () => {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const r = await send(url, {
        method: 'GET',
        path: `/v${api}/services/haproxy/reloads`,
        headers: { Authorization: basic('admin', ctx.password) },
      });
      if (Array.isArray(r.body) && !r.body.some((x: { status?: string }) => x.status === 'in_progress')) return;
      await new Promise((res) => setTimeout(res, 250));
    }
  };
  return { url, settle, stop: () => stopChild(child) };
}

/**
 * The recordings start once HAProxy's health checks have settled (web3, without a listener, DOWN):
 * wait until no server is in a transitional state ("UP 1/3") and every checked one has a result.
 */
async function checksSettled(haproxy: HaproxyProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const rows = (await haproxy.cli('@1 show stat'))
      .split('\n')
      .slice(1)
      .filter((l) => l.trim());
    const header = (await haproxy.cli('@1 show stat')).split('\n')[0]!.replace(/^# /, '').split(',');
    const st = header.indexOf('status');
    const chk = header.indexOf('check_status');
    const settled = rows.every((r) => {
      const f = r.split(',');
      return !/\d\/\d/.test(f[st] ?? '') && !(f[chk] ?? '').startsWith('INI');
    });
    if (settled) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A recorded answer showing a finished reload: the replay lets the reload agent run first. */
function showsFinishedReload(body: unknown): boolean {
  const items = Array.isArray(body) ? body : [body];
  return items.some(
    (b) =>
      typeof b === 'object' &&
      b !== null &&
      ['succeeded', 'failed'].includes(String((b as { status?: unknown }).status)) &&
      'reload_timestamp' in b,
  );
}

async function replayExchanges(rec: Recording, ctx: Ctx, target: Target, diffs: Difference[]): Promise<void> {
  const ex = rec.exchanges;
  for (let i = 0; i < ex.length; i++) {
    const e = ex[i]!;
    if (e.request.path.includes('/reloads') && showsFinishedReload(e.response.body)) await target.settle();
    if (/concurrently/.test(e.step)) {
      let j = i;
      while (j + 1 < ex.length && /concurrently/.test(ex[j + 1]!.step)) j++;
      const group = ex.slice(i, j + 1).map((x, k) => ({ x, k: i + k }));
      const got = await race(
        group.map((g) => g.x),
        ctx,
        target,
      );
      group.forEach((g, n) => compare(g.x, got[n]!, ctx, `#${g.k}`, diffs));
      i = j;
      continue;
    }
    compare(e, await send(target.url, request(e, ctx)), ctx, `#${i}`, diffs);
  }
}

/**
 * A change racing the DELETE of its transaction (two requests, the change "sent first"), staged in
 * the interleaving the recording shows through the order of the answers: the change answered first
 * → the DELETE landed after the change arrived and before it started (the change then finds no
 * file); the DELETE answered first → it landed while the change was writing (the transaction comes
 * back). The emulator's hooks make either interleaving certain; a real binary gets them in order.
 */
async function race(steps: Exchange[], ctx: Ctx, target: Target): Promise<Got[]> {
  const c = steps.findIndex((x) => /sent first/.test(x.step));
  const emu = target.emulator;
  if (steps.length !== 2 || c < 0 || !emu) return Promise.all(steps.map((x) => send(target.url, request(x, ctx))));
  const change = steps[c]!;
  const other = steps[1 - c]!;
  const hooks = emu.opts.hooks!;
  const out: Got[] = [];
  if (c === 0) {
    let release!: () => void;
    const hold = new Promise<void>((r) => (release = r));
    const arrived = new Promise<void>((r) => (hooks.arrived = (m) => m === change.request.method && r()));
    const pending = send(target.url, request(change, ctx), undefined, hold);
    await arrived;
    hooks.arrived = undefined;
    out[1] = await send(target.url, request(other, ctx));
    release();
    out[0] = await pending;
    return out;
  }
  let writing!: () => void;
  const entered = new Promise<void>((r) => (writing = r));
  let done!: () => void;
  const deleted = new Promise<void>((r) => (done = r));
  hooks.txWrite = () => {
    writing();
    return deleted;
  };
  const pending = send(target.url, request(change, ctx));
  await entered;
  hooks.txWrite = undefined;
  out[0] = await send(target.url, request(other, ctx));
  done();
  out[1] = await pending;
  return out;
}

interface Req {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

function basic(user: string, pass: string): string {
  return `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
}

function request(e: Exchange, ctx: Ctx): Req {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(e.request.query ?? {})) q.set(k, ctx.fill(String(v)));
  const qs = q.toString();
  const headers: Record<string, string> = {};
  const auth = e.request.headers.Authorization;
  if (auth === 'Basic <admin:right-password>') headers.Authorization = basic('admin', ctx.password);
  else if (auth?.includes('WRONG')) headers.Authorization = basic('admin', 'wrong');
  let body: string | undefined;
  if (e.request.body !== undefined && e.request.body !== null) {
    const raw = e.request.path.endsWith('/configuration/raw');
    if (typeof e.request.body === 'string') body = ctx.fill(e.request.body);
    else body = ctx.fill(JSON.stringify(mapPorts(e.request.body, ctx)));
    headers['Content-Type'] = raw ? 'text/plain' : 'application/json';
  }
  return { method: e.request.method, path: `${ctx.fill(e.request.path)}${qs ? `?${qs}` : ''}`, headers, body };
}

function mapPorts(v: unknown, ctx: Ctx): unknown {
  if (Array.isArray(v)) return v.map((x) => mapPorts(x, ctx));
  if (typeof v !== 'object' || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v))
    out[k] = k === 'port' && typeof x === 'number' ? (ctx.ports.get(x) ?? x) : mapPorts(x, ctx);
  return out;
}

interface Got {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  body: unknown;
}

function send(base: string, r: Req, written?: () => void, hold?: Promise<void>): Promise<Got> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${base}${r.path}`,
      { method: r.method, headers: { ...r.headers, Connection: 'close' } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () => {
          let body: unknown = text;
          if (/json/.test(String(res.headers['content-type'] ?? ''))) {
            try {
              body = JSON.parse(text);
            } catch {
              // v2 raw POST: JSON content type, plain text body (recorded so)
            }
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body: text === '' ? '' : body });
        });
      },
    );
    req.setTimeout(120_000, () => req.destroy(new Error(`${r.method} ${r.path} timed out`)));
    req.on('error', reject);
    req.on('finish', () => written?.());
    if (!hold) return void req.end(r.body);
    // Headers now, the body later: the server sees the request arrive, then waits for its body.
    req.flushHeaders();
    void hold.then(() => req.end(r.body));
  });
}

const HEADERS = ['Configuration-Version', 'Reload-Id', 'Content-Type', 'Configuration-Checksum'];

function compare(e: Exchange, got: Got, ctx: Ctx, where: string, diffs: Difference[]): void {
  const add = (what: string, detail: string) => diffs.push({ key: `${where} ${what}`, step: e.step, detail });
  if (got.status !== e.response.status)
    add('status', `recorded ${e.response.status}, got ${got.status}: ${got.text.slice(0, 300)}`);
  const recHeaders = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), v]));
  for (const h of HEADERS) {
    const r = recHeaders[h.toLowerCase()];
    const g = got.headers[h.toLowerCase()] as string | undefined;
    if ((r === undefined) !== (g === undefined)) add(`header ${h}`, `recorded ${r ?? 'absent'}, got ${g ?? 'absent'}`);
    else if (r !== undefined && g !== undefined) {
      const same =
        h === 'Configuration-Checksum'
          ? true
          : h === 'Content-Type'
            ? r.split(';')[0] === g.split(';')[0]
            : r === ctx.normalize(g);
      if (!same) add(`header ${h}`, `recorded ${r}, got ${g}`);
    }
  }
  shape(e.response.body, got.body, ctx, 'body', add);
}

/** Keys whose values are compared exactly (after normalization), not only by type. */
const EXACT = new Set([
  'status',
  'message',
  'id',
  '_version',
  'code',
  'admin_state',
  'operational_state',
  'name',
  'address',
  'algorithm',
  'mode',
  'default_backend',
  'enabled',
  'check',
  'runtimeAPI',
]);

function shape(rec: unknown, got: unknown, ctx: Ctx, at: string, add: (what: string, detail: string) => void): void {
  const key = at.slice(at.lastIndexOf('.') + 1).replace(/\[\d+\]$/, '');
  ctx.bind(rec, got);
  if (rec === '<N>' || rec === '<PID>') {
    if (typeof got !== 'number' && !(typeof got === 'string' && /^\d+$/.test(got)))
      add(at, `recorded a number, got ${JSON.stringify(got)}`);
    return;
  }
  if (Array.isArray(rec)) {
    if (!Array.isArray(got)) return add(at, `recorded an array, got ${JSON.stringify(got)?.slice(0, 200)}`);
    if (rec.length !== got.length) add(`${at}.length`, `recorded ${rec.length} items, got ${got.length}`);
    for (let i = 0; i < Math.min(rec.length, got.length); i++) shape(rec[i], got[i], ctx, `${at}[${i}]`, add);
    return;
  }
  if (rec !== null && typeof rec === 'object') {
    if (got === null || typeof got !== 'object' || Array.isArray(got))
      return add(at, `recorded an object, got ${JSON.stringify(got)?.slice(0, 200)}`);
    const r = rec as Record<string, unknown>;
    const g = got as Record<string, unknown>;
    const missing = Object.keys(r).filter((k) => !(k in g));
    const extra = Object.keys(g).filter((k) => !(k in r));
    if (missing.length) add(`${at} keys`, `missing ${missing.join(', ')}`);
    if (extra.length) add(`${at} keys`, `extra ${extra.join(', ')}`);
    for (const k of Object.keys(r)) if (k in g) shape(r[k], g[k], ctx, `${at}.${k}`, add);
    return;
  }
  if (typeof rec !== typeof got)
    return add(
      at,
      `recorded ${typeof rec} ${JSON.stringify(rec)?.slice(0, 100)}, ` +
        `got ${typeof got} ${JSON.stringify(got)?.slice(0, 200)}`,
    );
  if (typeof rec === 'string') {
    const g = ctx.normalize(String(got));
    if (key === 'response') {
      const alerts = (s: string) =>
        s
          .split('\n')
          .filter((l) => l.startsWith('[ALERT]'))
          .join('\n');
      if (alerts(rec) !== alerts(g)) add(at, `ALERT lines differ: ${firstDifference(alerts(rec), alerts(g))}`);
    } else if ((at === 'body' || key === 'data' || EXACT.has(key)) && rec !== g) add(at, firstDifference(rec, g));
    return;
  }
  if (typeof rec === 'number' && (at === 'body' || key === '_version' || key === 'code') && rec !== got)
    add(at, `recorded ${rec}, got ${String(got)}`);
}

export function firstDifference(a: string, b: string): string {
  const la = a.split('\n');
  const lb = b.split('\n');
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i])
      return `line ${i + 1}: recorded ${JSON.stringify(la[i] ?? '<end>')}, got ${JSON.stringify(lb[i] ?? '<end>')}`;
  }
  return 'same text';
}

async function listenUpstream(port: number): Promise<() => Promise<void>> {
  const srv = http.createServer((_req, res) => res.end('hello from upstream\n'));
  srv.keepAliveTimeout = 1000;
  await new Promise<void>((r) => srv.listen(port, '127.0.0.1', () => r()));
  return () =>
    new Promise<void>((r) => {
      srv.close(() => r());
      srv.closeAllConnections();
    });
}

/** Another process's listener on the port (a plain socket server here: HAProxy cannot bind it either). */
async function holdPort(port: number): Promise<() => Promise<void>> {
  const srv = net.createServer((s) => s.destroy());
  await new Promise<void>((r) => srv.listen(port, '127.0.0.1', () => r()));
  return () => new Promise<void>((r) => srv.close(() => r()));
}

/** Every scenario of every version; differences in recorded order. */
export async function replayAll(
  opts: ReplayOptions = {},
  only?: (v: string, s: string) => boolean,
): Promise<Difference[]> {
  const out: Difference[] = [];
  for (const { version, scenario } of scenarios()) {
    if (only && !only(version, scenario)) continue;
    out.push(...(await replay(version, scenario, opts)));
  }
  return out;
}
