// Create VIP, Resync VIP Endpoints and Delete VIP as one workflow against injected ports: the Data
// Plane API servers, the cluster, and a prompter that asks and shows. Every decision is taken here
// (what to read, conflicts, what to preview, what to record, what the outcome says); the UI only
// asks, shows and reports. Plain data in and out, so unit tests drive it with fake ports.
import { stringify as toYaml } from 'yaml';
import { OperationCancelledError, UserFacingError, errorMessage } from '../../shared/errors';
import type { Logger } from '../../shared/logger';
import {
  guardRuntimeState,
  type RuntimeChoice,
  type RuntimeGuard,
  type RuntimeStateQuestion,
} from '../../dataplane/api';
import type { PoolSetting } from './addresses';
import {
  applyVip,
  deleteChanges,
  deleteVip,
  previewConfig,
  resyncChanges,
  resyncVip,
  summarize,
  vipChanges,
  type FollowFn,
  type ServerOutcome,
  type VipNamesToRemove,
  type VipTarget,
} from './apply';
import { GATEWAY_MODE_ANNOTATION, planGateway } from './gatewayMode';
import { recordedVip, type CreateVipArgs } from './inputs';
import { readLiveState, stripServerHeader, type ServedVip } from './live';
import type { VipPlan } from './planner';
import type { CreateAnswers, CreateSources } from './questions';
import {
  addressPolicyFor,
  createViaGateway,
  deleteGatewayModeObjects,
  gatewayModeObjects,
  listServices,
  loadService,
  ourNames,
  planFor,
  recordDirect,
  recordRemaining,
  resyncOptions,
  unrecord,
  withPorts,
  type KubeForVip,
  type RecordOutcome,
  type ServiceContext,
  type VipOptions,
} from './workflow';

/** What a VIP command returns (for tests and automation): plain data, no secrets. */
export interface VipResult {
  service: string;
  vip?: string;
  mode: 'direct' | 'gateway';
  cancelled?: boolean;
  servers: {
    connection: string;
    status: ServerOutcome['status'];
    changes: string[];
    reloadId?: string;
    reload?: string;
    requests: number;
    /** The requests of the write itself, without the reload's polls (see ServerOutcome). */
    writeRequests?: number;
    attempts?: number;
    message: string;
  }[];
  record?: RecordOutcome;
  /** The reload status bar's states while the command ran, in order. */
  statusBar: string[];
  gateway?: {
    name: string;
    namespace: string;
    state: string;
    addresses?: string[];
    reason?: string;
    message?: string;
    routeVersion: string;
  };
  /** Delete VIP in Gateway mode: the objects deleted, as "Kind name". */
  deleted?: string[];
}

/** The Data Plane API side. */
export interface VipServers {
  connections(): { id: string; name: string; url: string }[];
  /** The client of a connection; undefined when there is no such connection. */
  target(id: string): Promise<VipTarget | undefined>;
  follow: FollowFn;
  /** Redraws a connection's rows after a write. */
  refresh(id: string): void;
  /** Records the reload status bar's states until disposed. */
  watchReloads(): { readonly states: string[]; dispose(): void };
}

/** The cluster side: the reads and writes of ./workflow, GatewayClasses, and a redraw. */
export interface VipCluster extends KubeForVip {
  gatewayClasses(): Promise<string[]>;
  refresh(): void;
}

export type OutcomeLevel = 'info' | 'warning' | 'error';

