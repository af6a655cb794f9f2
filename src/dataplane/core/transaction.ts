// One transaction per user action. The action runs INSIDE the transaction and is re-run from
// scratch whenever the transaction turns out outdated (409 on open, 400 "transaction does not
// exist" on a change, 406 on commit: a commit elsewhere outdates every other open transaction at
// once), so it reads the live configuration again and recomputes its changes and its conflict
// checks against what is there now. Replaying recorded changes instead let a competing writer's
// bind of the same VIP:port through. Bounded attempts. Whatever happens, no transaction of ours is
// left open; a commit whose answer is lost is reconciled (applied or not), never guessed.
import { errorMessage, isCancellation, OperationCancelledError, UserFacingError } from '../../shared/errors';
import { BackendSpec, BindSpec, Change, DataPlaneClient, FrontendSpec, ServerSpec, WriteResult } from './client';
import { DataPlaneConnectError, TransactionOutdatedError, VersionConflictError } from './errors';
import type { Logger } from './http';
import type { Transaction } from './validate';

export interface TransactionHandle {
  readonly id: string;
  /** The version the transaction was opened at. */
  readonly version: number;
  /** 1 on the first run of the action, then 2, 3… after outdated transactions. */
  readonly attempt: number;
  /** The changes made so far in this attempt. */
  readonly changes: readonly Change[];
  addBackend(b: BackendSpec): Promise<void>;
  replaceBackend(b: BackendSpec): Promise<void>;
  deleteBackend(name: string): Promise<void>;
  addServer(backend: string, s: ServerSpec): Promise<void>;
  replaceServer(backend: string, s: ServerSpec): Promise<void>;
  deleteServer(backend: string, name: string): Promise<void>;
  addFrontend(f: FrontendSpec): Promise<void>;
  replaceFrontend(f: FrontendSpec): Promise<void>;
  deleteFrontend(name: string): Promise<void>;
  addBind(frontend: string, b: BindSpec): Promise<void>;
  replaceBind(frontend: string, b: BindSpec): Promise<void>;
  deleteBind(frontend: string, name: string): Promise<void>;
  /** Applies a change given as data (the same as calling the matching method). */
  apply(change: Change): Promise<void>;
}

export interface TransactionOutcome<T> extends WriteResult {
  result: T;
  /** How many times the transaction was opened (1 without conflicts). */
  attempts: number;
  /** The changes of the attempt that was committed. */
  changes: Change[];
  /**
   * `answered`: the server answered the commit. `reconciled`: the answer was lost and the commit
   * was found applied by reading the transaction and the version back (no Reload-ID then, unless
   * one was in progress).
   */
  commit: 'answered' | 'reconciled';
}

export interface TransactionOptions {
  logger: Logger;
  maxAttempts?: number;
  /**
   * Cancels the transaction up to its commit: the transaction is discarded and nothing changes.
   * Once the commit is sent it is not aborted (a half-sent commit could land unseen).
   */
  signal?: AbortSignal;
}

/**
 * The commit's answer was lost (a connection failure, hence the base class) and reading back showed
 * it was not applied.
 */
export class CommitNotAppliedError extends DataPlaneConnectError {
  constructor(connection: string, why: string, cause: DataPlaneConnectError) {
    super(
      `The change on "${connection}" was not applied: ${why} (${cause.message}). Nothing changed; try again.`,
      cause.code,
      cause.detail,
    );
    this.name = 'CommitNotAppliedError';
  }
}

/** The commit's answer was lost and the server could not be asked what became of it. */
export class CommitOutcomeUnknownError extends UserFacingError {
  constructor(connection: string, id: string, cause: unknown) {
    super(
      `The commit of transaction ${id} on "${connection}" got no answer, and the server could not be asked whether ` +
        `it was applied (${errorMessage(cause)}). Refresh the connection to see what HAProxy serves.`,
    );
    this.name = 'CommitOutcomeUnknownError';
  }
}

export const isOutdated = (err: unknown): boolean =>
  err instanceof VersionConflictError || err instanceof TransactionOutdatedError;

export async function withTransaction<T>(
  client: DataPlaneClient,
  action: (tx: TransactionHandle) => Promise<T>,
  opts: TransactionOptions,
): Promise<TransactionOutcome<T>> {
  const maxAttempts = opts.maxAttempts ?? 5;
  for (let attempt = 1; ; attempt++) {
    let txId: string | undefined;
    try {
      if (opts.signal?.aborted) throw new OperationCancelledError();
      // The list before opening gives the version (its header) and what was open before ours.
      const before = await client.openTransactions(opts.signal);
      if (opts.signal?.aborted) throw new OperationCancelledError();
      // Opening is not aborted midway: a transaction opened unseen would be left behind.
      const tx = await open(client, before, opts.logger);
      txId = tx.id;
      if (opts.signal?.aborted) throw new OperationCancelledError();
      const changes: Change[] = [];
      const result = await action(recordingHandle(client, tx.id, tx.version, attempt, changes, opts.signal));
      if (opts.signal?.aborted) throw new OperationCancelledError();
      const committed = await commit(client, tx.id, tx.version);
      txId = undefined; // committed: nothing left to discard
      return { ...committed.result, result, attempts: attempt, changes, commit: committed.how };
    } catch (err) {
      if (txId !== undefined) await discard(client, txId, opts.logger);
      if (!isOutdated(err) || attempt >= maxAttempts || isCancellation(err)) throw err;
      opts.logger.info(
        `Transaction on "${client.name}" was outdated by another change (attempt ${attempt}): reading the ` +
          `configuration again and recomputing`,
      );
    }
  }
}

