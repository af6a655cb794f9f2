// What the traffic map draws, computed without a DOM: dagre places the nodes in left-to-right
// layers (the request's path: Gateway → listener → Route → Service → bind → frontend → backend →
// server → endpoint), then each node gets its text, classes, ARIA label and keyboard neighbours.
// The webview applies a scene to SVG (map.ts); the bench and unit tests call it directly.
import { graphlib, layout } from '@dagrejs/dagre';
import type { MapEdge, MapModel, MapNode } from '../mapProtocol';
import { ENGLISH, formatString, type MapStrings } from '../mapStrings';

export const NODE_W = 200;
export const NODE_H = 58;
const MAX_CHARS = 28;

export interface Positions {
  /** Node id and edge ids, sorted: the same key means the same layout. */
  key: string;
  width: number;
  height: number;
  nodes: Map<string, { x: number; y: number }>;
  edges: Map<string, { x: number; y: number }[]>;
}

export interface SceneNode {
  id: string;
  /** Top-left corner. */
  x: number;
  y: number;
  label: string;
  detail: string;
  /** The live line: state, sessions, rate, errors. */
  status: string;
  classes: string[];
  aria: string;
  /** Keyboard neighbours: right = next hop, left = previous hop, up/down = same column. */
  nav: { left?: string; right?: string; up?: string; down?: string };
}

export interface SceneEdge {
  id: string;
  from: string;
  to: string;
  d: string;
  classes: string[];
}

export interface Scene {
  width: number;
  height: number;
  /** In reading order (column by column, top to bottom): the Tab order. */
  nodes: SceneNode[];
  edges: SceneEdge[];
}

const edgeId = (e: Pick<MapEdge, 'from' | 'to'>) => `${e.from}->${e.to}`;

export function topologyKey(model: Pick<MapModel, 'nodes' | 'edges'>): string {
  return [...model.nodes.map((n) => n.id), '|', ...model.edges.map(edgeId)].sort().join('\n');
}

/**
 * The edges drawn: a Service's edge to an endpoint that an HAProxy server reaches is left out (the
 * request goes Service → bind → … → server → endpoint; the long kube-proxy edge would cross every
 * HAProxy column and cost dagre hundreds of dummy nodes). Endpoints no server reaches keep it.
 */
export function drawnEdges(model: Pick<MapModel, 'edges'>): MapEdge[] {
  const targeted = new Set(model.edges.filter((e) => e.kind === 'target').map((e) => e.to));
  return model.edges.filter((e) => e.kind !== 'endpoint' || !targeted.has(e.to));
}

/** Places the nodes (dagre, left to right; longest-path ranking: the layers are the path's hops). */
export function layoutModel(model: Pick<MapModel, 'nodes' | 'edges'>): Positions {
  const g = new graphlib.Graph({ multigraph: false });
  g.setGraph({ rankdir: 'LR', nodesep: 14, ranksep: 56, marginx: 16, marginy: 16, ranker: 'longest-path' });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of model.nodes) g.setNode(n.id, { width: NODE_W, height: NODE_H });
  const edges = drawnEdges(model);
  for (const e of edges) g.setEdge(e.from, e.to);
  // The barycentre ordering is good enough for a path graph; the optimal-order pass doubles the time.
  layout(g, { disableOptimalOrderHeuristic: true });
  const nodes = new Map<string, { x: number; y: number }>();
  for (const n of model.nodes) {
    const p = g.node(n.id);
    nodes.set(n.id, { x: Math.round(p.x - NODE_W / 2), y: Math.round(p.y - NODE_H / 2) });
  }
  const points = new Map<string, { x: number; y: number }[]>();
  for (const e of edges) points.set(edgeId(e), g.edge(e.from, e.to)?.points ?? []);
  const graph = g.graph();
  return { key: topologyKey(model), width: graph.width ?? 0, height: graph.height ?? 0, nodes, edges: points };
}

const clip = (s: string, max = MAX_CHARS) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

function fmt(n: number | undefined, template: string): string | undefined {
  if (n === undefined) return undefined;
  return formatString(template, n >= 1000 ? `${(n / 1000).toFixed(1)}k` : `${Math.round(n * 10) / 10}`);
}

