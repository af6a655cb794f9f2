// The Data Plane tree: Connection → Info, Frontends, Backends, Reloads, Transactions, Raw
// configuration. One snapshot per connection and refresh feeds every level (≤ 3 requests).
import * as vscode from 'vscode';
import { abortSignalFor } from '../../shell/cancellation';
import { ErrorNode, MessageNode, ParentNode, TreeNode, contextValue } from '../../shell/tree';
import type { ConnectionSettings } from '../core/connection';
import {
  CONNECTION_STATE_VIEW,
  age,
  connectionDescription,
  connectionState,
  esc,
  newestFirst,
  serverDescription,
  serverIcon,
  type IconSpec,
} from '../core/presentation';
import type {
  BackendNode as BackendData,
  FrontendNode as FrontendData,
  ServerNode as ServerData,
  TreeSnapshot,
} from '../core/snapshot';
import type { Reload, Transaction } from '../core/validate';
import { liveConfigUri } from './liveConfigFs';
import { markdownCode } from '../../shared/markdown';

import type { Session, Sessions } from './sessions';

function icon(spec: IconSpec): vscode.ThemeIcon {
  return new vscode.ThemeIcon(spec.id, spec.color ? new vscode.ThemeColor(spec.color) : undefined);
}

function md(text: string): vscode.MarkdownString {
  const m = new vscode.MarkdownString(text);
  m.supportThemeIcons = true;
  return m;
}

/** Rows another capability adds under a connection, built from the connection's snapshot. */
export type ConnectionChildren = (parent: ConnectionNode, session: Session, snapshot: TreeSnapshot) => TreeNode[];

export class ConnectionNode extends ParentNode {
  readonly id: string;
  protected readonly emptyLabel = vscode.l10n.t('Nothing to show');

  constructor(
    readonly settings: ConnectionSettings,
    private readonly sessions: Sessions,
    /** Redraws this node when its state changed while loading children. */
    private readonly redraw: (n: ConnectionNode) => void,
    private readonly contributors: () => readonly ConnectionChildren[] = () => [],
  ) {
    super(undefined);
    this.id = `dataplane/${settings.id}`;
  }

  private session: Session | undefined;
  private lastState = '';
  private probing = false;