/**
 * Opens a transaction. When the POST's answer is lost (timeout, dropped connection), the server may
 * have created it all the same: the transactions that appeared at that version since the list taken
 * just before are looked up, and one is discarded only when it is the single new one (ours for
 * sure only then; several new ones are left alone and named in the log).
 */
async function open(
  client: DataPlaneClient,
  before: { version: number; transactions: Transaction[] },
  logger: Logger,
): Promise<Transaction & { version: number }> {
  try {
    return await client.startTransaction(before.version);
  } catch (err) {
    if (!(err instanceof DataPlaneConnectError)) throw err;
    const known = new Set(before.transactions.map((t) => t.id));
    try {
      const now = await client.transactions();
      const fresh = now.filter((t) => !known.has(t.id) && (t.version === undefined || t.version === before.version));
      if (fresh.length === 1) await discard(client, fresh[0]!.id, logger);
      else if (fresh.length > 1)
        logger.warn(
          `Opening a transaction on "${client.name}" got no answer; ${fresh.length} transactions appeared meanwhile ` +
            `(${fresh.map((t) => t.id).join(', ')}), which one is ours cannot be told: none was discarded.`,
        );
    } catch (cleanup) {
      logger.warn(
        `Opening a transaction on "${client.name}" got no answer, and the open transactions could not be listed to ` +
          `discard it: ${errorMessage(cleanup)}. Look under its Transactions node.`,
      );
    }
    throw err;
  }
}

/** Commits; a lost answer is resolved by reading the transaction and the version back. */
async function commit(
  client: DataPlaneClient,
  id: string,
  openedAt: number,
): Promise<{ result: WriteResult; how: 'answered' | 'reconciled' }> {
  try {
    return { result: await client.commitTransaction(id), how: 'answered' };
  } catch (err) {
    if (!(err instanceof DataPlaneConnectError)) throw err;
    try {
      return { result: await reconcile(client, id, openedAt, err), how: 'reconciled' };
    } catch (e) {
      if (e instanceof CommitNotAppliedError || e instanceof TransactionOutdatedError) throw e;
      throw new CommitOutcomeUnknownError(client.name, id, e);
    }
  }
}

async function reconcile(
  client: DataPlaneClient,
  id: string,
  openedAt: number,
  err: DataPlaneConnectError,
): Promise<WriteResult> {
  const tx = await client.transactionById(id);
  if (tx === undefined) {
    // Gone without our DELETE: committed, if the version moved on.
    const version = await client.configVersion();
    if (version <= openedAt)
      throw new CommitNotAppliedError(client.name, `its transaction is gone and the version is still ${version}`, err);
    const pending = (await client.reloads().catch(() => [])).find((r) => r.status === 'in_progress');
    return { status: 202, version, reloadId: pending?.id };
  }
  if (tx.status === 'outdated') throw new TransactionOutdatedError(client.name, `transaction ${id} is outdated`);
  // in_progress: the commit never reached the server; failed: HAProxy rejected it. Discarded by the caller.
  throw new CommitNotAppliedError(
    client.name,
    tx.status === 'failed' ? 'HAProxy rejected the transaction' : 'the commit did not reach the server',
    err,
  );
}

function recordingHandle(
  client: DataPlaneClient,
  id: string,
  version: number,
  attempt: number,
  recorded: Change[],
  signal?: AbortSignal,
): TransactionHandle {
  const apply = async (c: Change) => {
    await client.applyChange(c, id, signal);
    recorded.push(c);
  };
  return {
    id,
    version,
    attempt,
    changes: recorded,
    addBackend: (backend) => apply({ kind: 'addBackend', backend: { ...backend } }),
    replaceBackend: (backend) => apply({ kind: 'replaceBackend', backend: { ...backend } }),
    deleteBackend: (name) => apply({ kind: 'deleteBackend', name }),
    addServer: (backend, server) => apply({ kind: 'addServer', backend, server: { ...server } }),
    replaceServer: (backend, server) => apply({ kind: 'replaceServer', backend, server: { ...server } }),
    deleteServer: (backend, name) => apply({ kind: 'deleteServer', backend, name }),
    addFrontend: (frontend) => apply({ kind: 'addFrontend', frontend: { ...frontend } }),
    replaceFrontend: (frontend) => apply({ kind: 'replaceFrontend', frontend: { ...frontend } }),
    deleteFrontend: (name) => apply({ kind: 'deleteFrontend', name }),
    addBind: (frontend, bind) => apply({ kind: 'addBind', frontend, bind: { ...bind } }),
    replaceBind: (frontend, bind) => apply({ kind: 'replaceBind', frontend, bind: { ...bind } }),
    deleteBind: (frontend, name) => apply({ kind: 'deleteBind', frontend, name }),
    apply: (change) => apply(structuredClone(change)),
  };
}

/** Discards without the caller's signal: a cancelled action must still not leave a transaction open. */
async function discard(client: DataPlaneClient, id: string, logger: Logger): Promise<void> {
  try {
    await client.deleteTransaction(id);
  } catch (err) {
    logger.warn(
      `Could not discard transaction ${id} on "${client.name}": ${errorMessage(err)}. Discard it under the ` +
        `Transactions node.`,
    );
  }
}