/** Asks and shows; never decides. */
export interface VipPrompter {
  /** The Create VIP questions. Throws OperationCancelledError on Escape. */
  askCreate(sources: CreateSources, args: CreateVipArgs, preset?: ServiceContext): Promise<CreateAnswers>;
  pickService(
    items: { label: string; description: string; ctx: ServiceContext }[],
    placeholder: string,
  ): Promise<ServiceContext | undefined>;
  /** True when the user chose `action`. Modal questions block the window; the others offer Cancel too. */
  confirm(o: {
    level: 'info' | 'warning';
    message: string;
    detail?: string;
    action: string;
    modal: boolean;
  }): Promise<boolean>;
  showDiff(o: { connectionId: string; before: string; after: string; title: string; preview: boolean }): Promise<void>;
  showDocument(o: { name: string; text: string; language: 'yaml' }): Promise<void>;
  /** Runs `work` with a cancellable progress notification. */
  progress<T>(title: string, work: (signal: AbortSignal, report: (message: string) => void) => Promise<T>): Promise<T>;
  /**
   * Runtime state a reload would undo (drained servers, maintenance, weights): keep it (re-apply
   * after the reload) or let the reload reset it; undefined cancels. Absent: kept without asking.
   */
  keepRuntimeState?(q: RuntimeStateQuestion): Promise<RuntimeChoice | undefined>;
  /** A result or partial outcome; resolves when dismissed, with the chosen action (do not wait without actions). */
  report(o: { level: OutcomeLevel; message: string; actions?: string[] }): Promise<string | undefined>;
}

export interface VipPorts {
  servers: VipServers;
  cluster: VipCluster;
  ui: VipPrompter;
  logger: Logger;
  /** The valid pools of the settings. */
  pools(): PoolSetting[];
}

/** What Resync and Delete are about: a Service, a VIP row of a server, or both. */
export interface VipSubject {
  ctx?: ServiceContext;
  served?: { connectionId: string; vip: ServedVip };
}

const RETRY = 'Retry';

export class VipWorkflow {
  /** Apply's per-request chatter goes to debug. */
  private readonly applyLogger: Logger;

  constructor(private readonly p: VipPorts) {
    this.applyLogger = { ...p.logger, info: (m) => p.logger.debug(m) };
  }

  // --- subjects ----------------------------------------------------------------------------------

  service(ref: { namespace: string; name: string }): Promise<ServiceContext> {
    return loadService(this.p.cluster, ref);
  }

  /** The Service of a VIP row: by the identity in its frontend's name, else by our recorded names. */
  async servedSubject(connectionId: string, vip: ServedVip): Promise<VipSubject> {
    const id = vip.identity;
    const all = await listServices(this.p.cluster);
    const ctx = id
      ? all.find((c) => c.service.metadata.namespace === id.namespace && c.service.metadata.name === id.service)
      : all.find((c) => ourNames(c.service).frontends.includes(vip.frontend));
    return { ctx, served: { connectionId, vip } };
  }

  /** From the palette: one of the Services that carry our record. */
  async pickSubject(): Promise<VipSubject> {
    const recorded = (await listServices(this.p.cluster)).filter(
      (c) => recordedVip(c.service) || c.service.metadata.annotations?.[GATEWAY_MODE_ANNOTATION],
    );
    if (recorded.length === 0) throw new UserFacingError('No Service carries a VIP created by this extension.');
    const describe = (c: ServiceContext): string =>
      recordedVip(c.service)?.vip ?? `Gateway ${c.service.metadata.annotations?.[GATEWAY_MODE_ANNOTATION] ?? ''}`;
    const items = recorded.map((c) => ({
      label: c.service.metadata.name,
      description: `${c.service.metadata.namespace} · ${describe(c)}`,
      ctx: c,
    }));
    const ctx = await this.p.ui.pickService(items, 'Service with a VIP');
    if (!ctx) throw new OperationCancelledError();
    return { ctx };
  }

  // --- Create ------------------------------------------------------------------------------------

  async create(args: CreateVipArgs, preset?: ServiceContext): Promise<VipResult> {
    const readRaw = this.rawReader();
    const sources: CreateSources = {
      services: () => listServices(this.p.cluster),
      connections: () => this.p.servers.connections(),
      liveStates: (ids) => Promise.all(ids.map(async (id) => readLiveState(await readRaw(id)))),
      gatewayClasses: () => this.p.cluster.gatewayClasses(),
      addressPolicy: (ctx, live) => addressPolicyFor(ctx, live, this.p.pools()),
    };
    const answers = await this.p.ui.askCreate(sources, args, preset);
    return answers.mode === 'gateway' ? this.createGateway(answers, args) : this.createDirect(answers, args, readRaw);
  }