  getTreeItem(): vscode.TreeItem {
    // Drawn means visible: learn the state without waiting for an expand.
    if (!this.probing && !this.session?.snapshot) {
      this.probing = true;
      void this.probe();
    }
    const s = this.session;
    const snap = s?.snapshot;
    const state = connectionState({ connected: Boolean(snap), error: s?.error, needsPassword: this.needsPassword(s) });
    const view = CONNECTION_STATE_VIEW[state];
    const item = new vscode.TreeItem(this.settings.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = snap
      ? connectionDescription(s?.haproxyVersion, snap.major, snap.info.apiVersion)
      : (view.description ?? this.settings.url);
    item.iconPath = icon(view.icon);
    const auth = this.settings.auth === 'mtls' ? 'mutual TLS' : `basic auth as ${esc(this.settings.username ?? '')}`;
    const tls = this.settings.url.startsWith('https:')
      ? this.settings.insecure
        ? ' · **TLS verification off**'
        : ' · TLS verified'
      : '';
    item.tooltip = md(
      `**${esc(this.settings.name)}**  \n${esc(this.settings.url)}  ` +
        `\n${auth}${tls}${snap ? `  \nconfiguration version ${snap.version}` : ''}` +
        `${s?.error ? `  \n$(error) ${esc(String((s.error as Error).message ?? s.error))}` : ''}`,
    );
    item.contextValue = contextValue('connection', { state, auth: this.settings.auth });
    return item;
  }

  /**
   * The row's state while collapsed: the secret store first (is a password needed?), then one load
   * in the background, once per row: a refresh (which forgets the snapshots, on the view's interval
   * and only while it is visible) draws new rows, so a collapsed row follows the server as an
   * expanded one does; an expand reuses the loaded snapshot.
   */
  private async probe(): Promise<void> {
    try {
      this.session ??= await this.sessions.get(this.settings.id);
      const s = this.session;
      if (s && !this.needsPassword(s) && !s.snapshot) {
        await s.load().catch(() => undefined);
      }
    } catch {
      // Reading the secrets failed: the expand shows why.
    }
    const s = this.session;
    const state = this.needsPassword(s) ? 'needsPassword' : s?.snapshot ? 'ok' : s?.error ? 'error' : '';
    if (state !== this.lastState) {
      this.lastState = state;
      this.redraw(this);
    }
  }

  /** Basic auth without a stored password (a shared or imported connection): nothing to try yet. */
  private needsPassword(s: Session | undefined): boolean {
    return this.settings.auth === 'basic' && s !== undefined && !s.connection.secrets.password;
  }

  protected async loadChildren(token: vscode.CancellationToken): Promise<TreeNode[]> {
    this.session = await this.sessions.get(this.settings.id);
    if (!this.session) return [];
    const session = this.session;
    if (this.needsPassword(session)) {
      if (this.lastState !== 'needsPassword') {
        this.lastState = 'needsPassword';
        this.redraw(this);
      }
      const label = vscode.l10n.t(
        'Enter the password of {0} to connect',
        this.settings.username ?? vscode.l10n.t('the user'),
      );
      const command = {
        command: 'haproxyGateway.dataplane.setPassword',
        title: vscode.l10n.t('Enter Password'),
        arguments: [this.settings.id],
      };
      return [new MessageNode(this, `${this.id}/password`, label, new vscode.ThemeIcon('key'), command)];
    }
    const abort = abortSignalFor(token);
    try {
      const snap = session.snapshot ?? (await session.load(abort.signal));
      return [
        new InfoNode(this, snap, session),
        new FrontendsNode(this, snap.frontends),
        new BackendsNode(this, snap.backends, session.id),
        new ReloadsNode(this, session),
        new TransactionsNode(this, snap.transactions ?? [], session),
        ...this.contributors().flatMap((c) => c(this, session, snap)),
        new RawConfigNode(this, session.id),
      ];
    } finally {
      abort.dispose();
      const state = session.snapshot ? 'ok' : session.error ? 'error' : '';
      if (state !== this.lastState) {
        this.lastState = state;
        this.redraw(this);
      }
    }
  }

  /** Lets the parent row show the state of an already created session. */
  attach(session: Session | undefined): this {
    this.session = session;
    this.lastState = session?.snapshot ? 'ok' : session?.error ? 'error' : '';
    return this;
  }
}

class InfoNode extends ParentNode {
  readonly id: string;
  protected readonly emptyLabel = vscode.l10n.t('No information');
  constructor(
    parent: ConnectionNode,
    private readonly snap: TreeSnapshot,
    private readonly session: Session,
  ) {
    super(parent);
    this.id = `${parent.id}/info`;
  }
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.l10n.t('Info'), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('info');
    item.contextValue = contextValue('info');
    return item;
  }
  protected async loadChildren(): Promise<TreeNode[]> {
    const rows: Array<[string, string | undefined]> = [
      ['HAProxy', this.session.haproxyVersion],
      ['Data Plane API', `${this.snap.info.apiVersion} (/v${this.snap.major})`],
      ['Built', this.snap.info.buildDate],
      ['Host', this.snap.info.hostname],
      ['Configuration version', String(this.snap.version)],
      ['Loaded', new Date(this.snap.loadedAt).toLocaleTimeString()],
    ];
    return rows.filter(([, v]) => v).map(([k, v]) => new KeyValueNode(this, `${this.id}/${k}`, k, v!));
  }
}

class KeyValueNode extends TreeNode {
  constructor(
    parent: TreeNode,
    readonly id: string,
    private readonly key: string,
    private readonly value: string,
  ) {
    super(parent);
  }
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.key, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = this.value;
    item.tooltip = `${this.key}: ${this.value}`;
    item.contextValue = contextValue('info-item');
    return item;
  }
}

class FrontendsNode extends ParentNode {
  readonly id: string;
  protected readonly emptyLabel = vscode.l10n.t('No frontends');
  constructor(
    parent: ConnectionNode,
    private readonly frontends: FrontendData[],
  ) {
    super(parent);
    this.id = `${parent.id}/frontends`;
  }
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.l10n.t('Frontends'), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = String(this.frontends.length);
    item.iconPath = new vscode.ThemeIcon('arrow-circle-right');
    item.contextValue = contextValue('frontends');
    return item;
  }
  protected async loadChildren(): Promise<TreeNode[]> {
    return this.frontends.map((f) => new FrontendNode(this, f));
  }
}

