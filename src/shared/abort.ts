// Waiting that a cancellation ends at once, for every core module (retries, polling, backoff).
import { OperationCancelledError } from './errors';

/** Resolves after `ms`; rejects with OperationCancelledError as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new OperationCancelledError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(new OperationCancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
