// Connections: settings (`haproxyGateway.dataplane.connections`, never a secret) plus secrets in
// SecretStorage under one key per connection.
import * as vscode from 'vscode';
import {
  bindingMismatch,
  parseConnectionSettings,
  secretsBinding,
  type Connection,
  type ConnectionSecrets,
  type ConnectionSettings,
} from '../core/connection';

const SECTION = 'haproxyGateway.dataplane';
const KEY = 'connections';

export class ConnectionStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  private reportedProblems = '';

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SECTION}.${KEY}`)) this.changed.fire();
      }),
    );
  }

  list(): ConnectionSettings[] {
    const raw = vscode.workspace.getConfiguration(SECTION).get<unknown>(KEY, []);
    const { ok, problems } = parseConnectionSettings(raw);
    const text = problems.join('\n');
    if (text && text !== this.reportedProblems)
      this.log.warn(`Ignoring invalid Data Plane connections in settings:\n${text}`);
    this.reportedProblems = text;
    return ok;
  }

  get(id: string): ConnectionSettings | undefined {
    return this.list().find((c) => c.id === id);
  }

  async load(id: string): Promise<Connection | undefined> {
    const settings = this.get(id);
    if (!settings) return undefined;
    return { settings, secrets: await this.readSecrets(settings) };
  }

  async save(conn: Connection): Promise<void> {
    // Secrets first: a connection in settings without its secrets would fail to authenticate.
    // Stored with what they are bound to: only ever sent to the server they were entered for.
    await this.storeSecrets(conn.settings, conn.secrets);
    const others = this.list().filter((c) => c.id !== conn.settings.id);
    const s = conn.settings;
    const entry: ConnectionSettings = { id: s.id, name: s.name, url: s.url, auth: s.auth };
    if (s.username) entry.username = s.username;
    if (s.serverName) entry.serverName = s.serverName;
    if (s.insecure) entry.insecure = true;
    await this.write([...others, entry]);
  }

  async remove(id: string): Promise<void> {
    await this.write(this.list().filter((c) => c.id !== id));
    await this.secrets.delete(secretKey(id));
  }

  /**
   * Writes the list where the one in effect comes from. A list is not merged across scopes: a team's
   * list in workspace settings hides the user's, so a connection added to user settings would
   * vanish, and writing the team's list to user settings would copy it there for every project.
   */
  private async write(list: ConnectionSettings[]): Promise<void> {
    const inspected = vscode.workspace.getConfiguration(SECTION).inspect<unknown>(KEY);
    const target =
      inspected?.workspaceFolderValue !== undefined
        ? vscode.ConfigurationTarget.WorkspaceFolder
        : inspected?.workspaceValue !== undefined
          ? vscode.ConfigurationTarget.Workspace
          : vscode.ConfigurationTarget.Global;
    await vscode.workspace.getConfiguration(SECTION).update(KEY, list, target);
    this.changed.fire();
  }

  private async storeSecrets(settings: ConnectionSettings, secrets: ConnectionSecrets): Promise<void> {
    await this.secrets.store(
      secretKey(settings.id),
      JSON.stringify({ ...clean(secrets), ...secretsBinding(settings) }),
    );
  }

  /**
   * The secrets of a connection, if they were entered for its current URL and TLS settings.
   * Settings can change under us (a shared workspace list, a hand edit): a password must not
   * follow a connection id to another server, so after such a change the user enters it again.
   */
  private async readSecrets(settings: ConnectionSettings): Promise<ConnectionSecrets> {
    const { id } = settings;
    const raw = await this.secrets.get(secretKey(id));
    if (!raw) return {};
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      this.log.warn(
        `The stored secrets of Data Plane connection ${id} are unreadable; edit the connection to enter them again.`,
      );
      return {};
    }
    const str = (k: string) => (typeof o[k] === 'string' ? (o[k] as string) : undefined);
    const secrets: ConnectionSecrets = {
      password: str('password'),
      caPem: str('caPem'),
      certPem: str('certPem'),
      keyPem: str('keyPem'),
    };
    if (o.url === undefined) {
      // Stored before secrets were bound: trusted only for the connection as the user's own
      // settings define it (not a workspace's), and bound to it from now on.
      const own = parseConnectionSettings(
        vscode.workspace.getConfiguration(SECTION).inspect<unknown>(KEY)?.globalValue ?? [],
      ).ok.find((c) => c.id === id);
      if (!own || bindingMismatch(secretsBinding(own), settings)) {
        this.log.warn(
          `The stored secrets of Data Plane connection "${settings.name}" predate binding to a server and this ` +
            `connection is not the one of your user settings: they are not sent. Enter them again with Enter ` +
            `Password or Edit Connection.`,
        );
        return {};
      }
      await this.storeSecrets(settings, secrets);
      return secrets;
    }
    const mismatch = bindingMismatch(o, settings);
    if (mismatch) {
      this.log.warn(
        `The stored secrets of Data Plane connection "${settings.name}" are not sent: ${mismatch}. Enter them again ` +
          `with Enter Password or Edit Connection.`,
      );
      return {};
    }
    return secrets;
  }

  dispose(): void {
    this.changed.dispose();
    for (const s of this.subscriptions.splice(0)) s.dispose();
  }
}

function secretKey(id: string): string {
  return `haproxyGateway.dataplane.connection/${id}`;
}

function clean(s: ConnectionSecrets): ConnectionSecrets {
  const out: ConnectionSecrets = {};
  if (s.password) out.password = s.password;
  if (s.caPem) out.caPem = s.caPem;
  if (s.certPem) out.certPem = s.certPem;
  if (s.keyPem) out.keyPem = s.keyPem;
  return out;
}