  private async createDirect(
    a: CreateAnswers,
    args: CreateVipArgs,
    readRaw: (id: string) => Promise<string>,
  ): Promise<VipResult> {
    const { ctx } = a;
    const name = label(ctx);
    const options: VipOptions = { vip: a.vip, ports: a.ports, balance: a.balance, healthChecks: a.healthChecks };
    const plan = planFor(ctx, options);
    await this.confirmNoEndpoints(plan, args.allowNoEndpoints);
    const recorded = recordedVip(ctx.service);
    const prune: VipNamesToRemove | undefined = recorded
      ? { frontends: recorded.frontends, backends: recorded.backends }
      : undefined;
    const targets = await this.targets(a.connections);
    // Conflicts are refused here, before the preview, naming the server and the frontend.
    const changes = await Promise.all(
      targets.map(async (t) => {
        const text = await readRaw(t.id);
        try {
          return { t, text, changes: vipChanges(plan, readLiveState(text), prune) };
        } catch (err) {
          throw new UserFacingError(`On "${t.name}": ${errorMessage(err)}`);
        }
      }),
    );
    if (!args.confirm || args.preview) {
      for (const c of changes) {
        const title = `haproxy.cfg on ${c.t.name}: live ↔ with VIP ${plan.vip}`;
        await this.p.ui.showDiff({
          connectionId: c.t.id,
          before: stripServerHeader(c.text),
          after: previewConfig(c.text, plan, prune),
          title,
          preview: changes.length === 1,
        });
      }
    }
    if (!args.confirm) {
      const count = changes
        .map((c) => `${c.t.name}: ${c.changes.length === 0 ? 'nothing to change' : plural(c.changes.length, 'change')}`)
        .join('; ');
      const message = `Apply VIP ${plan.vip} for ${name}? ${count}. Each server gets one transaction and one reload.`;
      if (!(await this.p.ui.confirm({ level: 'info', message, action: 'Apply', modal: false }))) {
        this.p.logger.info(`Create VIP for ${name}: cancelled at the preview; nothing was written`);
        return { service: name, vip: plan.vip, mode: 'direct', cancelled: true, servers: [], statusBar: [] };
      }
    }
    const guards = await this.runtimeGuards(
      changes.filter((c) => c.changes.length > 0).map((c) => ({ t: c.t, text: c.text })),
      !args.confirm,
    );
    const { value: outcomes, statusBar } = await this.withProgress(`VIP ${plan.vip} for ${name}`, (signal, report) => {
      report(`writing to ${targets.map((t) => t.name).join(', ')}…`);
      return applyVip(targets, plan, {
        logger: this.applyLogger,
        signal,
        prune,
        follow: this.p.servers.follow,
        onServerDone: (o) => report(o.message),
      });
    });
    this.done(`Create VIP ${plan.vip} for ${name}`, outcomes);
    const kept = await this.afterReloads(guards, outcomes);
    const result: VipResult = {
      service: name,
      vip: plan.vip,
      mode: 'direct',
      servers: describeServers(outcomes),
      statusBar,
    };
    if (outcomes.every((o) => o.status === 'cancelled')) {
      void this.p.ui.report({
        level: 'info',
        message: `Create VIP for ${name} was cancelled before the commit: nothing was changed.`,
      });
      return { ...result, cancelled: true };
    }
    const served = outcomes.filter((o) => o.status === 'applied' || o.status === 'unchanged').map((o) => o.target.id);
    if (served.length > 0) {
      // Servers recorded earlier and not part of this run still serve the VIP: they stay recorded.
      const known = new Set(this.p.servers.connections().map((c) => c.id));
      const keep = (recorded?.connections ?? []).filter((id) => !a.connections.includes(id) && known.has(id));
      const connections = [...keep, ...served];
      result.record = await this.recordWithRetry(`VIP ${plan.vip} for ${name}`, !args.confirm, () =>
        recordDirect(this.p.cluster, ctx, plan, connections, options),
      );
    }
    this.reportCreated(plan.vip, name, outcomes, result.record, kept);
    return result;
  }

