// Follows a Reload-ID until the reload succeeded or failed. The reload agent runs every
// --reload-delay seconds, so a reload stays in_progress for up to that long; until it runs, the
// real server answers `{"status":"in_progress"}` without an id, which is pending like any other.
import { UserFacingError } from '../../shared/errors';
import type { DataPlaneClient } from './client';
import { fatalLines } from './errors';
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

/**
 * What HAProxy runs after a write, for every caller that reports one (VIP, raw save, server edits,
 * status bar). A failed reload: the Data Plane API puts the last-known-good file back but KEEPS the
 * new version number, and the old worker keeps serving; the next write works from that version.
 */
export type HaproxyRuns =
  /** The reload succeeded: the written configuration is live. */
  | 'written'
  /** The reload failed: HAProxy still runs the previous configuration (the file was restored). */
  | 'previous'
  /** The reload was requested but not followed to its end. */
  | 'pending'
  /** The write needed no reload (applied at runtime). */
  | 'no-reload';

export interface ReloadOutcome {
  runs: HaproxyRuns;
  reloadId?: string;
  reload?: Reload;
  /** For `previous`: HAProxy's fatal ALERT lines from the reload response. */
  reason?: string;
  /** One sentence for the user. */
  text: string;
}

export function reloadOutcome(reloadId: string | undefined, reload: Reload | undefined): ReloadOutcome {
  if (reloadId === undefined) return { runs: 'no-reload', text: 'no reload needed' };
  if (reload === undefined || reload.status === 'in_progress')
    return { runs: 'pending', reloadId, reload, text: `reload ${reloadId} requested` };
  if (reload.status === 'succeeded') return { runs: 'written', reloadId, reload, text: `reload ${reloadId} succeeded` };
  const reason =
    fatalLines(reload.response ?? '')
      .join(' ')
      .trim() ||
    reload.response?.trim() ||
    'HAProxy gave no reason';
  return {
    runs: 'previous',
    reloadId,
    reload,
    reason,
    text:
      `reload ${reloadId} failed, so HAProxy still runs the previous configuration (the Data Plane API restored ` +
      `it; its version number moved on and the next write works from it): ${reason}`,
  };
}
