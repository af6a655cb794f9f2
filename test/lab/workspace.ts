// Where the lab keeps its files: outside the repository (a folder opened inside a Git work tree
// makes VS Code ask about the repository on every start), with a fresh copy of the lab's sample
// workspace (test/lab/workspace: a valid haproxy.cfg) each time.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../support/paths';

export const sampleWorkspace = path.join(repoRoot, 'test', 'lab', 'workspace');

/** The lab's folder: LAB_DIR, else one per user under the system's temporary folder. */
export function labDirectory(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LAB_DIR) return path.resolve(env.LAB_DIR);
  const user = typeof process.getuid === 'function' ? String(process.getuid()) : os.userInfo().username;
  return path.join(os.tmpdir(), `haproxy-gateway-lab-${user}`);
}

/** The Git work tree holding `dir`, if any (a `.git` file or folder in it or above). */
export function enclosingGitTree(dir: string): string | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, '.git'))) return d;
    if (path.dirname(d) === d) return undefined;
  }
}

/** A fresh copy of the sample workspace in the lab's folder; returns its path. */
export function prepareWorkspace(labDir: string): string {
  const workspace = path.join(labDir, 'workspace');
  fs.rmSync(workspace, { recursive: true, force: true });
  fs.mkdirSync(labDir, { recursive: true });
  fs.cpSync(sampleWorkspace, workspace, { recursive: true });
  return workspace;
}