  /** One message for a direct Create: the servers' outcomes, the Service record, runtime state kept. */
  private reportCreated(
    vip: string,
    name: string,
    outcomes: ServerOutcome[],
    r: RecordOutcome | undefined,
    kept: string,
  ) {
    const summary = summarize(outcomes);
    const recordText = !r
      ? ''
      : r.status === 'written'
        ? ` Service status shows ${vip}.`
        : r.status === 'skipped' && r.annotations === 'written'
          ? ` ${capitalize(r.detail ?? '')}.`
          : '';
    void this.p.ui.report(
      summary.ok
        ? { level: 'info', message: `VIP ${vip} serves ${name}: ${summary.text}.${recordText}${kept}` }
        : { level: 'error', message: `VIP ${vip} for ${name}: ${summary.text}.${recordText}${kept}` },
    );
  }

  private async createGateway(a: CreateAnswers, args: CreateVipArgs): Promise<VipResult> {
    const { ctx } = a;
    const name = label(ctx);
    const className = a.gatewayClassName!;
    if (!args.confirm || args.preview) {
      const routeVersion = (await this.p.cluster.tcpRouteVersion()) === 'v1alpha2' ? 'v1alpha2' : 'v1';
      const planned = planGateway(withPorts(ctx.service, a.ports), a.vip, className, routeVersion);
      const text = [planned.gateway, ...planned.routes].map((o) => toYaml(o, { lineWidth: 0 })).join('---\n');
      await this.p.ui.showDocument({
        name: `${ctx.service.metadata.namespace}-${ctx.service.metadata.name}-gateway.yaml`,
        text,
        language: 'yaml',
      });
      if (!args.confirm) {
        const gateway = `Gateway ${planned.gateway.metadata.name} (class ${className}, address ${a.vip})`;
        const message = `Create ${gateway} and ${planned.routes.length} TCPRoute(s) for ${name}?`;
        if (!(await this.p.ui.confirm({ level: 'info', message, action: 'Apply', modal: false }))) {
          return { service: name, vip: a.vip, mode: 'gateway', cancelled: true, servers: [], statusBar: [] };
        }
      }
    }
    const { value: out, statusBar } = await this.withProgress(`Gateway for ${name}`, (signal, report) =>
      createViaGateway(this.p.cluster, ctx, {
        vip: a.vip,
        gatewayClassName: className,
        ports: a.ports,
        signal,
        onUpdate: (r) => report(r.state === 'pending' ? `waiting for the controller: ${r.reason}` : r.state),
      }),
    );
    const gw = out.plan.gateway.metadata;
    const gateway = `Gateway ${gw.namespace}/${gw.name}`;
    const r = out.readiness;
    this.p.logger.info(`${gateway} for ${name}: ${JSON.stringify(r)}`);
    if (out.recordProblem) {
      void this.p.ui.report({
        level: 'warning',
        message: `${gateway} was created, but ${out.recordProblem}. Delete VIP finds it by its labels all the same.`,
      });
    }
    const why = r.state === 'programmed' ? '' : `${r.reason}${r.message ? ` (${r.message})` : ''}`;
    if (r.state === 'programmed')
      void this.p.ui.report({
        level: 'info',
        message: `${gateway} is Programmed: ${name} is served at ${r.addresses.join(', ') || a.vip}.`,
      });
    else if (r.state === 'failed')
      void this.p.ui.report({ level: 'error', message: `${gateway} was not programmed: ${why}.` });
    else
      void this.p.ui.report({
        level: 'warning',
        message: `${gateway} is not programmed yet: ${why}. Watch it in the Kubernetes Gateways view.`,
      });
    const state = r.state === 'programmed' ? { addresses: r.addresses } : { reason: r.reason, message: r.message };
    return {
      service: name,
      vip: a.vip,
      mode: 'gateway',
      servers: [],
      statusBar,
      gateway: { name: gw.name, namespace: gw.namespace, state: r.state, routeVersion: out.routeVersion, ...state },
    };
  }

  // --- Resync ------------------------------------------------------------------------------------

