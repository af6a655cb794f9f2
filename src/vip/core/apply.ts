// Applies a VIP plan to one or several Data Plane API servers (an HA pair gets the same change on
// each). Per server: read the live configuration (raw text: one request), refuse conflicts,
// compute the difference, and write it in ONE transaction (read, checked and recomputed again
// when another writer outdates it; never left open), then follow the one reload it requests.
// Resync changes only the servers of the backends; delete removes what was created. Pure of the
// editor: the UI passes what to follow.
import { isCancellation, errorMessage, OperationCancelledError, UserFacingError } from '../../shared/errors';
import {
  followReload,
  reloadOutcome,
  sections,
  TransactionOutdatedError,
  withTransaction,
  type Change,
  type DataPlaneClient,
  type HaproxyRuns,
  type Logger,
  type Reload,
  type RequestMeter,
  type ServerSpec,
} from '../../dataplane/api';
import { readLiveState, stripServerHeader, type LiveState } from './live';
import { checkConflicts, diffServers, renderPlan, type ServerModel, type VipPlan } from './planner';

/** One Data Plane API server to write to. */
export interface VipTarget {
  /** The connection id (recorded on the Service). */
  id: string;
  /** The connection's display name (for messages). */
  name: string;
  client: DataPlaneClient;
}

export type ServerStatus = 'applied' | 'unchanged' | 'failed' | 'cancelled';

export interface ServerOutcome {
  target: VipTarget;
  status: ServerStatus;
  /** What was (or, for failed and cancelled, would have been) written. */
  changes: Change[];
  reloadId?: string;
  /** The reload's end; undefined when not followed (or still in progress at the timeout). */
  reload?: Reload;
  /** Transaction attempts (more than 1 after version conflicts). */
  attempts?: number;
  /**
   * What HAProxy runs after the write. `previous` (status `failed`): the reload failed and the
   * previous configuration still serves, so the Service must not be recorded as served by it.
   */
  haproxyRuns?: HaproxyRuns;
  /** For a failed reload: HAProxy's fatal ALERT lines. */
  reason?: string;
  /** HTTP requests this server got for this operation, from the read to the reload's end. */
  requests: number;
  /**
   * Of those, the requests up to the commit's answer: the write itself. Following the reload adds one
   * poll per interval until HAProxy is done, which depends on how fast the machine is.
   */
  writeRequests?: number;
  error?: unknown;
  /** A sentence for the user: what happened on this server. */
  message: string;
  notes: string[];
}

export type FollowFn = (target: VipTarget, reloadId: string, signal?: AbortSignal) => Promise<Reload | undefined>;

export interface ApplyOptions {
  logger: Logger;
  /** Cancels before the commit: the transaction is discarded, nothing changes on that server. */
  signal?: AbortSignal;
  /** Follows the reload a commit requests; default: poll the server. `false`: do not follow. */
  follow?: FollowFn | false;
  /** Called when one server is done (for progress). */
  onServerDone?: (o: ServerOutcome) => void;
}

/** The reload follower used without a UI: waits one interval first (a reload is never instant). */
export const pollReload: FollowFn = (target, reloadId, signal) =>
  followReload(target.client, reloadId, { intervalMs: 500, initialDelayMs: 500, timeoutMs: 120_000, signal });

// --- the difference between a plan and a server ------------------------------------------------

export interface VipNamesToRemove {
  frontends: string[];
  backends: string[];
}

const spec = (s: ServerModel): ServerSpec => ({
  name: s.name,
  address: s.address,
  port: s.port,
  check: s.check === 'enabled',
});

/**
 * The changes that make a server serve the plan: backends and servers first, then frontends and
 * binds; nothing for what is already as planned. `prune` names objects created earlier for this
 * Service (from its annotations) that the plan no longer has: they are removed.
 * Throws when the VIP or a port is taken by another frontend.
 */