class FrontendNode extends ParentNode {
  readonly id: string;
  protected readonly emptyLabel = vscode.l10n.t('No bind lines');
  constructor(
    parent: FrontendsNode,
    readonly data: FrontendData,
  ) {
    super(parent);
    this.id = `${parent.id}/${data.name}`;
  }
  getTreeItem(): vscode.TreeItem {
    const f = this.data;
    const item = new vscode.TreeItem(f.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = `${f.mode}${f.defaultBackend ? ` → ${f.defaultBackend}` : ''}`;
    const open = !f.state || f.state === 'OPEN';
    item.iconPath = icon(open ? { id: 'globe' } : { id: 'globe', color: 'testing.iconFailed' });
    item.tooltip = md(
      `**frontend ${esc(f.name)}**  \nmode ${esc(f.mode)}  ` +
        `\n${f.binds.map((b) => `bind ${markdownCode(b.address)}${b.ssl ? ' $(lock) ssl' : ''}`).join('  \n')}` +
        `${f.defaultBackend ? `  \ndefault_backend ${esc(f.defaultBackend)}` : ''}` +
        `${f.state ? `  \nstate ${esc(f.state)}` : ''}`,
    );
    item.contextValue = contextValue('frontend', { mode: f.mode, state: f.state?.toLowerCase() });
    return item;
  }
  protected async loadChildren(): Promise<TreeNode[]> {
    return this.data.binds.map((b, i) => new BindNode(this, `${this.id}/bind-${i}`, b.address, b.ssl, b.name));
  }
}

class BindNode extends TreeNode {
  constructor(
    parent: TreeNode,
    readonly id: string,
    private readonly address: string,
    private readonly ssl: boolean,
    private readonly name?: string,
  ) {
    super(parent);
  }
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.address, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = [this.ssl ? 'ssl' : '', this.name ? `name ${this.name}` : ''].filter(Boolean).join(' · ');
    item.iconPath = new vscode.ThemeIcon(this.ssl ? 'lock' : 'plug');
    item.contextValue = contextValue('bind', { ssl: this.ssl });
    return item;
  }
}

class BackendsNode extends ParentNode {
  readonly id: string;
  protected readonly emptyLabel = vscode.l10n.t('No backends');
  constructor(
    parent: ConnectionNode,
    private readonly backends: BackendData[],
    private readonly connectionId: string,
  ) {
    super(parent);
    this.id = `${parent.id}/backends`;
  }
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.l10n.t('Backends'), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = String(this.backends.length);
    item.iconPath = new vscode.ThemeIcon('server-environment');
    item.contextValue = contextValue('backends');
    return item;
  }
  protected async loadChildren(): Promise<TreeNode[]> {
    return this.backends.map((b) => new BackendNode(this, b, this.connectionId));
  }
}

