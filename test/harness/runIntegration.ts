// Runs the integration suite (test/integration) inside a real VS Code: code-server + headless Chromium.
// Prints one line per test and a closing "integration: N passed, N failed" line; exits non-zero on
// any failure or a missing report. With --untrusted: the suites of test/integration/untrusted, with
// workspace trust on and a copy of test/fixtures/untrusted-workspace open, not trusted.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TestReport } from '../integration/index';
import { repoRoot } from '../support/paths';
import { startCodeServer } from './codeServer';
import { openWorkbench } from './workbench';

const TIMEOUT_MS = Number(process.env.HAPROXY_GATEWAY_INTEGRATION_TIMEOUT_MS ?? 15 * 60_000);

async function main(): Promise<number> {
  const resultsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'haproxy-gateway-it-'));
  const reportPath = path.join(resultsDir, 'report.json');
  const env: Record<string, string> = { HAPROXY_GATEWAY_TEST_REPORT: reportPath };
  if (process.env.HAPROXY_GATEWAY_METRICS) env.HAPROXY_GATEWAY_METRICS = process.env.HAPROXY_GATEWAY_METRICS;
  const untrusted = process.argv.includes('--untrusted');
  const workspace = untrusted
    ? untrustedWorkspace(resultsDir, env)
    : path.join(repoRoot, 'test', 'fixtures', 'workspace');
  const server = await startCodeServer({ workspace, env, workspaceTrust: untrusted });
  const workbench = await openWorkbench({
    serverUrl: server.url,
    folder: workspace,
    extensionTestsPath: path.join(
      repoRoot,
      'out',
      'test',
      'integration',
      ...(untrusted ? ['untrusted'] : []),
      'index.js',
    ),
  });
  const started = Date.now();
  try {
    while (!fs.existsSync(reportPath)) {
      if (Date.now() - started > TIMEOUT_MS) {
        console.error(`integration: no report after ${TIMEOUT_MS} ms; code-server output:\n${server.output()}`);
        return 1;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    // The report is written in one call, but give the writer a moment to finish on slow disks.
    await new Promise((r) => setTimeout(r, 100));
    const report = JSON.parse(fs.readFileSync(reportPath, 'utf8')) as TestReport;
    for (const t of report.tests) {
      const mark = t.state === 'passed' ? 'ok  ' : t.state === 'failed' ? 'FAIL' : 'skip';
      console.log(`  ${mark} ${t.title} (${t.durationMs} ms)`);
      if (t.error) console.log(t.error.replace(/^/gm, '       '));
    }
    if (report.passed + report.failed === 0) {
      console.error('integration: the suite ran no test');
      return 1;
    }
    console.log(
      `integration: ${report.passed} passed, ${report.failed} failed` +
        (report.pending ? `, ${report.pending} skipped` : ''),
    );
    if (report.failed > 0 && process.env.HAPROXY_GATEWAY_VERBOSE) console.log(server.output());
    return report.failed > 0 ? 1 : 0;
  } finally {
    await workbench.close();
    await server.stop();
    fs.rmSync(resultsDir, { recursive: true, force: true });
  }
}

/**
 * A private copy of the untrusted fixture workspace (the fake haproxy writes its marker beside
 * itself), a folder with the fake as `haproxy` put first in PATH, and a KUBECONFIG that does not
 * exist, so that neither the host's haproxy nor its kubeconfig takes part.
 */
function untrustedWorkspace(resultsDir: string, env: Record<string, string>): string {
  const workspace = path.join(resultsDir, 'untrusted-workspace');
  fs.cpSync(path.join(repoRoot, 'test', 'fixtures', 'untrusted-workspace'), workspace, { recursive: true });
  const bin = path.join(resultsDir, 'bin');
  fs.mkdirSync(bin);
  fs.copyFileSync(path.join(workspace, 'fake-haproxy'), path.join(bin, 'haproxy'));
  for (const file of [path.join(workspace, 'fake-haproxy'), path.join(bin, 'haproxy')]) fs.chmodSync(file, 0o755);
  env.PATH = `${bin}${path.delimiter}${process.env.PATH ?? ''}`;
  env.HAPROXY_GATEWAY_FAKE_BIN = bin;
  env.KUBECONFIG = path.join(resultsDir, 'no-kubeconfig');
  return workspace;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
