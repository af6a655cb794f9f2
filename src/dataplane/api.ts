// The published surface of the Data Plane API capability: the only file other capabilities import
// from it (enforced by eslint.config.mjs). Values come from the pure core only, so a core module of
// another capability may import this file; editor types are imported as types.
import type * as vscode from 'vscode';
import type { ConnectionSettings } from './core/connection';
import type { ReloadState } from './core/presentation';
import type { RuntimeChoice, RuntimeStateQuestion } from './core/runtimeState';
import type { Reload } from './core/validate';
import type { ImportSecretArgs } from './ui/connectionCommands';
import type { Session } from './ui/sessions';
import type { ConnectionChildren } from './ui/tree';

export { DataPlaneClient, type Change, type ServerSpec, type BackendSpec } from './core/client';
export type { Connection, ConnectionSettings } from './core/connection';
export { followReload, reloadOutcome, type HaproxyRuns, type ReloadOutcome } from './core/reload';
export { TransactionOutdatedError } from './core/errors';
export type { Logger, RequestMeter } from './core/http';
export { sections, stripServerHeader, type CfgSection } from './core/liveConfig';
export type { LiveState, TreeSnapshot } from './core/snapshot';
export { withTransaction } from './core/transaction';
export {
  guardRuntimeState,
  type RuntimeChoice,
  type RuntimeGuard,
  type RuntimeStateQuestion,
} from './core/runtimeState';
export type { Reload } from './core/validate';
export type { ImportSecretArgs } from './ui/connectionCommands';
export type { ConnectionChildren, ConnectionNode } from './ui/tree';
export type { Session } from './ui/sessions';

/** What other capabilities (the VIP feature, the Kubernetes browser) and tests use of this one. */
export interface DataPlaneApi {
  /** The saved connections (settings only, never a secret). */
  connections(): ConnectionSettings[];
  /** The live session of a connection (its client, one keep-alive pool), created on first use. */
  session(id: string): Promise<Session | undefined>;
  /** Makes the reload status bar follow a Reload-ID of a connection until the reload ends. */
  followReload(connectionId: string, reloadId: string): Promise<Reload | undefined>;
  /** Fires every time the reload status bar changes state. */
  readonly onDidChangeReloadState: vscode.Event<ReloadState>;
  /** Forgets cached snapshots (all, or one connection's) and redraws the tree. */
  refresh(connectionId?: string): void;
  /** Adds rows under every connection, built from its snapshot (no extra request). */
  addConnectionChildren(contributor: ConnectionChildren): vscode.Disposable;
  /** The HAProxy version the server of a live configuration (haproxy-dataplane: URI) reports. */
  haproxyVersionOf(uri: vscode.Uri): Promise<string | undefined>;
  /** The live haproxy.cfg of a connection as a document URI (the `haproxy-dataplane:` file system). */
  liveConfigUri(connectionId: string): vscode.Uri;
  /** Imports connections from a Load Balancer API Secret (what `haproxyGateway.dataplane.importSecret` runs). */
  importSecret(args: ImportSecretArgs): Promise<string[]>;
  /** Asks what to do with runtime state a reload would undo (undefined: cancel the change). */
  askRuntimeState(q: RuntimeStateQuestion): Promise<RuntimeChoice | undefined>;
}
