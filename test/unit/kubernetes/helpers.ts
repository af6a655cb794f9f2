// Shared set-up for the Kubernetes unit tests: temporary kubeconfigs and polling.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export function tempDir(prefix = 'kube-unit-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Polls until `probe` returns something truthy, or fails after `timeoutMs`. */
export async function eventually<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

export const FAST = { debounceMs: 10, backoff: { initialMs: 50, maxMs: 200 } };
