// One traffic map panel per subject (a Service, a Gateway, a frontend, a backend). It refreshes on a
// timer only while visible (the refresher asks each Data Plane API server once per refresh), sends
// the webview a checked model, and acts on the node ids the webview sends back: open the object's
// YAML, or the live haproxy.cfg at the node's line. The webview is rebuilt when shown again
// (no retainContextWhenHidden): it says `ready` and gets the last model at once.
import * as vscode from 'vscode';
import type { TrafficGraph, TrafficNode, TrafficRefresher } from '../core/api';
import { mapModel } from './mapModel';
import { parseWebviewMessage, type HostMessage, type MapModel } from './mapProtocol';
import type { MapStrings } from './mapStrings';
import type { MapInputs } from './mapSource';

export const MAP_VIEW_TYPE = 'haproxyGateway.trafficMap';
/** Live state every 5 s while visible: the Data Plane view's own minimum interval. */
export const MAP_REFRESH_MS = 5000;

export interface MapSubject {
  /** The node the map is centred on (a `nodeId.*`): also the panel's key. */
  focus: string;
  title: string;
  /** The subject's namespace (Services and Gateways), to list only that one. */
  namespace?: string;
}

export interface MapPanelDeps {
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
  inputs: MapInputs;
  refresher: () => TrafficRefresher;
  openNode(node: TrafficNode): Promise<void>;
  revealNode(node: TrafficNode): Promise<void>;
}

/** What the integration tests read of a panel (api.testing.trafficMap). */
export interface MapPanelState {
  subject: MapSubject;
  visible: boolean;
  refreshes: number;
  /** Requests of the last refresh (one stats request per server; one more when its config changed). */
  lastRequests?: number;
  model?: MapModel;
  /** Why the last refresh failed as a whole (cleared by the next that succeeds). */
  error?: string;
  /** The webview's last `rendered` report. */
  rendered?: { seq: number; renderMs: number; nodes: number; focused?: string };
}

export function nonce(): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  for (let i = 0; i < 32; i++) out += chars[Math.floor(Math.random() * chars.length)];
  return out;
}

export class MapPanel implements vscode.Disposable {
  readonly panel: vscode.WebviewPanel;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly refresher: TrafficRefresher;
  private timer: ReturnType<typeof setInterval> | undefined;
  private inFlight: Promise<void> | undefined;
  private readonly abort = new AbortController();
  private graph: TrafficGraph | undefined;
  private seq = 0;
  private readonly onRendered = new vscode.EventEmitter<NonNullable<MapPanelState['rendered']>>();
  readonly state: MapPanelState;

  constructor(
    readonly subject: MapSubject,
    private readonly deps: MapPanelDeps,
    onDispose: () => void,
  ) {
    this.state = { subject, visible: true, refreshes: 0 };
    this.refresher = deps.refresher();
    const root = vscode.Uri.joinPath(deps.extensionUri, 'dist', 'webview');
    this.panel = vscode.window.createWebviewPanel(
      MAP_VIEW_TYPE,
      vscode.l10n.t('Traffic: {0}', subject.title),
      vscode.ViewColumn.Active,
      { enableScripts: true, localResourceRoots: [root] },
    );
    this.panel.webview.html = this.html(root);
    this.disposables.push(
      this.onRendered,
      this.panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      this.panel.onDidChangeViewState((e) => this.visibility(e.webviewPanel.visible)),
      this.panel.onDidDispose(() => {
        onDispose();
        this.dispose();
      }),
    );
    this.visibility(this.panel.visible);
  }

  /** Fires when the webview reports a rendered model. */
  get onDidRender(): vscode.Event<NonNullable<MapPanelState['rendered']>> {
    return this.onRendered.event;
  }

  reveal(): void {
    this.panel.reveal();
  }