export function vipChanges(
  plan: VipPlan,
  live: LiveState,
  prune: VipNamesToRemove = { frontends: [], backends: [] },
): Change[] {
  checkConflicts(plan, live.binds);
  const changes: Change[] = [];
  for (const p of plan.ports) {
    const be = live.backends.get(p.backend.name);
    const backend = { name: p.backend.name, mode: p.backend.mode, balance: p.backend.balance.algorithm };
    if (!be) {
      changes.push({ kind: 'addBackend', backend });
      for (const s of p.servers) changes.push({ kind: 'addServer', backend: p.backend.name, server: spec(s) });
    } else {
      if (be.mode !== p.backend.mode || be.balance !== p.backend.balance.algorithm)
        changes.push({ kind: 'replaceBackend', backend });
      changes.push(...serverChanges(p.backend.name, be.servers, p.servers));
    }
  }
  for (const p of plan.ports) {
    const fe = live.frontends.get(p.frontend.name);
    const frontend = {
      name: p.frontend.name,
      mode: p.frontend.mode,
      defaultBackend: p.frontend.default_backend,
      forwardfor: p.frontend.forwardfor !== undefined,
    };
    const bind = { name: p.bind.name, address: p.bind.address, port: p.bind.port };
    if (!fe) {
      changes.push({ kind: 'addFrontend', frontend }, { kind: 'addBind', frontend: p.frontend.name, bind });
      continue;
    }
    if (
      fe.mode !== frontend.mode ||
      fe.defaultBackend !== frontend.defaultBackend ||
      fe.forwardfor !== frontend.forwardfor
    )
      changes.push({ kind: 'replaceFrontend', frontend });
    const liveBind = fe.binds.find((b) => b.name === bind.name);
    if (!liveBind) changes.push({ kind: 'addBind', frontend: p.frontend.name, bind });
    else if (liveBind.address !== bind.address || liveBind.port !== bind.port)
      changes.push({ kind: 'replaceBind', frontend: p.frontend.name, bind });
  }
  const plannedFrontends = new Set(plan.ports.map((p) => p.frontend.name));
  const plannedBackends = new Set(plan.ports.map((p) => p.backend.name));
  for (const f of prune.frontends)
    if (!plannedFrontends.has(f) && live.frontends.has(f)) changes.push({ kind: 'deleteFrontend', name: f });
  for (const b of prune.backends)
    if (!plannedBackends.has(b) && live.backends.has(b)) changes.push({ kind: 'deleteBackend', name: b });
  return changes;
}

/** Server changes of one backend: removed ones first (so a re-added address never collides). */
export function serverChanges(backend: string, current: ServerModel[], desired: ServerModel[]): Change[] {
  const diff = diffServers(current, desired);
  return [
    ...diff.remove.map((s): Change => ({ kind: 'deleteServer', backend, name: s.name })),
    ...diff.update.map((s): Change => ({ kind: 'replaceServer', backend, server: spec(s) })),
    ...diff.add.map((s): Change => ({ kind: 'addServer', backend, server: spec(s) })),
  ];
}

/** Resync: only the servers of the plan's backends that exist on the server. */
export function resyncChanges(plan: VipPlan, live: LiveState): { changes: Change[]; notes: string[] } {
  const changes: Change[] = [];
  const notes: string[] = [];
  for (const p of plan.ports) {
    const be = live.backends.get(p.backend.name);
    if (!be) {
      notes.push(
        `backend ${p.backend.name} (port ${p.servicePort.name ?? p.servicePort.port}) does not exist: run Create ` +
          `VIP to serve this port`,
      );
      continue;
    }
    changes.push(...serverChanges(p.backend.name, be.servers, p.servers));
  }
  return { changes, notes };
}

/** Delete: the named frontends (with their binds) and backends that exist, frontends first. */
export function deleteChanges(names: VipNamesToRemove, live: LiveState): Change[] {
  return [
    ...[...new Set(names.frontends)]
      .filter((f) => live.frontends.has(f))
      .map((name): Change => ({ kind: 'deleteFrontend', name })),
    ...[...new Set(names.backends)]
      .filter((b) => live.backends.has(b))
      .map((name): Change => ({ kind: 'deleteBackend', name })),
  ];
}

// --- the preview -------------------------------------------------------------------------------

/**
 * The live configuration as it will be after the plan: our sections replaced where they exist,
 * appended where they do not, pruned ones removed. For the preview diff only.
 */
