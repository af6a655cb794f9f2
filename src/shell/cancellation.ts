import * as vscode from 'vscode';

/**
 * The one bridge from VS Code's CancellationToken to the AbortSignal the core takes. Dispose the
 * result when the operation ends, so the token's listener does not outlive it.
 */
export function abortSignalFor(token: vscode.CancellationToken | undefined): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  if (token?.isCancellationRequested) controller.abort();
  const listener = token?.onCancellationRequested(() => controller.abort());
  return { signal: controller.signal, dispose: () => listener?.dispose() };
}
