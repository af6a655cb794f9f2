/// <reference lib="dom" />
// The traffic map's webview (its own browser bundle, dist/webview/map.js): draws the scene of each
// model the host sends (scene.ts) as SVG, keeps keyboard focus across refreshes, shows the focused
// node's details with a uPlot chart of its history, and asks the host to open a node on Enter or
// click. No framework; text goes in through textContent only; every message is checked first.
import uPlot from 'uplot';
import { parseHostMessage, type MapModel, type MapNode, type WebviewMessage } from '../mapProtocol';
import { formatString, parseStrings, type MapStrings } from '../mapStrings';
import { buildScene, NODE_H, NODE_W, type Positions, type Scene, type SceneNode } from './scene';

declare function acquireVsCodeApi(): { postMessage(message: unknown): void };

const vscode = acquireVsCodeApi();
const post = (m: WebviewMessage) => vscode.postMessage(m);
const SVG = 'http://www.w3.org/2000/svg';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
/** The words in the user's language, from the host (mapPanel.ts); English for anything missing. */
const S: MapStrings = (() => {
  try {
    return parseStrings(JSON.parse(document.body.dataset.strings ?? '{}'));
  } catch {
    return parseStrings(undefined);
  }
})();
const title = $('title');
const status = $('status');
const problems = $<HTMLUListElement>('problems');
const canvas = $('canvas');
const details = $('details');

let model: MapModel | undefined;
let positions: Positions | undefined;
let svg: SVGSVGElement | undefined;
let focusedId: string | undefined;
let chart: uPlot | undefined;
let lastScene: Scene | undefined;
const nodeEls = new Map<string, SVGGElement>();

function el<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

function text(x: number, y: number, cls: string, content: string): SVGTextElement {
  const t = el('text', { x, y, class: cls });
  t.textContent = content;
  return t;
}

function drawNode(n: SceneNode): SVGGElement {
  const g = el('g', { transform: `translate(${n.x},${n.y})`, tabindex: 0, role: 'button' });
  g.dataset.nodeId = n.id;
  g.append(
    el('rect', { class: 'box', width: NODE_W, height: NODE_H, rx: 4 }),
    el('rect', { class: 'ring', x: -3, y: -3, width: NODE_W + 6, height: NODE_H + 6, rx: 6 }),
    el('rect', { class: 'bar', width: 4, height: NODE_H, rx: 2 }),
    text(12, 17, 'label', ''),
    text(12, 34, 'detail', ''),
    text(12, 50, 'status', ''),
  );
  updateNode(g, n);
  g.addEventListener('click', () => activate(n.id));
  g.addEventListener('focus', () => showDetails(g.dataset.nodeId!));
  return g;
}

function updateNode(g: SVGGElement, n: SceneNode): void {
  g.setAttribute('class', n.classes.join(' '));
  g.setAttribute('aria-label', n.aria);
  const texts = g.querySelectorAll('text');
  texts[0].textContent = n.label;
  texts[1].textContent = n.detail;
  texts[2].textContent = n.status;
  const state = n.classes.find((c) => c.startsWith('state-'));
  g.dataset.state = state ? state.slice(6) : '';
  g.dataset.nav = JSON.stringify(n.nav);
}

function drawScene(scene: Scene, topologyChanged: boolean): void {
  if (!topologyChanged && svg) {
    for (const n of scene.nodes) {
      const g = nodeEls.get(n.id);
      if (g) updateNode(g, n);
    }
    for (const e of scene.edges)
      svg.querySelector(`[data-edge-id="${CSS.escape(e.id)}"]`)?.setAttribute('class', e.classes.join(' '));
    return;
  }
  nodeEls.clear();
  const s = el('svg', { width: scene.width, height: scene.height, viewBox: `0 0 ${scene.width} ${scene.height}` });
  s.setAttribute('role', 'group');
  s.setAttribute('aria-label', S.mapLabel);
  const defs = el('defs');
  const marker = el('marker', {
    id: 'arrow',
    viewBox: '0 0 10 10',
    refX: 10,
    refY: 5,
    markerWidth: 6,
    markerHeight: 6,
    orient: 'auto',
  });
  marker.append(el('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrow' }));
  defs.append(marker);
  const edges = el('g', { class: 'edges', 'aria-hidden': 'true' });
  for (const e of scene.edges) {
    const p = el('path', { d: e.d, class: e.classes.join(' '), 'marker-end': 'url(#arrow)' });
    p.dataset.edgeId = e.id;
    edges.append(p);
  }
  const nodes = el('g', { class: 'nodes' });
  for (const n of scene.nodes) {
    const g = drawNode(n);
    nodeEls.set(n.id, g);
    nodes.append(g);
  }
  s.append(defs, edges, nodes);
  canvas.replaceChildren(s);
  svg = s;
  fit(scene);
  const again = focusedId && nodeEls.get(focusedId);
  if (again) again.focus({ preventScroll: true });
}

/** A graph a little wider than the panel is scaled to fit; a large one keeps its size and scrolls. */
function fit(scene: Scene | undefined = lastScene): void {
  lastScene = scene;
  if (!svg || !scene) return;
  const scale = Math.min(1, (canvas.clientWidth - 8) / Math.max(1, scene.width));
  const k = scale >= 0.45 ? scale : 1;
  svg.setAttribute('width', String(Math.round(scene.width * k)));
  svg.setAttribute('height', String(Math.round(scene.height * k)));
}

