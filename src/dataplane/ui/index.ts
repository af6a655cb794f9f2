// Entry point of the Data Plane API capability: connections, the tree, runtime actions, the live
// configuration file system and the reload status bar. Commands accept optional arguments so tests
// and automation can drive them without dialogs. Returns a small API for other capabilities.
import * as vscode from 'vscode';
import type { CommandRegistry } from '../../shell/commands';
import { NodeTreeProvider, VisibleRefresher, type TreeNode } from '../../shell/tree';
import { UserFacingError, errorMessage } from '../../shared/errors';
import type { Connection, ConnectionSettings } from '../core/connection';
import type { ReloadState } from '../core/presentation';
import type { Reload } from '../core/validate';
import { ConfigurationRejectedError } from '../core/errors';
import { importLoadBalancerSecret, importLoadBalancerSecretObject } from '../core/secretImport';
import { withTransaction } from '../core/transaction';
import type { AdminState } from '../core/validate';
import { ConnectionStore } from './connectionStore';
import { connectionFromArgs, connectionWizard, type ConnectionArgs } from './connectionWizard';
import { LiveConfigFileSystem, SCHEME, liveConfigUri, stripVersionLine } from './liveConfigFs';
import { ReloadStatus } from './reloadStatus';
import { Sessions, type Session } from './sessions';
import { ConnectionNode, SET_PASSWORD_COMMAND, ServerNode, TransactionNode, type ConnectionChildren } from './tree';

const VIEW = 'haproxyGateway.dataplane';
const C = (name: string) => `haproxyGateway.dataplane.${name}`;

/** What other capabilities (the VIP feature) and tests use of the Data Plane API capability. */
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
}

