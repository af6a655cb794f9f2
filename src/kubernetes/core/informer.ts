// One kind (in one namespace or all) kept current: a paginated list, then a watch from the list's
// resourceVersion with bookmarks; a closed watch resumes from the last version seen, a broken one
// after a growing back-off, and 410 Gone (version compacted away) triggers a fresh list.
import { silentLogger, type Logger } from '../../shared/logger';
import type { KubeClient, WatchEvent } from './client';
import { KubeConnectionError, apiError, isGone, type KubeApiError } from './errors';
import { apiVersionOf, describeResource, resourcePath, type ResolvedKind } from './kinds';
import { asList, asObject, isRecord, objectKey, type KubeObject } from './types';

export interface Backoff {
  initialMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { initialMs: 500, maxMs: 30_000 };
export const DEFAULT_PAGE_SIZE = 500;

/** Lists every page of a kind: one request per `limit` objects, restarted once if the continue token expires. */
export async function listAll(
  client: KubeClient,
  kind: ResolvedKind,
  namespace: string | undefined,
  options: { pageSize?: number; labelSelector?: string; fieldSelector?: string; signal?: AbortSignal } = {},
): Promise<{ items: KubeObject[]; resourceVersion: string }> {
  const what = { verb: 'list', resource: describeResource(kind, namespace) };
  for (let attempt = 0; ; attempt++) {
    const items: KubeObject[] = [];
    let token: string | undefined;
    let resourceVersion = '';
    try {
      do {
        const body = await client.request('GET', resourcePath(kind, namespace), what, {
          query: {
            limit: options.pageSize ?? DEFAULT_PAGE_SIZE,
            continue: token,
            labelSelector: options.labelSelector,
            fieldSelector: options.fieldSelector,
          },
          signal: options.signal,
        });
        const page = asList(body, `list ${what.resource}`);
        // Built-in lists omit kind and apiVersion on their items; restore them for later use.
        for (const item of page.items) items.push({ ...item, apiVersion: apiVersionOf(kind), kind: kind.kind });
        token = page.continueToken;
        resourceVersion = page.resourceVersion || resourceVersion;
      } while (token);
      return { items, resourceVersion };
    } catch (err) {
      if (isGone(err) && token !== undefined && attempt < 2) continue;
      throw err;
    }
  }
}

export interface InformerOptions {
  client: KubeClient;
  kind: ResolvedKind;
  namespace?: string;
  pageSize?: number;
  backoff?: Backoff;
  /** Server-side watch timeout; the watch is then resumed. Randomised like client-go to spread reconnects. */
  watchTimeoutSeconds?: () => number;
  onChange(): void;
  onError(err: unknown): void;
  log?: Logger;
}

export class Informer {
  readonly items = new Map<string, KubeObject>();
  synced = false;
  lastError: unknown;
  /** Number of lists made (1 + relists after 410 Gone). */
  lists = 0;
  /** Number of watches opened. */
  watches = 0;
  private resourceVersion = '';
  private stopped = false;
  private controller: AbortController | undefined;
  private wake: (() => void) | undefined;
  private readonly firstSync: Promise<void>;
  private settleFirst!: (err?: unknown) => void;

  constructor(private readonly options: InformerOptions) {
    this.firstSync = new Promise<void>((resolve, reject) => {
      this.settleFirst = (err) => (err === undefined ? resolve() : reject(err));
    });
    // Callers that never await the first sync must not see an unhandled rejection.
    this.firstSync.catch(() => undefined);
  }

  get kind(): ResolvedKind {
    return this.options.kind;
  }

  get namespace(): string | undefined {
    return this.options.namespace;
  }

  /** Starts the loop; the promise settles after the first list (rejects with its error). */
  start(): Promise<void> {
    void this.run();
    return this.firstSync;
  }

  whenSynced(): Promise<void> {
    return this.firstSync;
  }

  stop(): void {
    this.stopped = true;
    this.controller?.abort();
    this.wake?.();
  }

  private get log(): Logger {
    return this.options.log ?? silentLogger;
  }

  private get label(): string {
    return describeResource(this.options.kind, this.options.namespace);
  }

