// The extension host's side of the diagnostics worker: one worker thread, started on the first
// large document and reused, terminated on dispose. A newer request for a document supersedes the
// older one: the older promise settles `undefined` at once and its answer, if the worker already
// started it, is ignored. No vscode import: unit tests run it with the compiled worker.

import { Worker } from 'node:worker_threads';
import type { ConfigDiagnostic } from '../core/analysis/types';
import { parseWorkerResponse, type DiagnoseRequest, type WorkerRequest } from '../core/worker/protocol';

interface Waiting {
  readonly uri: string;
  readonly settle: (diagnostics: ConfigDiagnostic[] | undefined, error?: Error) => void;
}

export type DiagnoseInput = Omit<DiagnoseRequest, 'kind' | 'id'>;

export class DiagnosticsWorkerClient {
  private worker?: Worker;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();
  /** The id of the newest request of each uri. */
  private readonly latest = new Map<string, number>();
  private disposed = false;

  /** `script`: the worker's file (dist/diagnosticsWorker.js in the bundle). */
  constructor(
    private readonly script: string,
    private readonly onError: (message: string) => void = () => undefined,
  ) {}

  /**
   * Diagnostics of a document version, computed in the worker. `undefined`: superseded by a newer
   * request for the same uri, cancelled, or the client was disposed.
   */
  diagnose(input: DiagnoseInput): Promise<ConfigDiagnostic[] | undefined> {
    if (this.disposed) return Promise.resolve(undefined);
    this.supersede(input.uri);
    const id = this.nextId++;
    this.latest.set(input.uri, id);
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { uri: input.uri, settle: (d, e) => (e ? reject(e) : resolve(d)) });
      this.post({ kind: 'diagnose', id, ...input });
    });
  }

  /** Drops what is pending for a uri (document closed). */
  cancel(uri: string): void {
    if (!this.latest.has(uri)) return;
    this.supersede(uri);
    this.latest.delete(uri);
    this.post({ kind: 'cancel', uri });
  }

  /** Number of requests still waiting for an answer (for tests). */
  get pending(): number {
    return this.waiting.size;
  }

  dispose(): void {
    this.disposed = true;
    for (const w of this.waiting.values()) w.settle(undefined);
    this.waiting.clear();
    this.latest.clear();
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private supersede(uri: string): void {
    const older = this.latest.get(uri);
    if (older === undefined) return;
    this.waiting.get(older)?.settle(undefined);
    this.waiting.delete(older);
  }

  private post(message: WorkerRequest): void {
    const worker = this.start();
    worker.postMessage(message);
    // Referenced while an answer is awaited, so that the answer can arrive (an idle worker keeps nothing alive).
    if (this.waiting.size > 0) worker.ref();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.script);
    worker.on('message', (m: unknown) => this.onMessage(m));
    // 'error' is followed by 'exit': only the first one of a worker counts.
    worker.on('error', (err) => {
      if (this.worker === worker) this.onExit(`diagnostics worker failed: ${err.message}`);
    });
    worker.on('exit', (code) => {
      if (this.worker === worker && !this.disposed) this.onExit(`diagnostics worker exited (${code})`);
    });
    this.worker = worker;
    return worker;
  }

  private onMessage(m: unknown): void {
    const response = parseWorkerResponse(m);
    if (!response) {
      this.onError('diagnostics worker: an answer of an unexpected shape was dropped');
      return;
    }
    const w = this.waiting.get(response.id);
    if (this.waiting.size <= 1) this.worker?.unref();
    // Already superseded on this side: the answer is stale.
    if (!w) return;
    this.waiting.delete(response.id);
    if (this.latest.get(w.uri) === response.id) this.latest.delete(w.uri);
    if (response.kind === 'result') w.settle(response.diagnostics);
    else if (response.kind === 'dropped') w.settle(undefined);
    else w.settle(undefined, new Error(response.message));
  }

  /** The worker died: what waited fails, and the next request starts a new worker. */
  private onExit(message: string): void {
    this.worker = undefined;
    this.onError(message);
    for (const w of this.waiting.values()) w.settle(undefined, new Error(message));
    this.waiting.clear();
    this.latest.clear();
  }
}
