// Long synchronous work on the extension host, cut into time slices: between two slices the event
// loop gets a turn (other requests, typing, the UI's messages), and an abort signal is honoured.
// Slices are cut by elapsed time, not by item count, so a slow machine still yields often enough.

/** How a sliced computation yields and when it stops. */
export interface SliceOptions {
  /** Aborting rejects the computation at its next yield with the signal's reason (an AbortError). */
  readonly signal?: AbortSignal | undefined;
  /** The longest run between two yields, in ms (default 12). 0 yields at every check (tests). */
  readonly sliceMs?: number;
  /** Gives the event loop a turn (default: setImmediate, so I/O and timers run). */
  readonly yieldNow?: () => Promise<void>;
}

const DEFAULT_SLICE_MS = 12;

/** One turn of the event loop: timers, I/O and messages that arrived meanwhile run before it resolves. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Keeps the time of the current slice; the caller asks `due` every so often and then `yield()`s. */
export class TimeSlicer {
  private started = performance.now();
  private readonly sliceMs: number;
  /** How many times the computation gave the event loop a turn. */
  yields = 0;

  constructor(private readonly options: SliceOptions = {}) {
    this.sliceMs = options.sliceMs ?? DEFAULT_SLICE_MS;
    options.signal?.throwIfAborted();
  }

  /** True when the current slice has used its time. */
  get due(): boolean {
    return performance.now() - this.started >= this.sliceMs;
  }

  /** Gives the event loop a turn; throws when the signal aborted meanwhile. */
  async yield(): Promise<void> {
    await (this.options.yieldNow ?? yieldToEventLoop)();
    this.yields++;
    this.options.signal?.throwIfAborted();
    this.started = performance.now();
  }
}

/**
 * `items.map(fn)`, yielding to the event loop whenever a slice has used its time (the clock is read
 * after every item: use it for items that take microseconds or more, not for single characters).
 */
export async function mapInSlices<T, R>(
  items: readonly T[],
  fn: (item: T, index: number) => R,
  options: SliceOptions = {},
): Promise<R[]> {
  const slicer = new TimeSlicer(options);
  const out = new Array<R>(items.length);
  for (let i = 0; i < items.length; i++) {
    out[i] = fn(items[i], i);
    if (i + 1 < items.length && slicer.due) await slicer.yield();
  }
  return out;
}