  /**
   * Resync: `preview` shows each server's live haproxy.cfg beside the resynced one first, then asks
   * before writing unless `confirm` (automation that already saw the preview) is set.
   */
  async resync(
    subject: VipSubject,
    opts: { allowNoEndpoints?: boolean; preview?: boolean; confirm?: boolean },
  ): Promise<VipResult> {
    const { ctx, served } = subject;
    if (!ctx)
      throw new UserFacingError(
        `The Service of ${served?.vip.frontend ?? 'this VIP'} is not in the cluster ` +
          '(or its namespace is filtered out): nothing to resync from.',
      );
    const name = label(ctx);
    const gateway = ctx.service.metadata.annotations?.[GATEWAY_MODE_ANNOTATION];
    if (!recordedVip(ctx.service) && gateway) {
      throw new UserFacingError(
        `The VIP of ${name} was asked for in Gateway mode (Gateway ${gateway}): ` +
          'its Gateway controller keeps the endpoints in step, there is nothing to resync here.',
      );
    }
    const { options } = resyncOptions(ctx);
    const { targets, missing } = await this.recordedTargets(ctx);
    if (targets.length === 0)
      throw new UserFacingError(
        `The VIP of ${name} was created on connection(s) ${missing.join(', ') || '(none recorded)'}, ` +
          'which no longer exist here.',
      );
    const plan = planFor(ctx, options);
    await this.confirmNoEndpoints(plan, opts.allowNoEndpoints === true);
    if (opts.preview && !(await this.previewResync(targets, plan, name, opts.confirm === true))) {
      this.p.logger.info(`Resync VIP for ${name}: cancelled at the preview; nothing was written`);
      return { service: name, vip: plan.vip, mode: 'direct', cancelled: true, servers: [], statusBar: [] };
    }
    const guards = await this.runtimeGuardsOf(targets, true, (live) => resyncChanges(plan, live).changes.length);
    const { value: outcomes, statusBar } = await this.withProgress(
      `Resync VIP ${plan.vip} for ${name}`,
      (signal, report) =>
        resyncVip(targets, plan, {
          logger: this.applyLogger,
          signal,
          follow: this.p.servers.follow,
          onServerDone: (o) => report(o.message),
        }),
    );
    this.done(`Resync VIP ${plan.vip} for ${name}`, outcomes);
    const kept = await this.afterReloads(guards, outcomes);
    const summary = summarize(outcomes);
    const notes = [
      ...new Set(outcomes.flatMap((o) => o.notes)),
      ...(missing.length ? [`connection(s) ${missing.join(', ')} no longer exist here`] : []),
    ];
    const message = `Resync of ${name}: ${summary.text}${notes.length ? ` (${notes.join('; ')})` : ''}.${kept}`;
    void this.p.ui.report({ level: summary.ok ? 'info' : 'error', message });
    return { service: name, vip: plan.vip, mode: 'direct', servers: describeServers(outcomes), statusBar };
  }

  /** Shows what a resync would change on each server (as Create does); true when it may go on. */
  private async previewResync(targets: VipTarget[], plan: VipPlan, name: string, confirmed: boolean): Promise<boolean> {
    const read = await Promise.all(
      targets.map(async (t) => {
        const text = (await t.client.rawConfig()).text;
        return { t, text, ...resyncChanges(plan, readLiveState(text)) };
      }),
    );
    // Nothing to change anywhere: no diff to look at, the resync reports "nothing to change".
    if (read.every((r) => r.changes.length === 0)) return true;
    for (const r of read) {
      await this.p.ui.showDiff({
        connectionId: r.t.id,
        before: stripServerHeader(r.text),
        after: previewConfig(r.text, plan, undefined, { resync: true }),
        title: `haproxy.cfg on ${r.t.name}: live ↔ resynced servers of ${name}`,
        preview: read.length === 1,
      });
    }
    if (confirmed) return true;
    const count = read
      .map((r) => `${r.t.name}: ${r.changes.length === 0 ? 'nothing to change' : plural(r.changes.length, 'change')}`)
      .join('; ');
    const message = `Resync the servers of ${name} (VIP ${plan.vip})? ${count}.`;
    return this.p.ui.confirm({ level: 'info', message, action: 'Apply', modal: false });
  }

  // --- Delete ------------------------------------------------------------------------------------

