// Runtime state that a reload would undo. HAProxy starts every new worker from the configuration:
// a server drained, put in maintenance or given another weight through the runtime API comes back
// as configured after the next reload, unless HAProxy keeps its state itself (`server-state-file`
// with `load-server-state-from-file`). Before a change that reloads, this module lists the servers
// whose runtime state differs from the configuration and plans how to keep it: re-apply it through
// the runtime API once the reload succeeded, or write it into the configuration being posted.
// Pure of the editor: the UI asks the question this module words.
import { errorMessage, OperationCancelledError } from '../../shared/errors';
import type { Logger } from '../../shared/logger';
import type { DataPlaneClient } from './client';
import { extractTree, sections } from './liveConfig';
import type { AdminState, NativeStat, Reload } from './validate';

export type DriftKind = 'drain' | 'maint' | 'ready' | 'weight';

/** One server whose runtime state differs from its configuration. */
export interface RuntimeDrift {
  backend: string;
  server: string;
  kind: DriftKind;
  /** For `weight`: the configured and the runtime weight. */
  configuredWeight?: number;
  runtimeWeight?: number;
  /** HAProxy's status text (DRAIN, MAINT, UP…). */
  status?: string;
}

/**
 * The servers of `configText` whose runtime state (stats rows) differs from it: drained or in
 * maintenance while configured ready, ready while configured `disabled`, or another weight. A
 * server down by its health checks is not a difference (the new worker checks it again).
 */
export function runtimeDrift(configText: string, stats: readonly NativeStat[]): RuntimeDrift[] {
  const rows = new Map<string, NativeStat>();
  for (const s of stats) if (s.type === 'server' && s.backendName) rows.set(`${s.backendName}\u0000${s.name}`, s);
  const out: RuntimeDrift[] = [];
  for (const b of extractTree(configText).backends) {
    for (const s of b.servers) {
      const row = rows.get(`${b.name}\u0000${s.name}`);
      if (!row?.status) continue;
      const status = row.status.toUpperCase();
      const at = { backend: b.name, server: s.name, status: row.status };
      if (status.startsWith('DRAIN')) out.push({ ...at, kind: 'drain' });
      else if (status.startsWith('MAINT')) {
        if (!s.disabled) out.push({ ...at, kind: 'maint' });
      } else if (s.disabled) out.push({ ...at, kind: 'ready' });
      // A drained or maintained server's weight is not compared: its state is what matters.
      else if (row.weight !== undefined && row.weight !== s.weight)
        out.push({ ...at, kind: 'weight', configuredWeight: s.weight, runtimeWeight: row.weight });
    }
  }
  return out;
}

/** Reads the stats (server rows only) and compares them with the configuration. */
export async function readRuntimeDrift(
  client: DataPlaneClient,
  configText: string,
  signal?: AbortSignal,
): Promise<RuntimeDrift[]> {
  return runtimeDrift(configText, await client.nativeStats(signal, { type: 'server' }));
}

export function describeDrift(d: RuntimeDrift): string {
  const where = `${d.backend}/${d.server}`;
  switch (d.kind) {
    case 'drain':
      return `${where} is drained`;
    case 'maint':
      return `${where} is in maintenance`;
    case 'ready':
      return `${where} is ready although configured disabled`;
    case 'weight':
      return `${where} has weight ${d.runtimeWeight} (configured ${d.configuredWeight})`;
  }
}

/** What the user can choose: keep by re-applying, keep by writing it in, or let the reload reset it. */
export type RuntimeChoice = 'reapply' | 'persist' | 'reset';

export interface RuntimeStateQuestion {
  drift: RuntimeDrift[];
  message: string;
  detail: string;
  /** Whether the change writes a configuration text this module can edit (raw saves). */
  canPersist: boolean;
}

const SHOWN = 8;

