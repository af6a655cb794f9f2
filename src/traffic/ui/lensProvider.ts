// The live server lens: in a live haproxy.cfg (`haproxy-dataplane:` documents), a CodeLens on each
// `server` line with its runtime state and weight, and Drain / Ready / Maintenance. The stats are
// read with one request per server per refresh, on a timer that runs only while such an editor is
// visible; each refresh fires onDidChangeCodeLenses.
import * as vscode from 'vscode';
import { serverLenses } from '../core/lens';
import { parseNativeStats, type StatRow } from '../core/stats';

/** The Data Plane capability's live configuration scheme (its liveConfigFs): `/<connectionId>/haproxy.cfg`. */
export const LIVE_CONFIG_SCHEME = 'haproxy-dataplane';
export const LENS_REFRESH_MS = 5_000;

export interface LensStatsSource {
  /** The raw stats/native body of a connection (one request). */
  stats(connectionId: string): Promise<unknown>;
}

const connectionOf = (uri: vscode.Uri): string | undefined =>
  uri.scheme === LIVE_CONFIG_SCHEME ? uri.path.split('/')[1] || undefined : undefined;

export class ServerLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly rows = new Map<string, { rows?: StatRow[]; error?: string }>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Stats requests made so far (tests check one per visible server per refresh). */
  requests = 0;

  constructor(
    private readonly source: LensStatsSource,
    private readonly log: vscode.LogOutputChannel,
    private readonly intervalMs = LENS_REFRESH_MS,
  ) {
    this.subscriptions.push(vscode.window.onDidChangeVisibleTextEditors(() => this.schedule()));
    this.schedule();
  }

  /** The connections of the live configurations visible now. */
  private visible(): string[] {
    const ids = vscode.window.visibleTextEditors.map((e) => connectionOf(e.document.uri));
    return [...new Set(ids.filter((id): id is string => id !== undefined))];
  }

  /** Starts the timer while a live configuration is visible, stops it otherwise. */
  private schedule(): void {
    const visible = this.visible().length > 0;
    if (visible && !this.timer) {
      void this.refresh();
      this.timer = setInterval(() => void this.refresh(), this.intervalMs);
    } else if (!visible && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  /** One stats request per visible server, then one redraw. */
  async refresh(): Promise<void> {
    await Promise.all(
      this.visible().map(async (id) => {
        try {
          this.requests++;
          this.rows.set(id, { rows: parseNativeStats(await this.source.stats(id)) });
        } catch (err) {
          const error = err instanceof Error ? err.message : String(err);
          if (this.rows.get(id)?.error !== error) this.log.warn(`Live server lens: ${id}: ${error}`);
          this.rows.set(id, { error });
        }
      }),
    );
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const id = connectionOf(document.uri);
    if (!id) return [];
    const state = this.rows.get(id);
    const lenses = serverLenses(id, document.getText(), state?.rows ?? []);
    const out: vscode.CodeLens[] = [];
    for (const l of lenses) {
      const range = new vscode.Range(l.line, 0, l.line, 0);
      const title = state?.error
        ? vscode.l10n.t('live state unavailable: {0}', state.error)
        : state
          ? l.title
          : vscode.l10n.t('reading live state…');
      out.push(new vscode.CodeLens(range, { title, command: '' }));
      for (const a of l.actions) {
        const label = {
          Ready: vscode.l10n.t('Ready'),
          Drain: vscode.l10n.t('Drain'),
          Maintenance: vscode.l10n.t('Maintenance'),
        };
        const actionTitle = label[a.title as keyof typeof label] ?? a.title;
        out.push(new vscode.CodeLens(range, { title: actionTitle, command: a.command, arguments: a.args }));
      }
    }
    return out;
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.changed.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
