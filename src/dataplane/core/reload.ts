// Follows a Reload-ID until the reload succeeded or failed. The reload agent runs every
// --reload-delay seconds, so a reload stays in_progress for up to that long.
import { UserFacingError } from '../../shared/errors';
import type { DataPlaneClient } from './client';
import { sleep } from './http';
import type { Reload } from './validate';

export interface FollowOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Wait before the first look: a reload is never done the instant it is requested. */
  initialDelayMs?: number;
  signal?: AbortSignal;
  /** Called with every state seen, in_progress included. */
  onUpdate?: (r: Reload) => void;
}

export class ReloadTimeoutError extends UserFacingError {
  constructor(connection: string, id: string, seconds: number) {
    super(`Reload ${id} on "${connection}" was still in progress after ${seconds} s. Look at its Reloads node later.`);
    this.name = 'ReloadTimeoutError';
  }
}

export async function followReload(client: DataPlaneClient, id: string, opts: FollowOptions = {}): Promise<Reload> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const intervalMs = opts.intervalMs ?? 500;
  const until = Date.now() + timeoutMs;
  if (opts.initialDelayMs) await sleep(opts.initialDelayMs, opts.signal);
  while (true) {
    const r = await client.reload(id, opts.signal);
    opts.onUpdate?.(r);
    if (r.status !== 'in_progress') return r;
    if (Date.now() + intervalMs > until) throw new ReloadTimeoutError(client.name, id, Math.round(timeoutMs / 1000));
    await sleep(intervalMs, opts.signal);
  }
}
