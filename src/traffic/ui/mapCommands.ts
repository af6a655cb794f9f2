// "Show Traffic Map": on a Service or Gateway row of the Kubernetes tree, a VIP or backend row of
// the Data Plane tree, with arguments (`{ service: { namespace, name } }`, `{ gateway: ... }`,
// `{ backend: { connectionId, name } }`, `{ frontend: ... }`), or from the palette (picks a
// Service). Returns the panel's subject, so callers and tests know which panel it is.
import * as vscode from 'vscode';
import type { CommandTable } from '../../shell/commands';
import { UserFacingError } from '../../shared/errors';
import { nodeId } from '../core/api';
import type { TrafficContext } from './context';
import type { MapSubject } from './mapPanel';

export const mapCommands: CommandTable<TrafficContext> = {
  'haproxyGateway.traffic.showMap': showMap,
};

async function showMap(ctx: TrafficContext, arg?: unknown): Promise<MapSubject | undefined> {
  const subject = subjectOf(ctx, arg) ?? (arg === undefined ? await pickService(ctx) : undefined);
  if (!subject) {
    if (arg !== undefined) throw new UserFacingError(vscode.l10n.t('Show Traffic Map: nothing to show for this item.'));
    return undefined;
  }
  ctx.maps.show(subject);
  return subject;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isName = (v: unknown): v is string => typeof v === 'string' && v !== '' && v.length <= 253;

function serviceSubject(namespace: string, name: string): MapSubject {
  return { focus: nodeId.service(namespace, name), title: `Service ${namespace}/${name}`, namespace };
}

/** The subject a tree row or an argument object names, if any. */
export function subjectOf(ctx: Pick<TrafficContext, 'kubernetes'>, arg: unknown): MapSubject | undefined {
  const target = ctx.kubernetes.resourceOf(arg);
  if (target) {
    const { kind, name } = target.ref;
    const ns = target.ref.namespace ?? 'default';
    if (kind === 'Service') return serviceSubject(ns, name);
    if (kind === 'Gateway') return { focus: nodeId.gateway(ns, name), title: `Gateway ${ns}/${name}`, namespace: ns };
    return undefined;
  }
  if (!isObj(arg)) return undefined;
  // A VIP row of the Data Plane tree: its Service when the VIP records one, else its frontend.
  if (isName(arg.connectionId) && isObj(arg.vip) && isName(arg.vip.frontend)) {
    const id = arg.vip.identity;
    if (isObj(id) && isName(id.namespace) && isName(id.service)) return serviceSubject(id.namespace, id.service);
    return {
      focus: nodeId.frontend(arg.connectionId, arg.vip.frontend),
      title: `frontend ${arg.vip.frontend} (${arg.connectionId})`,
    };
  }
  // A backend row of the Data Plane tree.
  if (isName(arg.connectionId) && isObj(arg.data) && isName(arg.data.name) && Array.isArray(arg.data.servers)) {
    return {
      focus: nodeId.backend(arg.connectionId, arg.data.name),
      title: `backend ${arg.data.name} (${arg.connectionId})`,
    };
  }
  const named = (v: unknown) => (isObj(v) && isName(v.name) ? v : undefined);
  const svc = named(arg.service);
  if (svc) return serviceSubject(isName(svc.namespace) ? svc.namespace : 'default', svc.name as string);
  const gw = named(arg.gateway);
  if (gw) {
    const ns = isName(gw.namespace) ? gw.namespace : 'default';
    return { focus: nodeId.gateway(ns, gw.name as string), title: `Gateway ${ns}/${gw.name as string}`, namespace: ns };
  }
  for (const kind of ['backend', 'frontend'] as const) {
    const o = named(arg[kind]);
    if (o && isName(o.connectionId)) {
      const name = o.name as string;
      const focus = kind === 'backend' ? nodeId.backend(o.connectionId, name) : nodeId.frontend(o.connectionId, name);
      return { focus, title: `${kind} ${name} (${o.connectionId})` };
    }
  }
  return undefined;
}

async function pickService(ctx: TrafficContext): Promise<MapSubject | undefined> {
  const tree = await ctx.kubernetes.service.serviceTree(false);
  const items = [...tree.index.byKey.values()].map((s) => ({
    label: s.name,
    description: s.namespace,
    detail: s.loadBalancerIngress.join(', ') || s.type,
    ref: { namespace: s.namespace, name: s.name },
  }));
  if (items.length === 0) throw new UserFacingError(vscode.l10n.t('No Service found in context {0}.', tree.context));
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Show Traffic Map'),
    placeHolder: vscode.l10n.t('Service to show the traffic path of'),
    matchOnDescription: true,
  });
  return picked && serviceSubject(picked.ref.namespace, picked.ref.name);
}
