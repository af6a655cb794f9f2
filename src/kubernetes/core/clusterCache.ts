// The objects of one context, kept current by one informer per kind (per namespace when a
// namespace filter is set): each kind is listed once and watched, never fetched per item. Kinds
// start on demand, so a collapsed Services folder costs nothing.
import type { KubeClient } from './client';
import type { GatewayApiSupport } from './discovery';
import type { Logger } from '../../shared/logger';
import { Informer, type Backoff } from './informer';
import { BUILTIN, type ResolvedKind, type RouteKind } from './kinds';
import type { KubeObject } from './types';

export type WatchedKind = 'GatewayClass' | 'Gateway' | RouteKind | 'Service' | 'EndpointSlice' | 'Endpoints';

export interface ClusterCacheOptions {
  client: KubeClient;
  support: GatewayApiSupport;
  /** Only these namespaces (one informer per namespace and kind); undefined: all namespaces. */
  namespaces?: string[];
  /** Change notifications are coalesced over this many milliseconds. */
  debounceMs?: number;
  pageSize?: number;
  backoff?: Backoff;
  watchTimeoutSeconds?: () => number;
  log?: Logger;
}

export class ClusterCache {
  private readonly informers = new Map<string, Informer>();
  private readonly listeners = new Set<() => void>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(private readonly options: ClusterCacheOptions) {}

  get client(): KubeClient {
    return this.options.client;
  }

  get support(): GatewayApiSupport {
    return this.options.support;
  }

  get namespaces(): string[] | undefined {
    return this.options.namespaces;
  }

  /** The version of `kind` this cluster serves, or undefined when it serves none. */
  resolve(kind: WatchedKind): ResolvedKind | undefined {
    if (kind === 'Service' || kind === 'Endpoints') return BUILTIN[kind];
    if (kind === 'EndpointSlice') return this.options.support.endpointSlices ? BUILTIN.EndpointSlice : undefined;
    return this.options.support.kinds[kind];
  }

  /**
   * Starts the informers of `kinds` that are not running and waits for their first list (failures are kept, not
   * thrown).
   */
  async ensure(kinds: readonly WatchedKind[]): Promise<void> {
    if (this.stopped) return;
    const waits: Promise<void>[] = [];
    for (const kind of kinds) {
      const resolved = this.resolve(kind);
      if (!resolved) continue;
      const scopes = resolved.namespaced && this.options.namespaces ? this.options.namespaces : [undefined];
      for (const namespace of scopes) {
        const key = `${kind}|${namespace ?? '*'}`;
        let informer = this.informers.get(key);
        if (!informer) {
          informer = new Informer({
            client: this.options.client,
            kind: resolved,
            namespace,
            pageSize: this.options.pageSize,
            backoff: this.options.backoff,
            watchTimeoutSeconds: this.options.watchTimeoutSeconds,
            log: this.options.log,
            onChange: () => this.changed(),
            onError: () => this.changed(),
          });
          this.informers.set(key, informer);
          void informer.start();
        }
        waits.push(informer.whenSynced().catch(() => undefined));
      }
    }
    await Promise.all(waits);
  }

  private informersOf(kind: WatchedKind): Informer[] {
    return [...this.informers.entries()].filter(([k]) => k.startsWith(`${kind}|`)).map(([, i]) => i);
  }

  isStarted(kind: WatchedKind): boolean {
    return this.informersOf(kind).length > 0;
  }

  objects(kind: WatchedKind): KubeObject[] {
    return this.informersOf(kind).flatMap((i) => [...i.items.values()]);
  }

  /** The error that keeps a kind from being shown: a first list that failed (and still fails). */
  error(kind: WatchedKind): unknown {
    return this.informersOf(kind).find((i) => !i.synced && i.lastError !== undefined)?.lastError;
  }

  /** Lists and watches made so far, for diagnostics and the benchmark. */
  stats(): { lists: number; watches: number } {
    let lists = 0;
    let watches = 0;
    for (const i of this.informers.values()) {
      lists += i.lists;
      watches += i.watches;
    }
    return { lists, watches };
  }

  onDidChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      for (const l of [...this.listeners]) l();
    }, this.options.debounceMs ?? 100);
  }

  /** Stops every watch (the view was hidden, the context switched, or the extension deactivates). */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const i of this.informers.values()) i.stop();
    this.informers.clear();
    this.listeners.clear();
  }
}
