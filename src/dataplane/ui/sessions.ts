// One live session per connection: its client (one keep-alive pool), the last tree snapshot and
// what the tree needs between refreshes. Rebuilt when the connection's settings or secrets change.
import * as vscode from 'vscode';
import { DataPlaneClient } from '../core/client';
import type { Connection } from '../core/connection';
import { coreLogger } from '../../shell/log';
import type { Logger } from '../../shared/logger';
import { loadTree, type TreeSnapshot } from '../core/snapshot';
import type { ConnectionStore } from './connectionStore';

export class Session {
  readonly client: DataPlaneClient;
  snapshot: TreeSnapshot | undefined;
  haproxyVersion: string | undefined;
  error: unknown;
  /** When this window first saw each open transaction (the API has no creation time). */
  readonly txFirstSeen = new Map<string, number>();
  private loading: Promise<TreeSnapshot> | undefined;

  constructor(
    readonly connection: Connection,
    logger: Logger,
  ) {
    this.client = new DataPlaneClient(connection, { logger });
  }

  get id(): string {
    return this.connection.settings.id;
  }

  get name(): string {
    return this.connection.settings.name;
  }

  /** Loads the tree once per refresh: concurrent callers share the same requests. */
  load(signal?: AbortSignal): Promise<TreeSnapshot> {
    this.loading ??= (async () => {
      try {
        const snap = await loadTree(this.client, { transactions: true, signal });
        if (this.haproxyVersion === undefined)
          this.haproxyVersion = await this.client.haproxyVersion(signal).catch(() => undefined);
        const now = Date.now();
        for (const t of snap.transactions ?? []) if (!this.txFirstSeen.has(t.id)) this.txFirstSeen.set(t.id, now);
        this.snapshot = snap;
        this.error = undefined;
        return snap;
      } catch (err) {
        this.error = err;
        throw err;
      }
    })().finally(() => (this.loading = undefined));
    return this.loading;
  }

  /** Forget the snapshot so the next render loads again. */
  invalidate(): void {
    this.snapshot = undefined;
  }

  dispose(): Promise<void> {
    return this.client.dispose();
  }
}

type ConfigTextEvent = Parameters<NonNullable<DataPlaneClient['onConfigText']>>[0];

export class Sessions implements vscode.Disposable {
  private readonly sessions = new Map<string, Session>();
  private readonly logger: Logger;

  constructor(
    private readonly store: ConnectionStore,
    log: vscode.LogOutputChannel,
    /** Every configuration text a session's client reads or writes (for the history). */
    private readonly onConfigText?: (connectionId: string, e: ConfigTextEvent) => void,
  ) {
    // One line per request: at debug level, so the log stays quiet unless asked.
    this.logger = { ...coreLogger(log), info: (m) => log.debug(m) };
  }

  /** The session if one exists already (no I/O). */
  peek(id: string): Session | undefined {
    return this.sessions.get(id);
  }

  /** Every existing session (to invalidate them on refresh). */
  all(): Session[] {
    return [...this.sessions.values()];
  }

  async get(id: string): Promise<Session | undefined> {
    const existing = this.sessions.get(id);
    if (existing) return existing;
    const conn = await this.store.load(id);
    if (!conn) return undefined;
    // Another caller may have created it while the secrets were read.
    const again = this.sessions.get(id);
    if (again) return again;
    const s = new Session(conn, this.logger);
    if (this.onConfigText) s.client.onConfigText = (e) => this.onConfigText!(id, e);
    this.sessions.set(id, s);
    return s;
  }

  /** A throw-away client for "Test Connection" before a connection is saved. */
  probe(conn: Connection): DataPlaneClient {
    return new DataPlaneClient(conn, { logger: this.logger, retries: 0 });
  }

  /** Drops a session (settings or secrets changed, or the connection was removed). */
  async drop(id: string): Promise<void> {
    const s = this.sessions.get(id);
    this.sessions.delete(id);
    await s?.dispose();
  }

  /** Drops sessions whose connection no longer exists or changed. */
  async reconcile(): Promise<void> {
    const current = new Map(this.store.list().map((c) => [c.id, JSON.stringify(c)]));
    for (const [id, s] of this.sessions) {
      if (current.get(id) !== JSON.stringify(s.connection.settings)) await this.drop(id);
    }
  }

  dispose(): void {
    for (const s of this.sessions.values()) void s.dispose();
    this.sessions.clear();
  }
}
