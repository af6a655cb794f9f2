// Target resolution for the Data Plane API commands, once: a tree node, arguments from a caller
// (tests, automation, another capability), or a picker.
import * as vscode from 'vscode';
import { UserFacingError } from '../../shared/errors';
import type { DataPlaneContext } from './context';
import type { Session } from './sessions';
import { ConnectionNode, ServerNode } from './tree';

/** A connection's id: from its id, its tree row, the only connection, or a pick list. */
export async function resolveConnection(ctx: DataPlaneContext, arg: unknown): Promise<string> {
  if (typeof arg === 'string') return arg;
  if (arg instanceof ConnectionNode) return arg.settings.id;
  const list = ctx.store.list();
  if (list.length === 0) throw new UserFacingError(vscode.l10n.t('No Data Plane API connection yet: add one first.'));
  if (list.length === 1) return list[0]!.id;
  const picked = await vscode.window.showQuickPick(
    list.map((c) => ({ label: c.name, description: c.url, id: c.id })),
    { placeHolder: vscode.l10n.t('Data Plane API server') },
  );
  if (!picked) throw new UserFacingError(vscode.l10n.t('No connection chosen.'));
  return picked.id;
}

/** The live session of a connection id; a user-facing error if there is no such connection. */
export async function sessionOf(ctx: DataPlaneContext, id: string): Promise<Session> {
  const s = await ctx.sessions.get(id);
  if (!s) throw new UserFacingError(vscode.l10n.t('There is no Data Plane connection "{0}".', id));
  return s;
}

export interface ServerTarget {
  connectionId: string;
  backend: string;
  server: string;
  /** The tree row, when the command ran on one (its current weight seeds the input box). */
  node?: ServerNode;
}

/** A server: its tree row or `{ connectionId, backend, server }` (no picker: servers are many). */
export function resolveServer(_ctx: DataPlaneContext, arg: unknown): ServerTarget {
  if (arg instanceof ServerNode) {
    return { connectionId: arg.connectionId, backend: arg.backend.data.name, server: arg.data.name, node: arg };
  }
  const o = arg as { connectionId?: unknown; backend?: unknown; server?: unknown } | undefined;
  if (typeof o?.connectionId === 'string' && typeof o.backend === 'string' && typeof o.server === 'string') {
    return { connectionId: o.connectionId, backend: o.backend, server: o.server };
  }
  throw new UserFacingError(vscode.l10n.t('Run this command on a server in the Data Plane API view.'));
}
