// Entry point of the Data Plane API capability: builds its services once, registers its command
// table (./commands.ts), and returns its API (../api.ts) and the test hooks (./testing.ts).
import * as vscode from 'vscode';
import type { CommandRegistry } from '../../shell/commands';
import { NodeTreeProvider, VisibleRefresher } from '../../shell/tree';
import type { DataPlaneApi } from '../api';
import { dataPlaneCommands } from './commands';
import { importSecret } from './connectionCommands';
import type { DataPlaneContext } from './context';
import type { ConnectionSettings } from '../core/connection';
import { refreshIntervalMs } from '../core/refresh';
import { ConnectionStore } from './connectionStore';
import { LiveConfigFileSystem, SCHEME, liveConfigUri } from './liveConfigFs';
import { ReloadStatus } from './reloadStatus';
import { sessionOf } from './resolve';
import { Sessions } from './sessions';
import { dataPlaneTesting, type DataPlaneTesting } from './testing';
import { ConnectionNode, type ConnectionChildren } from './tree';

export type { DataPlaneApi } from '../api';

/** The view's id, also the section of its settings. */
const VIEW = 'haproxyGateway.dataplane';

type Deps = { context: vscode.ExtensionContext; log: vscode.LogOutputChannel; commands: CommandRegistry };

export function registerDataPlane({ context, log, commands }: Deps): { api: DataPlaneApi; testing: DataPlaneTesting } {
  const store = new ConnectionStore(context.secrets, log);
  const sessions = new Sessions(store, log);
  const reloads = new ReloadStatus(log, 'haproxyGateway.dataplane.showReloads');
  reloads.setConnectionCount(store.list().length);
  const contributors: ConnectionChildren[] = [];
  const row = (s: ConnectionSettings) =>
    new ConnectionNode(s, sessions, (n) => tree.refresh(n), () => contributors).attach(sessions.peek(s.id));
  const tree: NodeTreeProvider = new NodeTreeProvider(async () => store.list().map(row));
  const ctx: DataPlaneContext = {
    log, store, sessions, reloads, tree,
    liveConfig: new LiveConfigFileSystem(sessions, reloads, (id) => ctx.refreshConnection(id)),
    refreshAll: () => (sessions.all().forEach((s) => s.invalidate()), tree.refresh()),
    refreshConnection: (id) => (sessions.peek(id)?.invalidate(), tree.refresh()),
  };
  const view = vscode.window.createTreeView(VIEW, { treeDataProvider: tree, showCollapseAll: true });
  const interval = () => refreshIntervalMs(vscode.workspace.getConfiguration(VIEW).get<unknown>('refreshIntervalSeconds'));
  const refresher = new VisibleRefresher(view, interval, ctx.refreshAll);
  context.subscriptions.push(
    store, sessions, reloads, tree, view, ctx.liveConfig, refresher,
    vscode.workspace.registerFileSystemProvider(SCHEME, ctx.liveConfig, { isCaseSensitive: true }),
    store.onDidChange(async () => {
      reloads.setConnectionCount(store.list().length);
      await sessions.reconcile();
      tree.refresh();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${VIEW}.refreshIntervalSeconds`)) refresher.restart();
    }),
  );
  commands.registerTable(ctx, dataPlaneCommands);
  return { api: publishApi(ctx, contributors), testing: dataPlaneTesting(ctx) };
}

function publishApi(ctx: DataPlaneContext, contributors: ConnectionChildren[]): DataPlaneApi {
  return {
    connections: () => ctx.store.list(),
    session: (id) => ctx.sessions.get(id),
    // A reload is never done the instant it is requested: look first after one interval.
    followReload: async (id, reloadId) =>
      ctx.reloads.follow(await sessionOf(ctx, id), reloadId, { initialDelayMs: 500 }),
    onDidChangeReloadState: ctx.reloads.onDidChange,
    refresh: (id) => (id ? ctx.refreshConnection(id) : ctx.refreshAll()),
    addConnectionChildren: (contributor) => {
      contributors.push(contributor);
      ctx.tree.refresh();
      return new vscode.Disposable(() => {
        if (contributors.includes(contributor)) contributors.splice(contributors.indexOf(contributor), 1);
        ctx.tree.refresh();
      });
    },
    importSecret: (args) => importSecret(ctx, args),
    liveConfigUri,
  };
}
