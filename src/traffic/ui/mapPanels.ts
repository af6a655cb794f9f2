// The open traffic map panels, one per subject (opening the map of a subject again reveals its
// panel), and how a node is opened: the object's YAML, or the live haproxy.cfg at the node's line.
import * as vscode from 'vscode';
import type { DataPlaneApi } from '../../dataplane/api';
import type { KubernetesApi } from '../../kubernetes/api';
import { sleep } from '../../shared/abort';
import { TrafficRefresher, type TrafficNode } from '../core/api';
import { MapPanel, type MapPanelState, type MapSubject } from './mapPanel';
import { liveSource, mapInputs } from './mapSource';

export class MapPanels implements vscode.Disposable {
  private readonly panels = new Map<string, MapPanel>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    private readonly dataplane: DataPlaneApi,
    private readonly kubernetes: KubernetesApi,
  ) {}

  /** Opens (or reveals) the map of a subject; resolves once the panel exists. */
  show(subject: MapSubject): MapPanel {
    const open = this.panels.get(subject.focus);
    if (open) {
      open.reveal();
      return open;
    }
    const source = liveSource(this.dataplane);
    const panel = new MapPanel(
      subject,
      {
        extensionUri: this.extensionUri,
        log: this.log,
        inputs: mapInputs(this.kubernetes, this.dataplane, subject.namespace),
        refresher: () => new TrafficRefresher(source),
        openNode: (node) => this.openNode(node),
        revealNode: (node) => this.revealNode(node),
      },
      () => this.panels.delete(subject.focus),
    );
    this.panels.set(subject.focus, panel);
    return panel;
  }

  get(focus: string): MapPanel | undefined {
    return this.panels.get(focus);
  }

  states(): MapPanelState[] {
    return [...this.panels.values()].map((p) => p.state);
  }

  async openNode(node: TrafficNode): Promise<void> {
    const s = node.source;
    if (s.type === 'haproxy') {
      const doc = await vscode.workspace.openTextDocument(this.dataplane.liveConfigUri(s.connectionId));
      const at = new vscode.Position(Math.min(s.line, Math.max(0, doc.lineCount - 1)), 0);
      await vscode.window.showTextDocument(doc, { selection: new vscode.Range(at, at), preview: true });
      return;
    }
    // A listener opens its Gateway; an endpoint its Service (an EndpointSlice's name is not the Service's).
    const kind = s.kind === 'EndpointSlice' ? 'Service' : s.kind;
    await this.kubernetes.openYaml({ kind, namespace: s.namespace, name: s.name });
  }

  /** Selects the node's object in the Kubernetes tree (shown first: its data loads while it is visible). */
  async revealNode(node: TrafficNode): Promise<void> {
    const s = node.source;
    if (s.type !== 'kubernetes') return;
    const kind = s.kind === 'EndpointSlice' || s.kind === 'Endpoints' ? 'Service' : s.kind;
    await vscode.commands.executeCommand('haproxyGateway.kubernetes.focus');
    const { view, resourceOf } = this.kubernetes;
    const matches = (n: unknown) => {
      const ref = resourceOf(n)?.ref;
      return ref?.kind === kind && ref.name === s.name && (ref.namespace ?? '') === (s.namespace ?? '');
    };
    // The view's data loads once it is visible: look again for a while before giving up.
    const deadline = Date.now() + 15_000;
    do {
      const hit = await this.findRow(matches);
      if (hit) {
        await view.reveal(hit, { select: true, focus: true, expand: false });
        return;
      }
      await sleep(300);
    } while (Date.now() < deadline);
    throw new Error(vscode.l10n.t('{0} {1} is not in the Kubernetes tree (check the namespace filter).', kind, s.name));
  }

  /** Breadth first, a few levels (context → class → namespace → Gateway → listener → route → Service). */
  private async findRow(matches: (n: unknown) => boolean) {
    const tree = this.kubernetes.tree;
    let level = await tree.getChildren();
    for (let depth = 0; depth < 7 && level.length; depth++) {
      const hit = level.find(matches);
      if (hit) return hit;
      level = (await Promise.all(level.map((n) => tree.getChildren(n).catch(() => [])))).flat();
    }
    return undefined;
  }

  dispose(): void {
    for (const p of [...this.panels.values()]) p.dispose();
    this.panels.clear();
  }
}
