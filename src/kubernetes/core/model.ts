// The tree's model, joined in memory from one list per kind: GatewayClasses → Gateways by
// namespace → listeners and attached routes → backend Services; and Services by namespace with
// their endpoints. Pure functions over plain objects, O(objects) with indexes, no I/O.
import { GATEWAY_GROUP, ROUTE_KINDS, type RouteKind } from './kinds';
import { isRecord, type KubeObject, type ObjectRef } from './types';

export type ConditionStatus = 'True' | 'False' | 'Unknown';

export interface ConditionView {
  type: string;
  status: ConditionStatus;
  reason: string;
  message: string;
  lastTransitionTime?: string;
  /** The condition was written for an older generation of the object. */
  stale: boolean;
}

export interface ServicePortView {
  name?: string;
  port: number;
  targetPort?: string | number;
  protocol: string;
  nodePort?: number;
}

export interface EndpointView {
  address: string;
  ports: number[];
  ready: boolean;
  serving?: boolean;
  terminating?: boolean;
  nodeName?: string;
  target?: string;
}

export interface ServiceView {
  ref: ObjectRef;
  name: string;
  namespace: string;
  type: string;
  clusterIP?: string;
  ports: ServicePortView[];
  loadBalancerIngress: string[];
  selectorless: boolean;
  endpoints: EndpointView[];
  endpointSource: 'EndpointSlice' | 'Endpoints' | 'none';
  readyCount: number;
  object: KubeObject;
}

export interface BackendView {
  group: string;
  kind: string;
  name: string;
  namespace: string;
  port?: number;
  weight?: number;
  /** Resolved when it is a Service of a namespace being shown. */
  service?: ServiceView;
}

export interface RouteParentView {
  gatewayNamespace: string;
  gatewayName: string;
  sectionName?: string;
  port?: number;
  /** The route's status for this parent, as written by the controller. */
  accepted?: ConditionView;
  resolvedRefs?: ConditionView;
}

export interface RouteView {
  ref: ObjectRef;
  kind: RouteKind;
  name: string;
  namespace: string;
  hostnames: string[];
  parents: RouteParentView[];
  backends: BackendView[];
  object: KubeObject;
}

export interface ListenerView {
  name: string;
  protocol: string;
  port: number;
  hostname?: string;
  /** Routes found attached through their parentRefs (computed here). */
  attachedRoutes: number;
  /** What the controller reported in status, if it did. */
  reportedAttachedRoutes?: number;
  conditions: ConditionView[];
  routes: RouteView[];
}

export interface GatewayView {
  ref: ObjectRef;
  name: string;
  namespace: string;
  className: string;
  /** From status; the requested spec.addresses when the controller has not reported any. */
  addresses: string[];
  addressesFromStatus: boolean;
  listeners: ListenerView[];
  accepted?: ConditionView;
  programmed?: ConditionView;
  conditions: ConditionView[];
  routes: RouteView[];
  object: KubeObject;
}

export interface NamespaceGroup<T> {
  namespace: string;
  items: T[];
}

export interface GatewayClassView {
  ref: ObjectRef;
  name: string;
  controllerName: string;
  description?: string;
  accepted?: ConditionView;
  /** False for the synthetic group of Gateways whose class does not exist. */
  exists: boolean;
  gatewayCount: number;
  namespaces: NamespaceGroup<GatewayView>[];
  object?: KubeObject;
}

export interface GatewayInput {
  gatewayClasses: KubeObject[];
  gateways: KubeObject[];
  routes: Partial<Record<RouteKind, KubeObject[]>>;
  services: KubeObject[];
  endpointSlices: KubeObject[];
  endpoints: KubeObject[];
}

