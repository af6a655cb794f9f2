import * as vscode from 'vscode';
import { UserFacingError, errorMessage, isCancellation } from '../shared/errors';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- command arguments come from VS Code untyped
export type CommandHandler = (...args: any[]) => unknown;

/**
 * A capability's command handler: its context first, then what VS Code (a tree node, a URI) or a
 * caller (tests, automation) passed.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- command arguments come from VS Code untyped
export type ContextCommandHandler<C> = (ctx: C, ...args: any[]) => unknown;

/**
 * A capability's commands as one table: full command id (the one id style of the extension,
 * `haproxyGateway.<area>.<name>`, as in package.json) → named handler.
 */
export type CommandTable<C> = Readonly<Record<string, ContextCommandHandler<C>>>;

/**
 * The one place where commands are registered. Every handler runs behind the same error funnel:
 * cancellation is ignored, everything else is logged and shown once with an "Open Log" action.
 */
export class CommandRegistry implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly registered: string[] = [];

  constructor(private readonly log: vscode.LogOutputChannel) {}

  register(id: string, handler: CommandHandler): void {
    this.registered.push(id);
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

  /** Registers every command of a table, each handler called with `ctx` first. */
  registerTable<C>(ctx: C, table: CommandTable<C>): void {
    for (const [id, handler] of Object.entries(table)) this.register(id, (...args: unknown[]) => handler(ctx, ...args));
  }

  /** The ids registered so far (the manifest test compares them with package.json). */
  get ids(): readonly string[] {
    return this.registered;
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
  const choice = await vscode.window.showErrorMessage(message, vscode.l10n.t('Open Log'));
  if (choice === vscode.l10n.t('Open Log')) log.show(true);
}
