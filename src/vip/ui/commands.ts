// The VIP commands as one table: each resolves its target (a tree node, arguments, or a picker) and
// hands it to the core workflow. Commands accept optional arguments so tests and automation can run
// them without dialogs, and return a VipResult.
import type { CommandTable } from '../../shell/commands';
import type { ResourceTarget } from '../../kubernetes/api';
import { parseCreateArgs, serviceRef } from '../core/inputs';
import type { VipResult, VipSubject, VipWorkflow } from '../core/service';
import type { ServiceContext } from '../core/workflow';
import { VipNode } from './nodes';

export interface VipContext {
  workflow: VipWorkflow;
  /** The Kubernetes object a tree row stands for (the Kubernetes capability knows its rows). */
  resourceOf(node: unknown): ResourceTarget | undefined;
}

export const vipCommands: CommandTable<VipContext> = {
  'haproxyGateway.vip.create': createVip,
  'haproxyGateway.vip.resync': resyncVipCommand,
  'haproxyGateway.vip.delete': deleteVipCommand,
};

/** "Create VIP for Service…": on a Service node (options second), or with options `{ service, ... }`, or asking. */
async function createVip(ctx: VipContext, arg?: unknown, more?: unknown): Promise<VipResult> {
  const onNode = serviceNodeRef(ctx, arg) !== undefined;
  const args = parseCreateArgs(onNode ? more : arg);
  return ctx.workflow.create(args, onNode ? await resolveService(ctx, arg) : undefined);
}

/**
 * Resync VIP: from a tree row or the palette it previews the change and asks before writing; with
 * arguments `{ service, preview: true }` it previews too (and `confirm: true` skips the question);
 * `{ service }` alone applies as automation always has.
 */
async function resyncVipCommand(ctx: VipContext, arg?: unknown, more?: unknown): Promise<VipResult> {
  const opts = optionsOf<{ allowNoEndpoints: boolean; preview: boolean; confirm: boolean }>(ctx, arg, more);
  const interactive = arg === undefined || ctx.resourceOf(arg) !== undefined || arg instanceof VipNode;
  return ctx.workflow.resync(await resolveVip(ctx, arg), {
    allowNoEndpoints: opts.allowNoEndpoints === true,
    preview: opts.preview === true || (interactive && opts.preview !== false),
    confirm: opts.confirm === true,
  });
}

async function deleteVipCommand(ctx: VipContext, arg?: unknown, more?: unknown): Promise<VipResult | undefined> {
  const opts = optionsOf<{ confirm: boolean }>(ctx, arg, more);
  return ctx.workflow.delete(await resolveVip(ctx, arg), { confirm: opts.confirm === true });
}

function serviceNodeRef(ctx: VipContext, arg: unknown): { namespace: string; name: string } | undefined {
  const target = ctx.resourceOf(arg);
  if (target?.ref.kind === 'Service') return { namespace: target.ref.namespace ?? 'default', name: target.ref.name };
  return undefined;
}

/** The Service a command names: a Service node, or `{ service: { namespace, name } }`; undefined otherwise. */
export async function resolveService(ctx: VipContext, arg: unknown): Promise<ServiceContext | undefined> {
  const ref = serviceNodeRef(ctx, arg);
  if (ref) return ctx.workflow.service(ref);
  const o = arg as { service?: unknown } | undefined;
  if (o && typeof o === 'object' && !(o instanceof VipNode) && o.service !== undefined)
    return ctx.workflow.service(serviceRef(o.service));
  return undefined;
}

/** The VIP a Resync or Delete is about: its Service (node or arguments), a VIP row, or one picked. */
export async function resolveVip(ctx: VipContext, arg: unknown): Promise<VipSubject> {
  if (arg instanceof VipNode) return ctx.workflow.servedSubject(arg.connectionId, arg.vip);
  const service = await resolveService(ctx, arg);
  return service ? { ctx: service } : ctx.workflow.pickSubject();
}

/** Options of Resync and Delete: the second argument, or the first when it is `{ service, ... }`. */
function optionsOf<T extends object>(ctx: VipContext, arg: unknown, more: unknown): Partial<T> {
  const onRow = ctx.resourceOf(arg) !== undefined || arg instanceof VipNode;
  const o = more ?? (arg && typeof arg === 'object' && !onRow ? arg : undefined);
  return o && typeof o === 'object' ? (o as Partial<T>) : {};
}
