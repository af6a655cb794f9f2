// The message protocol between the extension host and the diagnostics worker thread
// (src/language/core/worker/diagnosticsWorker.ts). Both sides validate what they receive: a
// message that does not have the expected shape is dropped, never trusted. Pure core.

import type { ConfigDiagnostic } from '../analysis/types';

/** Host -> worker: parse and diagnose this text. A newer request for the same uri supersedes it. */
export interface DiagnoseRequest {
  readonly kind: 'diagnose';
  readonly id: number;
  readonly uri: string;
  readonly version: number;
  readonly text: string;
  /** Keyword data version (`2.6`, `3.0`...) the document targets. */
  readonly keywordVersion: string;
  readonly unusedBackends: boolean;
}

/** Host -> worker: forget every pending request for this uri (document closed). */
export interface CancelRequest {
  readonly kind: 'cancel';
  readonly uri: string;
}

export type WorkerRequest = DiagnoseRequest | CancelRequest;

/** Worker -> host: the answer to a request, or why there is none. */
export type WorkerResponse =
  | { readonly kind: 'result'; readonly id: number; readonly diagnostics: ConfigDiagnostic[] }
  /** Superseded by a newer request for the same uri, or cancelled, before it was started. */
  | { readonly kind: 'dropped'; readonly id: number }
  | { readonly kind: 'error'; readonly id: number; readonly message: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

export function parseWorkerRequest(v: unknown): WorkerRequest | undefined {
  if (!isObject(v)) return undefined;
  if (v.kind === 'cancel') return typeof v.uri === 'string' ? { kind: 'cancel', uri: v.uri } : undefined;
  if (v.kind !== 'diagnose') return undefined;
  const { id, uri, version, text, keywordVersion, unusedBackends } = v;
  if (!isId(id) || typeof uri !== 'string' || typeof version !== 'number' || typeof text !== 'string') return undefined;
  if (typeof keywordVersion !== 'string' || !/^\d+\.\d+/.test(keywordVersion)) return undefined;
  if (typeof unusedBackends !== 'boolean') return undefined;
  return { kind: 'diagnose', id, uri, version, text, keywordVersion, unusedBackends };
}

function isDiagnostic(v: unknown): v is ConfigDiagnostic {
  if (!isObject(v)) return false;
  return (
    typeof v.code === 'string' &&
    typeof v.message === 'string' &&
    (v.severity === 'error' || v.severity === 'warning' || v.severity === 'information' || v.severity === 'hint') &&
    isId(v.line) &&
    isId(v.start) &&
    isId(v.end) &&
    (v.tags === undefined || Array.isArray(v.tags)) &&
    (v.fixes === undefined || Array.isArray(v.fixes)) &&
    (v.related === undefined || Array.isArray(v.related))
  );
}

export function parseWorkerResponse(v: unknown): WorkerResponse | undefined {
  if (!isObject(v) || !isId(v.id)) return undefined;
  const id = v.id;
  if (v.kind === 'dropped') return { kind: 'dropped', id };
  if (v.kind === 'error') return typeof v.message === 'string' ? { kind: 'error', id, message: v.message } : undefined;
  if (v.kind !== 'result' || !Array.isArray(v.diagnostics)) return undefined;
  const diagnostics = v.diagnostics as unknown[];
  return diagnostics.every(isDiagnostic) ? { kind: 'result', id, diagnostics } : undefined;
}
