// Errors shared by the pure core modules. No `vscode` import: the UI layer decides how to show them.

/** An error whose message is written for the user: shown as-is, without a stack trace. */
export class UserFacingError extends Error {
  constructor(
    message: string,
    /** Extra detail for the log only (never secrets). */
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'UserFacingError';
  }
}

/** The user or the system cancelled the operation: not a failure, never shown as one. */
export class OperationCancelledError extends Error {
  constructor(message = 'Operation cancelled') {
    super(message);
    this.name = 'OperationCancelledError';
  }
}

/** True for every shape of cancellation we meet: ours, VS Code's, and AbortController's. */
export function isCancellation(err: unknown): boolean {
  if (err instanceof OperationCancelledError) return true;
  if (!(err instanceof Error)) return false;
  // vscode.CancellationError has name 'Canceled'; AbortSignal rejections have name 'AbortError'.
  return err.name === 'Canceled' || err.name === 'AbortError';
}

/** A message for any thrown value, for logs and notifications. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  try {
    return JSON.stringify(err);
  } catch {
    return String(err);
  }
}