export function statusLine(n: MapNode, strings: MapStrings = ENGLISH): string {
  if (n.missing) return strings.missing;
  if (!n.live) return n.kind === 'frontend' || n.kind === 'backend' || n.kind === 'server' ? strings.noLiveState : '';
  const l = n.live;
  return [
    l.state,
    fmt(l.sessions, strings.currentSessions),
    fmt(l.rate, strings.perSecond),
    l.errors ? fmt(l.errors, strings.errorCount) : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
}

function ariaOf(n: MapNode, mismatches: string[], strings: MapStrings): string {
  const parts = [`${strings.kinds[n.kind]} ${n.label}`];
  if (n.detail) parts.push(n.detail);
  const status = statusLine(n, strings);
  if (status) parts.push(status);
  if (n.live?.lastCheck) parts.push(formatString(strings.lastCheckAt, n.live.lastCheck));
  if (n.health !== 'ok') parts.push(formatString(strings.health, n.health));
  parts.push(...mismatches);
  return parts.join(', ');
}

function edgePath(points: readonly { x: number; y: number }[]): string {
  if (points.length === 0) return '';
  return points.map((p, i) => `${i ? 'L' : 'M'}${Math.round(p.x)},${Math.round(p.y)}`).join(' ');
}

function neighbours(model: Pick<MapModel, 'edges'>, pos: Positions, ordered: readonly string[]) {
  const out = new Map<string, string[]>();
  const into = new Map<string, string[]>();
  for (const e of model.edges) {
    out.set(e.from, [...(out.get(e.from) ?? []), e.to]);
    into.set(e.to, [...(into.get(e.to) ?? []), e.from]);
  }
  const y = (id: string) => pos.nodes.get(id)?.y ?? 0;
  const closest = (from: string, list: string[] | undefined) =>
    list?.slice().sort((a, b) => Math.abs(y(a) - y(from)) - Math.abs(y(b) - y(from)))[0];
  const columns = new Map<number, string[]>();
  for (const id of ordered) {
    const x = pos.nodes.get(id)?.x ?? 0;
    columns.set(x, [...(columns.get(x) ?? []), id]);
  }
  const nav = new Map<string, SceneNode['nav']>();
  for (const col of columns.values()) {
    col.forEach((id, i) => {
      nav.set(id, {
        left: closest(id, into.get(id)),
        right: closest(id, out.get(id)),
        up: col[i - 1],
        down: col[i + 1],
      });
    });
  }
  return nav;
}

/**
 * The scene of a model; `prior` positions are reused when the topology did not change; `strings`: the
 * words of the ARIA labels and status lines, in the user's language.
 */
export function buildScene(
  model: MapModel,
  prior?: Positions,
  strings: MapStrings = ENGLISH,
): { scene: Scene; positions: Positions } {
  const key = topologyKey(model);
  const pos = prior && prior.key === key ? prior : layoutModel(model);
  const flagged = new Map<string, string[]>();
  for (const m of model.mismatches)
    for (const id of m.nodeIds) flagged.set(id, [...(flagged.get(id) ?? []), m.message]);
  const ordered = model.nodes
    .map((n) => n.id)
    .sort((a, b) => {
      const pa = pos.nodes.get(a)!;
      const pb = pos.nodes.get(b)!;
      return pa.x - pb.x || pa.y - pb.y;
    });
  const nav = neighbours({ edges: drawnEdges(model) }, pos, ordered);
  const byId = new Map(model.nodes.map((n) => [n.id, n]));
  const nodes: SceneNode[] = ordered.map((id) => {
    const n = byId.get(id)!;
    const p = pos.nodes.get(id)!;
    const classes = ['node', `kind-${n.kind}`, `health-${n.health}`];
    if (n.live) classes.push(`state-${n.live.state.toLowerCase().replace(/[^a-z]+/g, '-')}`);
    if (flagged.has(id)) classes.push('mismatch');
    if (n.missing) classes.push('missing');
    if (id === model.focus) classes.push('focus-subject');
    return {
      id,
      x: p.x,
      y: p.y,
      label: clip(n.label),
      detail: clip(n.detail ?? '', 34),
      status: clip(statusLine(n, strings), 34),
      classes,
      aria: ariaOf(n, flagged.get(id) ?? [], strings),
      nav: nav.get(id) ?? {},
    };
  });
  const edges: SceneEdge[] = drawnEdges(model).map((e) => {
    const classes = ['edge', `edge-${e.kind}`];
    if (e.wildcard) classes.push('wildcard');
    if (flagged.has(e.from) || flagged.has(e.to)) classes.push('touches-mismatch');
    return { id: edgeId(e), from: e.from, to: e.to, d: edgePath(pos.edges.get(edgeId(e)) ?? []), classes };
  });
  return { scene: { width: Math.ceil(pos.width), height: Math.ceil(pos.height), nodes, edges }, positions: pos };
}
