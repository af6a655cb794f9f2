// Commands on what the tree shows: the kubeconfig context, the namespace filter, a refresh.
import * as vscode from 'vscode';
import { reportOutcome } from '../../shell/outcome';
import { UserFacingError } from '../../shared/errors';
import { STATE_CONTEXT, STATE_NAMESPACES, VIEW_ID, type KubernetesContext } from './context';

export function refresh(ctx: KubernetesContext): void {
  ctx.refresh();
}

export async function selectContext(ctx: KubernetesContext): Promise<string | undefined> {
  const { service } = ctx;
  const contexts = service.contexts();
  if (contexts.length === 0)
    throw new UserFacingError(vscode.l10n.t('No context found in {0}.', service.location.files.join(', ')));
  const current = service.currentContext();
  const alsoKubectl: vscode.QuickInputButton = {
    iconPath: new vscode.ThemeIcon('terminal'),
    tooltip: vscode.l10n.t("Select and also make it kubectl's current context"),
  };
  type Item = vscode.QuickPickItem & { name: string };
  const pick = vscode.window.createQuickPick<Item>();
  pick.title = vscode.l10n.t('Kubernetes context for the HAProxy & Gateway API browser');
  pick.placeholder = vscode.l10n.t(
    "The choice applies to this extension only; the terminal button also sets kubectl's current-context",
  );
  pick.items = contexts.map((c) => ({
    name: c.name,
    label: `${c.name === current ? '$(check) ' : ''}${c.name}`,
    description: [c.server, c.namespace ? `ns ${c.namespace}` : undefined].filter(Boolean).join(' · '),
    detail: c.isKubectlCurrent ? vscode.l10n.t("kubectl's current context") : undefined,
    buttons: [alsoKubectl],
  }));
  pick.activeItems = pick.items.filter((i) => i.name === current);
  const choice = await new Promise<{ name: string; kubectl: boolean } | undefined>((resolve) => {
    pick.onDidAccept(() =>
      resolve(pick.selectedItems[0] ? { name: pick.selectedItems[0].name, kubectl: false } : undefined),
    );
    pick.onDidTriggerItemButton((e) => resolve({ name: e.item.name, kubectl: true }));
    pick.onDidHide(() => resolve(undefined));
    pick.show();
  });
  pick.dispose();
  if (!choice) return undefined;
  const written = service.selectContext(choice.name, choice.kubectl);
  await ctx.workspaceState.update(STATE_CONTEXT, choice.name);
  if (written) {
    void reportOutcome(ctx.log, {
      level: 'info',
      message: vscode.l10n.t(`kubectl's current context is now "{0}" ({1}).`, choice.name, written),
    });
  }
  ctx.tree.refresh();
  return choice.name;
}

export async function filterNamespaces(ctx: KubernetesContext): Promise<string[] | undefined> {
  const names = await vscode.window.withProgress({ location: { viewId: VIEW_ID } }, () => ctx.service.listNamespaces());
  const selected = new Set(ctx.service.namespaces ?? []);
  const picked = await vscode.window.showQuickPick(
    names.map((n) => ({ label: n, picked: selected.has(n) })),
    {
      canPickMany: true,
      title: vscode.l10n.t('Namespaces to show'),
      placeHolder: vscode.l10n.t('Pick none to show all namespaces'),
    },
  );
  if (!picked) return undefined;
  const list = picked.map((p) => p.label);
  ctx.service.setNamespaceFilter(list);
  await ctx.workspaceState.update(STATE_NAMESPACES, list.length ? list : undefined);
  ctx.tree.refresh();
  return list;
}
