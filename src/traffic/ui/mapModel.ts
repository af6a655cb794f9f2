// The model the traffic map's webview draws, built from one refresh of the core's TrafficRefresher:
// plain JSON (no sources, no paths: the host keeps those and acts on node ids), history as compact
// [at, sessions, rate, errors] rows. Pure, so the bench and the unit tests use it as the panel does.
import type { NodeHistory, RefreshResult, TrafficNode } from '../core/api';
import type { MapModel, MapNode, MapSample } from './mapProtocol';

function actionOf(node: TrafficNode): MapNode['action'] {
  if (node.missing) return 'none';
  if (node.source.type === 'haproxy') return 'config';
  return 'yaml';
}

function mapNode(n: TrafficNode): MapNode {
  const out: MapNode = { id: n.id, kind: n.kind, label: n.label, health: n.health, action: actionOf(n) };
  if (n.detail !== undefined) out.detail = n.detail;
  if (n.missing) out.missing = true;
  if (!n.missing && n.source.type === 'kubernetes') out.reveal = true;
  if (n.live) {
    const { state, lastCheck, sessions, rate, errors, weight } = n.live;
    out.live = { state, lastCheck, sessions, rate, errors, weight };
  }
  return out;
}

function historyOf(history: NodeHistory, ids: ReadonlySet<string>): Record<string, MapSample[]> {
  const out: Record<string, MapSample[]> = {};
  for (const [id, samples] of history) {
    if (!ids.has(id)) continue;
    out[id] = samples.map((s) => [s.at, s.sessions ?? null, s.rate ?? null, s.errors ?? null]);
  }
  return out;
}

export function mapModel(
  result: Pick<RefreshResult, 'graph' | 'history' | 'failures'>,
  subject: { title: string; focus: string },
  at: number,
  seq: number,
): MapModel {
  const nodes = result.graph.nodes.map(mapNode);
  const ids = new Set(nodes.map((n) => n.id));
  return {
    subject: subject.title,
    focus: subject.focus,
    nodes,
    edges: result.graph.edges.map((e) => ({
      from: e.from,
      to: e.to,
      kind: e.kind,
      ...(e.wildcard ? { wildcard: true as const } : {}),
    })),
    mismatches: result.graph.mismatches.map((m) => ({ kind: m.kind, message: m.message, nodeIds: m.nodeIds })),
    failures: result.failures.map((f) => ({ connectionId: f.connectionId, message: f.message })),
    history: historyOf(result.history, ids),
    at,
    seq,
  };
}
