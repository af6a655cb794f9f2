// A small bounded history per live node while the map is visible (for its sparklines): one sample
// per refresh, the oldest dropped past `limit`, nodes that left the graph forgotten.
import type { LiveState } from '../../dataplane/api';
import type { TrafficGraph } from './graph';

export interface Sample {
  /** Milliseconds since the epoch. */
  at: number;
  state: LiveState;
  sessions?: number;
  rate?: number;
  errors?: number;
}

export type NodeHistory = ReadonlyMap<string, readonly Sample[]>;

export const DEFAULT_HISTORY_LIMIT = 60;

/** The history with one more sample for every node that has live state; pure (inputs untouched). */
export function recordSamples(
  history: NodeHistory,
  graph: Pick<TrafficGraph, 'nodes'>,
  at: number,
  limit = DEFAULT_HISTORY_LIMIT,
): Map<string, Sample[]> {
  const max = Math.max(1, Math.floor(limit));
  const next = new Map<string, Sample[]>();
  for (const node of graph.nodes) {
    if (!node.live) continue;
    const { state, sessions, rate, errors } = node.live;
    const prior = history.get(node.id) ?? [];
    // A refresh that returns the same instant twice (a retried request) replaces, not appends.
    const kept = prior.length && prior[prior.length - 1].at >= at ? prior.slice(0, -1) : prior;
    next.set(node.id, [...kept.slice(Math.max(0, kept.length + 1 - max)), { at, state, sessions, rate, errors }]);
  }
  return next;
}

/** Per-second rate of a cumulated counter (errors) between the last two samples, if both have it. */
export function counterRate(samples: readonly Sample[], field: 'errors'): number | undefined {
  if (samples.length < 2) return undefined;
  const a = samples[samples.length - 2];
  const b = samples[samples.length - 1];
  const va = a[field];
  const vb = b[field];
  if (va === undefined || vb === undefined || b.at <= a.at) return undefined;
  // HAProxy restarted (counters reset): no meaningful rate.
  if (vb < va) return undefined;
  return ((vb - va) * 1000) / (b.at - a.at);
}
