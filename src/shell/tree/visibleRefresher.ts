import * as vscode from 'vscode';

/**
 * Runs a periodic refresh only while a view is visible, so a hidden sidebar costs no requests.
 * When the view becomes visible again after the interval has passed, it refreshes at once.
 */
export class VisibleRefresher implements vscode.Disposable {
  private timer: ReturnType<typeof setInterval> | undefined;
  private lastRefresh = Date.now();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly view: vscode.TreeView<unknown>,
    /** Interval in ms; 0 or less disables automatic refresh. Read on every (re)start so settings apply live. */
    private readonly intervalMs: () => number,
    private readonly refresh: () => void,
  ) {
    this.subscriptions.push(view.onDidChangeVisibility(() => this.restart()));
    this.restart();
  }

  /** Call when the interval setting changes. */
  restart(): void {
    this.stop();
    const interval = this.intervalMs();
    if (!this.view.visible || interval <= 0) return;
    if (Date.now() - this.lastRefresh >= interval) this.tick();
    this.timer = setInterval(() => this.tick(), interval);
  }

  private tick(): void {
    this.lastRefresh = Date.now();
    this.refresh();
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  dispose(): void {
    this.stop();
    for (const s of this.subscriptions.splice(0)) s.dispose();
  }
}
