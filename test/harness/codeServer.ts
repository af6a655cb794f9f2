// Starts a real VS Code (code-server, installed by scripts/install-vscode-host.sh) on loopback.
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../support/paths';
import { freePort } from '../support/ports';
import { waitFor } from '../support/wait';

export { freePort };

export const vscodeHostDir = path.join(repoRoot, '.cache', 'vscode-host');
const entry = path.join(vscodeHostDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

export interface CodeServer {
  readonly url: string;
  readonly port: number;
  readonly userDataDir: string;
  /** The server's output so far, for diagnosing failures. */
  output(): string;
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  workspace: string;
  /** Extra environment for the server and therefore for every extension host it starts. */
  env?: Record<string, string>;
  /** Extra user settings. */
  settings?: Record<string, unknown>;
  /** VSIX files or extension ids to install before starting. */
  installExtensions?: string[];
  /** A fixed port (the lab uses one); a free port otherwise. */
  port?: number;
  /**
   * Workspace trust on (default off: every other run is trusted). A fresh user-data dir and browser
   * profile trust no folder, so the workspace opens in Restricted Mode, without a prompt.
   */
  workspaceTrust?: boolean;
}

/** User settings of a run with workspace trust on: no startup prompt, no banner, untrusted stays so. */
const TRUST_ON_SETTINGS = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
  'security.workspace.trust.emptyWindow': false,
  'security.workspace.trust.untrustedFiles': 'open',
};

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  if (!fs.existsSync(entry)) {
    throw new Error(
      `code-server is not installed at ${entry}: run "bash scripts/setup.sh" (or scripts/install-vscode-host.sh)`,
    );
  }
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'haproxy-gateway-vscode-'));
  const userDataDir = path.join(base, 'user-data');
  const extensionsDir = path.join(base, 'extensions');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify(
      {
        'security.workspace.trust.enabled': false,
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.enableExperiments': false,
        'telemetry.telemetryLevel': 'off',
        'extensions.autoUpdate': false,
        'extensions.autoCheckUpdates': false,
        'update.mode': 'none',
        'editor.minimap.enabled': false,
        ...(options.workspaceTrust ? TRUST_ON_SETTINGS : {}),
        ...options.settings,
      },
      null,
      2,
    ),
  );
  const common = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  for (const ext of options.installExtensions ?? []) {
    await run(process.execPath, [entry, ...common, '--install-extension', ext]);
  }
  const port = options.port ?? (await freePort());
  const child = spawn(
    process.execPath,
    [
      entry,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      ...common,
      '--disable-telemetry',
      '--disable-update-check',
      ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
      '--disable-getting-started-override',
      options.workspace,
    ],
    // Its own process group: stopping it stops its extension host too (see stopProcessGroup).
    { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  const killGroupOnExit = () => killGroup(child, 'SIGKILL');
  process.once('exit', killGroupOnExit);
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/healthz`, child, () => output, 60_000);
  return {
    url,
    port,
    userDataDir,
    output: () => output,
    stop: async () => {
      process.removeListener('exit', killGroupOnExit);
      await stopProcessGroup(child);
      fs.rmSync(base, { recursive: true, force: true });
    },
  };
}

async function waitForHttp(url: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  // A failed fetch (not listening yet) is retried by waitFor; an exit ends the wait at once.
  const answered = async () => (child.exitCode !== null ? 'exited' : (await fetch(url)).ok && 'ready');
  const outcome = await waitFor(`code-server at ${url}`, answered, { timeoutMs, intervalMs: 200 }).catch(
    (err: Error) => {
      throw new Error(`code-server did not answer at ${url} within ${timeoutMs} ms (${err.message}):\n${output()}`);
    },
  );
  if (outcome === 'exited') throw new Error(`code-server exited with ${child.exitCode}:\n${output()}`);
}

/** Signals every process of the group `child` leads (spawned with `detached: true`); a gone group is fine. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // No process of the group is left.
  }
}

/**
 * Stops a process spawned with `detached: true` and everything it started. code-server's extension
 * host outlived a code-server killed after its grace period on a busy machine (one left per run), so
 * the whole group gets SIGTERM, and SIGKILL once the leader has exited or the grace period is over.
 */
export function stopProcessGroup(child: ChildProcess, graceMs = 5000): Promise<void> {
  return new Promise((resolve) => {
    const finish = () => {
      clearTimeout(timer);
      killGroup(child, 'SIGKILL');
      resolve();
    };
    const timer = setTimeout(finish, graceMs);
    if (child.exitCode !== null || child.signalCode !== null) return finish();
    child.once('exit', finish);
    killGroup(child, 'SIGTERM');
  });
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}:\n${out}`)),
    );
  });
}
