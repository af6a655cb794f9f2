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
import { ConfigHistory, memoryStorage } from '../core/history';
import { refreshIntervalMs } from '../core/refresh';
import { HISTORY_SCHEME, HistoryDocuments, folderStorage } from './history';
import { ConnectionStore } from './connectionStore';
import { LiveConfigFileSystem, SCHEME, liveConfigUri } from './liveConfigFs';
import { ReloadStatus } from './reloadStatus';
import { askRuntimeState } from './runtimeStatePrompt';
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
  // In the extension's own storage, one folder per connection, never synced (the texts can hold passwords).
  const history = new ConfigHistory(
    context.globalStorageUri
      ? folderStorage(vscode.Uri.joinPath(context.globalStorageUri, 'config-history'))
      : memoryStorage(),
  );
  const sessions = new Sessions(store, log, (id, e) => {
    history.record(id, e.text, { version: e.version, source: e.source }).catch((err: unknown) => {
      log.warn(`Could not keep a configuration version of "${id}": ${String(err)}`);
    });
  });
  const reloads = new ReloadStatus(log, 'haproxyGateway.dataplane.showReloads');
  reloads.setConnectionCount(store.list().length);
  const contributors: ConnectionChildren[] = [];
  const row = (s: ConnectionSettings) =>
    new ConnectionNode(
      s,
      sessions,
      (n) => tree.refresh(n),
      () => contributors,
    ).attach(sessions.peek(s.id));
  const tree: NodeTreeProvider = new NodeTreeProvider(async () => store.list().map(row));
  const ctx: DataPlaneContext = {
    log,
    store,
    sessions,
    reloads,
    tree,
    history,
    liveConfig: new LiveConfigFileSystem(sessions, reloads, (id) => ctx.refreshConnection(id), log),
    refreshAll: () => (sessions.all().forEach((s) => s.invalidate()), tree.refresh()),
    refreshConnection: (id) => (sessions.peek(id)?.invalidate(), tree.refresh()),
  };
  const view = vscode.window.createTreeView(VIEW, { treeDataProvider: tree, showCollapseAll: true });
  const interval = () =>
    refreshIntervalMs(vscode.workspace.getConfiguration(VIEW).get<unknown>('refreshIntervalSeconds'));
  const refresher = new VisibleRefresher(view, interval, ctx.refreshAll);
  context.subscriptions.push(
    store,
    sessions,
    reloads,
    tree,
    view,
    ctx.liveConfig,
    refresher,
    vscode.workspace.registerFileSystemProvider(SCHEME, ctx.liveConfig, { isCaseSensitive: true }),
    vscode.workspace.registerTextDocumentContentProvider(HISTORY_SCHEME, new HistoryDocuments(history)),
    store.onDidChange(async () => {
      const gone = sessions.all().filter((s) => !store.list().some((c) => c.id === s.id));
      for (const s of gone) void history.clear(s.id).catch(() => undefined);
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
    haproxyVersionOf: (uri) => haproxyVersionOf(ctx, uri),
    addConnectionChildren: (contributor) => {
      contributors.push(contributor);
      ctx.tree.refresh();
      return new vscode.Disposable(() => {
        if (contributors.includes(contributor)) contributors.splice(contributors.indexOf(contributor), 1);
        ctx.tree.refresh();
      });
    },
    importSecret: (args) => importSecret(ctx, args),
    askRuntimeState,
    liveConfigUri,
  };
}

/** The HAProxy version of the server behind a live configuration URI (asked once per session). */
async function haproxyVersionOf(ctx: DataPlaneContext, uri: vscode.Uri): Promise<string | undefined> {
  const id = /^\/([a-z0-9][a-z0-9-]*)\//.exec(uri.path)?.[1];
  const s = uri.scheme === SCHEME && id ? await ctx.sessions.get(id) : undefined;
  if (s && s.haproxyVersion === undefined) s.haproxyVersion = await s.client.haproxyVersion().catch(() => undefined);
  return s?.haproxyVersion;
}