export function registerDataPlane(deps: { context: vscode.ExtensionContext; log: vscode.LogOutputChannel; commands: CommandRegistry }): DataPlaneApi {
  const { context, log, commands } = deps;
  const store = new ConnectionStore(context.secrets, log);
  const sessions = new Sessions(store, log);
  const reloads = new ReloadStatus(log, C('showReloads'));
  reloads.setConnectionCount(store.list().length);
  const contributors: ConnectionChildren[] = [];
  const provider: NodeTreeProvider = new NodeTreeProvider(async () => store.list().map((s) => new ConnectionNode(s, sessions, (n) => provider.refresh(n), () => contributors).attach(sessions.peek(s.id))));
  const view = vscode.window.createTreeView(VIEW, { treeDataProvider: provider, showCollapseAll: true });
  const refreshAll = () => {
    for (const s of sessions.all()) s.invalidate();
    provider.refresh();
  };
  const refreshConnection = (id: string) => {
    sessions.peek(id)?.invalidate();
    provider.refresh();
  };
  const fsProvider = new LiveConfigFileSystem(sessions, reloads, refreshConnection);
  const refresher = new VisibleRefresher(view, () => 1000 * vscode.workspace.getConfiguration('haproxyGateway.dataplane').get<number>('refreshIntervalSeconds', 15), refreshAll);
  context.subscriptions.push(
    store,
    sessions,
    reloads,
    provider,
    view,
    fsProvider,
    refresher,
    vscode.workspace.registerFileSystemProvider(SCHEME, fsProvider, { isCaseSensitive: true }),
    store.onDidChange(async () => {
      reloads.setConnectionCount(store.list().length);
      await sessions.reconcile();
      provider.refresh();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('haproxyGateway.dataplane.refreshIntervalSeconds')) refresher.restart();
    }),
  );

  const pickConnection = async (arg: unknown): Promise<string> => {
    if (typeof arg === 'string') return arg;
    if (arg instanceof ConnectionNode) return arg.settings.id;
    const list = store.list();
    if (list.length === 0) throw new UserFacingError('No Data Plane API connection yet: add one first.');
    if (list.length === 1) return list[0]!.id;
    const picked = await vscode.window.showQuickPick(list.map((c) => ({ label: c.name, description: c.url, id: c.id })), { placeHolder: 'Data Plane API server' });
    if (!picked) throw new UserFacingError('No connection chosen.');
    return picked.id;
  };
  const session = async (id: string) => {
    const s = await sessions.get(id);
    if (!s) throw new UserFacingError(`There is no Data Plane connection "${id}".`);
    return s;
  };
  const taken = () => new Set(store.list().map((c) => c.id));

  /** Connects once before saving, so a typo is caught while the user still has the values. */
  const testBeforeSave = async (conn: Connection, interactive: boolean): Promise<void> => {
    const probe = sessions.probe(conn);
    try {
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Connecting to ${conn.settings.url}…` }, () => probe.connect());
    } catch (err) {
      if (!interactive) throw err;
      const choice = await vscode.window.showWarningMessage(`${errorMessage(err)}`, 'Save Anyway');
      if (choice !== 'Save Anyway') throw err;
    } finally {
      await probe.dispose();
    }
  };

  commands.register(C('addConnection'), async (args?: ConnectionArgs & { skipTest?: boolean }) => {
    const conn = args ? connectionFromArgs(args, taken()) : await connectionWizard(taken());
    if (!args?.skipTest) await testBeforeSave(conn, !args);
    await store.save(conn);
    log.info(`Added Data Plane connection "${conn.settings.name}" (${conn.settings.url})`);
    return conn.settings.id;
  });

  commands.register(C('editConnection'), async (arg?: unknown, args?: ConnectionArgs & { skipTest?: boolean }) => {
    const id = await pickConnection(arg);
    const current = await store.load(id);
    if (!current) throw new UserFacingError(`There is no Data Plane connection "${id}".`);
    const others = taken();
    others.delete(id);
    const conn = args ? connectionFromArgs({ ...args, password: args.password ?? current.secrets.password }, others, id) : await connectionWizard(others, current);
    if (!args?.skipTest) await testBeforeSave(conn, !args);
    await sessions.drop(id);
    await store.save(conn);
    return id;
  });

  commands.register(C('removeConnection'), async (arg?: unknown, opts?: { confirm?: boolean }) => {
    const id = await pickConnection(arg);
    const name = store.get(id)?.name ?? id;
    if (!opts?.confirm) {
      const ok = await vscode.window.showWarningMessage(`Remove the connection "${name}" and its stored secrets?`, { modal: true }, 'Remove');
      if (ok !== 'Remove') return false;
    }
    await sessions.drop(id);
    await store.remove(id);
    return true;
  });

  // Only the password of a basic-auth connection: for a connection shared in workspace settings or
  // imported from a Secret, whose settings are fine but whose password was never entered here.
  commands.register(SET_PASSWORD_COMMAND, async (arg?: unknown, password?: unknown) => {
    const id = await pickConnection(arg);
    const current = await store.load(id);
    if (!current) throw new UserFacingError(`There is no Data Plane connection "${id}".`);
    if (current.settings.auth !== 'basic') throw new UserFacingError(`"${current.settings.name}" uses mutual TLS: edit the connection to change its certificates.`);
    let value = typeof password === 'string' ? password : undefined;
    if (value === undefined) {
      value = await vscode.window.showInputBox({
        title: `Password of ${current.settings.username ?? 'the user'} for "${current.settings.name}"`,
        prompt: `${current.settings.url} · kept in VS Code's secret storage, sent only to this URL`,
        password: true,
        ignoreFocusOut: true,
        validateInput: (v) => (v ? undefined : 'The password cannot be empty'),
      });
      if (value === undefined) return false;
    }
    if (!value) throw new UserFacingError('The password cannot be empty.');
    await sessions.drop(id);
    await store.save({ settings: current.settings, secrets: { ...current.secrets, password: value } });
    log.info(`Stored the password of Data Plane connection "${current.settings.name}"`);
    refreshConnection(id);
    return true;
  });

  commands.register(C('testConnection'), async (arg?: unknown) => {
    const s = await session(await pickConnection(arg));
    const r = await s.client.connect();
    const hap = await s.client.haproxyVersion().catch(() => undefined);
    void vscode.window.showInformationMessage(`"${s.name}" answers: Data Plane API ${r.info.apiVersion} (/v${r.major})${hap ? `, HAProxy ${hap}` : ''}.`);
    return { major: r.major, apiVersion: r.info.apiVersion, haproxyVersion: hap };
  });

  // From a YAML file (no arguments), YAML text, or a Secret read from the cluster by the Kubernetes
  // browser (`secret`, with `source` naming it for the log; `interactive` offers "Save Anyway").
  commands.register(C('importSecret'), async (args?: { text?: string; secret?: unknown; source?: string; skipTest?: boolean; interactive?: boolean }) => {
    let result;
    let source = args?.source;
    if (args?.secret !== undefined) {
      result = importLoadBalancerSecretObject(args.secret, taken());
    } else {
      let text = args?.text;
      if (text === undefined) {
        const uris = await vscode.window.showOpenDialog({ title: 'Load Balancer API Secret (YAML)', canSelectMany: false, filters: { YAML: ['yaml', 'yml'], All: ['*'] } });
        if (!uris?.[0]) return [];
        text = Buffer.from(await vscode.workspace.fs.readFile(uris[0])).toString('utf8');
        source ??= uris[0].fsPath;
      }
      result = importLoadBalancerSecret(text, taken());
    }
    // Every server is tried before any is saved: refusing one imports none. A basic-auth connection
    // (the format carries no password) cannot be tried yet: its row asks for the password.
    for (const conn of result.connections) {
      const testable = !(conn.settings.auth === 'basic' && !conn.secrets.password);
      if (!args?.skipTest && testable) await testBeforeSave(conn, !args || args.interactive === true);
    }
    for (const conn of result.connections) {
      await store.save(conn);
      log.info(`Imported Data Plane connection "${conn.settings.name}" (${conn.settings.url})${source ? ` from ${source}` : ''}`);
    }
    if (result.debug) log.info('The imported Secret asks for debug output: set the log level to Debug to see every request.');
    // The format carries certificates, never a password: basic-auth connections need one entered.
    const needPassword = result.connections.filter((c) => c.settings.auth === 'basic' && !c.secrets.password).length;
    void vscode.window.showInformationMessage(`Imported ${result.connections.length} Data Plane connection(s)${needPassword ? `; ${needPassword} use basic authentication: enter their password with Enter Password on their row` : ''}.`);
    return result.connections.map((c) => c.settings.id);
  });

  commands.register(C('refresh'), () => refreshAll());

  const serverTarget = (arg: unknown): { connectionId: string; backend: string; server: string } => {
    if (arg instanceof ServerNode) return { connectionId: arg.connectionId, backend: arg.backend.data.name, server: arg.data.name };
    const o = arg as { connectionId?: unknown; backend?: unknown; server?: unknown } | undefined;
    if (typeof o?.connectionId === 'string' && typeof o.backend === 'string' && typeof o.server === 'string') return { connectionId: o.connectionId, backend: o.backend, server: o.server };
    throw new UserFacingError('Run this command on a server in the Data Plane API view.');
  };
  const setState = (state: AdminState) => async (arg?: unknown) => {
    const t = serverTarget(arg);
    const s = await session(t.connectionId);
    await s.client.setServerState(t.backend, t.server, state);
    log.info(`${s.name}: ${t.backend}/${t.server} set to ${state}`);
    refreshConnection(t.connectionId);
  };
  commands.register(C('serverReady'), setState('ready'));
  commands.register(C('serverDrain'), setState('drain'));
  commands.register(C('serverMaint'), setState('maint'));
  commands.register(C('serverSetWeight'), async (arg?: unknown, weight?: number) => {
    const t = serverTarget(arg);
    const s = await session(t.connectionId);
    let w = weight;
    if (w === undefined) {
      const current = arg instanceof ServerNode ? String(arg.data.liveWeight ?? arg.data.weight) : '';
      const text = await vscode.window.showInputBox({ title: `Weight of ${t.backend}/${t.server}`, prompt: 'An integer from 0 to 256 (0: no new traffic)', value: current, validateInput: (v) => (/^\d+$/.test(v) && Number(v) <= 256 ? undefined : 'An integer from 0 to 256') });
      if (text === undefined) return;
      w = Number(text);
    }
    const res = await s.client.setServerWeight(t.backend, t.server, w);
    if (res.reloadId) void reloads.follow(s, res.reloadId);
    refreshConnection(t.connectionId);
  });

  commands.register(C('discardTransaction'), async (arg?: unknown) => {
    if (!(arg instanceof TransactionNode)) throw new UserFacingError('Run this command on a transaction in the Data Plane API view.');
    await arg.session.client.deleteTransaction(arg.data.id);
    log.info(`${arg.session.name}: discarded transaction ${arg.data.id}`);
    refreshConnection(arg.session.id);
  });

  commands.register(C('openRawConfig'), async (arg?: unknown) => {
    const uri = liveConfigUri(await pickConnection(arg));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
    return uri.toString();
  });

  commands.register(C('validateRawConfig'), async (arg?: unknown) => {
    const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
    if (!uri || uri.scheme !== SCHEME) throw new UserFacingError('Open a live configuration (Raw configuration in the Data Plane API view) first.');
    const doc = await vscode.workspace.openTextDocument(uri);
    const id = uri.path.split('/')[1]!;
    const s = await session(id);
    const version = fsProvider.versionOf(uri) ?? (await s.client.configVersion());
    try {
      await s.client.postRawConfig(stripVersionLine(doc.getText()), version, { onlyValidate: true });
    } catch (err) {
      if (err instanceof ConfigurationRejectedError) {
        void vscode.window.showErrorMessage(err.message);
        return { valid: false, message: err.serverMessage };
      }
      throw err;
    }
    void vscode.window.showInformationMessage(`"${s.name}" accepts this configuration.`);
    return { valid: true };
  });

  commands.register(C('showReloads'), async () => {
    if (reloads.recent.length === 0) {
      void vscode.window.showInformationMessage('No reload followed in this window yet; the Reloads node of each connection lists the server\'s history.');
      return;
    }
    const picked = await vscode.window.showQuickPick(
      reloads.recent.map((r) => ({ label: `${r.reload.status === 'succeeded' ? '$(check)' : '$(error)'} ${r.reload.id}`, description: `${r.connection} · ${new Date(r.at).toLocaleTimeString()}`, detail: r.reload.response?.split('\n').filter((l) => /ALERT/.test(l)).join(' ') || undefined, r })),
      { placeHolder: 'Recent reloads (newest first)' },
    );
    if (picked?.r.reload.response) {
      const doc = await vscode.workspace.openTextDocument({ content: `Reload ${picked.r.reload.id} on ${picked.r.connection}: ${picked.r.reload.status}\n\n${picked.r.reload.response}\n`, language: 'log' });
      await vscode.window.showTextDocument(doc, { preview: true });
    }
  });

  // Adds a server through one transaction (replayed on conflicts) and follows the reload.
  commands.register(C('addServer'), async (arg?: unknown, args?: { backend: string; name: string; address: string; port?: number; weight?: number; check?: boolean }) => {
    const id = await pickConnection(arg);
    const s = await session(id);
    if (!args) throw new UserFacingError('addServer needs { backend, name, address, port }.');
    const out = await withTransaction(s.client, (tx) => tx.addServer(args.backend, args), { logger: { debug: (m) => log.debug(m), info: (m) => log.info(m), warn: (m) => log.warn(m) } });
    refreshConnection(id);
    return out.reloadId ? reloads.follow(s, out.reloadId).then((r) => (refreshConnection(id), r?.status)) : 'applied';
  });

  // For tests and diagnostics: the rendered tree and the status bar, as plain data.
  commands.register(C('describeTree'), async (depth = 4) => describe(provider, undefined, Number(depth)));
  commands.register(C('reloadState'), () => ({ state: reloads.current, text: reloads.text }));

  return {
    connections: () => store.list(),
    session: (id) => sessions.get(id),
    followReload: async (connectionId, reloadId) => {
      const s = await session(connectionId);
      // A reload is never done the instant it is requested: look first after one interval.
      return reloads.follow(s, reloadId, { initialDelayMs: 500 });
    },
    onDidChangeReloadState: reloads.onDidChange,
    refresh: (connectionId) => (connectionId ? refreshConnection(connectionId) : refreshAll()),
    haproxyVersionOf: async (uri) => {
      const id = /^\/([a-z0-9][a-z0-9-]*)\//.exec(uri.path)?.[1];
      const s = uri.scheme === SCHEME && id ? await sessions.get(id) : undefined;
      if (s && s.haproxyVersion === undefined) s.haproxyVersion = await s.client.haproxyVersion().catch(() => undefined);
      return s?.haproxyVersion;
    },
    addConnectionChildren: (contributor) => {
      contributors.push(contributor);
      provider.refresh();
      return new vscode.Disposable(() => {
        const i = contributors.indexOf(contributor);
        if (i >= 0) contributors.splice(i, 1);
        provider.refresh();
      });
    },
  };
}

interface Described {
  label: string;
  description?: string;
  contextValue?: string;
  children?: Described[];
}

async function describe(provider: NodeTreeProvider, node: TreeNode | undefined, depth: number): Promise<Described[]> {
  if (depth <= 0) return [];
  const out: Described[] = [];
  for (const c of await provider.getChildren(node)) {
    // Children first: a connection row shows its state only once it has loaded.
    const expandable = c.getTreeItem().collapsibleState !== vscode.TreeItemCollapsibleState.None;
    const children = expandable && depth > 1 ? await describe(provider, c, depth - 1) : undefined;
    const item = c.getTreeItem();
    const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
    out.push({ label, description: typeof item.description === 'string' ? item.description : undefined, contextValue: item.contextValue, children });
  }
  return out;
}
