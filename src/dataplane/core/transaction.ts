// One transaction per user action. Opens at the current version; on a version conflict (409 on
// open or on a change, 406 on commit) it discards the transaction, opens a new one at the new
// version and replays the recorded changes, a bounded number of times. Whatever happens, no
// transaction of ours is left open on the server.
import { isCancellation } from '../../shared/errors';
import { BackendSpec, Change, DataPlaneClient, ServerSpec, WriteResult } from './client';
import { TransactionOutdatedError, VersionConflictError } from './errors';
import type { Logger } from './http';

export interface TransactionHandle {
  readonly id: string;
  /** The version the transaction was opened at. */
  readonly version: number;
  addBackend(b: BackendSpec): Promise<void>;
  deleteBackend(name: string): Promise<void>;
  addServer(backend: string, s: ServerSpec): Promise<void>;
  replaceServer(backend: string, s: ServerSpec): Promise<void>;
  deleteServer(backend: string, name: string): Promise<void>;
}

export interface TransactionOutcome<T> extends WriteResult {
  result: T;
  /** How many times the transaction was opened (1 without conflicts). */
  attempts: number;
}

export interface TransactionOptions {
  logger: Logger;
  maxAttempts?: number;
  signal?: AbortSignal;
}

export async function withTransaction<T>(client: DataPlaneClient, action: (tx: TransactionHandle) => Promise<T>, opts: TransactionOptions): Promise<TransactionOutcome<T>> {
  const maxAttempts = opts.maxAttempts ?? 4;
  const recorded: Change[] = [];
  let result: T | undefined;
  let ran = false;
  for (let attempt = 1; ; attempt++) {
    const version = await client.configVersion(opts.signal);
    let txId: string | undefined;
    try {
      const tx = await client.startTransaction(version, opts.signal);
      txId = tx.id;
      if (!ran) {
        const handle = recordingHandle(client, tx.id, tx.version, recorded, opts.signal);
        result = await action(handle);
        ran = true;
      } else {
        for (const change of recorded) await client.applyChange(change, tx.id, opts.signal);
      }
      const committed = await client.commitTransaction(tx.id, opts.signal);
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
    deleteBackend: (name) => apply({ kind: 'deleteBackend', name }),
    addServer: (backend, server) => apply({ kind: 'addServer', backend, server: { ...server } }),
    replaceServer: (backend, server) => apply({ kind: 'replaceServer', backend, server: { ...server } }),
    deleteServer: (backend, name) => apply({ kind: 'deleteServer', backend, name }),
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
