// The live configuration of a server as a file: haproxy-dataplane:/<connection>/haproxy.cfg.
// Saving posts the text at the version it was read at; a newer version on the server opens a diff
// (theirs ↔ yours) and asks which to keep; a rejection by HAProxy fails the save and keeps the text.
import * as vscode from 'vscode';
import { coreLogger } from '../../shell/log';
import { reportOutcome } from '../../shell/outcome';
import { silentLogger } from '../../shared/logger';
import { RawConfigConflictError } from '../core/errors';
import { stripServerHeader } from '../core/liveConfig';
import { guardRuntimeState } from '../core/runtimeState';
import type { ReloadStatus } from './reloadStatus';
import { askRuntimeState } from './runtimeStatePrompt';
import type { Sessions } from './sessions';

export const SCHEME = 'haproxy-dataplane';
const THEIRS = 'theirs';

export function liveConfigUri(connectionId: string): vscode.Uri {
  return vscode.Uri.from({ scheme: SCHEME, path: `/${connectionId}/haproxy.cfg` });
}

interface Entry {
  version: number;
  text: string;
  mtime: number;
}

export class LiveConfigFileSystem implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.emitter.event;
  /** What each file was read at (the version a save is posted with), and the server's side of conflicts. */
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly sessions: Sessions,
    private readonly reloads: ReloadStatus,
    private readonly afterWrite: (connectionId: string) => void,
    private readonly log?: vscode.LogOutputChannel,
  ) {}

  /**
   * The server's configuration changed by another path (a restore): open editors read it again; a
   * dirty one keeps the version it was read at, so its save meets the conflict dialog.
   */
  changedOnServer(connectionId: string): void {
    const uri = liveConfigUri(connectionId);
    // Forgotten, not touched: the next stat reads the new version, and the read after it keeps it.
    this.entries.delete(uri.toString());
    this.emitter.fire([{ type: vscode.FileChangeType.Changed, uri }]);
  }

  /** The version the editor's text was read at, for "Validate on server". */
  versionOf(uri: vscode.Uri): number | undefined {
    return this.entries.get(uri.toString())?.version;
  }

  watch(): vscode.Disposable {
    // Changes are announced by this provider itself (after saves and conflicts).
    return new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const { connectionId, file } = this.parse(uri);
    if (!file) return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
    const e = this.entries.get(uri.toString()) ?? (await this.fetch(uri, connectionId)).entry;
    return { type: vscode.FileType.File, ctime: 0, mtime: e.mtime, size: Buffer.byteLength(e.text) };
  }

  readDirectory(uri: vscode.Uri): [string, vscode.FileType][] {
    this.parse(uri);
    return [['haproxy.cfg', vscode.FileType.File]];
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const { connectionId } = this.parse(uri);
    if (uri.query === THEIRS) {
      const e = this.entries.get(`${uri.with({ query: '' }).toString()}#${THEIRS}`);
      if (!e) throw vscode.FileSystemError.FileNotFound(uri);
      return Buffer.from(e.text);
    }
    return Buffer.from((await this.fetch(uri, connectionId)).text);
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    const { connectionId } = this.parse(uri);
    if (uri.query === THEIRS)
      throw vscode.FileSystemError.NoPermissions(vscode.l10n.t("The server's version is read-only"));
    const session = await this.sessions.get(connectionId);
    if (!session)
      throw vscode.FileSystemError.Unavailable(vscode.l10n.t('No Data Plane connection "{0}"', connectionId));
    const key = uri.toString();
    const text = Buffer.from(content).toString('utf8');
    const read = this.entries.get(key) ?? (await this.fetch(uri, connectionId)).entry;
    let version = read.version;
    // A save reloads: runtime state (drains, maintenance, weights) would be lost silently.
    const guard = await guardRuntimeState(session.client, {
      where: `"${session.name}"`,
      liveText: read.text,
      newText: text,
      ask: askRuntimeState,
      logger: this.log ? coreLogger(this.log) : silentLogger,
    });
    const posted = guard.text ?? text;
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const res = await session.client.postRawConfig(posted, version);
        this.entries.set(key, {
          version: res.version ?? version + 1,
          text: posted,
          mtime: nextMtime(this.entries.get(key)),
        });
        // Written into the text: a newer stat makes the editor read what the server has now.
        if (posted !== text) setTimeout(() => this.touch(uri), 0);
        // A failed reload puts the previous file back under the new version: the entry (the file's
        // identity for VS Code) stays, so the user's next save goes out at that version.
        const settled = res.reloadId ? this.reloads.follow(session, res.reloadId) : Promise.resolve(undefined);
        void settled.then(async (r) => {
          const said = await guard.afterReload(r, res.reloadId !== undefined).catch((e: unknown) => String(e));
          if (said && this.log)
            void reportOutcome(this.log, { level: 'info', message: vscode.l10n.t('"{0}": {1}.', session.name, said) });
          if (res.reloadId) this.afterWrite(connectionId);
        });
        this.afterWrite(connectionId);
        return;
      } catch (err) {
        if (!(err instanceof RawConfigConflictError) || attempt > 0) throw err;
        const choice = await this.resolveConflict(uri, err);
        if (choice === 'mine') {
          version = err.theirVersion;
          continue;
        }
        if (choice === 'theirs') {
          this.entries.set(key, {
            version: err.theirVersion,
            text: stripServerHeader(err.theirText),
            mtime: nextMtime(this.entries.get(key)),
          });
          // Let the failed save settle, then show the server's text in the editor.
          setTimeout(() => void this.showTheirs(uri), 0);
          throw new Error(vscode.l10n.t('Kept the configuration on the server; your changes were discarded.'));
        }
        throw new Error(vscode.l10n.t('{0} Your text is kept in the editor.', err.message));
      }
    }
  }

  /** Announces a change of the file on the server, with a newer stat so that VS Code reads it again. */
  private touch(uri: vscode.Uri): void {
    const e = this.entries.get(uri.toString());
    if (e) this.entries.set(uri.toString(), { ...e, mtime: nextMtime(e) });
    this.emitter.fire([{ type: vscode.FileChangeType.Changed, uri }]);
  }

  createDirectory(): void {
    throw vscode.FileSystemError.NoPermissions(vscode.l10n.t('The live configuration has one file only'));
  }
  delete(): void {
    throw vscode.FileSystemError.NoPermissions(vscode.l10n.t('The live configuration cannot be deleted'));
  }
  rename(): void {
    throw vscode.FileSystemError.NoPermissions(vscode.l10n.t('The live configuration cannot be renamed'));
  }

  private async resolveConflict(uri: vscode.Uri, err: RawConfigConflictError): Promise<'mine' | 'theirs' | undefined> {
    const theirs = uri.with({ query: THEIRS });
    this.entries.set(`${uri.toString()}#${THEIRS}`, {
      version: err.theirVersion,
      text: stripServerHeader(err.theirText),
      mtime: Date.now(),
    });
    await vscode.commands.executeCommand(
      'vscode.diff',
      theirs,
      uri,
      `haproxy.cfg: server (version ${err.theirVersion}) ↔ yours`,
      { preview: true },
    );
    const pick = await vscode.window.showWarningMessage(
      err.message,
      vscode.l10n.t('Overwrite with Mine'),
      vscode.l10n.t('Keep Theirs'),
    );
    return pick === vscode.l10n.t('Overwrite with Mine')
      ? 'mine'
      : pick === vscode.l10n.t('Keep Theirs')
        ? 'theirs'
        : undefined;
  }

  private async showTheirs(uri: vscode.Uri): Promise<void> {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (doc) {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    this.emitter.fire([{ type: vscode.FileChangeType.Changed, uri }]);
  }

  /**
   * The server's text now, and the file's entry. The version is the file's identity for VS Code:
   * the same version keeps the same stat even when the server's text differs from the last one seen
   * (it rewrites what it is given; a failed reload restores the previous file under the new version).
   * VS Code takes a stat before each read and compares it at save time: a stat that changed with
   * the text would fail the next save as "modified on disk". Saves are checked against the version
   * by the server itself (409 opens the diff).
   */
  private async fetch(uri: vscode.Uri, connectionId: string): Promise<{ entry: Entry; text: string }> {
    const session = await this.sessions.get(connectionId);
    if (!session) throw vscode.FileSystemError.FileNotFound(uri);
    const raw = await session.client.rawConfig();
    const text = stripServerHeader(raw.text);
    const known = this.entries.get(uri.toString());
    if (known && known.version === raw.version) return { entry: known, text };
    const entry = { version: raw.version, text, mtime: nextMtime(known) };
    this.entries.set(uri.toString(), entry);
    return { entry, text };
  }

  private parse(uri: vscode.Uri): { connectionId: string; file: boolean } {
    const m = /^\/([a-z0-9][a-z0-9-]*)(\/haproxy\.cfg)?\/?$/.exec(uri.path);
    if (!m) throw vscode.FileSystemError.FileNotFound(uri);
    return { connectionId: m[1]!, file: !!m[2] };
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

/** A modification time after the known one, even within the same millisecond. */
function nextMtime(known: Entry | undefined): number {
  return Math.max(Date.now(), (known?.mtime ?? 0) + 1);
}
