// The steps of "Create VIP for Service…", "Resync VIP Endpoints" and "Delete VIP" that talk to the
// cluster: read the Service with its endpoints, work out which addresses are free, record what
// was created on the Service (status and annotations), and, in Gateway mode, create the Gateway
// and its TCPRoutes and wait for the controller. No editor here: the UI asks, this does.
import { OperationCancelledError, UserFacingError, errorMessage } from '../../shared/errors';
import type { KubeObject, ObjectRef } from '../../kubernetes/api';
import { sleep } from '../../shared/abort';
import {
  GATEWAY_MODE_ANNOTATION,
  gatewayModeSelector,
  gatewayReadiness,
  planGateway,
  type GatewayPlan,
  type GatewayReadiness,
  type TcpRouteVersion,
} from './gatewayMode';
import {
  endpointsFromObject,
  optionsAnnotation,
  recordedVip,
  serviceFromObject,
  slicesFromObjects,
  VIP_OPTIONS_ANNOTATION,
  type RecordedVip,
} from './inputs';
import { canonicalIp } from '../../shared/haproxy-config/address';
import { addressPolicy, type AddressPolicy, type PoolSetting } from './addresses';
import type { LiveState } from './live';
import { VIP_ANNOTATIONS, type EndpointSliceLike, type EndpointsLike, type ServiceLike } from './kubeShapes';
import { vipNames } from './names';
import { planVip, type BalanceAlgorithm, type VipPlan } from './planner';
import { annotationPatch, statusOwnership, statusPatch } from './record';

/** The part of the Kubernetes service the VIP feature uses (KubernetesService fits). */
export interface KubeForVip {
  servicesWithEndpoints(
    namespace?: string,
  ): Promise<{ service: KubeObject; endpointSlices: KubeObject[]; endpoints?: KubeObject }[]>;
  /** Services of every namespace when a namespace filter hides some (addresses must be unique cluster-wide). */
  servicesOfAllNamespaces?(): Promise<KubeObject[] | undefined>;
  patchServiceStatus(namespace: string, name: string, status: Record<string, unknown>): Promise<KubeObject>;
  patchServiceAnnotations(
    namespace: string,
    name: string,
    annotations: Record<string, string | null>,
  ): Promise<KubeObject>;
  create(obj: KubeObject): Promise<KubeObject>;
  mergePatch(ref: ObjectRef & { apiVersion?: string }, patch: Record<string, unknown>): Promise<KubeObject>;
  tcpRouteVersion(): Promise<string | undefined>;
  actions(): Promise<{
    get(ref: ObjectRef): Promise<KubeObject>;
    delete(ref: ObjectRef): Promise<void>;
    list(kind: string, namespace: string | undefined, options?: { labelSelector?: string }): Promise<KubeObject[]>;
  }>;
}

export interface ServiceContext {
  service: ServiceLike;
  slices: EndpointSliceLike[];
  endpoints?: EndpointsLike;
  /** Every Service read (to know which addresses are load balancer ingress already). */
  all: ServiceLike[];
}

/**
 * Services across the namespaces shown, validated, with their endpoints (three list requests; a
 * fourth, of every namespace's Services, when a namespace filter hides some: an address in use as
 * load balancer ingress in a hidden namespace is still in use).
 */
export async function listServices(kube: KubeForVip): Promise<ServiceContext[]> {
  const [listed, everywhere] = await Promise.all([kube.servicesWithEndpoints(), kube.servicesOfAllNamespaces?.()]);
  const valid = (o: KubeObject): ServiceLike | undefined => {
    try {
      return serviceFromObject(o);
    } catch {
      return undefined; // an object that is not a usable Service cannot get a VIP
    }
  };
  const contexts: ServiceContext[] = [];
  const all: ServiceLike[] = everywhere ? everywhere.map(valid).filter((s): s is ServiceLike => s !== undefined) : [];
  for (const s of listed) {
    const service = valid(s.service);
    if (!service) continue;
    if (!everywhere) all.push(service);
    contexts.push({
      service,
      slices: slicesFromObjects(s.endpointSlices),
      endpoints: endpointsFromObject(s.endpoints),
      all,
    });
  }
  return contexts;
}

export async function loadService(kube: KubeForVip, ref: { namespace: string; name: string }): Promise<ServiceContext> {
  const found = (await listServices(kube)).find(
    (c) => c.service.metadata.name === ref.name && c.service.metadata.namespace === ref.namespace,
  );
  if (!found)
    throw new UserFacingError(
      `There is no Service ${ref.namespace}/${ref.name} in the current context (or its namespace is filtered out).`,
    );
  return found;
}

