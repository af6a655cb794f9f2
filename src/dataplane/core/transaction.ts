// One transaction per user action. Opens at the current version; on a version conflict (409 on
// open or on a change, 406 on commit) it discards the transaction, opens a new one at the new
// version and replays the recorded changes, a bounded number of times. Whatever happens, no
// transaction of ours is left open on the server.
import { isCancellation } from '../../shared/errors';
import { OperationCancelledError } from '../../shared/errors';
import { BackendSpec, BindSpec, Change, DataPlaneClient, FrontendSpec, ServerSpec, WriteResult } from './client';
import { TransactionOutdatedError, VersionConflictError } from './errors';
import type { Logger } from './http';

export interface TransactionHandle {
  readonly id: string;
  /** The version the transaction was opened at. */
  readonly version: number;
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
}

export interface TransactionOptions {
  logger: Logger;
  maxAttempts?: number;
  /**
   * Cancels the transaction up to its commit: the transaction is discarded and nothing changes.
   * Once the commit is sent it is not aborted (a half-sent commit could land unseen).
   */
  signal?: AbortSignal;
  /** A configuration version the caller has just read: the first attempt opens at it, saving a request. */
  version?: number;
}

export async function withTransaction<T>(client: DataPlaneClient, action: (tx: TransactionHandle) => Promise<T>, opts: TransactionOptions): Promise<TransactionOutcome<T>> {
  const maxAttempts = opts.maxAttempts ?? 4;
  const recorded: Change[] = [];
  let result: T | undefined;
  let ran = false;
  for (let attempt = 1; ; attempt++) {
    const version = attempt === 1 && opts.version !== undefined ? opts.version : await client.configVersion(opts.signal);
    let txId: string | undefined;
    try {
      // Opening is not aborted midway either: a transaction opened unseen would be left behind.
      if (opts.signal?.aborted) throw new OperationCancelledError();
      const tx = await client.startTransaction(version);
      txId = tx.id;
      if (opts.signal?.aborted) throw new OperationCancelledError();
      if (!ran) {
        const handle = recordingHandle(client, tx.id, tx.version, recorded, opts.signal);
        result = await action(handle);
        ran = true;
      } else {
        for (const change of recorded) await client.applyChange(change, tx.id, opts.signal);
      }
      if (opts.signal?.aborted) throw new OperationCancelledError();
      const committed = await client.commitTransaction(tx.id);
      txId = undefined; // committed: nothing left to discard
      return { ...committed, result: result as T, attempts: attempt };
    } catch (err) {
      if (txId !== undefined) await discard(client, txId, opts.logger);
      // A conflict while the user's action was still running (before it finished recording) can
      // be replayed only if the action had finished; otherwise run it again from scratch.
      const conflict = err instanceof VersionConflictError || err instanceof TransactionOutdatedError;
      if (!conflict || attempt >= maxAttempts || isCancellation(err)) throw err;
      if (!ran) recorded.length = 0;
      opts.logger.info(`Transaction on "${client.name}" hit a newer configuration (attempt ${attempt}); replaying ${recorded.length} change(s) at the current version`);
    }
  }
}

function recordingHandle(client: DataPlaneClient, id: string, version: number, recorded: Change[], signal?: AbortSignal): TransactionHandle {
  const apply = async (c: Change) => {
    await client.applyChange(c, id, signal);
    recorded.push(c);
  };
  return {
    id,
    version,
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
    logger.warn(`Could not discard transaction ${id} on "${client.name}": ${err instanceof Error ? err.message : String(err)}. Discard it under the Transactions node.`);
  }
}