  private async run(): Promise<void> {
    const backoff = this.options.backoff ?? DEFAULT_BACKOFF;
    let delay = backoff.initialMs;
    let needList = true;
    while (!this.stopped) {
      try {
        if (needList) {
          await this.relist();
          needList = false;
          delay = backoff.initialMs;
        }
        const delivered = await this.watchOnce();
        // A watch that carried events was healthy: start the next back-off from the bottom.
        if (delivered) delay = backoff.initialMs;
      } catch (err) {
        if (this.stopped) return;
        if (isGone(err)) {
          this.log.info(`${this.label}: resourceVersion ${this.resourceVersion} expired (410 Gone); listing again`);
          needList = true;
          continue;
        }
        this.lastError = err;
        if (!this.synced) this.settleFirst(err);
        this.options.onError(err);
        this.log.warn(
          `${this.label}: ${err instanceof Error ? err.message : String(err)}; retrying in ${Math.round(delay)} ms`,
        );
        await this.sleep(delay * (0.8 + Math.random() * 0.4));
        delay = Math.min(delay * 2, backoff.maxMs);
        // A list that failed must be retried; a watch that failed resumes from its version.
        if (!this.synced) needList = true;
      }
    }
  }

  private async relist(): Promise<void> {
    const { client, kind, namespace, pageSize } = this.options;
    const { items, resourceVersion } = await listAll(client, kind, namespace, { pageSize });
    this.lists++;
    this.items.clear();
    for (const item of items) this.items.set(objectKey(item), item);
    this.resourceVersion = resourceVersion;
    this.lastError = undefined;
    const first = !this.synced;
    this.synced = true;
    if (first) this.settleFirst();
    this.options.onChange();
  }

  /** Resolves when the server ends the watch normally (true if events came); rejects on failure or 410. */
  private watchOnce(): Promise<boolean> {
    const { client, kind, namespace } = this.options;
    const timeoutSeconds = this.options.watchTimeoutSeconds?.() ?? 300 + Math.floor(Math.random() * 300);
    this.watches++;
    let delivered = false;
    return new Promise<boolean>((resolve, reject) => {
      let failure: unknown;
      const onEvent = (e: WatchEvent): void => {
        if (failure !== undefined || this.stopped) return;
        try {
          if (this.apply(e)) delivered = true;
        } catch (err) {
          failure = err;
          this.controller?.abort();
        }
      };
      const onDone = (err: unknown): void => {
        this.controller = undefined;
        if (this.stopped) return resolve(delivered);
        if (failure !== undefined) return reject(failure);
        if (err) {
          const status = (err as { statusCode?: number }).statusCode;
          if (typeof status === 'number')
            return reject(apiError(status, '', { verb: 'watch', resource: this.label, context: client.contextName }));
          return reject(
            new KubeConnectionError(
              `The watch of ${this.label} broke: ${err instanceof Error ? err.message : String(err)}`,
            ),
          );
        }
        resolve(delivered);
      };
      client
        .watch(
          resourcePath(kind, namespace),
          { resourceVersion: this.resourceVersion, allowWatchBookmarks: true, timeoutSeconds },
          onEvent,
          onDone,
        )
        .then((controller) => {
          if (this.stopped) controller.abort();
          else this.controller = controller;
        }, reject);
    });
  }

  /** Applies one event; returns true when the store changed. Throws on ERROR events. */
  private apply(e: WatchEvent): boolean {
    const { kind } = this.options;
    if (e.type === 'ERROR') {
      const status = isRecord(e.object) ? e.object : {};
      const code = typeof status.code === 'number' ? status.code : 500;
      throw apiError(code, JSON.stringify({ kind: 'Status', ...status }), {
        verb: 'watch',
        resource: this.label,
        context: this.options.client.contextName,
      }) as KubeApiError;
    }
    if (e.type === 'BOOKMARK') {
      const rv = isRecord(e.object) && isRecord(e.object.metadata) ? e.object.metadata.resourceVersion : undefined;
      if (typeof rv === 'string') this.resourceVersion = rv;
      return false;
    }
    if (e.type !== 'ADDED' && e.type !== 'MODIFIED' && e.type !== 'DELETED') {
      throw new KubeConnectionError(`The watch of ${this.label} sent an event of unknown type "${e.type}".`);
    }
    const obj = asObject(e.object, `watch ${this.label}`);
    const item: KubeObject = { ...obj, apiVersion: obj.apiVersion ?? apiVersionOf(kind), kind: obj.kind ?? kind.kind };
    if (item.metadata.resourceVersion) this.resourceVersion = item.metadata.resourceVersion;
    if (e.type === 'DELETED') this.items.delete(objectKey(item));
    else this.items.set(objectKey(item), item);
    this.options.onChange();
    return true;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
    });
  }
}