function drawProblems(m: MapModel): void {
  const items: HTMLLIElement[] = [];
  for (const f of m.failures) {
    const li = document.createElement('li');
    li.className = 'failure';
    li.textContent = `${f.connectionId}: ${f.message}`;
    items.push(li);
  }
  for (const mm of m.mismatches) {
    const li = document.createElement('li');
    li.className = `mismatch kind-${mm.kind}`;
    li.dataset.kind = mm.kind;
    const b = document.createElement('button');
    b.textContent = mm.message;
    const target = mm.nodeIds[0];
    b.addEventListener('click', () => target && nodeEls.get(target)?.focus());
    li.append(b);
    items.push(li);
  }
  problems.replaceChildren(...items);
  problems.hidden = items.length === 0;
}

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

function showDetails(id: string): void {
  focusedId = id;
  const n = model?.nodes.find((x) => x.id === id);
  if (!n || !model) return;
  const h = document.createElement('h2');
  h.textContent = `${S.kinds[n.kind]} ${n.label}`;
  const dl = document.createElement('dl');
  const row = (k: string, v: string | number | undefined) => {
    if (v === undefined || v === '') return;
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = String(v);
    dl.append(dt, dd);
  };
  row(S.detail, n.detail);
  row(S.state, n.live?.state);
  row(S.lastCheck, n.live?.lastCheck);
  row(S.sessions, n.live?.sessions);
  row(S.rate, n.live?.rate);
  row(S.errors, n.live?.errors);
  row(S.weight, n.live?.weight);
  row(S.open, n.action === 'yaml' ? S.enterYaml : n.action === 'config' ? S.enterConfig : undefined);
  const actions = document.createElement('div');
  actions.className = 'actions';
  const button = (label: string, how: 'open' | 'reveal') => {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = label;
    b.addEventListener('click', () => post({ type: 'activate', nodeId: id, how }));
    actions.append(b);
  };
  if (n.action === 'yaml') button(S.openYaml, 'open');
  if (n.action === 'config') button(S.openConfig, 'open');
  if (n.reveal) button(S.reveal, 'reveal');
  const plot = document.createElement('div');
  plot.className = 'chart';
  details.replaceChildren(h, dl, actions, plot);
  chart?.destroy();
  chart = undefined;
  const samples = model.history[id];
  if (!samples || samples.length === 0) return;
  const data: uPlot.AlignedData = [samples.map((s) => s[0] / 1000), samples.map((s) => s[1]), samples.map((s) => s[2])];
  const fg = cssVar('--vscode-foreground', '#888');
  chart = new uPlot(
    {
      width: 280,
      height: 120,
      legend: { show: true },
      axes: [
        { stroke: fg, grid: { show: false } },
        { stroke: fg, grid: { stroke: cssVar('--vscode-editorWidget-border', '#444'), width: 0.5 } },
      ],
      series: [
        {},
        { label: S.sessions, stroke: cssVar('--vscode-charts-blue', '#3794ff'), width: 1.5 },
        { label: S.rate, stroke: cssVar('--vscode-charts-orange', '#d18616'), width: 1.5 },
      ],
    },
    data,
    plot,
  );
}

function activate(id: string): void {
  const n = model?.nodes.find((x: MapNode) => x.id === id);
  if (n && n.action !== 'none') post({ type: 'activate', nodeId: id });
}

function onKey(e: KeyboardEvent): void {
  const g = (e.target as Element | null)?.closest?.('g[data-node-id]') as SVGGElement | null;
  if (!g) return;
  const id = g.dataset.nodeId!;
  if (e.key === 'Enter' || e.key === ' ') {
    e.preventDefault();
    activate(id);
    return;
  }
  const dir = { ArrowLeft: 'left', ArrowRight: 'right', ArrowUp: 'up', ArrowDown: 'down' }[e.key];
  if (!dir) return;
  e.preventDefault();
  const nav = JSON.parse(g.dataset.nav ?? '{}') as Record<string, string | undefined>;
  const next = nav[dir] && nodeEls.get(nav[dir]!);
  if (next) {
    next.focus();
    next.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
  }
}

function render(m: MapModel): void {
  const started = performance.now();
  const prior = positions;
  const built = buildScene(m, prior, S);
  const topologyChanged = built.positions !== prior;
  positions = built.positions;
  model = m;
  title.textContent = m.subject;
  const when = new Date(m.at).toLocaleTimeString();
  status.textContent = formatString(S.status, m.nodes.length, m.mismatches.length, when);
  drawScene(built.scene, topologyChanged);
  drawProblems(m);
  if (focusedId && nodeEls.has(focusedId)) showDetails(focusedId);
  else if (!focusedId && topologyChanged) {
    const subject = nodeEls.get(m.focus);
    if (subject) showDetails(m.focus);
  }
  // After the browser painted the new graph: the webview's own share of "command to rendered graph".
  requestAnimationFrame(() => {
    document.body.dataset.seq = String(m.seq);
    post({
      type: 'rendered',
      seq: m.seq,
      renderMs: performance.now() - started,
      nodes: m.nodes.length,
      focused: focusedId,
    });
  });
}

window.addEventListener('message', (e: MessageEvent) => {
  const msg = parseHostMessage(e.data);
  if (!msg) return;
  if (msg.type === 'error') {
    status.textContent = msg.message;
    return;
  }
  render(msg.model);
});
canvas.addEventListener('keydown', onKey);
window.addEventListener('resize', () => fit());
$('refresh').addEventListener('click', () => post({ type: 'refresh' }));
post({ type: 'ready' });
