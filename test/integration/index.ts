// Entry point loaded by VS Code as `extensionTestsPath`: runs every suite/*.test.js with mocha inside
// the real extension host and writes a JSON report, because under code-server the extension host
// runs in the server process and the harness can only read results from a file.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export interface TestReport {
  passed: number;
  failed: number;
  pending: number;
  tests: { title: string; state: 'passed' | 'failed' | 'pending'; durationMs: number; error?: string }[];
}

export function run(): Promise<void> {
  return runSuite(path.join(__dirname, 'suite'));
}

/** Runs every *.test.js of `suiteDir` (the untrusted-workspace run has its own folder). */
export function runSuite(suiteDir: string): Promise<void> {
  const reportPath = process.env.HAPROXY_GATEWAY_TEST_REPORT;
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  const grep = process.env.HAPROXY_GATEWAY_TEST_GREP;
  if (grep) mocha.grep(grep);
  for (const file of fs.readdirSync(suiteDir).sort()) {
    if (file.endsWith('.test.js')) mocha.addFile(path.join(suiteDir, file));
  }
  const report: TestReport = { passed: 0, failed: 0, pending: 0, tests: [] };
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      if (reportPath) fs.writeFileSync(reportPath, JSON.stringify(report, null, 2));
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
      else resolve();
    });
    runner.on('pass', (t) => {
      report.passed++;
      report.tests.push({ title: t.fullTitle(), state: 'passed', durationMs: t.duration ?? 0 });
    });
    runner.on('fail', (t, err: Error) => {
      report.failed++;
      report.tests.push({
        title: t.fullTitle(),
        state: 'failed',
        durationMs: t.duration ?? 0,
        error: err?.stack ?? String(err),
      });
    });
    runner.on('pending', (t) => {
      report.pending++;
      report.tests.push({ title: t.fullTitle(), state: 'pending', durationMs: 0 });
    });
  });
}
