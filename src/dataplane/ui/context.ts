// What every Data Plane API command handler receives: the services the capability builds once.
import type * as vscode from 'vscode';
import type { NodeTreeProvider } from '../../shell/tree';
import type { ConfigHistory } from '../core/history';
import type { ConnectionStore } from './connectionStore';
import type { LiveConfigFileSystem } from './liveConfigFs';
import type { ReloadStatus } from './reloadStatus';
import type { Session, Sessions } from './sessions';

export interface DataPlaneContext {
  readonly log: vscode.LogOutputChannel;
  readonly store: ConnectionStore;
  readonly sessions: Sessions;
  readonly reloads: ReloadStatus;
  readonly tree: NodeTreeProvider;
  readonly liveConfig: LiveConfigFileSystem;
  /** Every configuration version read or written, per connection. */
  readonly history: ConfigHistory;
  /** Forgets every snapshot and redraws the tree. */
  refreshAll(): void;
  /** Forgets one connection's snapshot and redraws the tree. */
  refreshConnection(id: string): void;
}

/** The ids of the saved connections (a new connection's id must differ from them). */
export function takenIds(ctx: DataPlaneContext): Set<string> {
  return new Set(ctx.store.list().map((c) => c.id));
}

export type { Session };