export function previewConfig(
  liveText: string,
  plan: VipPlan,
  prune: VipNamesToRemove = { frontends: [], backends: [] },
  opts: { resync?: boolean } = {},
): string {
  const text = stripServerHeader(liveText);
  const blocks = new Map<string, string[]>();
  let current: string[] | undefined;
  // The live file's own indentation, so that the diff shows only what changes.
  const firstIndented = text.split('\n').find((l) => /^[ \t]+[^\s#]/.test(l));
  const indent = firstIndented ? /^[ \t]+/.exec(firstIndented)![0] : '  ';
  for (const line of renderPlan(plan, indent).split('\n')) {
    const header = /^(frontend|backend) (\S+)$/.exec(line);
    // A resync changes servers only: the frontends stay as they are.
    if (header && opts.resync && header[1] === 'frontend') current = undefined;
    else if (header) blocks.set(`${header[1]} ${header[2]}`, (current = [line]));
    else if (current && line !== '') current.push(line);
  }
  for (const f of prune.frontends) if (!blocks.has(`frontend ${f}`)) blocks.set(`frontend ${f}`, []);
  for (const b of prune.backends) if (!blocks.has(`backend ${b}`)) blocks.set(`backend ${b}`, []);
  const lines = text.split('\n');
  const replaced = new Set<string>();
  // From the last section up, so earlier line numbers stay valid.
  for (const s of sections(text).reverse()) {
    const key = `${s.kind} ${s.name}`;
    const block = blocks.get(key);
    if (!block) continue;
    // Keep the blank lines that separated this section from the next one.
    let end = s.endLine;
    while (end > s.line + 1 && (lines[end - 1] ?? '').trim() === '') end--;
    lines.splice(s.line, end - s.line, ...block);
    if (block.length === 0 && (lines[s.line] ?? '').trim() === '') lines.splice(s.line, 1);
    replaced.add(key);
  }
  // A resync never creates a backend (it reports the missing ones): nothing is appended.
  const appended = [...blocks]
    .filter(([key, block]) => !opts.resync && !replaced.has(key) && block.length > 0)
    .map(([, block]) => [...block, ''].join('\n'));
  let out = lines.join('\n');
  if (appended.length) out = `${out.replace(/(?<!\n)\n*$/, '\n')}\n${appended.join('\n')}`;
  return out;
}

// --- running on servers ------------------------------------------------------------------------

type Compute = (live: LiveState) => { changes: Change[]; notes: string[] };

/** Thrown inside the transaction when a re-read shows nothing left to do: discarded, reported unchanged. */
class NothingToChange extends Error {}

/**
 * Reads, computes, writes in one transaction, follows the reload: one server. The read, the
 * conflict checks and the difference are (re)done inside the transaction: when another writer
 * outdates it, the next attempt reads the live configuration again, so a VIP:port bound meanwhile
 * by another frontend is refused by name, never bound twice.
 */
async function runOnServer(
  target: VipTarget,
  what: string,
  compute: Compute,
  opts: ApplyOptions,
): Promise<ServerOutcome> {
  // Its own requests only: the tree and the status bar use the same connection meanwhile.
  const meter = target.client.transport.meter();
  return meter.run(() => writeOnServer(target, what, compute, opts, meter));
}

async function writeOnServer(
  target: VipTarget,
  what: string,
  compute: Compute,
  opts: ApplyOptions,
  meter: RequestMeter,
): Promise<ServerOutcome> {
  const { client } = target;
  const outcome = (o: Omit<ServerOutcome, 'target' | 'requests'>): ServerOutcome => ({
    target,
    requests: meter.count,
    ...o,
  });
  let changes: Change[] = [];
  let notes: string[] = [];
  try {
    if (opts.signal?.aborted) throw new OperationCancelledError();
    // One read outside: nothing to change means no transaction and no reload at all.
    let seen = await client.rawConfig(opts.signal);
    ({ changes, notes } = compute(readLiveState(seen.text)));
    if (changes.length === 0)
      return outcome({ status: 'unchanged', changes, notes, message: `"${target.name}": nothing to change` });
    const out = await withTransaction(
      client,
      async (tx) => {
        if (tx.version !== seen.version) {
          seen = await client.rawConfig(opts.signal);
          if (seen.version !== tx.version)
            throw new TransactionOutdatedError(client.name, `the configuration moved on to version ${seen.version}`);
        }
        const now = compute(readLiveState(seen.text));
        if (now.changes.length === 0) throw new NothingToChange();
        for (const c of now.changes) await tx.apply(c);
        return now;
      },
      { logger: opts.logger, signal: opts.signal },
    );
    ({ changes, notes } = out.result);
    const writeRequests = meter.count;
    if (out.commit === 'reconciled')
      notes.push("the commit's answer was lost; reading the server back showed it applied");
    let reload: Reload | undefined;
    if (out.reloadId && opts.follow !== false) {
      try {
        reload = await (opts.follow ?? pollReload)(target, out.reloadId, opts.signal);
      } catch (err) {
        // The change is committed; only following its reload stopped.
        notes.push(
          isCancellation(err)
            ? `stopped following reload ${out.reloadId}`
            : `reload ${out.reloadId}: ${errorMessage(err)}`,
        );
      }
    }
    const done = reloadOutcome(out.reloadId, reload);
    const base = {
      changes,
      notes,
      reloadId: out.reloadId,
      reload,
      attempts: out.attempts,
      haproxyRuns: done.runs,
      writeRequests,
    };
    if (done.runs === 'previous') {
      const message = `"${target.name}": ${what} was written but is not in service: ${done.text}`;
      return outcome({ ...base, status: 'failed', reason: done.reason, error: new UserFacingError(message), message });
    }
    const retried = out.attempts > 1 ? `, recomputed ${out.attempts - 1}× after a concurrent change` : '';
    return outcome({
      ...base,
      status: 'applied',
      message:
        `"${target.name}": ${what} in one transaction (${changes.length} ` +
        `change${changes.length === 1 ? '' : 's'}${retried}), ${done.text}`,
    });
  } catch (err) {
    if (err instanceof NothingToChange)
      return outcome({
        status: 'unchanged',
        changes: [],
        notes,
        message: `"${target.name}": nothing to change (a concurrent change already made it)`,
      });
    if (isCancellation(err))
      return outcome({
        status: 'cancelled',
        changes,
        notes,
        error: err,
        message: `"${target.name}": cancelled before the commit; nothing changed`,
      });
    return outcome({ status: 'failed', changes, notes, error: err, message: `"${target.name}": ${errorMessage(err)}` });
  }
}

/** The same operation on every server at once; one server's failure never undoes another's. */
async function onEveryServer(
  targets: VipTarget[],
  what: string,
  compute: Compute,
  opts: ApplyOptions,
): Promise<ServerOutcome[]> {
  if (targets.length === 0) throw new UserFacingError('Choose at least one Data Plane API connection.');
  const ids = new Set(targets.map((t) => t.id));
  if (ids.size !== targets.length) throw new UserFacingError('The same connection was chosen twice.');
  return Promise.all(
    targets.map(async (t) => {
      const o = await runOnServer(t, what, compute, opts);
      opts.onServerDone?.(o);
      return o;
    }),
  );
}

export function applyVip(
  targets: VipTarget[],
  plan: VipPlan,
  opts: ApplyOptions & { prune?: VipNamesToRemove },
): Promise<ServerOutcome[]> {
  return onEveryServer(
    targets,
    `VIP ${plan.vip} applied`,
    (live) => ({ changes: vipChanges(plan, live, opts.prune), notes: [] }),
    opts,
  );
}

export function resyncVip(targets: VipTarget[], plan: VipPlan, opts: ApplyOptions): Promise<ServerOutcome[]> {
  return onEveryServer(targets, 'endpoints resynced', (live) => resyncChanges(plan, live), opts);
}

export function deleteVip(targets: VipTarget[], names: VipNamesToRemove, opts: ApplyOptions): Promise<ServerOutcome[]> {
  return onEveryServer(
    targets,
    `${names.frontends.length} frontend(s) and ${names.backends.length} backend(s) removed`,
    (live) => ({ changes: deleteChanges(names, live), notes: [] }),
    opts,
  );
}

/** One line per server, for notifications and logs. */
export function summarize(outcomes: ServerOutcome[]): { ok: boolean; text: string } {
  const ok = outcomes.every((o) => o.status === 'applied' || o.status === 'unchanged');
  return { ok, text: outcomes.map((o) => o.message).join('; ') };
}
