// The messages between the traffic map's host (mapPanel.ts) and its webview (webview/map.ts), with
// the checks each side runs on what it receives: a webview is another process with its own bugs,
// and the host acts only on a node id it knows (never on a path or command sent by the page).
// Pure: no editor, no DOM; both bundles import it.

export const HEALTHS = ['ok', 'warning', 'error', 'unknown'] as const;
export type MapHealth = (typeof HEALTHS)[number];

export const NODE_KINDS = [
  'gateway',
  'listener',
  'route',
  'service',
  'endpoint',
  'bind',
  'frontend',
  'backend',
  'server',
] as const;
export type MapNodeKind = (typeof NODE_KINDS)[number];

export interface MapLive {
  state: string;
  lastCheck?: string;
  sessions?: number;
  rate?: number;
  errors?: number;
  weight?: number;
}

export interface MapNode {
  id: string;
  kind: MapNodeKind;
  label: string;
  detail?: string;
  health: MapHealth;
  live?: MapLive;
  missing?: boolean;
  /** What activating the node does: open its YAML or its line in the live haproxy.cfg. */
  action: 'yaml' | 'config' | 'none';
  /** The node has a row in the Kubernetes tree to reveal. */
  reveal?: boolean;
}

export interface MapEdge {
  from: string;
  to: string;
  kind: string;
  wildcard?: boolean;
}

export interface MapMismatch {
  kind: string;
  message: string;
  nodeIds: string[];
}

/** One sample per refresh: at (ms), sessions, rate, errors (null when the server sent none). */
export type MapSample = [number, number | null, number | null, number | null];

export interface MapModel {
  /** What the map was opened for (title and focus). */
  subject: string;
  focus: string;
  nodes: MapNode[];
  edges: MapEdge[];
  mismatches: MapMismatch[];
  /** Servers that could not be read this refresh. */
  failures: { connectionId: string; message: string }[];
  history: Record<string, MapSample[]>;
  /** Milliseconds since the epoch of this refresh. */
  at: number;
  /** Increases with every model sent; the webview answers `rendered` with it. */
  seq: number;
}

export type HostMessage = { type: 'model'; model: MapModel } | { type: 'error'; message: string };

export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'activate'; nodeId: string; how?: 'open' | 'reveal' }
  | { type: 'refresh' }
  | { type: 'rendered'; seq: number; renderMs: number; nodes: number; focused?: string };

// ---- checks ------------------------------------------------------------------------------------

const MAX_ID = 1024;
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown, max = MAX_ID): v is string => typeof v === 'string' && v.length <= max;
const optStr = (v: unknown, max = 4096) => v === undefined || isStr(v, max);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const optNum = (v: unknown) => v === undefined || isNum(v);
const numOrNull = (v: unknown) => v === null || isNum(v);

/** The webview's message if it has one of the known shapes; undefined otherwise (ignored by the host). */
export function parseWebviewMessage(v: unknown): WebviewMessage | undefined {
  if (!isObj(v)) return undefined;
  switch (v.type) {
    case 'ready':
    case 'refresh':
      return { type: v.type };
    case 'activate':
      if (!isStr(v.nodeId) || v.nodeId === '') return undefined;
      if (v.how === 'reveal' || v.how === 'open') return { type: 'activate', nodeId: v.nodeId, how: v.how };
      return v.how === undefined ? { type: 'activate', nodeId: v.nodeId } : undefined;
    case 'rendered':
      if (!isNum(v.seq) || !isNum(v.renderMs) || !isNum(v.nodes) || !optStr(v.focused, MAX_ID)) return undefined;
      return {
        type: 'rendered',
        seq: v.seq,
        renderMs: v.renderMs,
        nodes: v.nodes,
        ...(v.focused !== undefined ? { focused: v.focused as string } : {}),
      };
  }
  return undefined;
}

function isLive(v: unknown): v is MapLive {
  return (
    isObj(v) &&
    isStr(v.state, 32) &&
    optStr(v.lastCheck) &&
    optNum(v.sessions) &&
    optNum(v.rate) &&
    optNum(v.errors) &&
    optNum(v.weight)
  );
}

function isNode(v: unknown): v is MapNode {
  return (
    isObj(v) &&
    isStr(v.id) &&
    (NODE_KINDS as readonly unknown[]).includes(v.kind) &&
    isStr(v.label, 4096) &&
    optStr(v.detail) &&
    (HEALTHS as readonly unknown[]).includes(v.health) &&
    (v.live === undefined || isLive(v.live)) &&
    (v.missing === undefined || typeof v.missing === 'boolean') &&
    (v.reveal === undefined || typeof v.reveal === 'boolean') &&
    (v.action === 'yaml' || v.action === 'config' || v.action === 'none')
  );
}

const isEdge = (v: unknown): v is MapEdge =>
  isObj(v) && isStr(v.from) && isStr(v.to) && isStr(v.kind, 32) && (v.wildcard === undefined || v.wildcard === true);

const isMismatch = (v: unknown): v is MapMismatch =>
  isObj(v) &&
  isStr(v.kind, 64) &&
  isStr(v.message, 4096) &&
  Array.isArray(v.nodeIds) &&
  v.nodeIds.every((i) => isStr(i));

const isSample = (v: unknown): v is MapSample =>
  Array.isArray(v) && v.length === 4 && isNum(v[0]) && numOrNull(v[1]) && numOrNull(v[2]) && numOrNull(v[3]);

/** Why a model is not usable, or undefined when it is (the webview draws nothing it cannot check). */
export function modelProblem(v: unknown): string | undefined {
  if (!isObj(v)) return 'not an object';
  if (!isStr(v.subject, 4096) || !isStr(v.focus) || !isNum(v.at) || !isNum(v.seq)) return 'bad header';
  if (!Array.isArray(v.nodes) || !v.nodes.every(isNode)) return 'bad nodes';
  const ids = new Set((v.nodes as MapNode[]).map((n) => n.id));
  if (ids.size !== v.nodes.length) return 'duplicate node ids';
  if (!Array.isArray(v.edges) || !v.edges.every(isEdge)) return 'bad edges';
  if ((v.edges as MapEdge[]).some((e) => !ids.has(e.from) || !ids.has(e.to))) return 'edge to an unknown node';
  if (!Array.isArray(v.mismatches) || !v.mismatches.every(isMismatch)) return 'bad mismatches';
  const failures = v.failures;
  if (!Array.isArray(failures) || !failures.every((f) => isObj(f) && isStr(f.connectionId) && isStr(f.message, 4096)))
    return 'bad failures';
  if (!isObj(v.history)) return 'bad history';
  for (const [id, samples] of Object.entries(v.history)) {
    if (!ids.has(id) || !Array.isArray(samples) || !samples.every(isSample)) return `bad history of ${id}`;
  }
  return undefined;
}

/** The host's message if it has a known, fully checked shape; undefined otherwise. */
export function parseHostMessage(v: unknown): HostMessage | undefined {
  if (!isObj(v)) return undefined;
  if (v.type === 'error' && isStr(v.message, 4096)) return { type: 'error', message: v.message };
  if (v.type === 'model' && modelProblem(v.model) === undefined) return { type: 'model', model: v.model as MapModel };
  return undefined;
}
