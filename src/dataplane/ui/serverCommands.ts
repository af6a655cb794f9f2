// Runtime commands on servers and transactions of a connection.
import * as vscode from 'vscode';
import { coreLogger } from '../../shell/log';
import { reportOutcome } from '../../shell/outcome';
import { UserFacingError } from '../../shared/errors';
import type { ServerSpec } from '../core/client';
import { guardRuntimeState, type RuntimeChoice } from '../core/runtimeState';
import { withTransaction } from '../core/transaction';
import type { AdminState } from '../core/validate';
import type { DataPlaneContext } from './context';
import { resolveConnection, resolveServer, sessionOf } from './resolve';
import { askRuntimeState } from './runtimeStatePrompt';
import { TransactionNode } from './tree';

async function setState(ctx: DataPlaneContext, arg: unknown, state: AdminState): Promise<void> {
  const t = resolveServer(ctx, arg);
  const s = await sessionOf(ctx, t.connectionId);
  await s.client.setServerState(t.backend, t.server, state);
  ctx.log.info(`${s.name}: ${t.backend}/${t.server} set to ${state}`);
  ctx.refreshConnection(t.connectionId);
}

export const serverReady = (ctx: DataPlaneContext, arg?: unknown) => setState(ctx, arg, 'ready');
export const serverDrain = (ctx: DataPlaneContext, arg?: unknown) => setState(ctx, arg, 'drain');
export const serverMaint = (ctx: DataPlaneContext, arg?: unknown) => setState(ctx, arg, 'maint');

export async function serverSetWeight(ctx: DataPlaneContext, arg?: unknown, weight?: number): Promise<void> {
  const t = resolveServer(ctx, arg);
  const s = await sessionOf(ctx, t.connectionId);
  let w = weight;
  if (w === undefined) {
    const current = t.node ? String(t.node.data.liveWeight ?? t.node.data.weight) : '';
    const text = await vscode.window.showInputBox({
      title: vscode.l10n.t('Weight of {0}/{1}', t.backend, t.server),
      prompt: vscode.l10n.t('An integer from 0 to 256 (0: no new traffic)'),
      value: current,
      validateInput: (v) =>
        /^\d+$/.test(v) && Number(v) <= 256 ? undefined : vscode.l10n.t('An integer from 0 to 256'),
    });
    if (text === undefined) return;
    w = Number(text);
  }
  const res = await s.client.setServerWeight(t.backend, t.server, w);
  if (res.reloadId) void ctx.reloads.follow(s, res.reloadId);
  ctx.refreshConnection(t.connectionId);
}

export async function discardTransaction(ctx: DataPlaneContext, arg?: unknown): Promise<void> {
  if (!(arg instanceof TransactionNode)) {
    throw new UserFacingError(vscode.l10n.t('Run this command on a transaction in the Data Plane API view.'));
  }
  await arg.session.client.deleteTransaction(arg.data.id);
  ctx.log.info(`${arg.session.name}: discarded transaction ${arg.data.id}`);
  ctx.refreshConnection(arg.session.id);
}

// Adds a server through one transaction (replayed on conflicts) and follows the reload; runtime
// state the reload would undo is asked about first (or answered by `runtimeState`).
export async function addServer(
  ctx: DataPlaneContext,
  arg?: unknown,
  args?: ServerSpec & { backend: string; runtimeState?: RuntimeChoice },
) {
  const id = await resolveConnection(ctx, arg);
  const s = await sessionOf(ctx, id);
  if (!args) throw new UserFacingError('addServer needs { backend, name, address, port }.');
  const { runtimeState, backend, ...server } = args;
  const logger = coreLogger(ctx.log);
  const guard = await guardRuntimeState(s.client, {
    where: `"${s.name}"`,
    liveText: (await s.client.rawConfig()).text,
    ask: runtimeState && runtimeState !== 'persist' ? async () => runtimeState : askRuntimeState,
    logger,
  });
  const out = await withTransaction(s.client, (tx) => tx.addServer(backend, server), { logger });
  ctx.refreshConnection(id);
  const r = out.reloadId ? await ctx.reloads.follow(s, out.reloadId) : undefined;
  const said = await guard.afterReload(r, out.reloadId !== undefined);
  if (said) void reportOutcome(ctx.log, { level: 'info', message: vscode.l10n.t('"{0}": {1}.', s.name, said) });
  if (!out.reloadId) return 'applied';
  ctx.refreshConnection(id);
  return r?.status;
}
