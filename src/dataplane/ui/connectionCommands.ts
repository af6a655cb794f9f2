// Commands on saved connections: add, edit, remove, password, test, import from a Secret.
// Each accepts optional arguments so tests and automation can drive it without dialogs.
import * as vscode from 'vscode';
import { reportOutcome } from '../../shell/outcome';
import { UserFacingError, errorMessage } from '../../shared/errors';
import type { Connection } from '../core/connection';
import { importLoadBalancerSecret, importLoadBalancerSecretObject } from '../core/secretImport';
import { withKeptPassword } from '../core/editPolicy';
import { connectionFromArgs, connectionWizard, type ConnectionArgs } from './connectionWizard';
import { takenIds, type DataPlaneContext } from './context';
import { resolveConnection, sessionOf } from './resolve';

type SaveArgs = ConnectionArgs & { skipTest?: boolean };

/** What the import takes: YAML text, or a Secret object read from the cluster (`source` names it for the log). */
export interface ImportSecretArgs {
  text?: string;
  secret?: unknown;
  source?: string;
  skipTest?: boolean;
  /** Offer "Save Anyway" when a server does not answer (the default without arguments). */
  interactive?: boolean;
}

/** Connects once before saving, so a typo is caught while the user still has the values. */
async function testBeforeSave(ctx: DataPlaneContext, conn: Connection, interactive: boolean): Promise<void> {
  const probe = ctx.sessions.probe(conn);
  try {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Connecting to {0}…', conn.settings.url) },
      () => probe.connect(),
    );
  } catch (err) {
    if (!interactive) throw err;
    const choice = await vscode.window.showWarningMessage(`${errorMessage(err)}`, vscode.l10n.t('Save Anyway'));
    if (choice !== vscode.l10n.t('Save Anyway')) throw err;
  } finally {
    await probe.dispose();
  }
}

export async function addConnection(ctx: DataPlaneContext, args?: SaveArgs): Promise<string> {
  const conn = args ? connectionFromArgs(args, takenIds(ctx)) : await connectionWizard(takenIds(ctx));
  if (!args?.skipTest) await testBeforeSave(ctx, conn, !args);
  await ctx.store.save(conn);
  ctx.log.info(`Added Data Plane connection "${conn.settings.name}" (${conn.settings.url})`);
  return conn.settings.id;
}

export async function editConnection(ctx: DataPlaneContext, arg?: unknown, args?: SaveArgs): Promise<string> {
  const id = await resolveConnection(ctx, arg);
  const current = await ctx.store.load(id);
  if (!current) throw new UserFacingError(vscode.l10n.t('There is no Data Plane connection "{0}".', id));
  const others = takenIds(ctx);
  others.delete(id);
  const conn = args
    ? withKeptPassword(current, connectionFromArgs(args, others, id))
    : await connectionWizard(others, current);
  if (!args?.skipTest) await testBeforeSave(ctx, conn, !args);
  await ctx.sessions.drop(id);
  await ctx.store.save(conn);
  return id;
}

export async function removeConnection(
  ctx: DataPlaneContext,
  arg?: unknown,
  opts?: { confirm?: boolean },
): Promise<boolean> {
  const id = await resolveConnection(ctx, arg);
  const name = ctx.store.get(id)?.name ?? id;
  if (!opts?.confirm) {
    const ok = await vscode.window.showWarningMessage(
      vscode.l10n.t('Remove the connection "{0}" and its stored secrets?', name),
      { modal: true },
      vscode.l10n.t('Remove'),
    );
    if (ok !== vscode.l10n.t('Remove')) return false;
  }
  await ctx.sessions.drop(id);
  await ctx.store.remove(id);
  return true;
}

