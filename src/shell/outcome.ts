import * as vscode from 'vscode';

/**
 * What an operation ended with, for the user: the one funnel for partial outcomes and results
 * (errors go through the command registry's funnel). The core builds these as plain data; this
 * shows them, logs them, and runs the action the user picks.
 */
export interface Outcome {
  level: 'info' | 'warning' | 'error';
  message: string;
  /** Buttons beside the message; the chosen one runs. */
  actions?: readonly OutcomeAction[];
}

export interface OutcomeAction {
  title: string;
  run(): unknown;
}

const OPEN_LOG = vscode.l10n.t('Open Log');

/** Shows an outcome once (errors and warnings also offer the log); resolves when it is dismissed or acted on. */
export async function reportOutcome(log: vscode.LogOutputChannel, outcome: Outcome): Promise<void> {
  const titles = (outcome.actions ?? []).map((a) => a.title);
  let show: (message: string, ...items: string[]) => Thenable<string | undefined>;
  if (outcome.level === 'error') {
    log.error(outcome.message);
    show = vscode.window.showErrorMessage;
    titles.push(OPEN_LOG);
  } else if (outcome.level === 'warning') {
    log.warn(outcome.message);
    show = vscode.window.showWarningMessage;
    titles.push(OPEN_LOG);
  } else {
    log.info(outcome.message);
    show = vscode.window.showInformationMessage;
  }
  const choice = await show(outcome.message, ...titles);
  if (choice === OPEN_LOG) return log.show(true);
  await outcome.actions?.find((a) => a.title === choice)?.run();
}