/** Names of the objects that serve (or would serve) a Service's ports on HAProxy. */
export function ourNames(service: ServiceLike): { frontends: string[]; backends: string[] } {
  const ns = service.metadata.namespace ?? 'default';
  const names = (service.spec?.ports ?? []).map((p) => vipNames(ns, service.metadata.name, p.name ?? p.port));
  const recorded = recordedVip(service);
  return {
    frontends: [...new Set([...names.map((n) => n.frontend), ...(recorded?.frontends ?? [])])],
    backends: [...new Set([...names.map((n) => n.backend), ...(recorded?.backends ?? [])])],
  };
}

/** The address policy (addresses.ts) for a Service and the live state of its target servers. */
export function addressPolicyFor(ctx: ServiceContext, live: LiveState[], pools: PoolSetting[]): AddressPolicy {
  return addressPolicy({
    service: ctx.service,
    all: ctx.all,
    binds: live.flatMap((l) => l.binds),
    ownFrontends: new Set(ourNames(ctx.service).frontends),
    recorded: recordedVip(ctx.service)?.vip,
    pools,
  });
}

export interface VipOptions {
  vip: string;
  ports?: (string | number)[];
  balance: BalanceAlgorithm;
  healthChecks: boolean;
}

export function planFor(ctx: ServiceContext, o: VipOptions): VipPlan {
  return planVip(ctx.service, ctx.slices, ctx.endpoints, {
    vip: o.vip,
    ports: o.ports,
    balance: o.balance,
    healthChecks: o.healthChecks,
  });
}

/** What an earlier Create VIP recorded, as options for a resync plan. */
export function resyncOptions(ctx: ServiceContext): { recorded: RecordedVip; options: VipOptions } {
  const recorded = recordedVip(ctx.service);
  if (!recorded)
    throw new UserFacingError(
      `Service ${ctx.service.metadata.namespace}/${ctx.service.metadata.name} has no VIP created by this extension ` +
        `(no ${VIP_ANNOTATIONS.address} annotation).`,
    );
  const known = new Set((ctx.service.spec?.ports ?? []).flatMap((p) => [String(p.port), ...(p.name ? [p.name] : [])]));
  const ports = recorded.ports?.filter((p) => known.has(p));
  return {
    recorded,
    options: {
      vip: recorded.vip,
      ports: ports?.length ? ports : undefined,
      balance: recorded.balance ?? 'roundrobin',
      healthChecks: recorded.healthChecks ?? true,
    },
  };
}

// --- recording on the Service --------------------------------------------------------------------

export interface RecordOutcome {
  annotations: 'written' | 'failed';
  status: 'written' | 'skipped' | 'failed';
  /** Why the status was skipped, or what failed. */
  detail?: string;
  error?: unknown;
}

/**
 * Writes what was created: annotations always; `status.loadBalancer.ingress[0].ip` only when no
 * other controller owns the Service's status. Never throws: the caller reports precisely and may
 * retry, because HAProxy already serves the VIP.
 */
export async function recordDirect(
  kube: KubeForVip,
  ctx: ServiceContext,
  plan: VipPlan,
  connections: string[],
  options: VipOptions,
): Promise<RecordOutcome> {
  const { namespace, name } = {
    namespace: ctx.service.metadata.namespace ?? 'default',
    name: ctx.service.metadata.name,
  };
  const annotations = (annotationPatch(plan, connections) as { metadata: { annotations: Record<string, string> } })
    .metadata.annotations;
  annotations[VIP_OPTIONS_ANNOTATION] = optionsAnnotation({
    balance: options.balance,
    healthChecks: options.healthChecks,
    ports: options.ports,
  });
  try {
    await kube.patchServiceAnnotations(namespace, name, annotations);
  } catch (err) {
    return {
      annotations: 'failed',
      status: 'skipped',
      detail: `the annotations could not be written: ${errorMessage(err)}`,
      error: err,
    };
  }
  const ownership = statusOwnership(ctx.service);
  if (!ownership.canPatchStatus)
    return {
      annotations: 'written',
      status: 'skipped',
      detail: `status.loadBalancer was not written: ${ownership.reason}`,
    };
  try {
    await kube.patchServiceStatus(
      namespace,
      name,
      (statusPatch(plan.vip) as { status: Record<string, unknown> }).status,
    );
    return { annotations: 'written', status: 'written' };
  } catch (err) {
    return {
      annotations: 'written',
      status: 'failed',
      detail: `status.loadBalancer.ingress could not be written: ${errorMessage(err)}`,
      error: err,
    };
  }
}

