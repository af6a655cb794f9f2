// The configuration history in the editor: the store (../core/history) on the extension's global
// storage (one folder per connection id; local to this machine, never synced: the texts can hold
// userlist passwords), read-only documents `haproxy-gateway-history:/<connection>/<hash>/haproxy.cfg`,
// and the commands to browse, compare and restore versions.
// Why not the Timeline view: `registerTimelineProvider` is a proposed API (absent from
// @types/vscode 1.100, usable only with enabledApiProposals, which a published extension cannot
// have), so the history is a QuickPick, like Git's "Open File History" outside the Timeline.
import * as vscode from 'vscode';
import { reportOutcome } from '../../shell/outcome';
import { OperationCancelledError, UserFacingError } from '../../shared/errors';
import { RawConfigConflictError } from '../core/errors';
import { type ConfigHistory, type HistoryEntry, type HistoryStorage, contentHash, historyText } from '../core/history';
import { reloadOutcome } from '../core/reload';
import { guardRuntimeState, type RuntimeChoice } from '../core/runtimeState';
import { coreLogger } from '../../shell/log';
import type { DataPlaneContext } from './context';
import { SCHEME as LIVE_SCHEME, liveConfigUri } from './liveConfigFs';
import { resolveConnection, sessionOf } from './resolve';
import { askRuntimeState } from './runtimeStatePrompt';

export const HISTORY_SCHEME = 'haproxy-gateway-history';

/** The history store on a folder of the extension's global storage. */
export function folderStorage(root: vscode.Uri): HistoryStorage {
  const at = (p: string) => vscode.Uri.joinPath(root, ...p.split('/'));
  return {
    read: async (p) => {
      try {
        return await vscode.workspace.fs.readFile(at(p));
      } catch (err) {
        if (err instanceof vscode.FileSystemError && err.code === 'FileNotFound') return undefined;
        throw err;
      }
    },
    write: async (p, data) => {
      await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(at(p), '..'));
      await vscode.workspace.fs.writeFile(at(p), data);
    },
    delete: async (p) => {
      try {
        await vscode.workspace.fs.delete(at(p), { recursive: true, useTrash: false });
      } catch (err) {
        if (!(err instanceof vscode.FileSystemError && err.code === 'FileNotFound')) throw err;
      }
    },
  };
}

export function historyUri(connectionId: string, hash: string): vscode.Uri {
  return vscode.Uri.from({ scheme: HISTORY_SCHEME, path: `/${connectionId}/${hash}/haproxy.cfg` });
}

/** Serves the kept versions as read-only documents. */
export class HistoryDocuments implements vscode.TextDocumentContentProvider {
  constructor(private readonly history: ConfigHistory) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const m = /^\/([a-z0-9][a-z0-9-]*)\/([0-9a-f]{64})\/haproxy\.cfg$/.exec(uri.path);
    const text = m ? await this.history.text(m[1]!, m[2]!) : undefined;
    if (text === undefined) throw new UserFacingError(vscode.l10n.t('This configuration version is no longer kept.'));
    return text;
  }
}

/** The connection of a command: an id, a connection row, or a live or history document. */
async function connectionOf(ctx: DataPlaneContext, arg: unknown): Promise<string> {
  const uri = arg instanceof vscode.Uri ? arg : undefined;
  if (uri && (uri.scheme === LIVE_SCHEME || uri.scheme === HISTORY_SCHEME)) return uri.path.split('/')[1]!;
  return resolveConnection(ctx, arg);
}

function describeEntry(e: HistoryEntry): { label: string; description: string } {
  const source = {
    read: vscode.l10n.t('read'),
    write: vscode.l10n.t('written'),
    restore: vscode.l10n.t('restored'),
  }[e.source];
  const version = e.version === undefined ? '' : vscode.l10n.t('version {0} · ', e.version);
  return {
    label: `$(history) ${new Date(e.lastSeen).toLocaleString()}`,
    description: `${version}${source} · ${Math.ceil(e.bytes / 1024)} KB · ${e.hash.slice(0, 8)}`,
  };
}

async function pickVersion(ctx: DataPlaneContext, id: string, placeHolder: string, except?: string) {
  const entries = (await ctx.history.list(id)).filter((e) => e.hash !== except);
  if (entries.length === 0)
    throw new UserFacingError(vscode.l10n.t('No configuration version is kept for "{0}" yet.', id));
  const picked = await vscode.window.showQuickPick(
    entries.map((e) => ({ ...describeEntry(e), entry: e })),
    { placeHolder },
  );
  return picked?.entry;
}

/** "Show Configuration History": pick a version, then compare, open or restore it. */
export async function showConfigHistory(ctx: DataPlaneContext, arg?: unknown): Promise<void> {
  const id = await connectionOf(ctx, arg);
  const entry = await pickVersion(ctx, id, vscode.l10n.t('Configuration versions of "{0}" (newest first)', id));
  if (!entry) return;
  const actions = [
    { label: vscode.l10n.t('$(diff) Compare with the live configuration'), run: 'live' },
    { label: vscode.l10n.t('$(diff) Compare with another version…'), run: 'other' },
    { label: vscode.l10n.t('$(file) Open this version'), run: 'open' },
    { label: vscode.l10n.t('$(discard) Restore this version…'), run: 'restore' },
  ] as const;
  const action = await vscode.window.showQuickPick(actions, { placeHolder: describeEntry(entry).label });
  const at = historyUri(id, entry.hash);
  const when = new Date(entry.lastSeen).toLocaleString();
  switch (action?.run) {
    case 'live':
      return void (await vscode.commands.executeCommand(
        'vscode.diff',
        at,
        liveConfigUri(id),
        vscode.l10n.t('haproxy.cfg: {0} ↔ live', when),
      ));
    case 'other': {
      const other = await pickVersion(ctx, id, vscode.l10n.t('Compare {0} with…', when), entry.hash);
      if (!other) return;
      const [older, newer] = other.lastSeen < entry.lastSeen ? [other, entry] : [entry, other];
      const [from, to] = [new Date(older.lastSeen).toLocaleString(), new Date(newer.lastSeen).toLocaleString()];
      const title = `haproxy.cfg: ${from} ↔ ${to}`;
      return void (await vscode.commands.executeCommand(
        'vscode.diff',
        historyUri(id, older.hash),
        historyUri(id, newer.hash),
        title,
      ));
    }
    case 'open':
      return void (await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(at)));
    case 'restore':
      await restoreConfigVersion(ctx, id, { hash: entry.hash });
  }
}

