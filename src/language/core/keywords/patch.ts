// Keyword data of versions after the base is stored as an RFC 7386 merge patch over the base:
// objects merge key by key, `null` deletes, anything else replaces. Untouched subtrees are shared.

import type { KeywordData } from './index';

/** A haproxy-<x.y>.json file that is a patch over the data of `base`. */
export interface KeywordPatch {
  readonly format: 1;
  readonly base: string;
  readonly patch: Record<string, unknown>;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function merge(base: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: Record<string, unknown> = isObject(base) ? { ...base } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = merge(out[key], value);
  }
  return out;
}

export function applyPatch(base: KeywordData, patch: Record<string, unknown>): KeywordData {
  return merge(base, patch) as KeywordData;
}