export function runtimeStateQuestion(where: string, drift: RuntimeDrift[], canPersist: boolean): RuntimeStateQuestion {
  const list = drift.slice(0, SHOWN).map(describeDrift);
  if (drift.length > SHOWN) list.push(`and ${drift.length - SHOWN} more`);
  const n = drift.length;
  const message =
    `This change reloads HAProxy on ${where}, and ${n} server${n === 1 ? '' : 's'} ` +
    `differ${n === 1 ? 's' : ''} at runtime from the configuration: ${list.join('; ')}. ` +
    'After the reload they come back as configured.';
  const detail = [
    'Keep: re-apply this runtime state through the runtime API once the reload succeeded.',
    canPersist
      ? 'Write into the configuration: `disabled` and `weight` on the server lines of the text being saved ' +
        '(a drain has no configuration keyword: it is re-applied after the reload).'
      : '',
    'If HAProxy should always keep runtime state across reloads, configure `server-state-file` in `global` ' +
      'and `load-server-state-from-file global` in `defaults`: HAProxy then saves and restores it itself.',
  ]
    .filter(Boolean)
    .join('\n');
  return { drift, message, detail, canPersist };
}

/**
 * Writes runtime state into a configuration text: `disabled` added (maintenance) or removed
 * (ready), `weight N` set. Drains have no keyword: they are returned in `reapply`, as are servers
 * the text no longer has at the same place.
 */
export function persistInConfig(
  text: string,
  drift: readonly RuntimeDrift[],
): { text: string; reapply: RuntimeDrift[] } {
  const lines = text.split('\n');
  const reapply: RuntimeDrift[] = [];
  const secs = sections(text);
  for (const d of drift) {
    if (d.kind === 'drain') {
      reapply.push(d);
      continue;
    }
    const sec = secs.find((s) => (s.kind === 'backend' || s.kind === 'listen') && s.name === d.backend);
    const dir = sec?.directives.find((x) => x.words[0] === 'server' && x.words[1] === d.server);
    if (!dir || lines[dir.line] === undefined) {
      reapply.push(d);
      continue;
    }
    lines[dir.line] = editServerLine(lines[dir.line]!, d);
  }
  return { text: lines.join('\n'), reapply };
}