/**
 * After Delete VIP removed the VIP from some of the servers only: the record names the servers that
 * still serve it. Never throws.
 */
export async function recordRemaining(
  kube: KubeForVip,
  ctx: ServiceContext,
  remaining: string[],
): Promise<RecordOutcome> {
  const { namespace = 'default', name } = ctx.service.metadata;
  try {
    await kube.patchServiceAnnotations(namespace, name, { [VIP_ANNOTATIONS.connections]: remaining.join(',') });
    return { annotations: 'written', status: 'skipped', detail: `still on ${remaining.join(', ')}` };
  } catch (err) {
    return { annotations: 'failed', status: 'skipped', detail: errorMessage(err), error: err };
  }
}

/** After Delete VIP: our annotations removed; the ingress cleared if it is the VIP we wrote. */
export async function unrecord(kube: KubeForVip, ctx: ServiceContext): Promise<RecordOutcome> {
  const { namespace, name } = {
    namespace: ctx.service.metadata.namespace ?? 'default',
    name: ctx.service.metadata.name,
  };
  const recorded = recordedVip(ctx.service);
  const remove = {
    ...(annotationPatch(null, []) as { metadata: { annotations: Record<string, null> } }).metadata.annotations,
    [VIP_OPTIONS_ANNOTATION]: null,
  };
  try {
    await kube.patchServiceAnnotations(namespace, name, remove);
  } catch (err) {
    return {
      annotations: 'failed',
      status: 'skipped',
      detail: `the annotations could not be removed: ${errorMessage(err)}`,
      error: err,
    };
  }
  const ingress = ctx.service.status?.loadBalancer?.ingress ?? [];
  const ours = recorded && ingress.length === 1 && ingress[0]?.ip && canonicalIp(ingress[0].ip) === recorded.vip;
  if (!ours || !statusOwnership(ctx.service).canPatchStatus)
    return {
      annotations: 'written',
      status: 'skipped',
      detail: ours ? undefined : 'the load balancer status was not ours to clear',
    };
  try {
    await kube.patchServiceStatus(namespace, name, (statusPatch(null) as { status: Record<string, unknown> }).status);
    return { annotations: 'written', status: 'written' };
  } catch (err) {
    return {
      annotations: 'written',
      status: 'failed',
      detail: `status.loadBalancer.ingress could not be cleared: ${errorMessage(err)}`,
      error: err,
    };
  }
}

// --- Gateway mode --------------------------------------------------------------------------------

export interface GatewayOutcome {
  plan: GatewayPlan;
  readiness: GatewayReadiness;
  routeVersion: TcpRouteVersion;
  /** Why the Service could not be annotated with its Gateway (the Gateway exists regardless). */
  recordProblem?: string;
}

/**
 * Creates the Gateway and one TCPRoute per port (at the TCPRoute version the cluster serves), or
 * updates them when they exist, then waits until the controller programs the Gateway or says why not.
 */
export async function createViaGateway(
  kube: KubeForVip,
  ctx: ServiceContext,
  o: {
    vip: string;
    gatewayClassName: string;
    ports?: (string | number)[];
    signal?: AbortSignal;
    timeoutMs?: number;
    intervalMs?: number;
    onUpdate?: (r: GatewayReadiness) => void;
  },
): Promise<GatewayOutcome> {
  const served = await kube.tcpRouteVersion();
  if (served !== 'v1' && served !== 'v1alpha2')
    throw new UserFacingError(
      served
        ? `This cluster serves TCPRoute ${served}, which this extension does not write (v1 or v1alpha2).`
        : 'This cluster does not serve TCPRoute: install the Gateway API experimental channel (TCPRoute) for ' +
            'Gateway mode.',
    );
  const plan = planGateway(withPorts(ctx.service, o.ports), o.vip, o.gatewayClassName, served);
  await createOrUpdate(kube, plan.gateway as KubeObject);
  for (const route of plan.routes) await createOrUpdate(kube, route as KubeObject);
  let recordProblem: string | undefined;
  try {
    await kube.patchServiceAnnotations(plan.gateway.metadata.namespace, ctx.service.metadata.name, {
      [GATEWAY_MODE_ANNOTATION]: plan.gateway.metadata.name,
    });
  } catch (err) {
    recordProblem = `the Service could not be annotated with its Gateway: ${errorMessage(err)}`;
  }
  const actions = await kube.actions();
  const ref = { kind: 'Gateway', name: plan.gateway.metadata.name, namespace: plan.gateway.metadata.namespace };
  const until = Date.now() + (o.timeoutMs ?? 60_000);
  let readiness: GatewayReadiness = {
    state: 'pending',
    reason: 'Pending',
    message: 'Waiting for the Gateway controller',
  };
  while (true) {
    if (o.signal?.aborted) throw new OperationCancelledError();
    readiness = gatewayReadiness((await actions.get(ref)) as Parameters<typeof gatewayReadiness>[0]);
    o.onUpdate?.(readiness);
    if (readiness.state !== 'pending' || Date.now() > until) break;
    await sleep(o.intervalMs ?? 500, o.signal);
  }
  return { plan, readiness, routeVersion: served, recordProblem };
}

