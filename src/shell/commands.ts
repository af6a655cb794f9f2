import * as vscode from 'vscode';
import { UserFacingError, errorMessage, isCancellation } from '../shared/errors';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- command arguments come from VS Code untyped
export type CommandHandler = (...args: any[]) => unknown;

/**
 * The one place where commands are registered. Every handler runs behind the same error funnel:
 * cancellation is ignored, everything else is logged and shown once with an "Open Log" action.
 */
export class CommandRegistry implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly log: vscode.LogOutputChannel) {}

  register(id: string, handler: CommandHandler): void {
    this.disposables.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await handler(...args);
        } catch (err) {
          await reportError(this.log, id, err);
          return undefined;
        }
      }),
    );
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/** Logs an error and shows it once; cancellations are silent. */
export async function reportError(log: vscode.LogOutputChannel, context: string, err: unknown): Promise<void> {
  if (isCancellation(err)) {
    log.debug(`${context}: cancelled`);
    return;
  }
  const message = errorMessage(err);
  if (err instanceof UserFacingError) {
    log.warn(`${context}: ${message}${err.detail ? ` (${err.detail})` : ''}`);
  } else {
    log.error(`${context}: ${err instanceof Error && err.stack ? err.stack : message}`);
  }
  const choice = await vscode.window.showErrorMessage(message, 'Open Log');
  if (choice === 'Open Log') log.show(true);
}