export interface RestoreOptions {
  hash?: string;
  /** Skips the preview and its question (tests, automation). */
  confirm?: boolean;
  /** The answer to the runtime-state question, for automation (asked otherwise). */
  runtimeState?: RuntimeChoice;
}

export interface RestoreResult {
  status: 'restored' | 'unchanged' | 'cancelled';
  version?: number;
  reloadId?: string;
  reload?: string;
}

/**
 * "Restore this version": the kept text posted back as ONE versioned write (raw configuration at
 * the version read now), after a preview (now ↔ restored). When the server moves on between the
 * preview and the write, the preview is shown again on the new text (bounded).
 */
export async function restoreConfigVersion(ctx: DataPlaneContext, arg?: unknown, opts?: RestoreOptions) {
  const id = await connectionOf(ctx, arg);
  const o: RestoreOptions = opts ?? {};
  const hash = o.hash ?? (await pickVersion(ctx, id, vscode.l10n.t('Version to restore')))?.hash;
  if (!hash) return { status: 'cancelled' } satisfies RestoreResult;
  const text = await ctx.history.text(id, hash);
  if (text === undefined) throw new UserFacingError(vscode.l10n.t('This configuration version is no longer kept.'));
  const s = await sessionOf(ctx, id);
  for (let attempt = 0; attempt < 3; attempt++) {
    const now = await s.client.rawConfig();
    if (contentHash(historyText(now.text)) === hash) {
      void reportOutcome(ctx.log, {
        level: 'info',
        message: vscode.l10n.t('"{0}" runs this version already.', s.name),
      });
      return { status: 'unchanged', version: now.version } satisfies RestoreResult;
    }
    if (!o.confirm && !(await preview(ctx, id, now, hash, s.name)))
      return { status: 'cancelled' } satisfies RestoreResult;
    const guard = await guardRuntimeState(s.client, {
      where: `"${s.name}"`,
      liveText: now.text,
      newText: text,
      // Without a dialog (automation): runtime state is kept, never reset silently.
      ask: o.runtimeState || o.confirm ? async () => o.runtimeState ?? 'reapply' : askRuntimeState,
      logger: coreLogger(ctx.log),
    });
    const posted = guard.text ?? text;
    let res;
    try {
      res = await s.client.postRawConfig(posted, now.version);
    } catch (err) {
      if (!(err instanceof RawConfigConflictError) || o.confirm || attempt === 2) throw err;
      const again = vscode.l10n.t(
        'The configuration on "{0}" changed meanwhile (now version {1}): review the restore against it.',
        s.name,
        err.theirVersion,
      );
      void reportOutcome(ctx.log, { level: 'warning', message: again });
      continue;
    }
    await ctx.history.record(id, posted, { version: res.version, source: 'restore' });
    const reload = res.reloadId ? await ctx.reloads.follow(s, res.reloadId) : undefined;
    const kept = await guard.afterReload(reload, res.reloadId !== undefined);
    ctx.liveConfig.changedOnServer(id);
    ctx.refreshConnection(id);
    const outcome = reloadOutcome(res.reloadId, reload);
    const message = vscode.l10n.t(
      'Restored the configuration of "{0}" (version {1}): {2}.',
      s.name,
      res.version ?? '?',
      [outcome.text, kept].filter(Boolean).join('; '),
    );
    void reportOutcome(ctx.log, { level: outcome.runs === 'previous' ? 'error' : 'info', message });
    return {
      status: 'restored',
      version: res.version,
      reloadId: res.reloadId,
      reload: reload?.status,
    } satisfies RestoreResult;
  }
  throw new OperationCancelledError();
}

/** Shows now ↔ restored and asks; true to go on. */
async function preview(
  ctx: DataPlaneContext,
  id: string,
  now: { text: string; version: number },
  hash: string,
  name: string,
): Promise<boolean> {
  const current = await ctx.history.record(id, now.text, { version: now.version, source: 'read' });
  const title = vscode.l10n.t('haproxy.cfg on {0}: now (version {1}) ↔ restored', name, now.version);
  await vscode.commands.executeCommand('vscode.diff', historyUri(id, current!.hash), historyUri(id, hash), title, {
    preview: true,
  });
  const restore = vscode.l10n.t('Restore');
  const message = vscode.l10n.t('Restore this version of the configuration of "{0}"?', name);
  /* eslint-disable max-len -- one literal for the translation bundle (its exporter reads the first argument) */
  const detail = vscode.l10n.t(
    'It is posted as one write at version {0}, and HAProxy reloads. A change made on the server since then is refused, not overwritten.',
    now.version,
  );
  /* eslint-enable max-len */
  return (await vscode.window.showWarningMessage(message, { modal: true, detail }, restore)) === restore;
}