function editServerLine(line: string, d: RuntimeDrift): string {
  // Keep a trailing comment where it is.
  const hash = line.search(/\s#/);
  const cut = hash < 0 ? line.length : line.slice(0, hash + 1).trimEnd().length;
  let body = line.slice(0, cut);
  const comment = line.slice(cut);
  if (d.kind === 'maint' && !/\sdisabled(\s|$)/.test(body)) body = `${body} disabled`;
  if (d.kind === 'ready') body = body.replace(/(?<!\s)\s+disabled(?=\s|$)/g, '');
  if (d.kind === 'weight' && d.runtimeWeight !== undefined) {
    if (/\sweight\s+\d+/.test(body)) body = body.replace(/(\sweight\s+)\d+/, `$1${d.runtimeWeight}`);
    else body = `${body} weight ${d.runtimeWeight}`;
  }
  return body + comment;
}

/** One runtime API call that re-applies a difference. */
export type RuntimeAction =
  | { kind: 'state'; backend: string; server: string; state: AdminState }
  | { kind: 'weight'; backend: string; server: string; weight: number };

export function reapplyPlan(drift: readonly RuntimeDrift[]): RuntimeAction[] {
  return drift.map((d): RuntimeAction => {
    const at = { backend: d.backend, server: d.server };
    if (d.kind === 'weight') return { kind: 'weight', ...at, weight: d.runtimeWeight! };
    return { kind: 'state', ...at, state: d.kind };
  });
}

export interface ReapplyResult {
  applied: RuntimeAction[];
  failed: { action: RuntimeAction; error: string }[];
}

/** Runs the plan; a server the change removed fails alone, the others still get their state back. */
export async function reapply(client: DataPlaneClient, plan: readonly RuntimeAction[], signal?: AbortSignal) {
  const result: ReapplyResult = { applied: [], failed: [] };
  for (const a of plan) {
    try {
      if (a.kind === 'state') await client.setServerState(a.backend, a.server, a.state, signal);
      else await client.setServerWeight(a.backend, a.server, a.weight, signal);
      result.applied.push(a);
    } catch (err) {
      result.failed.push({ action: a, error: errorMessage(err) });
    }
  }
  return result;
}

export interface RuntimeGuard {
  drift: RuntimeDrift[];
  choice: RuntimeChoice | 'none';
  /** The text to post (edited when the choice is `persist`). */
  text?: string;
  /** What is re-applied after the reload. */
  plan: RuntimeAction[];
  /**
   * To call once the write's reload ended (or with no reload id when none was requested): re-applies
   * the plan only after a successful reload (a failed one leaves the old worker and its state).
   * Returns a sentence for the outcome, or undefined when there was nothing to say.
   */
  afterReload(reload: Reload | undefined, reloadRequested: boolean, signal?: AbortSignal): Promise<string | undefined>;
}

export interface GuardOptions {
  /** Where, for the question ("server lb1"). */
  where: string;
  /** The live configuration the runtime state is compared with. */
  liveText: string;
  /** The text about to be posted (raw saves): offered for `persist`. */
  newText?: string;
  /** Asks the user; undefined cancels the change. Not called when nothing differs. */
  ask(q: RuntimeStateQuestion): Promise<RuntimeChoice | undefined>;
  logger: Logger;
  signal?: AbortSignal;
}

/**
 * Before a change that reloads: reads the runtime state, asks what to do with what differs, and
 * returns the text to post and what to do after the reload. A failure to read the stats never
 * blocks the change (it is logged and said in the outcome).
 */
export async function guardRuntimeState(client: DataPlaneClient, o: GuardOptions): Promise<RuntimeGuard> {
  let drift: RuntimeDrift[];
  try {
    drift = await readRuntimeDrift(client, o.liveText, o.signal);
  } catch (err) {
    o.logger.warn(`Could not read the runtime state of ${o.where} before the reload: ${errorMessage(err)}`);
    return noGuard(o.newText, `the runtime state could not be read before the reload (${errorMessage(err)})`);
  }
  if (drift.length === 0) return noGuard(o.newText);
  const choice = await o.ask(runtimeStateQuestion(o.where, drift, o.newText !== undefined));
  if (choice === undefined) throw new OperationCancelledError();
  let text = o.newText;
  let plan: RuntimeAction[] = [];
  if (choice === 'persist' && text !== undefined) {
    const persisted = persistInConfig(text, drift);
    text = persisted.text;
    plan = reapplyPlan(persisted.reapply);
  } else if (choice !== 'reset') plan = reapplyPlan(drift);
  o.logger.info(`${o.where}: runtime state before the reload: ${drift.map(describeDrift).join('; ')} → ${choice}`);
  return {
    drift,
    choice,
    text,
    plan,
    afterReload: async (reload, requested, signal) => {
      if (choice === 'reset') return `${drift.length} server(s) came back as configured`;
      if (plan.length === 0) return undefined;
      if (requested && reload?.status !== 'succeeded')
        return reload?.status === 'failed'
          ? undefined // the old worker still runs, with its runtime state
          : 'the runtime state was not re-applied: the reload was not followed to its end';
      const r = await reapply(client, plan, signal);
      const failed = r.failed.map((f) => `${f.action.backend}/${f.action.server}: ${f.error}`);
      if (failed.length) o.logger.warn(`${o.where}: could not re-apply runtime state: ${failed.join('; ')}`);
      return (
        `runtime state re-applied to ${r.applied.length} server(s)` +
        (failed.length ? `; not to ${failed.length}: ${failed.join('; ')}` : '')
      );
    },
  };
}

function noGuard(text: string | undefined, note?: string): RuntimeGuard {
  return { drift: [], choice: 'none', text, plan: [], afterReload: async () => note };
}
