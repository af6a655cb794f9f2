// `npm run test:electron`: the same integration suite in VS Code desktop, downloaded by
// @vscode/test-electron, for machines that can reach the VS Code download servers.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { repoRoot } from '../support/paths';

async function main(): Promise<void> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'haproxy-gateway-electron-'));
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ 'security.workspace.trust.enabled': false, 'workbench.startupEditor': 'none' }),
  );
  await runTests({
    version: process.env.VSCODE_VERSION ?? '1.100.3',
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: path.join(repoRoot, 'out', 'test', 'integration', 'index.js'),
    launchArgs: [
      path.join(repoRoot, 'test', 'fixtures', 'workspace'),
      '--user-data-dir',
      userDataDir,
      '--disable-extensions',
    ],
  });
}

main().catch((err) => {
  console.error('electron integration tests failed:', err);
  process.exit(1);
});