  async delete(subject: VipSubject, opts: { confirm?: boolean }): Promise<VipResult | undefined> {
    const { ctx, served } = subject;
    const recorded = ctx && recordedVip(ctx.service);
    let targets: VipTarget[];
    let names: VipNamesToRemove;
    let what: string;
    if (ctx && recorded) {
      names = ourNames(ctx.service);
      ({ targets } = await this.recordedTargets(ctx));
      if (served && !targets.some((t) => t.id === served.connectionId))
        targets.push(...(await this.targets([served.connectionId])));
      what = label(ctx);
    } else if (ctx && !served) {
      return this.deleteGatewayMode(ctx, opts.confirm === true);
    } else if (served) {
      const v = served.vip;
      names = { frontends: [v.frontend], backends: v.backend?.startsWith('vipbe_') ? [v.backend] : [] };
      targets = await this.targets([served.connectionId]);
      what = v.frontend;
    } else {
      throw new UserFacingError(`Service ${label(ctx!)} has no VIP created by this extension.`);
    }
    if (targets.length === 0) throw new UserFacingError(`No existing connection holds the VIP of ${what}.`);
    const vip = recorded?.vip;
    if (opts.confirm !== true) {
      const servers = targets.map((t) => t.name).join(', ');
      const objects = `frontend(s) ${names.frontends.join(', ')} and backend(s) ${names.backends.join(', ')}`;
      const record = ctx ? ', and the record on the Service' : '';
      const detail = `Removes ${objects} from ${servers} (one transaction and one reload each)${record}.`;
      if (
        !(await this.p.ui.confirm({
          level: 'warning',
          message: `Delete the VIP${vip ? ` ${vip}` : ''} of ${what}?`,
          detail,
          action: 'Delete',
          modal: true,
        }))
      )
        return undefined;
    }
    const guards = await this.runtimeGuardsOf(
      targets,
      opts.confirm !== true,
      (live) => deleteChanges(names, live).length,
    );
    const { value: outcomes, statusBar } = await this.withProgress(`Delete VIP of ${what}`, (signal, report) =>
      deleteVip(targets, names, {
        logger: this.applyLogger,
        signal,
        follow: this.p.servers.follow,
        onServerDone: (o) => report(o.message),
      }),
    );
    this.done(`Delete VIP of ${what}`, outcomes);
    const kept = await this.afterReloads(guards, outcomes);
    const result: VipResult = { service: what, vip, mode: 'direct', servers: describeServers(outcomes), statusBar };
    if (ctx && recorded) {
      // The record keeps the servers the VIP could not be removed from, and those not asked.
      const failed = outcomes.filter((o) => o.status === 'failed' || o.status === 'cancelled').map((o) => o.target.id);
      const remaining = recorded.connections.filter((id) => failed.includes(id) || !targets.some((t) => t.id === id));
      result.record =
        remaining.length === 0
          ? await this.recordWithRetry(`no VIP for ${what} any more`, opts.confirm !== true, () =>
              unrecord(this.p.cluster, ctx),
            )
          : await recordRemaining(this.p.cluster, ctx, remaining);
    }
    const summary = summarize(outcomes);
    void this.p.ui.report(
      summary.ok
        ? { level: 'info', message: `Deleted the VIP of ${what}: ${summary.text}.${kept}` }
        : { level: 'error', message: `Delete VIP of ${what}: ${summary.text}.${kept}` },
    );
    return result;
  }