const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const rec = (v: unknown): Record<string, unknown> => (isRecord(v) ? v : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const byName = <T extends { name: string }>(a: T, b: T): number => a.name.localeCompare(b.name);

export function conditionsOf(obj: { metadata?: { generation?: number } } | undefined, list: unknown): ConditionView[] {
  const generation = obj?.metadata?.generation;
  return arr(list)
    .filter(isRecord)
    .map((c) => {
      const status = c.status === 'True' || c.status === 'False' ? c.status : 'Unknown';
      const observed = num(c.observedGeneration);
      return {
        type: String(c.type ?? ''),
        status,
        reason: String(c.reason ?? ''),
        message: String(c.message ?? ''),
        lastTransitionTime: str(c.lastTransitionTime),
        stale: generation !== undefined && observed !== undefined && observed < generation,
      };
    });
}

function find(conditions: ConditionView[], type: string): ConditionView | undefined {
  return conditions.find((c) => c.type === type);
}

// ---- Services -----------------------------------------------------------------------------

export function serviceView(
  svc: KubeObject,
  slicesByService: Map<string, KubeObject[]>,
  endpointsByKey: Map<string, KubeObject>,
): ServiceView {
  const spec = rec(svc.spec);
  const ns = svc.metadata.namespace ?? '';
  const key = `${ns}/${svc.metadata.name}`;
  const selectorless = !isRecord(spec.selector) || Object.keys(spec.selector).length === 0;
  const slices = slicesByService.get(key) ?? [];
  let endpoints: EndpointView[] = [];
  let source: ServiceView['endpointSource'] = 'none';
  if (slices.length > 0) {
    source = 'EndpointSlice';
    const seen = new Map<string, EndpointView>();
    for (const slice of slices) {
      const ports = arr(slice.ports)
        .filter(isRecord)
        .map((p) => num(p.port))
        .filter((p): p is number => p !== undefined);
      for (const ep of arr(slice.endpoints).filter(isRecord)) {
        const cond = rec(ep.conditions);
        // EndpointSlice semantics: a missing `ready` means ready.
        const ready = cond.ready !== false;
        for (const address of arr(ep.addresses).filter((a): a is string => typeof a === 'string')) {
          const prior = seen.get(address);
          if (prior) prior.ports = [...new Set([...prior.ports, ...ports])];
          else {
            const ref = rec(ep.targetRef);
            seen.set(address, {
              address,
              ports,
              ready,
              serving: typeof cond.serving === 'boolean' ? cond.serving : undefined,
              terminating: typeof cond.terminating === 'boolean' ? cond.terminating : undefined,
              nodeName: str(ep.nodeName),
              target: ref.name ? `${String(ref.kind ?? '')}/${String(ref.name)}` : undefined,
            });
          }
        }
      }
    }
    endpoints = [...seen.values()];
  } else {
    const ep = endpointsByKey.get(key);
    if (ep) {
      source = 'Endpoints';
      for (const subset of arr(ep.subsets).filter(isRecord)) {
        const ports = arr(subset.ports)
          .filter(isRecord)
          .map((p) => num(p.port))
          .filter((p): p is number => p !== undefined);
        for (const [list, ready] of [
          [subset.addresses, true],
          [subset.notReadyAddresses, false],
        ] as const) {
          for (const a of arr(list).filter(isRecord)) {
            const ref = rec(a.targetRef);
            if (typeof a.ip === 'string')
              endpoints.push({
                address: a.ip,
                ports,
                ready,
                nodeName: str(a.nodeName),
                target: ref.name ? `${String(ref.kind ?? '')}/${String(ref.name)}` : undefined,
              });
          }
        }
      }
    }
  }
  endpoints.sort((a, b) => a.address.localeCompare(b.address, undefined, { numeric: true }));
  const ingress = arr(rec(rec(svc.status).loadBalancer).ingress)
    .filter(isRecord)
    .map((i) => str(i.ip) ?? str(i.hostname))
    .filter((x): x is string => x !== undefined);
  return {
    ref: { kind: 'Service', name: svc.metadata.name, namespace: ns },
    name: svc.metadata.name,
    namespace: ns,
    type: str(spec.type) ?? 'ClusterIP',
    clusterIP: str(spec.clusterIP),
    ports: arr(spec.ports)
      .filter(isRecord)
      .map((p) => ({
        name: str(p.name),
        port: num(p.port) ?? 0,
        targetPort: typeof p.targetPort === 'number' || typeof p.targetPort === 'string' ? p.targetPort : undefined,
        protocol: str(p.protocol) ?? 'TCP',
        nodePort: num(p.nodePort),
      })),
    loadBalancerIngress: ingress,
    selectorless,
    endpoints,
    endpointSource: source,
    readyCount: endpoints.filter((e) => e.ready).length,
    object: svc,
  };
}

export interface ServiceIndex {
  byKey: Map<string, ServiceView>;
  byNamespace: NamespaceGroup<ServiceView>[];
}

export function indexServices(
  services: KubeObject[],
  endpointSlices: KubeObject[],
  endpoints: KubeObject[],
): ServiceIndex {
  const slicesByService = new Map<string, KubeObject[]>();
  for (const slice of endpointSlices) {
    const svc = slice.metadata.labels?.['kubernetes.io/service-name'];
    if (!svc) continue;
    const key = `${slice.metadata.namespace ?? ''}/${svc}`;
    const list = slicesByService.get(key);
    if (list) list.push(slice);
    else slicesByService.set(key, [slice]);
  }
  const endpointsByKey = new Map(endpoints.map((e) => [`${e.metadata.namespace ?? ''}/${e.metadata.name}`, e]));
  const byKey = new Map<string, ServiceView>();
  const groups = new Map<string, ServiceView[]>();
  for (const svc of services) {
    const view = serviceView(svc, slicesByService, endpointsByKey);
    byKey.set(`${view.namespace}/${view.name}`, view);
    const list = groups.get(view.namespace);
    if (list) list.push(view);
    else groups.set(view.namespace, [view]);
  }
  const byNamespace = [...groups]
    .map(([namespace, items]) => ({ namespace, items: items.sort(byName) }))
    .sort((a, b) => a.namespace.localeCompare(b.namespace));
  return { byKey, byNamespace };
}

// ---- Gateways and routes ------------------------------------------------------------------

/** The listener protocols a route kind attaches to when its parentRef names no section or port. */
const ROUTE_PROTOCOLS: Record<RouteKind, string[]> = {
  HTTPRoute: ['HTTP', 'HTTPS'],
  GRPCRoute: ['HTTP', 'HTTPS'],
  TLSRoute: ['TLS'],
  TCPRoute: ['TCP'],
  UDPRoute: ['UDP'],
};

function routeView(kind: RouteKind, obj: KubeObject, services: ServiceIndex | undefined): RouteView {
  const ns = obj.metadata.namespace ?? '';
  const spec = rec(obj.spec);
  const statusParents = arr(rec(obj.status).parents).filter(isRecord);
  const parents: RouteParentView[] = [];
  for (const p of arr(spec.parentRefs).filter(isRecord)) {
    const group = str(p.group) ?? GATEWAY_GROUP;
    const pkind = str(p.kind) ?? 'Gateway';
    if (group !== GATEWAY_GROUP || pkind !== 'Gateway' || typeof p.name !== 'string') continue;
    const parent: RouteParentView = {
      gatewayNamespace: str(p.namespace) ?? ns,
      gatewayName: p.name,
      sectionName: str(p.sectionName),
      port: num(p.port),
    };
    const status = statusParents.find((s) => {
      const ref = rec(s.parentRef);
      return (
        ref.name === parent.gatewayName &&
        (str(ref.namespace) ?? ns) === parent.gatewayNamespace &&
        str(ref.sectionName) === parent.sectionName
      );
    });
    if (status) {
      const conditions = conditionsOf(obj, status.conditions);
      parent.accepted = find(conditions, 'Accepted');
      parent.resolvedRefs = find(conditions, 'ResolvedRefs');
    }
    parents.push(parent);
  }
  const backends: BackendView[] = [];
  const seen = new Set<string>();
  for (const rule of arr(spec.rules).filter(isRecord)) {
    for (const b of arr(rule.backendRefs).filter(isRecord)) {
      if (typeof b.name !== 'string') continue;
      const backend: BackendView = {
        group: str(b.group) ?? '',
        kind: str(b.kind) ?? 'Service',
        name: b.name,
        namespace: str(b.namespace) ?? ns,
        port: num(b.port),
        weight: num(b.weight),
      };
      const key = `${backend.group}/${backend.kind}/${backend.namespace}/${backend.name}/${backend.port ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (backend.group === '' && backend.kind === 'Service')
        backend.service = services?.byKey.get(`${backend.namespace}/${backend.name}`);
      backends.push(backend);
    }
  }
  return {
    ref: { kind, name: obj.metadata.name, namespace: ns },
    kind,
    name: obj.metadata.name,
    namespace: ns,
    hostnames: arr(spec.hostnames).filter((h): h is string => typeof h === 'string'),
    parents,
    backends,
    object: obj,
  };
}

function listenerAccepts(listener: Record<string, unknown>, gatewayNamespace: string, route: RouteView): boolean {
  const allowed = rec(listener.allowedRoutes);
  const kinds = arr(allowed.kinds).filter(isRecord);
  if (
    kinds.length > 0 &&
    !kinds.some((k) => k.kind === route.kind && (str(k.group) ?? GATEWAY_GROUP) === GATEWAY_GROUP)
  )
    return false;
  if (kinds.length === 0 && !ROUTE_PROTOCOLS[route.kind].includes(String(listener.protocol))) return false;
  const from = str(rec(allowed.namespaces).from) ?? 'Same';
  // "Selector" needs Namespace labels, which are not listed: counted as allowed (the controller's status says more).
  return from !== 'Same' || route.namespace === gatewayNamespace;
}

function gatewayView(
  gw: KubeObject,
  routesByParent: Map<string, { route: RouteView; parent: RouteParentView }[]>,
): GatewayView {
  const ns = gw.metadata.namespace ?? '';
  const spec = rec(gw.spec);
  const status = rec(gw.status);
  const conditions = conditionsOf(gw, status.conditions);
  const statusAddresses = arr(status.addresses)
    .filter(isRecord)
    .map((a) => str(a.value))
    .filter((v): v is string => v !== undefined);
  const specAddresses = arr(spec.addresses)
    .filter(isRecord)
    .map((a) => str(a.value))
    .filter((v): v is string => v !== undefined);
  const statusListeners = arr(status.listeners).filter(isRecord);
  const attached = routesByParent.get(`${ns}/${gw.metadata.name}`) ?? [];
  const gatewayRoutes = new Map<string, RouteView>();
  const listeners: ListenerView[] = arr(spec.listeners)
    .filter(isRecord)
    .map((l) => {
      const name = String(l.name ?? '');
      const port = num(l.port) ?? 0;
      const routes = attached
        .filter(
          ({ route, parent }) =>
            (parent.sectionName === undefined || parent.sectionName === name) &&
            (parent.port === undefined || parent.port === port) &&
            listenerAccepts(l, ns, route),
        )
        .map(({ route }) => route);
      for (const r of routes) gatewayRoutes.set(`${r.kind}/${r.namespace}/${r.name}`, r);
      const reported = statusListeners.find((s) => s.name === name);
      return {
        name,
        protocol: String(l.protocol ?? ''),
        port,
        hostname: str(l.hostname),
        attachedRoutes: routes.length,
        reportedAttachedRoutes: num(reported?.attachedRoutes),
        conditions: conditionsOf(gw, reported?.conditions),
        routes: [...new Map(routes.map((r) => [`${r.kind}/${r.namespace}/${r.name}`, r])).values()].sort(byName),
      };
    });
  // Routes that name the Gateway but match no listener are still shown under the Gateway.
  for (const { route } of attached) gatewayRoutes.set(`${route.kind}/${route.namespace}/${route.name}`, route);
  return {
    ref: { kind: 'Gateway', name: gw.metadata.name, namespace: ns },
    name: gw.metadata.name,
    namespace: ns,
    className: String(spec.gatewayClassName ?? ''),
    addresses: statusAddresses.length > 0 ? statusAddresses : specAddresses,
    addressesFromStatus: statusAddresses.length > 0,
    listeners,
    accepted: find(conditions, 'Accepted'),
    programmed: find(conditions, 'Programmed'),
    conditions,
    routes: [...gatewayRoutes.values()].sort(
      (a, b) => a.kind.localeCompare(b.kind) || a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name),
    ),
    object: gw,
  };
}

export interface GatewayModel {
  classes: GatewayClassView[];
  gateways: GatewayView[];
  routes: RouteView[];
}

/** GatewayClasses with their Gateways grouped by namespace, Gateways with listeners and routes. */
export function buildGatewayModel(input: GatewayInput, services?: ServiceIndex): GatewayModel {
  const routes: RouteView[] = [];
  const routesByParent = new Map<string, { route: RouteView; parent: RouteParentView }[]>();
  for (const kind of ROUTE_KINDS) {
    for (const obj of input.routes[kind] ?? []) {
      const view = routeView(kind, obj, services);
      routes.push(view);
      for (const parent of view.parents) {
        const key = `${parent.gatewayNamespace}/${parent.gatewayName}`;
        const list = routesByParent.get(key);
        if (list) list.push({ route: view, parent });
        else routesByParent.set(key, [{ route: view, parent }]);
      }
    }
  }
  const gateways = input.gateways.map((gw) => gatewayView(gw, routesByParent));
  const byClass = new Map<string, GatewayView[]>();
  for (const g of gateways) {
    const list = byClass.get(g.className);
    if (list) list.push(g);
    else byClass.set(g.className, [g]);
  }
  const group = (list: GatewayView[]): NamespaceGroup<GatewayView>[] => {
    const m = new Map<string, GatewayView[]>();
    for (const g of list) {
      const l = m.get(g.namespace);
      if (l) l.push(g);
      else m.set(g.namespace, [g]);
    }
    return [...m]
      .map(([namespace, items]) => ({ namespace, items: items.sort(byName) }))
      .sort((a, b) => a.namespace.localeCompare(b.namespace));
  };
  const classes: GatewayClassView[] = input.gatewayClasses.map((gc) => {
    const list = byClass.get(gc.metadata.name) ?? [];
    byClass.delete(gc.metadata.name);
    const spec = rec(gc.spec);
    return {
      ref: { kind: 'GatewayClass', name: gc.metadata.name },
      name: gc.metadata.name,
      controllerName: String(spec.controllerName ?? ''),
      description: str(spec.description),
      accepted: find(conditionsOf(gc, rec(gc.status).conditions), 'Accepted'),
      exists: true,
      gatewayCount: list.length,
      namespaces: group(list),
      object: gc,
    };
  });
  classes.sort(byName);
  // Gateways of a class that does not exist (or is not visible) are not hidden.
  for (const [className, list] of [...byClass].sort(([a], [b]) => a.localeCompare(b))) {
    classes.push({
      ref: { kind: 'GatewayClass', name: className },
      name: className,
      controllerName: '',
      exists: false,
      gatewayCount: list.length,
      namespaces: group(list),
    });
  }
  return { classes, gateways, routes };
}
