// Entry point of the untrusted-workspace run (test/harness/runIntegration.ts --untrusted): the
// suites of this folder, in a VS Code with workspace trust on and the folder not trusted.
import { runSuite } from '../index';

export function run(): Promise<void> {
  return runSuite(__dirname);
}