  /** A VIP asked for in Gateway mode: the Gateway and TCPRoutes created for the Service go. */
  private async deleteGatewayMode(ctx: ServiceContext, confirmed: boolean): Promise<VipResult | undefined> {
    const what = label(ctx);
    const refs = await gatewayModeObjects(this.p.cluster, ctx);
    const recordedGateway = ctx.service.metadata.annotations?.[GATEWAY_MODE_ANNOTATION];
    if (refs.length === 0 && recordedGateway === undefined) {
      throw new UserFacingError(
        `Service ${what} has no VIP created by this extension (no record on the Service, no Gateway of Gateway mode).`,
      );
    }
    if (refs.length === 0) {
      // The Gateway went some other way: only the record is left to clear.
      const { failed } = await deleteGatewayModeObjects(this.p.cluster, ctx, []);
      if (failed.length > 0) {
        throw new UserFacingError(
          `Gateway ${recordedGateway} of ${what} no longer exists, ` +
            `but the record on the Service could not be cleared: ${errorMessage(failed[0]!.error)}`,
        );
      }
      this.p.cluster.refresh();
      void this.p.ui.report({
        level: 'info',
        message: `Gateway ${recordedGateway} of ${what} no longer exists; its record on the Service was cleared.`,
      });
      return { service: what, mode: 'gateway', servers: [], statusBar: [], deleted: [] };
    }
    const list = refs.map((r) => `${r.kind} ${r.name}`);
    if (!confirmed) {
      const detail =
        `Deletes ${list.join(', ')} in namespace ${ctx.service.metadata.namespace}; ` +
        'the Gateway controller then removes the VIP from HAProxy.';
      if (
        !(await this.p.ui.confirm({
          level: 'warning',
          message: `Delete the Gateway-mode VIP of ${what}?`,
          detail,
          action: 'Delete',
          modal: true,
        }))
      )
        return undefined;
    }
    const { deleted, failed } = await deleteGatewayModeObjects(this.p.cluster, ctx, refs);
    for (const r of deleted) this.p.logger.info(`Delete VIP of ${what}: deleted ${r.kind} ${r.namespace}/${r.name}`);
    for (const f of failed)
      this.p.logger.warn(
        `Delete VIP of ${what}: ${f.ref.kind} ${f.ref.name} could not be deleted: ${errorMessage(f.error)}`,
      );
    this.p.cluster.refresh();
    void this.p.ui.report(
      failed.length === 0
        ? { level: 'info', message: `Deleted the Gateway-mode VIP of ${what}: ${list.join(', ')}.` }
        : {
            level: 'error',
            message: `Delete VIP of ${what}: ${failures(failed)}.`,
          },
    );
    return {
      service: what,
      mode: 'gateway',
      servers: [],
      statusBar: [],
      deleted: deleted.map((r) => `${r.kind} ${r.name}`),
    };
  }

  // --- shared steps ------------------------------------------------------------------------------

  private async targets(ids: string[]): Promise<VipTarget[]> {
    const targets: VipTarget[] = [];
    for (const id of ids) {
      const t = await this.p.servers.target(id);
      if (!t) throw new UserFacingError(`There is no Data Plane connection "${id}".`);
      targets.push(t);
    }
    return targets;
  }

  private async recordedTargets(ctx: ServiceContext): Promise<{ targets: VipTarget[]; missing: string[] }> {
    const known = new Set(this.p.servers.connections().map((c) => c.id));
    const ids = recordedVip(ctx.service)?.connections ?? [];
    return {
      targets: await this.targets(ids.filter((id) => known.has(id))),
      missing: ids.filter((id) => !known.has(id)),
    };
  }

  /**
   * Before the writes (each reloads): the servers whose runtime state differs from the
   * configuration, and the user's answer per connection. Not interactive: kept (re-applied).
   */
  private async runtimeGuards(
    reads: { t: VipTarget; text: string }[],
    interactive: boolean,
  ): Promise<Map<string, RuntimeGuard>> {
    const guards = new Map<string, RuntimeGuard>();
    const ask = interactive ? this.p.ui.keepRuntimeState?.bind(this.p.ui) : undefined;
    for (const { t, text } of reads) {
      const guard = await guardRuntimeState(t.client, {
        where: `"${t.name}"`,
        liveText: text,
        ask: ask ? (q) => ask(q) : async () => 'reapply',
        logger: this.p.logger,
      });
      guards.set(t.id, guard);
    }
    return guards;
  }

  /** The same for Resync and Delete; a server where nothing changes (no reload) is not asked about. */
  private async runtimeGuardsOf(
    targets: VipTarget[],
    interactive: boolean,
    changes: (live: ReturnType<typeof readLiveState>) => number,
  ): Promise<Map<string, RuntimeGuard>> {
    const read = this.rawReader();
    const reads: { t: VipTarget; text: string }[] = [];
    for (const t of targets) {
      try {
        const text = await read(t.id);
        if (changes(readLiveState(text)) > 0) reads.push({ t, text });
      } catch (err) {
        // The write reads again and reports the failure; no question without a configuration.
        this.p.logger.warn(`Runtime state of "${t.name}" not compared: ${errorMessage(err)}`);
      }
    }
    return this.runtimeGuards(reads, interactive);
  }

