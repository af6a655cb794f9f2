// The reload status bar item, redrawn from one state value, and the follower that moves it.
import * as vscode from 'vscode';
import { errorMessage } from '../../shared/errors';
import { renderReloadState, type ReloadState } from '../core/presentation';
import { followReload, reloadOutcome } from '../core/reload';
import type { Reload } from '../core/validate';
import type { Session } from './sessions';

export interface FollowedReload {
  connection: string;
  connectionId: string;
  reload: Reload;
  at: number;
}

export class ReloadStatus implements vscode.Disposable {
  private state: ReloadState = { kind: 'idle', connections: 0 };
  private readonly item: vscode.StatusBarItem;
  private readonly changed = new vscode.EventEmitter<ReloadState>();
  readonly onDidChange = this.changed.event;
  /** Reloads followed in this window, newest first (for the click-through list). */
  readonly recent: FollowedReload[] = [];
  private generation = 0;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    showCommand: string,
  ) {
    this.item = vscode.window.createStatusBarItem(
      'haproxyGateway.dataplane.reload',
      vscode.StatusBarAlignment.Left,
      50,
    );
    this.item.name = 'HAProxy Reload';
    this.item.command = showCommand;
    this.render();
  }

  /** The idle item shows only when there is something to follow. */
  setConnectionCount(connections: number): void {
    if (this.state.kind === 'idle' && this.state.connections !== connections) this.set({ kind: 'idle', connections });
  }

  get current(): ReloadState {
    return this.state;
  }

  /** What the item shows now (for tests and the log). */
  get text(): string {
    return this.item.text;
  }

  private set(state: ReloadState): void {
    this.state = state;
    this.render();
    this.changed.fire(state);
  }

  private render(): void {
    const view = renderReloadState(this.state);
    this.item.text = view.text;
    const md = new vscode.MarkdownString(view.tooltip);
    md.supportThemeIcons = true;
    this.item.tooltip = md;
    this.item.backgroundColor = view.error ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    if (view.visible) this.item.show();
    else this.item.hide();
  }

  /** Follows one reload to its end; a newer follow takes the status bar over. */
  async follow(
    session: Session,
    reloadId: string,
    opts: { initialDelayMs?: number } = {},
  ): Promise<Reload | undefined> {
    const gen = ++this.generation;
    const since = Date.now();
    this.set({ kind: 'reloading', connection: session.name, reloadId, since });
    try {
      const r = await followReload(session.client, reloadId, {
        timeoutMs: 120_000,
        intervalMs: 500,
        initialDelayMs: opts.initialDelayMs,
      });
      this.recent.unshift({ connection: session.name, connectionId: session.id, reload: r, at: Date.now() });
      this.recent.splice(20);
      if (gen === this.generation)
        this.set({
          kind: r.status === 'succeeded' ? 'succeeded' : 'failed',
          connection: session.name,
          reloadId,
          at: Date.now(),
          response: r.response,
        });
      if (r.status === 'failed') this.log.warn(`"${session.name}": ${reloadOutcome(reloadId, r).text}`);
      else this.log.info(`Reload ${reloadId} on "${session.name}" succeeded`);
      return r;
    } catch (err) {
      this.log.warn(`Following reload ${reloadId} on "${session.name}": ${errorMessage(err)}`);
      if (gen === this.generation)
        this.set({ kind: 'failed', connection: session.name, reloadId, at: Date.now(), response: errorMessage(err) });
      return undefined;
    }
  }

  dispose(): void {
    this.item.dispose();
    this.changed.dispose();
  }
}