  /** Refreshes now (once; joins a refresh in flight). */
  refresh(): Promise<void> {
    this.inFlight ??= this.load().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private visibility(visible: boolean): void {
    this.state.visible = visible;
    if (visible && !this.timer) {
      this.timer = setInterval(() => void this.refresh(), MAP_REFRESH_MS);
    } else if (!visible && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
      // The history is of the time the panel was seen; the configuration may change meanwhile.
      this.refresher.reset();
    }
  }

  private async load(): Promise<void> {
    const signal = this.abort.signal;
    try {
      const inputs = await this.deps.inputs.kubernetes();
      const result = await this.refresher.refresh({
        services: inputs.services,
        gateways: inputs.gateways,
        connectionIds: this.deps.inputs.connectionIds(),
        focus: this.subject.focus,
        signal,
      });
      if (signal.aborted) return;
      this.graph = result.graph;
      const failures = [...inputs.failures, ...result.failures];
      const model = mapModel({ ...result, failures }, this.subject, Date.now(), ++this.seq);
      this.state.refreshes++;
      this.state.lastRequests = result.requests;
      this.state.model = model;
      this.state.error = undefined;
      await this.send({ type: 'model', model });
    } catch (err) {
      if (signal.aborted) return;
      const message = err instanceof Error ? err.message : String(err);
      this.state.error = message;
      this.deps.log.warn(`Traffic map ${this.subject.title}: ${message}`);
      await this.send({ type: 'error', message });
    }
  }

  private async send(message: HostMessage): Promise<void> {
    if (!this.abort.signal.aborted) await this.panel.webview.postMessage(message);
  }

  private receive(raw: unknown): void {
    const m = parseWebviewMessage(raw);
    if (!m) {
      this.deps.log.warn(`Traffic map: ignored a message of unknown shape from the webview`);
      return;
    }
    switch (m.type) {
      case 'ready':
        // A new or re-shown webview: the last model at once, then fresh data.
        if (this.state.model) void this.send({ type: 'model', model: this.state.model });
        void this.refresh();
        return;
      case 'refresh':
        void this.refresh();
        return;
      case 'rendered':
        this.state.rendered = m;
        this.onRendered.fire(m);
        return;
      case 'activate':
        this.activate(m.nodeId, m.how).catch((err: unknown) => {
          const message = err instanceof Error ? err.message : String(err);
          this.deps.log.warn(`Traffic map: could not open ${m.nodeId}: ${message}`);
          void vscode.window.showWarningMessage(vscode.l10n.t('Could not open {0}: {1}', m.nodeId, message));
        });
        return;
    }
  }

  /** Opens (or reveals) a node of the last graph; what the webview asks for by node id. */
  async activate(nodeId: string, how: 'open' | 'reveal' = 'open'): Promise<boolean> {
    const node = this.graph?.nodes.find((n) => n.id === nodeId);
    if (!node) return false;
    await (how === 'reveal' ? this.deps.revealNode(node) : this.deps.openNode(node));
    return true;
  }

  private html(root: vscode.Uri): string {
    const webview = this.panel.webview;
    const n = nonce();
    const script = webview.asWebviewUri(vscode.Uri.joinPath(root, 'map.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(root, 'map.css'));
    const csp = [
      "default-src 'none'",
      `style-src ${webview.cspSource}`,
      `script-src 'nonce-${n}'`,
      `font-src ${webview.cspSource}`,
    ].join('; ');
    const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    return `<!DOCTYPE html>
<html lang="${esc(vscode.env.language)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>${esc(this.subject.title)}</title>
</head>
<body data-strings="${esc(JSON.stringify(mapStrings()))}">
<header>
<h1 id="title">${esc(this.subject.title)}</h1>
<span id="status" role="status" aria-live="polite">${esc(vscode.l10n.t('Loading…'))}</span>
<button id="refresh" type="button">${esc(vscode.l10n.t('Refresh'))}</button>
</header>
<ul id="problems" aria-label="${esc(vscode.l10n.t('Mismatches and failures'))}" hidden></ul>
<main>
<div id="canvas"></div>
<aside id="details" aria-label="${esc(vscode.l10n.t('Details'))}" aria-live="polite"></aside>
</main>
<script nonce="${n}" src="${script.toString()}"></script>
</body>
</html>`;
  }

  dispose(): void {
    this.abort.abort();
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}

/** The webview's words in the user's language (the page cannot call vscode.l10n itself). */
function mapStrings(): MapStrings {
  return {
    mapLabel: vscode.l10n.t('Traffic map'),
    status: vscode.l10n.t('{0} nodes · {1} mismatches · refreshed {2}'),
    detail: vscode.l10n.t('detail'),
    state: vscode.l10n.t('state'),
    lastCheck: vscode.l10n.t('last check'),
    sessions: vscode.l10n.t('sessions'),
    rate: vscode.l10n.t('rate/s'),
    errors: vscode.l10n.t('errors'),
    weight: vscode.l10n.t('weight'),
    open: vscode.l10n.t('open'),
    enterYaml: vscode.l10n.t('Enter: YAML'),
    enterConfig: vscode.l10n.t('Enter: live haproxy.cfg'),
    openYaml: vscode.l10n.t('Open YAML'),
    openConfig: vscode.l10n.t('Open haproxy.cfg'),
    reveal: vscode.l10n.t('Reveal in Tree'),
    missing: vscode.l10n.t('missing'),
    noLiveState: vscode.l10n.t('no live state'),
    currentSessions: vscode.l10n.t('{0} cur'),
    perSecond: vscode.l10n.t('{0} /s'),
    errorCount: vscode.l10n.t('{0} err'),
    lastCheckAt: vscode.l10n.t('last check {0}'),
    health: vscode.l10n.t('health {0}'),
    kinds: {
      gateway: vscode.l10n.t('Gateway'),
      listener: vscode.l10n.t('Listener'),
      route: vscode.l10n.t('Route'),
      service: vscode.l10n.t('Service'),
      endpoint: vscode.l10n.t('Endpoint'),
      bind: vscode.l10n.t('Bind'),
      frontend: vscode.l10n.t('Frontend'),
      backend: vscode.l10n.t('Backend'),
      server: vscode.l10n.t('Server'),
    },
  };
}