export class BackendNode extends ParentNode {
  readonly id: string;
  protected readonly emptyLabel = vscode.l10n.t('No servers');
  constructor(
    parent: BackendsNode,
    readonly data: BackendData,
    readonly connectionId: string,
  ) {
    super(parent);
    this.id = `${parent.id}/${data.name}`;
  }
  getTreeItem(): vscode.TreeItem {
    const b = this.data;
    const up = b.upServers ?? b.servers.filter((s) => s.state === 'UP').length;
    const item = new vscode.TreeItem(b.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = `${b.balance} · ${up}/${b.servers.length} up`;
    item.iconPath = icon(b.state === 'DOWN' ? { id: 'server', color: 'testing.iconFailed' } : { id: 'server' });
    item.tooltip = md(
      `**backend ${esc(b.name)}**  \nmode ${esc(b.mode)} · balance ${esc(b.balance)}  \n${up} of ` +
        `${b.servers.length} servers up${b.state !== 'UNKNOWN' ? `  \nstate ${esc(b.state)}` : ''}`,
    );
    item.contextValue = contextValue('backend', { state: b.state.toLowerCase() });
    return item;
  }
  protected async loadChildren(): Promise<TreeNode[]> {
    // Large configurations: this backend's server rows are asked for when it is expanded.
    const servers = this.data.loadStates ? await this.data.loadStates() : this.data.servers;
    return servers.map((s) => new ServerNode(this, s));
  }
}

export class ServerNode extends TreeNode {
  readonly id: string;
  constructor(
    readonly backend: BackendNode,
    readonly data: ServerData,
  ) {
    super(backend);
    this.id = `${backend.id}/${data.name}`;
  }
  get connectionId(): string {
    return this.backend.connectionId;
  }
  getTreeItem(): vscode.TreeItem {
    const s = this.data;
    const item = new vscode.TreeItem(s.name, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = serverDescription(s);
    item.iconPath = icon(serverIcon(s.state));
    item.tooltip = md(
      `**server ${esc(s.name)}** in ${esc(this.backend.data.name)}  ` +
        `\n${esc(s.address)}${s.port ? `:${s.port}` : ''}  \nstate ` +
        `**${esc(s.statusText ?? s.state)}**${s.checkStatus ? ` · check ${esc(s.checkStatus)}` : ''}  \nweight ` +
        `${s.liveWeight ?? s.weight}` +
        `${s.liveWeight !== undefined && s.liveWeight !== s.weight ? ` (configured ${s.weight})` : ''}` +
        `${s.backup ? '  \nbackup' : ''}`,
    );
    item.contextValue = contextValue('server', { state: s.state.toLowerCase().replace(' ', '-') });
    return item;
  }
}

class ReloadsNode extends ParentNode {
  readonly id: string;
  protected readonly emptyLabel = vscode.l10n.t('No reloads yet');
  constructor(
    parent: ConnectionNode,
    private readonly session: Session,
  ) {
    super(parent);
    this.id = `${parent.id}/reloads`;
  }
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.l10n.t('Reloads'), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('history');
    item.contextValue = contextValue('reloads');
    return item;
  }
  protected async loadChildren(token: vscode.CancellationToken): Promise<TreeNode[]> {
    const abort = abortSignalFor(token);
    try {
      const list = newestFirst(await this.session.client.reloads(abort.signal)).slice(0, 50);
      return list.map((r) => new ReloadNode(this, r));
    } finally {
      abort.dispose();
    }
  }
}

class ReloadNode extends TreeNode {
  readonly id: string;
  constructor(
    parent: ReloadsNode,
    readonly data: Reload,
  ) {
    super(parent);
    this.id = `${parent.id}/${data.id}`;
  }
  getTreeItem(): vscode.TreeItem {
    const r = this.data;
    const item = new vscode.TreeItem(r.id, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    const when = r.reloadTimestamp ? age(Date.now() - r.reloadTimestamp * 1000) : '';
    item.description = [r.status.replace('_', ' '), when].filter(Boolean).join(' · ');
    item.iconPath = icon(
      r.status === 'succeeded'
        ? { id: 'check', color: 'testing.iconPassed' }
        : r.status === 'failed'
          ? { id: 'error', color: 'testing.iconFailed' }
          : { id: 'sync~spin' },
    );
    item.tooltip = md(
      `**Reload ${esc(r.id)}**: ${esc(r.status)}${r.reloadTimestamp ? `  \n${new Date(r.reloadTimestamp * 1000).toLocaleString()}` : ''}${r.response ? `\n\n\`\`\`\n${r.response.replace(/```/g, "'''").split('\n').slice(-15).join('\n')}\n\`\`\`` : ''}`,
    );
    item.contextValue = contextValue('reload', { status: r.status });
    return item;
  }
}

class TransactionsNode extends ParentNode {
  readonly id: string;
  protected readonly emptyLabel = vscode.l10n.t('No open transactions');
  constructor(
    parent: ConnectionNode,
    private readonly txs: Transaction[],
    private readonly session: Session,
  ) {
    super(parent);
    this.id = `${parent.id}/transactions`;
  }
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.l10n.t('Transactions'), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = this.txs.length ? `${this.txs.length} open` : '';
    item.iconPath = icon(
      this.txs.length
        ? { id: 'git-pull-request-draft', color: 'editorWarning.foreground' }
        : { id: 'git-pull-request-draft' },
    );
    item.contextValue = contextValue('transactions', { open: this.txs.length > 0 });
    return item;
  }
  protected async loadChildren(): Promise<TreeNode[]> {
    return this.txs.map((t) => new TransactionNode(this, t, this.session));
  }
}

export class TransactionNode extends TreeNode {
  readonly id: string;
  constructor(
    parent: TransactionsNode,
    readonly data: Transaction,
    readonly session: Session,
  ) {
    super(parent);
    this.id = `${parent.id}/${data.id}`;
  }
  getTreeItem(): vscode.TreeItem {
    const t = this.data;
    const seen = this.session.txFirstSeen.get(t.id);
    const item = new vscode.TreeItem(t.id, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description =
      `${t.version === undefined ? 'version unknown' : `at version ${t.version}`}` +
      `${seen ? ` · seen ${age(Date.now() - seen)}` : ''}`;
    item.iconPath = new vscode.ThemeIcon('git-pull-request-draft');
    item.tooltip = md(
      `**Transaction ${esc(t.id)}**  \n${esc(t.status)}` +
        `${t.version === undefined ? '' : ` at configuration version ${t.version}`}  \n` +
        `Open transactions count against the server's limit; discard stale ones.`,
    );
    item.contextValue = contextValue('transaction', { status: t.status });
    return item;
  }
}

class RawConfigNode extends TreeNode {
  readonly id: string;
  constructor(
    parent: ConnectionNode,
    private readonly connectionId: string,
  ) {
    super(parent);
    this.id = `${parent.id}/raw`;
  }
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.l10n.t('Raw configuration'), vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('file-code');
    item.description = 'haproxy.cfg';
    item.tooltip = vscode.l10n.t('Open the live configuration; saving posts it to the server and reloads HAProxy');
    item.command = { command: 'vscode.open', title: 'Open', arguments: [liveConfigUri(this.connectionId)] };
    item.contextValue = contextValue('raw-config');
    return item;
  }
}

export { ErrorNode, MessageNode };