/** The Service with only the ports named (by name or number); all of them when none is named. */
export function withPorts(service: ServiceLike, ports: (string | number)[] | undefined): ServiceLike {
  if (!ports?.length) return service;
  const wanted = new Set(ports.map(String));
  const kept = (service.spec?.ports ?? []).filter(
    (p) => wanted.has(String(p.port)) || (p.name !== undefined && wanted.has(p.name)),
  );
  return { ...service, spec: { ...service.spec, ports: kept } };
}

/** Create; when it exists already (an earlier run), merge-patch its labels and spec to the plan. */
async function createOrUpdate(kube: KubeForVip, obj: KubeObject): Promise<void> {
  try {
    await kube.create(obj);
  } catch (err) {
    if ((err as { code?: number }).code !== 409) throw err;
    await kube.mergePatch(
      {
        kind: String(obj.kind),
        apiVersion: obj.apiVersion,
        name: obj.metadata.name,
        namespace: obj.metadata.namespace,
      },
      { metadata: { labels: obj.metadata.labels ?? {} }, spec: obj.spec ?? {} },
    );
  }
}

/** The TCPRoutes and Gateway that Gateway mode created for a Service, found by their labels. */
export async function gatewayModeObjects(kube: KubeForVip, ctx: ServiceContext): Promise<ObjectRef[]> {
  const namespace = ctx.service.metadata.namespace ?? 'default';
  const labelSelector = gatewayModeSelector(ctx.service.metadata.name);
  const actions = await kube.actions();
  const refs: ObjectRef[] = [];
  // Routes first: deleting them before their Gateway never leaves a route pointing at nothing.
  if (await kube.tcpRouteVersion()) {
    for (const r of await actions.list('TCPRoute', namespace, { labelSelector }))
      refs.push({ kind: 'TCPRoute', name: r.metadata.name, namespace });
  }
  for (const g of await actions.list('Gateway', namespace, { labelSelector }))
    refs.push({ kind: 'Gateway', name: g.metadata.name, namespace });
  return refs;
}

/**
 * Deletes them one by one (an object already gone counts as deleted), then the Service's record of
 * its Gateway when everything went (also when nothing was left to delete: a Gateway deleted by
 * hand must not leave a record that offers Delete VIP forever). Never throws.
 */
export async function deleteGatewayModeObjects(
  kube: KubeForVip,
  ctx: ServiceContext,
  refs: ObjectRef[],
): Promise<{ deleted: ObjectRef[]; failed: { ref: ObjectRef; error: unknown }[] }> {
  const actions = await kube.actions();
  const deleted: ObjectRef[] = [];
  const failed: { ref: ObjectRef; error: unknown }[] = [];
  for (const ref of refs) {
    try {
      await actions.delete(ref);
      deleted.push(ref);
    } catch (err) {
      if ((err as { code?: number }).code === 404) deleted.push(ref);
      else failed.push({ ref, error: err });
    }
  }
  if (failed.length === 0 && ctx.service.metadata.annotations?.[GATEWAY_MODE_ANNOTATION] !== undefined) {
    const service: ObjectRef = {
      kind: 'Service',
      name: ctx.service.metadata.name,
      namespace: ctx.service.metadata.namespace ?? 'default',
    };
    try {
      await kube.patchServiceAnnotations(service.namespace!, service.name, { [GATEWAY_MODE_ANNOTATION]: null });
    } catch (err) {
      failed.push({ ref: service, error: err });
    }
  }
  return { deleted, failed };
}
