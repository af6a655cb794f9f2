// Import Data Plane API connections from a Secret of the cluster: this picks and reads the Secret;
// the Data Plane API capability validates, tests and stores the connections.
import * as vscode from 'vscode';
import { UserFacingError, errorMessage } from '../../shared/errors';
import { parametersSecret, type SecretRef } from '../core/secrets';
import { VIEW_ID, type KubernetesContext } from './context';
import { GatewayClassNode } from './nodes';

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

type Item = vscode.QuickPickItem & { ref?: SecretRef };

/** Secrets of GatewayClass parameters first; "Another Secret…" lists a namespace's Secrets. */
async function pickSecret(ctx: KubernetesContext): Promise<SecretRef | undefined> {
  const { service, log } = ctx;
  // A user who may not list GatewayClasses (a namespace-scoped Role) still picks by namespace.
  const fromClasses = await vscode.window
    .withProgress({ location: { viewId: VIEW_ID } }, () => service.gatewayClassSecrets())
    .then(undefined, (err: unknown) => {
      log.warn(
        `Kubernetes: cannot read the GatewayClasses' parameters (${errorMessage(err)}); choose the Secret by namespace`,
      );
      return [];
    });
  const other: Item = {
    label: vscode.l10n.t('$(search) Another Secret…'),
    detail: vscode.l10n.t('Choose a namespace, then one of its Secrets'),
  };
  const first =
    fromClasses.length === 0
      ? other
      : await vscode.window.showQuickPick<Item>(
          [
            ...fromClasses.map((r) => ({
              label: `$(key) ${r.namespace}/${r.name}`,
              description: vscode.l10n.t('parameters of GatewayClass {0}', r.classes.join(', ')),
              ref: r,
            })),
            other,
          ],
          {
            title: vscode.l10n.t('Import Data Plane API connections from a Secret'),
            placeHolder: vscode.l10n.t('A Secret in the Load Balancer API format (key "value")'),
          },
        );
  if (!first) return undefined;
  if (first.ref) return first.ref;
  const namespace = await pickNamespace(ctx);
  if (!namespace) return undefined;
  const secrets = await vscode.window.withProgress({ location: { viewId: VIEW_ID } }, () =>
    service.listSecrets(namespace),
  );
  if (secrets.length === 0) {
    const session = await service.session();
    throw new UserFacingError(
      vscode.l10n.t('Namespace "{0}" has no Secret (context "{1}").', namespace, session.contextName),
    );
  }
  const chosen = await vscode.window.showQuickPick<Item>(
    secrets.map((s) => ({
      label: `${s.loadBalancerFormat ? '$(key)' : '$(lock)'} ${s.name}`,
      description: `${s.type} · keys: ${s.keys.join(', ') || 'none'}`,
      detail: s.loadBalancerFormat ? vscode.l10n.t('Has the key "value" of the Load Balancer API format') : undefined,
      ref: s,
    })),
    {
      title: vscode.l10n.t('Secrets of {0}', namespace),
      placeHolder: vscode.l10n.t('Only names and keys are shown; the chosen Secret is read when you pick it'),
    },
  );
  return chosen?.ref;
}

async function pickNamespace(ctx: KubernetesContext): Promise<string | undefined> {
  const session = await ctx.service.session();
  const namespaces = await ctx.service.listNamespaces().catch((err: unknown) => {
    ctx.log.warn(`Kubernetes: cannot list namespaces (${errorMessage(err)}); asking for one`);
    return undefined;
  });
  const fallback = session.client.contextNamespace ?? 'default';
  const title = vscode.l10n.t('Namespace of the Secret');
  if (namespaces) {
    return (
      await vscode.window.showQuickPick(
        namespaces.map((n) => ({ label: n, picked: n === fallback })),
        { title },
      )
    )?.label;
  }
  return vscode.window.showInputBox({
    title,
    value: fallback,
    validateInput: (v) => (DNS_SUBDOMAIN.test(v) ? undefined : vscode.l10n.t('A namespace name')),
  });
}

// From a GatewayClass in the tree (its parameters Secret), from `{ namespace, name, skipTest? }`,
// or through pick lists.
export async function importDataplaneSecret(ctx: KubernetesContext, arg?: unknown): Promise<string[]> {
  let ref: SecretRef | undefined;
  let skipTest = false;
  let interactive = true;
  if (arg instanceof GatewayClassNode) {
    ref = arg.view.object ? parametersSecret(arg.view.object) : undefined;
    if (!ref) {
      throw new UserFacingError(
        vscode.l10n.t('GatewayClass {0} does not name a Secret (with its namespace) as its parameters.', arg.view.name),
      );
    }
  } else if (arg !== undefined) {
    const o = arg as { namespace?: unknown; name?: unknown; skipTest?: unknown };
    const valid = typeof o?.namespace === 'string' && typeof o.name === 'string';
    if (!valid || !DNS_SUBDOMAIN.test(o.namespace as string) || !DNS_SUBDOMAIN.test(o.name as string)) {
      throw new UserFacingError(vscode.l10n.t('Name the Secret as { namespace, name } with Kubernetes names.'));
    }
    ref = { namespace: o.namespace as string, name: o.name as string };
    skipTest = o.skipTest === true;
    interactive = false;
  } else {
    ref = await pickSecret(ctx);
  }
  if (!ref) return [];
  const session = await ctx.service.session();
  const target = ref;
  const secret = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: vscode.l10n.t('Reading Secret {0}/{1}…', target.namespace, target.name),
    },
    () => session.actions.get({ kind: 'Secret', ...target }),
  );
  return ctx.importDataplaneSecret({
    secret,
    source: `Secret ${target.namespace}/${target.name} of context "${session.contextName}"`,
    skipTest,
    interactive,
  });
}
