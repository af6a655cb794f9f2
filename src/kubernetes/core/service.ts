// The Kubernetes capability without the editor: kubeconfig and the extension's own context choice,
// one session per context (client, discovery, actions), a cache of watched kinds that runs only
// while something is shown, the tree models, and the reads and writes other features use.
import { UserFacingError } from '../../shared/errors';
import { ResourceActions, type KindResolver } from './actions';
import { KubeClient } from './client';
import { ClusterCache, type WatchedKind } from './clusterCache';
import { discoverGatewayApi, type GatewayApiSupport } from './discovery';
import { silentLogger, type Logger } from '../../shared/logger';
import { listAll, type Backoff } from './informer';
import {
  Kubeconfig,
  locateKubeconfig,
  setKubectlCurrentContext,
  type ContextInfo,
  type KubeconfigLocation,
} from './kubeconfig';
import { BUILTIN, GATEWAY_KINDS, ROUTE_KINDS, type GatewayKind, type ResolvedKind, type RouteKind } from './kinds';
import { buildGatewayModel, indexServices, type GatewayModel, type ServiceIndex } from './model';
import { parameterSecrets, summarizeSecrets, type SecretRef, type SecretSummary } from './secrets';
import type { KubeObject, ObjectRef } from './types';

export interface KubernetesServiceOptions {
  /** The `kubeconfig` setting (a path), read on every reload. */
  kubeconfigSetting?: () => string | undefined;
  env?: NodeJS.ProcessEnv;
  home?: string;
  log?: Logger;
  /** The context chosen earlier in the extension (persisted by the UI). */
  initialContext?: string;
  initialNamespaces?: string[];
  debounceMs?: number;
  pageSize?: number;
  backoff?: Backoff;
  watchTimeoutSeconds?: () => number;
  requestTimeoutMs?: number;
}

export interface ClusterSession {
  contextName: string;
  client: KubeClient;
  support: GatewayApiSupport;
  actions: ResourceActions;
}

export type GatewayDepth = 'classes' | 'routes' | 'backends';

export type GatewayTreeResult =
  | { state: 'notInstalled'; explanation: string; context: string }
  | { state: 'ok'; model: GatewayModel; context: string; errors: { kind: WatchedKind; error: unknown }[] };

export interface ServiceTreeResult {
  context: string;
  index: ServiceIndex;
  errors: { kind: WatchedKind; error: unknown }[];
}

/** A Service with what tells where its traffic goes (for the VIP feature). */
export interface ServiceWithEndpoints {
  service: KubeObject;
  endpointSlices: KubeObject[];
  endpoints?: KubeObject;
}

