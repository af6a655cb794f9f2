// Entry point of the VIP feature: "Create VIP for Service…" (plan, preview, apply in one reload per
// server, record), "Resync VIP Endpoints" and "Delete VIP", on Service nodes, in the palette and on
// the VIPs each Data Plane API server lists. The work is in ../core; this asks, shows and reports.
// Commands accept optional arguments so tests and automation can run them without dialogs.
import * as vscode from 'vscode';
import { stringify as toYaml } from 'yaml';
import type { CommandRegistry } from '../../shell/commands';
import { OperationCancelledError, UserFacingError, errorMessage } from '../../shared/errors';
// eslint-disable-next-line local/capability-boundaries -- TODO(arch-vip): import through the capability's api.ts
import type { DataPlaneApi } from '../../dataplane/ui';
// eslint-disable-next-line local/capability-boundaries -- TODO(arch-vip): import through the capability's api.ts
import type { KubernetesApi } from '../../kubernetes/ui';
// eslint-disable-next-line local/capability-boundaries -- TODO(arch-vip): import through the capability's api.ts
import { isResourceNode } from '../../kubernetes/ui/nodes';
import { applyVip, deleteVip, previewConfig, resyncVip, summarize, vipChanges, type ServerOutcome, type VipNamesToRemove, type VipTarget } from '../core/apply';
import { parseCreateArgs, parsePools, recordedVip, serviceRef, type CreateVipArgs } from '../core/inputs';
import type { PoolSetting } from '../core/ipam';
import { readLiveState, stripVersionLine } from '../core/live';
import type { VipPlan } from '../core/planner';
import { createViaGateway, deleteGatewayModeObjects, gatewayModeObjects, listServices, loadService, ourNames, planFor, recordDirect, resyncOptions, unrecord, type RecordOutcome, type ServiceContext, type VipOptions } from '../core/workflow';
import { GATEWAY_MODE_ANNOTATION, planGateway } from '../core/gatewayMode';
import { VipNode, VipsNode } from './nodes';
import { PREVIEW_SCHEME, PreviewDocuments } from './preview';
import { createVipWizard, type WizardAnswers } from './wizard';

export const VIP_COMMANDS = {
  create: 'haproxyGateway.vip.create',
  resync: 'haproxyGateway.vip.resync',
  delete: 'haproxyGateway.vip.delete',
} as const;

export interface VipDeps {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  commands: CommandRegistry;
  dataplane: DataPlaneApi;
  kubernetes: KubernetesApi;
}

/** What a VIP command returns (for tests and automation): plain data, no secrets. */
export interface VipResult {
  service: string;
  vip?: string;
  mode: 'direct' | 'gateway';
  cancelled?: boolean;
  servers: { connection: string; status: ServerOutcome['status']; changes: string[]; reloadId?: string; reload?: string; requests: number; attempts?: number; message: string }[];
  record?: RecordOutcome;
  /** The reload status bar's states while the command ran, in order. */
  statusBar: string[];
  gateway?: { name: string; namespace: string; state: string; addresses?: string[]; reason?: string; message?: string; routeVersion: string };
  /** Delete VIP in Gateway mode: the objects deleted, as "Kind name". */
  deleted?: string[];
}

