// Commands on a connection's live configuration and its reloads.
import * as vscode from 'vscode';
import { reportOutcome } from '../../shell/outcome';
import { UserFacingError } from '../../shared/errors';
import { ConfigurationRejectedError } from '../core/errors';
import type { DataPlaneContext } from './context';
import { stripServerHeader } from '../core/liveConfig';
import { SCHEME, liveConfigUri } from './liveConfigFs';
import { resolveConnection, sessionOf } from './resolve';

export async function openRawConfig(ctx: DataPlaneContext, arg?: unknown): Promise<string> {
  const uri = liveConfigUri(await resolveConnection(ctx, arg));
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
  return uri.toString();
}

/** Asks the server whether it accepts the open live configuration, without applying it. */
export async function validateRawConfig(ctx: DataPlaneContext, arg?: unknown) {
  const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
  if (!uri || uri.scheme !== SCHEME) {
    throw new UserFacingError(
      vscode.l10n.t('Open a live configuration (Raw configuration in the Data Plane API view) first.'),
    );
  }
  const doc = await vscode.workspace.openTextDocument(uri);
  const s = await sessionOf(ctx, uri.path.split('/')[1]!);
  const version = ctx.liveConfig.versionOf(uri) ?? (await s.client.configVersion());
  try {
    await s.client.postRawConfig(stripServerHeader(doc.getText()), version, { onlyValidate: true });
  } catch (err) {
    if (err instanceof ConfigurationRejectedError) {
      void reportOutcome(ctx.log, { level: 'error', message: err.message });
      return { valid: false, message: err.serverMessage };
    }
    throw err;
  }
  void reportOutcome(ctx.log, { level: 'info', message: vscode.l10n.t('"{0}" accepts this configuration.', s.name) });
  return { valid: true };
}

export async function showReloads(ctx: DataPlaneContext): Promise<void> {
  const recent = ctx.reloads.recent;
  if (recent.length === 0) {
    const message = vscode.l10n.t(
      "No reload followed in this window yet; the Reloads node of each connection lists the server's history.",
    );
    void reportOutcome(ctx.log, { level: 'info', message });
    return;
  }
  const picked = await vscode.window.showQuickPick(
    recent.map((r) => ({
      label: `${r.reload.status === 'succeeded' ? '$(check)' : '$(error)'} ${r.reload.id}`,
      description: `${r.connection} · ${new Date(r.at).toLocaleTimeString()}`,
      detail:
        r.reload.response
          ?.split('\n')
          .filter((l) => /ALERT/.test(l))
          .join(' ') || undefined,
      r,
    })),
    { placeHolder: vscode.l10n.t('Recent reloads (newest first)') },
  );
  if (picked?.r.reload.response) {
    const { reload, connection } = picked.r;
    const content = `Reload ${reload.id} on ${connection}: ${reload.status}\n\n${reload.response}\n`;
    const doc = await vscode.workspace.openTextDocument({ content, language: 'log' });
    await vscode.window.showTextDocument(doc, { preview: true });
  }
}
