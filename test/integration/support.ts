// Helpers for suites that run inside the real extension host.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';

export const EXTENSION_ID = 'haproxy-gateway.haproxy-gateway';

export function workspaceFolder(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the integration suite needs test/fixtures/workspace open as the workspace folder');
  return folder.uri.fsPath;
}

export async function activatedApi(): Promise<ExtensionApi> {
  const ext = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  return ext.activate();
}

/** Polls `probe` until it returns a value other than undefined/false (test/support/wait.ts; 60 s by default). */
export { waitFor } from '../support/wait';

/** Records a named figure for `npm run bench` (only when the harness asks for metrics). */
export function recordMetric(name: string, value: number): void {
  const file = process.env.HAPROXY_GATEWAY_METRICS;
  if (!file) return;
  const metrics = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
  metrics[name] = value;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(metrics, null, 2));
}