export function registerVip(deps: VipDeps): void {
  const { context, log, commands, dataplane, kubernetes } = deps;
  const kube = kubernetes.service;
  const logger = { debug: (m: string) => log.debug(m), info: (m: string) => log.debug(m), warn: (m: string) => log.warn(m) };
  const previews = new PreviewDocuments();
  context.subscriptions.push(
    previews,
    vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, previews),
    vscode.workspace.onDidCloseTextDocument((d) => d.uri.scheme === PREVIEW_SCHEME && previews.forget(d.uri)),
    dataplane.addConnectionChildren((parent, session, snapshot) => [new VipsNode(parent, session.id, snapshot)]),
  );

  let reportedPoolProblems = '';
  const pools = (): PoolSetting[] => {
    const { pools: ok, problems } = parsePools(vscode.workspace.getConfiguration('haproxyGateway.vip').get<unknown>('pools'));
    const text = problems.join('\n');
    if (text && text !== reportedPoolProblems) log.warn(`Ignoring invalid VIP pools in settings:\n${text}`);
    reportedPoolProblems = text;
    return ok;
  };

  const targetsFor = async (ids: string[]): Promise<VipTarget[]> => {
    const targets: VipTarget[] = [];
    for (const id of ids) {
      const s = await dataplane.session(id);
      if (!s) throw new UserFacingError(`There is no Data Plane connection "${id}".`);
      targets.push({ id, name: s.name, client: s.client });
    }
    return targets;
  };

  /** Raw configurations read for one command, so the wizard and the preview share one read per server. */
  const rawReader = () => {
    const cache = new Map<string, Promise<string>>();
    return (id: string): Promise<string> => {
      let p = cache.get(id);
      if (!p) {
        p = (async () => {
          const [t] = await targetsFor([id]);
          return (await t!.client.rawConfig()).text;
        })();
        cache.set(id, p);
        p.catch(() => cache.delete(id));
      }
      return p;
    };
  };

  const follow = (t: VipTarget, reloadId: string) => dataplane.followReload(t.id, reloadId);
  const describeServers = (outcomes: ServerOutcome[]): VipResult['servers'] => outcomes.map((o) => ({
    connection: o.target.id,
    status: o.status,
    changes: o.changes.map((c) => c.kind),
    reloadId: o.reloadId,
    reload: o.reload?.status,
    requests: o.requests,
    attempts: o.attempts,
    message: o.message,
  }));

  /** Runs `work` with a cancellable notification and records the status bar's states meanwhile. */
  const withProgress = async <T>(title: string, work: (signal: AbortSignal, report: (m: string) => void) => Promise<T>): Promise<{ value: T; statusBar: string[] }> => {
    const statusBar: string[] = [];
    const sub = dataplane.onDidChangeReloadState((s) => statusBar.push(s.kind));
    try {
      const value = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
        const ac = new AbortController();
        const cancel = token.onCancellationRequested(() => ac.abort());
        try {
          return await work(ac.signal, (message) => progress.report({ message }));
        } finally {
          cancel.dispose();
        }
      });
      return { value, statusBar };
    } finally {
      sub.dispose();
    }
  };

  /** Retries recording while the user asks to; HAProxy's state is kept whatever happens. */
  const recordWithRetry = async (what: string, interactive: boolean, run: () => Promise<RecordOutcome>): Promise<RecordOutcome> => {
    while (true) {
      const r = await run();
      if (r.annotations === 'written' && r.status !== 'failed') return r;
      log.warn(`${what}: ${r.detail ?? ''}`);
      const message = `HAProxy serves ${what}, but ${r.detail}. HAProxy's configuration is kept.`;
      if (!interactive) {
        void vscode.window.showErrorMessage(message);
        return r;
      }
      if ((await vscode.window.showErrorMessage(message, 'Retry')) !== 'Retry') return r;
    }
  };

  const confirmNoEndpoints = async (plan: VipPlan, allow: boolean | undefined): Promise<void> => {
    const empty = plan.ports.filter((p) => p.servers.length === 0);
    if (empty.length === 0 || allow) return;
    const text = `${plan.warnings.join(' ')} Until endpoints are ready, connections to ${plan.vip} on ${empty.map((p) => p.bind.port).join(', ')} are accepted and then closed.`;
    if ((await vscode.window.showWarningMessage(`Service ${plan.namespace}/${plan.service}: ${text}`, { modal: true }, 'Continue')) !== 'Continue') throw new OperationCancelledError();
  };

  // --- Create ----------------------------------------------------------------------------------

  const serviceOf = (arg: unknown): { namespace: string; name: string } | undefined => {
    if (isResourceNode(arg) && arg.ref.kind === 'Service') return { namespace: arg.ref.namespace ?? 'default', name: arg.ref.name };
    return undefined;
  };

  commands.register(VIP_COMMANDS.create, async (arg?: unknown, more?: unknown): Promise<VipResult | undefined> => {
    const ref = serviceOf(arg);
    const args: CreateVipArgs = parseCreateArgs(ref ? more : arg);
    const preset = ref ? await loadService(kube, ref) : undefined;
    const readRaw = rawReader();
    const answers = await createVipWizard({
      services: () => listServices(kube),
      connections: () => dataplane.connections(),
      liveStates: (ids) => Promise.resolve(vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Reading the live configurations…' }, () => Promise.all(ids.map(async (id) => readLiveState(await readRaw(id)))))),
      gatewayClasses: async () => {
        const tree = await kube.gatewayTree('classes');
        return tree.state === 'ok' ? tree.model.classes.filter((c) => c.exists).map((c) => c.name) : [];
      },
      pools,
    }, args, preset);
    return answers.mode === 'gateway' ? createGateway(answers, args) : createDirect(answers, args, readRaw);
  });

  const createDirect = async (a: WizardAnswers, args: CreateVipArgs, readRaw: (id: string) => Promise<string>): Promise<VipResult> => {
    const { ctx } = a;
    const name = `${ctx.service.metadata.namespace}/${ctx.service.metadata.name}`;
    const options: VipOptions = { vip: a.vip, ports: a.ports, balance: a.balance, healthChecks: a.healthChecks };
    const plan = planFor(ctx, options);
    await confirmNoEndpoints(plan, args.allowNoEndpoints);
    const recorded = recordedVip(ctx.service);
    const prune: VipNamesToRemove | undefined = recorded ? { frontends: recorded.frontends, backends: recorded.backends } : undefined;
    const targets = await targetsFor(a.connections);
    // Conflicts are refused here, before the preview, naming the server and the frontend.
    const changes = await Promise.all(targets.map(async (t) => {
      const text = await readRaw(t.id);
      try {
        return { t, text, changes: vipChanges(plan, readLiveState(text), prune) };
      } catch (err) {
        throw new UserFacingError(`On "${t.name}": ${errorMessage(err)}`);
      }
    }));
    if (!args.confirm || args.preview) {
      for (const c of changes) {
        const uris = previews.pair(c.t.id);
        previews.set(uris.before, stripVersionLine(c.text));
        previews.set(uris.after, previewConfig(c.text, plan, prune));
        await vscode.commands.executeCommand('vscode.diff', uris.before, uris.after, `haproxy.cfg on ${c.t.name}: live ↔ with VIP ${plan.vip}`, { preview: changes.length === 1 });
      }
    }
    if (!args.confirm) {
      const count = changes.map((c) => `${c.t.name}: ${c.changes.length === 0 ? 'nothing to change' : `${c.changes.length} change${c.changes.length === 1 ? '' : 's'}`}`).join('; ');
      const choice = await vscode.window.showInformationMessage(`Apply VIP ${plan.vip} for ${name}? ${count}. Each server gets one transaction and one reload.`, 'Apply', 'Cancel');
      if (choice !== 'Apply') {
        log.info(`Create VIP for ${name}: cancelled at the preview; nothing was written`);
        return { service: name, vip: plan.vip, mode: 'direct', cancelled: true, servers: [], statusBar: [] };
      }
    }
    const { value: outcomes, statusBar } = await withProgress(`VIP ${plan.vip} for ${name}`, (signal, report) => {
      report(`writing to ${targets.map((t) => t.name).join(', ')}…`);
      return applyVip(targets, plan, { logger, signal, prune, follow, onServerDone: (o) => report(o.message) });
    });
    for (const o of outcomes) {
      log.info(`Create VIP ${plan.vip} for ${name}: ${o.message} (${o.requests} requests)`);
      dataplane.refresh(o.target.id);
    }
    const result: VipResult = { service: name, vip: plan.vip, mode: 'direct', servers: describeServers(outcomes), statusBar };
    if (outcomes.every((o) => o.status === 'cancelled')) {
      void vscode.window.showInformationMessage(`Create VIP for ${name} was cancelled before the commit: nothing was changed.`);
      return { ...result, cancelled: true };
    }
    const served = outcomes.filter((o) => o.status === 'applied' || o.status === 'unchanged').map((o) => o.target.id);
    if (served.length > 0) {
      const keep = (recorded?.connections ?? []).filter((id) => !a.connections.includes(id) && dataplane.connections().some((c) => c.id === id));
      result.record = await recordWithRetry(`VIP ${plan.vip} for ${name}`, !args.confirm, () => recordDirect(kube, ctx, plan, [...keep, ...served], options));
    }
    const summary = summarize(outcomes);
    const recordText = result.record ? (result.record.status === 'written' ? ` Service status shows ${plan.vip}.` : result.record.status === 'skipped' && result.record.annotations === 'written' ? ` ${capitalize(result.record.detail ?? '')}.` : '') : '';
    if (summary.ok) void vscode.window.showInformationMessage(`VIP ${plan.vip} serves ${name}: ${summary.text}.${recordText}`);
    else void vscode.window.showErrorMessage(`VIP ${plan.vip} for ${name}: ${summary.text}.${recordText}`, 'Open Log').then((c) => c === 'Open Log' && log.show(true));
    return result;
  };

  const createGateway = async (a: WizardAnswers, args: CreateVipArgs): Promise<VipResult> => {
    const { ctx } = a;
    const name = `${ctx.service.metadata.namespace}/${ctx.service.metadata.name}`;
    const routeVersion = (await kube.tcpRouteVersion()) === 'v1alpha2' ? 'v1alpha2' : 'v1';
    const service = a.ports ? { ...ctx.service, spec: { ...ctx.service.spec, ports: (ctx.service.spec?.ports ?? []).filter((p) => a.ports!.map(String).includes(p.name ?? String(p.port)) || a.ports!.map(String).includes(String(p.port))) } } : ctx.service;
    const planned = planGateway(service, a.vip, a.gatewayClassName!, routeVersion);
    if (!args.confirm || args.preview) {
      const uri = previews.single(`${ctx.service.metadata.namespace}-${ctx.service.metadata.name}-gateway.yaml`);
      previews.set(uri, [planned.gateway, ...planned.routes].map((o) => toYaml(o, { lineWidth: 0 })).join('---\n'));
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.languages.setTextDocumentLanguage(doc, 'yaml');
      await vscode.window.showTextDocument(doc, { preview: true });
    }
    if (!args.confirm) {
      const choice = await vscode.window.showInformationMessage(`Create Gateway ${planned.gateway.metadata.name} (class ${a.gatewayClassName}, address ${a.vip}) and ${planned.routes.length} TCPRoute(s) for ${name}?`, 'Apply', 'Cancel');
      if (choice !== 'Apply') return { service: name, vip: a.vip, mode: 'gateway', cancelled: true, servers: [], statusBar: [] };
    }
    const { value: out, statusBar } = await withProgress(`Gateway for ${name}`, (signal, report) =>
      createViaGateway(kube, ctx, { vip: a.vip, gatewayClassName: a.gatewayClassName!, ports: a.ports, signal, onUpdate: (r) => report(r.state === 'pending' ? `waiting for the controller: ${r.reason}` : r.state) }));
    const gw = out.plan.gateway.metadata;
    const r = out.readiness;
    log.info(`Gateway ${gw.namespace}/${gw.name} for ${name}: ${JSON.stringify(r)}`);
    if (out.recordProblem) {
      log.warn(`Gateway ${gw.namespace}/${gw.name} for ${name}: ${out.recordProblem}`);
      void vscode.window.showWarningMessage(`Gateway ${gw.namespace}/${gw.name} was created, but ${out.recordProblem}. Delete VIP finds it by its labels all the same.`);
    }
    if (r.state === 'programmed') void vscode.window.showInformationMessage(`Gateway ${gw.namespace}/${gw.name} is Programmed: ${name} is served at ${r.addresses.join(', ') || a.vip}.`);
    else if (r.state === 'failed') void vscode.window.showErrorMessage(`Gateway ${gw.namespace}/${gw.name} was not programmed: ${r.reason}${r.message ? ` (${r.message})` : ''}.`);
    else void vscode.window.showWarningMessage(`Gateway ${gw.namespace}/${gw.name} is not programmed yet: ${r.reason}${r.message ? ` (${r.message})` : ''}. Watch it in the Kubernetes Gateways view.`);
    return {
      service: name,
      vip: a.vip,
      mode: 'gateway',
      servers: [],
      statusBar,
      gateway: { name: gw.name, namespace: gw.namespace, state: r.state, routeVersion: out.routeVersion, ...(r.state === 'programmed' ? { addresses: r.addresses } : { reason: r.reason, message: r.message }) },
    };
  };

  // --- Resync and Delete -----------------------------------------------------------------------

  /** The Service a Resync or Delete is about: from a Service node, a VIP node, or `{ service }`. */
  const resolve = async (arg: unknown): Promise<{ ctx?: ServiceContext; node?: VipNode }> => {
    const ref = serviceOf(arg);
    if (ref) return { ctx: await loadService(kube, ref) };
    if (arg instanceof VipNode) {
      const id = arg.vip.identity;
      const all = await listServices(kube);
      const ctx = id
        ? all.find((c) => c.service.metadata.namespace === id.namespace && c.service.metadata.name === id.service)
        : all.find((c) => ourNames(c.service).frontends.includes(arg.vip.frontend));
      return { ctx, node: arg };
    }
    const o = arg as { service?: unknown } | undefined;
    if (o && typeof o === 'object' && o.service !== undefined) return { ctx: await loadService(kube, serviceRef(o.service)) };
    // From the palette: the Services that carry our record.
    const recorded = (await listServices(kube)).filter((c) => recordedVip(c.service) || c.service.metadata.annotations?.[GATEWAY_MODE_ANNOTATION]);
    if (recorded.length === 0) throw new UserFacingError('No Service carries a VIP created by this extension.');
    const describe = (c: ServiceContext): string => recordedVip(c.service)?.vip ?? `Gateway ${c.service.metadata.annotations?.[GATEWAY_MODE_ANNOTATION] ?? ''}`;
    const picked = await vscode.window.showQuickPick(recorded.map((c) => ({ label: c.service.metadata.name, description: `${c.service.metadata.namespace} · ${describe(c)}`, c })), { placeHolder: 'Service with a VIP' });
    if (!picked) throw new OperationCancelledError();
    return { ctx: picked.c };
  };

  const recordedTargets = async (ctx: ServiceContext): Promise<{ targets: VipTarget[]; missing: string[] }> => {
    const recorded = recordedVip(ctx.service);
    const known = new Set(dataplane.connections().map((c) => c.id));
    const ids = recorded?.connections ?? [];
    return { targets: await targetsFor(ids.filter((id) => known.has(id))), missing: ids.filter((id) => !known.has(id)) };
  };

  /** Options of Resync and Delete: the second argument, or the first when it is `{ service, ... }`. */
  const optionsOf = <T extends object>(arg: unknown, more: unknown): Partial<T> => {
    const o = more ?? (arg && typeof arg === 'object' && !isResourceNode(arg) && !(arg instanceof VipNode) ? arg : undefined);
    return o && typeof o === 'object' ? (o as Partial<T>) : {};
  };

  commands.register(VIP_COMMANDS.resync, async (arg?: unknown, more?: unknown): Promise<VipResult> => {
    const opts = optionsOf<{ allowNoEndpoints: boolean }>(arg, more);
    const { ctx, node } = await resolve(arg);
    if (!ctx) throw new UserFacingError(`The Service of ${node?.vip.frontend ?? 'this VIP'} is not in the cluster (or its namespace is filtered out): nothing to resync from.`);
    const name = `${ctx.service.metadata.namespace}/${ctx.service.metadata.name}`;
    const gateway = ctx.service.metadata.annotations?.[GATEWAY_MODE_ANNOTATION];
    if (!recordedVip(ctx.service) && gateway) throw new UserFacingError(`The VIP of ${name} was asked for in Gateway mode (Gateway ${gateway}): its Gateway controller keeps the endpoints in step, there is nothing to resync here.`);
    const { options } = resyncOptions(ctx);
    const { targets, missing } = await recordedTargets(ctx);
    if (targets.length === 0) throw new UserFacingError(`The VIP of ${name} was created on connection(s) ${missing.join(', ') || '(none recorded)'}, which no longer exist here.`);
    const plan = planFor(ctx, options);
    await confirmNoEndpoints(plan, opts.allowNoEndpoints === true);
    const { value: outcomes, statusBar } = await withProgress(`Resync VIP ${plan.vip} for ${name}`, (signal, report) => resyncVip(targets, plan, { logger, signal, follow, onServerDone: (o) => report(o.message) }));
    for (const o of outcomes) {
      log.info(`Resync VIP ${plan.vip} for ${name}: ${o.message} (${o.requests} requests)`);
      dataplane.refresh(o.target.id);
    }
    const summary = summarize(outcomes);
    const notes = [...new Set(outcomes.flatMap((o) => o.notes)), ...(missing.length ? [`connection(s) ${missing.join(', ')} no longer exist here`] : [])];
    const text = `Resync of ${name}: ${summary.text}${notes.length ? ` (${notes.join('; ')})` : ''}.`;
    if (summary.ok) void vscode.window.showInformationMessage(text);
    else void vscode.window.showErrorMessage(text);
    return { service: name, vip: plan.vip, mode: 'direct', servers: describeServers(outcomes), statusBar };
  });

  commands.register(VIP_COMMANDS.delete, async (arg?: unknown, more?: unknown): Promise<VipResult | undefined> => {
    const opts = optionsOf<{ confirm: boolean }>(arg, more);
    const { ctx, node } = await resolve(arg);
    let targets: VipTarget[];
    let names: VipNamesToRemove;
    let label: string;
    if (ctx && recordedVip(ctx.service)) {
      names = ourNames(ctx.service);
      ({ targets } = await recordedTargets(ctx));
      if (node && !targets.some((t) => t.id === node.connectionId)) targets.push(...(await targetsFor([node.connectionId])));
      label = `${ctx.service.metadata.namespace}/${ctx.service.metadata.name}`;
    } else if (ctx && !node) {
      return deleteGatewayMode(ctx, opts.confirm === true);
    } else if (node) {
      names = { frontends: [node.vip.frontend], backends: node.vip.backend?.startsWith('vipbe_') ? [node.vip.backend] : [] };
      targets = await targetsFor([node.connectionId]);
      label = node.vip.frontend;
    } else {
      throw new UserFacingError(`Service ${ctx!.service.metadata.namespace}/${ctx!.service.metadata.name} has no VIP created by this extension.`);
    }
    if (targets.length === 0) throw new UserFacingError(`No existing connection holds the VIP of ${label}.`);
    const vip = ctx ? recordedVip(ctx.service)?.vip : undefined;
    if (opts.confirm !== true) {
      const detail = `Removes frontend(s) ${names.frontends.join(', ')} and backend(s) ${names.backends.join(', ')} from ${targets.map((t) => t.name).join(', ')} (one transaction and one reload each)${ctx ? ', and the record on the Service' : ''}.`;
      if ((await vscode.window.showWarningMessage(`Delete the VIP${vip ? ` ${vip}` : ''} of ${label}?`, { modal: true, detail }, 'Delete')) !== 'Delete') return undefined;
    }
    const { value: outcomes, statusBar } = await withProgress(`Delete VIP of ${label}`, (signal, report) => deleteVip(targets, names, { logger, signal, follow, onServerDone: (o) => report(o.message) }));
    for (const o of outcomes) {
      log.info(`Delete VIP of ${label}: ${o.message} (${o.requests} requests)`);
      dataplane.refresh(o.target.id);
    }
    const result: VipResult = { service: label, vip, mode: 'direct', servers: describeServers(outcomes), statusBar };
    const failed = outcomes.filter((o) => o.status === 'failed' || o.status === 'cancelled').map((o) => o.target.id);
    if (ctx && recordedVip(ctx.service)) {
      const recorded = recordedVip(ctx.service)!;
      const remaining = recorded.connections.filter((id) => failed.includes(id) || !targets.some((t) => t.id === id));
      result.record = remaining.length === 0
        ? await recordWithRetry(`no VIP for ${label} any more`, opts.confirm !== true, () => unrecord(kube, ctx))
        : await kube.patchServiceAnnotations(ctx.service.metadata.namespace ?? 'default', ctx.service.metadata.name, { 'haproxy-gateway.io/connections': remaining.join(',') }).then(() => ({ annotations: 'written' as const, status: 'skipped' as const, detail: `still on ${remaining.join(', ')}` }), (err) => ({ annotations: 'failed' as const, status: 'skipped' as const, detail: errorMessage(err), error: err }));
    }
    const summary = summarize(outcomes);
    if (summary.ok) void vscode.window.showInformationMessage(`Deleted the VIP of ${label}: ${summary.text}.`);
    else void vscode.window.showErrorMessage(`Delete VIP of ${label}: ${summary.text}.`);
    return result;
  });

  /** A VIP asked for in Gateway mode: the Gateway and TCPRoutes created for the Service go. */
  const deleteGatewayMode = async (ctx: ServiceContext, confirmed: boolean): Promise<VipResult | undefined> => {
    const label = `${ctx.service.metadata.namespace}/${ctx.service.metadata.name}`;
    const refs = await gatewayModeObjects(kube, ctx);
    const recordedGateway = ctx.service.metadata.annotations?.[GATEWAY_MODE_ANNOTATION];
    if (refs.length === 0 && recordedGateway === undefined) throw new UserFacingError(`Service ${label} has no VIP created by this extension (no record on the Service, no Gateway of Gateway mode).`);
    if (refs.length === 0) {
      // The Gateway went some other way: only the record is left to clear.
      const { failed } = await deleteGatewayModeObjects(kube, ctx, []);
      if (failed.length > 0) throw new UserFacingError(`Gateway ${recordedGateway} of ${label} no longer exists, but the record on the Service could not be cleared: ${errorMessage(failed[0]!.error)}`);
      kubernetes.refresh();
      void vscode.window.showInformationMessage(`Gateway ${recordedGateway} of ${label} no longer exists; its record on the Service was cleared.`);
      return { service: label, mode: 'gateway', servers: [], statusBar: [], deleted: [] };
    }
    const list = refs.map((r) => `${r.kind} ${r.name}`);
    if (!confirmed) {
      const detail = `Deletes ${list.join(', ')} in namespace ${ctx.service.metadata.namespace}; the Gateway controller then removes the VIP from HAProxy.`;
      if ((await vscode.window.showWarningMessage(`Delete the Gateway-mode VIP of ${label}?`, { modal: true, detail }, 'Delete')) !== 'Delete') return undefined;
    }
    const { deleted, failed } = await deleteGatewayModeObjects(kube, ctx, refs);
    for (const r of deleted) log.info(`Delete VIP of ${label}: deleted ${r.kind} ${r.namespace}/${r.name}`);
    for (const f of failed) log.warn(`Delete VIP of ${label}: ${f.ref.kind} ${f.ref.name} could not be deleted: ${errorMessage(f.error)}`);
    kubernetes.refresh();
    if (failed.length === 0) void vscode.window.showInformationMessage(`Deleted the Gateway-mode VIP of ${label}: ${list.join(', ')}.`);
    else void vscode.window.showErrorMessage(`Delete VIP of ${label}: ${failed.map((f) => `${f.ref.kind} ${f.ref.name}: ${errorMessage(f.error)}`).join('; ')}.`, 'Open Log').then((c) => c === 'Open Log' && log.show(true));
    return { service: label, mode: 'gateway', servers: [], statusBar: [], deleted: deleted.map((r) => `${r.kind} ${r.name}`) };
  };
}

function capitalize(s: string): string {
  return s ? s[0]!.toUpperCase() + s.slice(1) : s;
}
