// Requests to one context's API server through @kubernetes/client-node: its KubeConfig applies the
// context's authentication and TLS, its HTTP library sends, and its Watch streams. Bodies are read
// as plain JSON rather than through the generated typed APIs because those convert timestamps to
// Dates and drop fields of kinds they do not model, and cannot address the status subresource of
// custom resources; the YAML editor and the Gateway API kinds need the objects exactly as served.
import type * as k8s from '@kubernetes/client-node';
import { clientNode } from './clientNode';
import { KubeConnectionError, apiError, type RequestDescription } from './errors';

export type HttpVerb = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface WatchEvent {
  type: string;
  object: unknown;
}

export const MERGE_PATCH = 'application/merge-patch+json';
export const JSON_PATCH = 'application/json-patch+json';

export class KubeClient {
  /** HTTP requests sent, watches included (the benchmark reports it). */
  requestCount = 0;
  private readonly http = clientNode().createConfiguration().httpApi;

  constructor(
    readonly kubeConfig: k8s.KubeConfig,
    readonly contextName: string,
    private readonly defaultTimeoutMs = 30_000,
  ) {}

  get server(): string {
    const cluster = this.kubeConfig.getCurrentCluster();
    if (!cluster) throw new KubeConnectionError(`Context "${this.contextName}" names no cluster in the kubeconfig.`);
    return cluster.server.replace(/(?<!\/)\/+$/, '');
  }

  /** Context namespace from the kubeconfig, if any. */
  get contextNamespace(): string | undefined {
    return this.kubeConfig.getContextObject(this.contextName)?.namespace;
  }

  private url(path: string, query?: RequestOptions['query']): URL {
    const url = new URL(this.server + path);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    return url;
  }

  /** Sends one request; resolves with the parsed JSON body, or throws KubeApiError/KubeConnectionError. */
  async request(
    method: HttpVerb,
    path: string,
    what: Omit<RequestDescription, 'context'>,
    options: RequestOptions = {},
  ): Promise<unknown> {
    const described: RequestDescription = { ...what, context: this.contextName };
    const url = this.url(path, options.query);
    const ctx = new (clientNode().RequestContext)(url.toString(), method as k8s.HttpMethod);
    ctx.setHeaderParam('Accept', 'application/json');
    if (options.body !== undefined) {
      ctx.setHeaderParam('Content-Type', options.contentType ?? 'application/json');
      ctx.setBody(JSON.stringify(options.body));
    }
    const timeout = AbortSignal.timeout(options.timeoutMs ?? this.defaultTimeoutMs);
    ctx.setSignal(options.signal ? AbortSignal.any([options.signal, timeout]) : timeout);
    let status: number;
    let text: string;
    try {
      await this.kubeConfig.applySecurityAuthentication(ctx);
      this.requestCount++;
      const response = await this.http.send(ctx).toPromise();
      status = response.httpStatusCode;
      text = await response.body.text();
    } catch (err) {
      if (options.signal?.aborted) throw err;
      throw connectionError(err, this.contextName, url, timeout.aborted);
    }
    if (status < 200 || status > 299) throw apiError(status, text, described);
    try {
      return text === '' ? undefined : JSON.parse(text);
    } catch {
      throw new KubeConnectionError(
        `The API server of context "${this.contextName}" answered ${what.verb} ${what.resource} with a body that is ` +
          `not JSON.`,
        text.slice(0, 200),
      );
    }
  }

  /**
   * Opens a watch stream. `onEvent` gets each decoded line; `onDone` is called once, with an error
   * when the connection failed or broke, with null when the server closed it normally.
   */
  async watch(
    path: string,
    query: Record<string, string | number | boolean | undefined>,
    onEvent: (e: WatchEvent) => void,
    onDone: (err: unknown) => void,
  ): Promise<AbortController> {
    this.requestCount++;
    return new (clientNode().Watch)(this.kubeConfig).watch(
      path,
      query,
      (type, object) => onEvent({ type, object }),
      onDone,
    );
  }
}

function connectionError(err: unknown, context: string, url: URL, timedOut: boolean): KubeConnectionError {
  const raw = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: string } | undefined)?.code ?? '';
  const where = `${url.protocol}//${url.host}`;
  if (timedOut)
    return new KubeConnectionError(`The API server of context "${context}" at ${where} did not answer in time.`, raw);
  if (code === 'ECONNREFUSED' || /ECONNREFUSED/.test(raw))
    return new KubeConnectionError(
      `Cannot connect to the API server of context "${context}" at ${where}: connection refused. Is the cluster ` +
        `running?`,
      raw,
    );
  if (/certificate|self.signed|CERT_|unable to verify/i.test(raw)) {
    return new KubeConnectionError(
      `The TLS certificate of the API server of context "${context}" at ${where} is not trusted: ${raw}. Check ` +
        `certificate-authority in the kubeconfig.`,
      raw,
    );
  }
  return new KubeConnectionError(`Cannot reach the API server of context "${context}" at ${where}: ${raw}`, raw);
}
