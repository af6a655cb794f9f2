// The open traffic map panels, one per subject (opening the map of a subject again reveals its
// panel), and how a node is opened: the object's YAML, or the live haproxy.cfg at the node's line.
import * as vscode from 'vscode';
import type { DataPlaneApi } from '../../dataplane/api';
import type { KubernetesApi } from '../../kubernetes/api';
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

  dispose(): void {
    for (const p of [...this.panels.values()]) p.dispose();
    this.panels.clear();
  }
}
