// What the traffic capability's command handlers receive (see ./commands.ts).
import type * as vscode from 'vscode';
import type { DataPlaneApi } from '../../dataplane/api';
import type { KubernetesApi } from '../../kubernetes/api';
import type { MapPanels } from './mapPanels';

export interface TrafficContext {
  log: vscode.LogOutputChannel;
  dataplane: DataPlaneApi;
  kubernetes: KubernetesApi;
  /** The open traffic map panels, one per subject. */
  maps: MapPanels;
}