  /** After the reloads: re-applies what the user kept; one sentence per server, for the report. */
  private async afterReloads(guards: Map<string, RuntimeGuard>, outcomes: ServerOutcome[]): Promise<string> {
    const said: string[] = [];
    for (const o of outcomes) {
      const guard = guards.get(o.target.id);
      if (!guard || o.status !== 'applied') continue;
      const text = await guard.afterReload(o.reload, o.reloadId !== undefined).catch((e: unknown) => errorMessage(e));
      if (text) said.push(`"${o.target.name}": ${text}`);
    }
    return said.length ? ` ${capitalize(said.join('; '))}.` : '';
  }

  /** Raw configurations read for one command, so the questions and the preview share one read per server. */
  private rawReader(): (id: string) => Promise<string> {
    const cache = new Map<string, Promise<string>>();
    return (id) => {
      let p = cache.get(id);
      if (!p) {
        p = this.targets([id]).then(async ([t]) => (await t!.client.rawConfig()).text);
        cache.set(id, p);
        p.catch(() => cache.delete(id));
      }
      return p;
    };
  }

  private async confirmNoEndpoints(plan: VipPlan, allow: boolean | undefined): Promise<void> {
    const empty = plan.ports.filter((p) => p.servers.length === 0);
    if (empty.length === 0 || allow) return;
    const ports = empty.map((p) => p.bind.port).join(', ');
    const until = `Until endpoints are ready, connections to ${plan.vip} on ${ports} are accepted and then closed.`;
    const text = `${plan.warnings.join(' ')} ${until}`;
    const message = `Service ${plan.namespace}/${plan.service}: ${text}`;
    if (!(await this.p.ui.confirm({ level: 'warning', message, action: 'Continue', modal: true })))
      throw new OperationCancelledError();
  }

  /** Runs `work` with progress and records the reload status bar's states meanwhile. */
  private async withProgress<T>(
    title: string,
    work: (signal: AbortSignal, report: (m: string) => void) => Promise<T>,
  ): Promise<{ value: T; statusBar: string[] }> {
    const watch = this.p.servers.watchReloads();
    try {
      const value = await this.p.ui.progress(title, work);
      return { value, statusBar: [...watch.states] };
    } finally {
      watch.dispose();
    }
  }

  private done(what: string, outcomes: ServerOutcome[]): void {
    for (const o of outcomes) {
      this.p.logger.info(`${what}: ${o.message} (${o.requests} requests)`);
      this.p.servers.refresh(o.target.id);
    }
  }

  /** Retries recording while the user asks to; HAProxy's state is kept whatever happens. */
  private async recordWithRetry(
    what: string,
    interactive: boolean,
    run: () => Promise<RecordOutcome>,
  ): Promise<RecordOutcome> {
    while (true) {
      const r = await run();
      if (r.annotations === 'written' && r.status !== 'failed') return r;
      const message = `HAProxy serves ${what}, but ${r.detail}. HAProxy's configuration is kept.`;
      if (!interactive) {
        void this.p.ui.report({ level: 'error', message });
        return r;
      }
      if ((await this.p.ui.report({ level: 'error', message, actions: [RETRY] })) !== RETRY) return r;
    }
  }
}

function failures(failed: { ref: { kind: string; name: string }; error: unknown }[]): string {
  return failed.map((f) => `${f.ref.kind} ${f.ref.name}: ${errorMessage(f.error)}`).join('; ');
}

function label(ctx: ServiceContext): string {
  return `${ctx.service.metadata.namespace}/${ctx.service.metadata.name}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function capitalize(s: string): string {
  return s ? s[0]!.toUpperCase() + s.slice(1) : s;
}

function describeServers(outcomes: ServerOutcome[]): VipResult['servers'] {
  return outcomes.map((o) => ({
    connection: o.target.id,
    status: o.status,
    changes: o.changes.map((c) => c.kind),
    reloadId: o.reloadId,
    reload: o.reload?.status,
    requests: o.requests,
    writeRequests: o.writeRequests,
    attempts: o.attempts,
    message: o.message,
  }));
}
