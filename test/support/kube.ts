// Shared set-up for the Kubernetes tests (unit and live): temporary kubeconfigs and fast retry settings (waiting
// on a condition is wait.ts).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export function tempDir(prefix = 'kube-unit-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export const FAST = { debounceMs: 10, backoff: { initialMs: 50, maxMs: 200 } };