export class KubernetesService {
  private config: Kubeconfig | undefined;
  private selected: string | undefined;
  private namespaceFilter: string[] | undefined;
  private sessionPromise: Promise<ClusterSession> | undefined;
  private cacheInstance: ClusterCache | undefined;
  private active = true;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly options: KubernetesServiceOptions = {}) {
    this.selected = options.initialContext;
    this.namespaceFilter = options.initialNamespaces?.length ? [...options.initialNamespaces] : undefined;
  }

  private get log(): Logger {
    return this.options.log ?? silentLogger;
  }

  get location(): KubeconfigLocation {
    return locateKubeconfig(this.options.kubeconfigSetting?.(), this.options.env ?? process.env, this.options.home);
  }

  kubeconfig(): Kubeconfig {
    this.config ??= Kubeconfig.load(this.location);
    return this.config;
  }

  /** Re-reads the kubeconfig (file changed, setting changed); keeps the chosen context if it still exists. */
  reload(): void {
    this.config = undefined;
    this.resetSession();
    this.fire();
  }

  contexts(): ContextInfo[] {
    return this.kubeconfig().contexts();
  }

  /** The extension's context: the one chosen in the extension if it still exists, else kubectl's. */
  currentContext(): string | undefined {
    const config = this.kubeconfig();
    if (this.selected && config.hasContext(this.selected)) return this.selected;
    return config.kubectlCurrentContext && config.hasContext(config.kubectlCurrentContext)
      ? config.kubectlCurrentContext
      : undefined;
  }

  /**
   * Switches the extension's context; kubectl's current-context changes only with `alsoKubectl`. Returns the file
   * written, if any.
   */
  selectContext(name: string, alsoKubectl = false): string | undefined {
    if (!this.kubeconfig().hasContext(name)) throw new UserFacingError(`The kubeconfig has no context "${name}".`);
    let written: string | undefined;
    if (alsoKubectl) {
      written = setKubectlCurrentContext(this.location, name);
      this.config = undefined;
    }
    if (name !== this.selected || written) {
      this.selected = name;
      this.resetSession();
      this.fire();
    }
    return written;
  }

  get namespaces(): string[] | undefined {
    return this.namespaceFilter ? [...this.namespaceFilter] : undefined;
  }

  /** Shows only these namespaces (undefined or empty: all). Restarts the watches. */
  setNamespaceFilter(namespaces: string[] | undefined): void {
    const next = namespaces && namespaces.length > 0 ? [...new Set(namespaces)].sort() : undefined;
    if (JSON.stringify(next) === JSON.stringify(this.namespaceFilter)) return;
    this.namespaceFilter = next;
    this.stopCache();
    this.fire();
  }

  /** The tree is visible (watches may run) or hidden (watches stop, nothing is requested). */
  setActive(active: boolean): void {
    if (this.active === active) return;
    this.active = active;
    if (!active) this.stopCache();
  }

  get isActive(): boolean {
    return this.active;
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private fire(): void {
    for (const l of [...this.listeners]) l();
  }

  /** The session of the current context: a client and what the cluster serves (discovered once). */
  session(): Promise<ClusterSession> {
    if (!this.sessionPromise) {
      const contextName = this.currentContext();
      if (!contextName) {
        return Promise.reject(
          new UserFacingError(
            this.kubeconfig().loadedFiles.length === 0
              ? `No kubeconfig found (looked at ${this.location.files.join(', ')}). Set ` +
                  `haproxyGateway.kubernetes.kubeconfig or KUBECONFIG.`
              : 'The kubeconfig has no current context; select one.',
          ),
        );
      }
      const client = new KubeClient(
        this.kubeconfig().forContext(contextName),
        contextName,
        this.options.requestTimeoutMs,
      );
      const promise = discoverGatewayApi(client).then((support) => {
        const resolve: KindResolver = (kind, apiVersion) => resolveKind(support, kind, apiVersion);
        this.log.info(
          `Context ${contextName}: Gateway API ${
            support.installed
              ? Object.entries(support.kinds)
                  .map(([k, v]) => `${k} ${v.version}`)
                  .join(', ')
              : 'not installed'
          }`,
        );
        return { contextName, client, support, actions: new ResourceActions(client, resolve) };
      });
      this.sessionPromise = promise;
      // A failed discovery is not cached: the next call tries again.
      promise.catch(() => {
        if (this.sessionPromise === promise) this.sessionPromise = undefined;
      });
    }
    return this.sessionPromise;
  }

  private async cache(): Promise<ClusterCache> {
    const session = await this.session();
    if (!this.cacheInstance || this.cacheInstance.client !== session.client) {
      this.cacheInstance?.stop();
      const cache = new ClusterCache({
        client: session.client,
        support: session.support,
        namespaces: this.namespaceFilter,
        debounceMs: this.options.debounceMs,
        pageSize: this.options.pageSize,
        backoff: this.options.backoff,
        watchTimeoutSeconds: this.options.watchTimeoutSeconds,
        log: this.log,
      });
      cache.onDidChange(() => this.fire());
      this.cacheInstance = cache;
    }
    return this.cacheInstance;
  }

  private async ensure(kinds: WatchedKind[]): Promise<ClusterCache> {
    const cache = await this.cache();
    if (this.active) await cache.ensure(kinds);
    return cache;
  }

  private errorsOf(cache: ClusterCache, kinds: WatchedKind[]): { kind: WatchedKind; error: unknown }[] {
    return kinds.map((kind) => ({ kind, error: cache.error(kind) })).filter((e) => e.error !== undefined);
  }

  /** GatewayClasses → Gateways (→ routes → backends, as deep as asked); lists each kind once. */
  async gatewayTree(depth: GatewayDepth = 'classes'): Promise<GatewayTreeResult> {
    const session = await this.session();
    if (!session.support.installed)
      return { state: 'notInstalled', explanation: session.support.explanation ?? '', context: session.contextName };
    const kinds: WatchedKind[] = ['GatewayClass', 'Gateway'];
    if (depth !== 'classes') kinds.push(...ROUTE_KINDS);
    if (depth === 'backends') kinds.push('Service', 'EndpointSlice', 'Endpoints');
    const cache = await this.ensure(kinds);
    const routes: Partial<Record<RouteKind, KubeObject[]>> = {};
    for (const k of ROUTE_KINDS) routes[k] = cache.objects(k);
    const services = cache.isStarted('Service')
      ? indexServices(cache.objects('Service'), cache.objects('EndpointSlice'), cache.objects('Endpoints'))
      : undefined;
    const model = buildGatewayModel(
      {
        gatewayClasses: cache.objects('GatewayClass'),
        gateways: cache.objects('Gateway'),
        routes,
        services: [],
        endpointSlices: [],
        endpoints: [],
      },
      services,
    );
    return { state: 'ok', model, context: session.contextName, errors: this.errorsOf(cache, kinds) };
  }

  /** Services by namespace; with endpoints when asked (EndpointSlices, or Endpoints for selectorless ones). */
  async serviceTree(withEndpoints = true): Promise<ServiceTreeResult> {
    const session = await this.session();
    const kinds: WatchedKind[] = withEndpoints ? ['Service', 'EndpointSlice', 'Endpoints'] : ['Service'];
    const cache = await this.ensure(kinds);
    const index = indexServices(cache.objects('Service'), cache.objects('EndpointSlice'), cache.objects('Endpoints'));
    return { context: session.contextName, index, errors: this.errorsOf(cache, kinds) };
  }

  /** Namespace names (one list), for the namespace filter. */
  async listNamespaces(): Promise<string[]> {
    const session = await this.session();
    const { items } = await listAll(session.client, BUILTIN.Namespace, undefined, { pageSize: this.options.pageSize });
    return items.map((n) => n.metadata.name).sort();
  }

  /**
   * Every Service of the cluster whatever the namespace filter (one list), for what must be unique
   * across the cluster, such as load balancer addresses. Undefined when no filter hides anything, or
   * when the user may not list Services cluster-wide (then the caller says it could only look at
   * the namespaces shown).
   */
  async servicesOfAllNamespaces(): Promise<KubeObject[] | undefined> {
    if (!this.namespaceFilter) return undefined;
    const session = await this.session();
    try {
      return (await listAll(session.client, BUILTIN.Service, undefined, { pageSize: this.options.pageSize })).items;
    } catch (err) {
      this.options.log?.warn(
        `Kubernetes: cannot list Services in all namespaces (${err instanceof Error ? err.message : String(err)}); ` +
          `free addresses are worked out from the namespaces shown only`,
      );
      return undefined;
    }
  }

  /** The Secrets that GatewayClasses name as their parameters (one list of GatewayClasses). */
  async gatewayClassSecrets(): Promise<Array<SecretRef & { classes: string[] }>> {
    const session = await this.session();
    const kind = session.support.kinds.GatewayClass;
    if (!kind) return [];
    const { items } = await listAll(session.client, kind, undefined, { pageSize: this.options.pageSize });
    return parameterSecrets(items);
  }

  /** Names, types and keys of the Secrets of a namespace; their data is dropped here. */
  async listSecrets(namespace: string): Promise<SecretSummary[]> {
    const session = await this.session();
    const { items } = await listAll(session.client, BUILTIN.Secret, namespace, { pageSize: this.options.pageSize });
    return summarizeSecrets(items);
  }

  /** Requests sent and lists/watches made in the current session (diagnostics, benchmark). */
  async stats(): Promise<{ requests: number; lists: number; watches: number }> {
    const session = await this.session();
    const s = this.cacheInstance?.stats() ?? { lists: 0, watches: 0 };
    return { requests: session.client.requestCount, ...s };
  }

  // ---- reads and writes for other features (the VIP feature) ----------------------------------

  async actions(): Promise<ResourceActions> {
    return (await this.session()).actions;
  }

  /** The version of TCPRoute this cluster serves (v1 since Gateway API 1.6, v1alpha2 before), if any. */
  async tcpRouteVersion(): Promise<string | undefined> {
    return (await this.session()).support.kinds.TCPRoute?.version;
  }

  /** Every Service (of the namespace filter, or `namespace`) with its EndpointSlices and Endpoints: three lists. */
  async servicesWithEndpoints(namespace?: string): Promise<ServiceWithEndpoints[]> {
    const session = await this.session();
    const scopes = namespace ? [namespace] : (this.namespaceFilter ?? [undefined]);
    const read = async (kind: ResolvedKind): Promise<KubeObject[]> =>
      (
        await Promise.all(scopes.map((ns) => listAll(session.client, kind, ns, { pageSize: this.options.pageSize })))
      ).flatMap((r) => r.items);
    const [services, slices, endpoints] = await Promise.all([
      read(BUILTIN.Service),
      session.support.endpointSlices ? read(BUILTIN.EndpointSlice) : Promise.resolve([]),
      read(BUILTIN.Endpoints),
    ]);
    const slicesBy = new Map<string, KubeObject[]>();
    for (const s of slices) {
      const svc = s.metadata.labels?.['kubernetes.io/service-name'];
      if (!svc) continue;
      const key = `${s.metadata.namespace}/${svc}`;
      slicesBy.set(key, [...(slicesBy.get(key) ?? []), s]);
    }
    const endpointsBy = new Map(endpoints.map((e) => [`${e.metadata.namespace}/${e.metadata.name}`, e]));
    return services.map((service) => {
      const key = `${service.metadata.namespace}/${service.metadata.name}`;
      return { service, endpointSlices: slicesBy.get(key) ?? [], endpoints: endpointsBy.get(key) };
    });
  }

  /** Merge-patches a Service's status (e.g. `{ loadBalancer: { ingress: [{ ip }] } }`). */
  async patchServiceStatus(namespace: string, name: string, status: Record<string, unknown>): Promise<KubeObject> {
    return (await this.session()).actions.patch(BUILTIN.Service, { namespace, name }, { status }, 'status');
  }

  /** Sets (string) or removes (null) annotations of a Service. */
  async patchServiceAnnotations(
    namespace: string,
    name: string,
    annotations: Record<string, string | null>,
  ): Promise<KubeObject> {
    return (await this.session()).actions.patch(BUILTIN.Service, { namespace, name }, { metadata: { annotations } });
  }

  /** Merge-patches any object of a kind the cluster serves (e.g. a Gateway's spec), at its apiVersion. */
  async mergePatch(ref: ObjectRef & { apiVersion?: string }, patch: Record<string, unknown>): Promise<KubeObject> {
    const session = await this.session();
    return session.actions.patch(
      resolveKind(session.support, ref.kind, ref.apiVersion),
      { namespace: ref.namespace, name: ref.name },
      patch,
    );
  }

  /** Creates any object of a kind the cluster serves (a Gateway, a TCPRoute at the served version...). */
  async create(obj: KubeObject): Promise<KubeObject> {
    return (await this.session()).actions.create(obj);
  }

  private resetSession(): void {
    this.stopCache();
    this.sessionPromise = undefined;
  }

  private stopCache(): void {
    this.cacheInstance?.stop();
    this.cacheInstance = undefined;
  }

  dispose(): void {
    this.resetSession();
    this.listeners.clear();
  }
}

/** Resolves a kind name (and optional apiVersion) against what the cluster serves. */
export function resolveKind(support: GatewayApiSupport, kind: string, apiVersion?: string): ResolvedKind {
  if (kind in BUILTIN) return BUILTIN[kind as keyof typeof BUILTIN];
  if ((GATEWAY_KINDS as readonly string[]).includes(kind)) {
    const served = support.kinds[kind as GatewayKind];
    if (!served) {
      throw new UserFacingError(
        support.installed
          ? `This cluster does not serve ${kind} (its Gateway API installation lacks it).`
          : `This cluster does not serve ${kind}: ${support.explanation ?? 'the Gateway API CRDs are not installed.'}`,
      );
    }
    const version = apiVersion?.includes('/') ? apiVersion.split('/')[1] : undefined;
    if (version && version !== served.version) {
      if (!support.versions[kind as GatewayKind]?.includes(version))
        throw new UserFacingError(
          `This cluster serves ${kind} as ${support.versions[kind as GatewayKind]?.join(', ')}, not ${version}.`,
        );
      return { ...served, version };
    }
    return served;
  }
  throw new UserFacingError(`The Kubernetes browser does not handle kind ${kind}.`);
}