// Only the password of a basic-auth connection: for a connection shared in workspace settings or
// imported from a Secret, whose settings are fine but whose password was never entered here.
export async function setPassword(ctx: DataPlaneContext, arg?: unknown, password?: unknown): Promise<boolean> {
  const id = await resolveConnection(ctx, arg);
  const current = await ctx.store.load(id);
  if (!current) throw new UserFacingError(vscode.l10n.t('There is no Data Plane connection "{0}".', id));
  if (current.settings.auth !== 'basic') {
    throw new UserFacingError(
      vscode.l10n.t('"{0}" uses mutual TLS: edit the connection to change its certificates.', current.settings.name),
    );
  }
  let value = typeof password === 'string' ? password : undefined;
  if (value === undefined) {
    value = await vscode.window.showInputBox({
      title: vscode.l10n.t(
        'Password of {0} for "{1}"',
        current.settings.username ?? vscode.l10n.t('the user'),
        current.settings.name,
      ),
      prompt: vscode.l10n.t("{0} · kept in VS Code's secret storage, sent only to this URL", current.settings.url),
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (v ? undefined : vscode.l10n.t('The password cannot be empty')),
    });
    if (value === undefined) return false;
  }
  if (!value) throw new UserFacingError(vscode.l10n.t('The password cannot be empty.'));
  await ctx.sessions.drop(id);
  await ctx.store.save({ settings: current.settings, secrets: { ...current.secrets, password: value } });
  ctx.log.info(`Stored the password of Data Plane connection "${current.settings.name}"`);
  ctx.refreshConnection(id);
  return true;
}

export async function testConnection(ctx: DataPlaneContext, arg?: unknown) {
  const s = await sessionOf(ctx, await resolveConnection(ctx, arg));
  const r = await s.client.connect();
  const hap = await s.client.haproxyVersion().catch(() => undefined);
  const versions = `Data Plane API ${r.info.apiVersion} (/v${r.major})${hap ? `, HAProxy ${hap}` : ''}`;
  const message = `"${s.name}" answers: ${versions}.`;
  void reportOutcome(ctx.log, { level: 'info', message });
  return { major: r.major, apiVersion: r.info.apiVersion, haproxyVersion: hap };
}

// From a YAML file (no arguments), YAML text, or a Secret read from the cluster by the Kubernetes
// browser (`secret`, with `source` naming it for the log; `interactive` offers "Save Anyway").
export async function importSecret(ctx: DataPlaneContext, args?: ImportSecretArgs): Promise<string[]> {
  let result;
  let source = args?.source;
  if (args?.secret !== undefined) {
    result = importLoadBalancerSecretObject(args.secret, takenIds(ctx));
  } else {
    let text = args?.text;
    if (text === undefined) {
      const uris = await vscode.window.showOpenDialog({
        title: vscode.l10n.t('Load Balancer API Secret (YAML)'),
        canSelectMany: false,
        filters: { YAML: ['yaml', 'yml'], All: ['*'] },
      });
      if (!uris?.[0]) return [];
      text = Buffer.from(await vscode.workspace.fs.readFile(uris[0])).toString('utf8');
      source ??= uris[0].fsPath;
    }
    result = importLoadBalancerSecret(text, takenIds(ctx));
  }
  // Every server is tried before any is saved: refusing one imports none. A basic-auth connection
  // (the format carries no password) cannot be tried yet: its row asks for the password.
  for (const conn of result.connections) {
    const testable = !(conn.settings.auth === 'basic' && !conn.secrets.password);
    if (!args?.skipTest && testable) await testBeforeSave(ctx, conn, !args || args.interactive === true);
  }
  for (const conn of result.connections) {
    await ctx.store.save(conn);
    const from = source ? ` from ${source}` : '';
    ctx.log.info(`Imported Data Plane connection "${conn.settings.name}" (${conn.settings.url})${from}`);
  }
  if (result.debug) {
    ctx.log.info('The imported Secret asks for debug output: set the log level to Debug to see every request.');
  }
  // The format carries certificates, never a password: basic-auth connections need one entered.
  const needPassword = result.connections.filter((c) => c.settings.auth === 'basic' && !c.secrets.password).length;
  const hint = needPassword
    ? vscode.l10n.t(
        '; {0} use basic authentication: enter their password with Enter Password on their row',
        needPassword,
      )
    : '';
  void reportOutcome(ctx.log, {
    level: 'info',
    message: vscode.l10n.t('Imported {0} Data Plane connection(s){1}.', result.connections.length, hint),
  });
  return result.connections.map((c) => c.settings.id);
}

export function refresh(ctx: DataPlaneContext): void {
  ctx.refreshAll();
}
