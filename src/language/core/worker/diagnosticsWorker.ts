// The diagnostics worker thread (bundled as dist/diagnosticsWorker.js): parses and diagnoses large
// documents off the extension host's thread with the same pure core as the in-thread path.
// Requests are queued per document: a newer version supersedes a queued older one, which is
// answered `dropped` without being parsed. One request runs at a time (parse + diagnose are
// synchronous); the queue is looked at again between two requests.

import { isMainThread, parentPort } from 'node:worker_threads';
import { diagnose } from '../analysis/diagnostics';
import { loadKeywords } from '../keywords';
import { parseConfig } from '../../../shared/haproxy-config/parser';
import { parseWorkerRequest, type DiagnoseRequest, type WorkerResponse } from './protocol';

/** What the worker does with one request: the same calls as LanguageService.model + diagnostics. */
export function diagnoseRequest(r: DiagnoseRequest): WorkerResponse {
  try {
    const keywords = loadKeywords(r.keywordVersion);
    const model = parseConfig(r.text, { haproxyVersion: keywords.version });
    return { kind: 'result', id: r.id, diagnostics: diagnose(model, { keywords, unusedBackends: r.unusedBackends }) };
  } catch (err) {
    return { kind: 'error', id: r.id, message: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * The message handler: validates, queues (one pending request per uri), and works the queue in
 * later turns of the event loop, so that messages that arrived meanwhile can supersede.
 */
export function createRequestHandler(post: (r: WorkerResponse) => void): (message: unknown) => void {
  const pending = new Map<string, DiagnoseRequest>();
  let scheduled = false;
  const work = (): void => {
    scheduled = false;
    const next = pending.entries().next();
    if (next.done) return;
    const [uri, request] = next.value;
    pending.delete(uri);
    post(diagnoseRequest(request));
    if (pending.size > 0) schedule();
  };
  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(work);
  };
  return (message) => {
    const request = parseWorkerRequest(message);
    if (!request) return;
    const older = pending.get(request.uri);
    if (older) post({ kind: 'dropped', id: older.id });
    if (request.kind === 'cancel') {
      pending.delete(request.uri);
      return;
    }
    // Map order is insertion order: a superseding request goes to the back of the queue.
    pending.delete(request.uri);
    pending.set(request.uri, request);
    schedule();
  };
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  port.on(
    'message',
    createRequestHandler((r) => port.postMessage(r)),
  );
}
