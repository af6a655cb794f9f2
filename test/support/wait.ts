// Waiting in tests: on a condition, polled, with a generous deadline. The suite must pass on a slow,
// busy machine, so a deadline only turns a hang into a failure with a message; it never measures.

/** The default deadline: long enough for a machine under full load, short enough to end a hang. */
export const GENEROUS_MS = 60_000;

export interface WaitOptions {
  /** Fail after this long (default GENEROUS_MS). */
  timeoutMs?: number;
  /** Poll every so often (default 20 ms). */
  intervalMs?: number;
}

/**
 * Polls `probe` until it returns something other than undefined or false, and returns that; fails
 * with `what` and the last error the probe threw after the deadline. `options` may be a number:
 * the deadline in ms.
 */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  options: WaitOptions | number = {},
): Promise<T> {
  const { timeoutMs = GENEROUS_MS, intervalMs = 20 } = typeof options === 'number' ? { timeoutMs: options } : options;
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  const why = last ? `: ${last instanceof Error ? last.message : String(last)}` : '';
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`);
}
