// Entry point of the traffic capability: the traffic map panels, the doctor (Diagnose, the live
// server lens, the VIP Pools rows) and their command tables. It reads the other capabilities only
// through their api.ts.
import type * as vscode from 'vscode';
import type { CommandRegistry } from '../../shell/commands';
import type { DataPlaneApi } from '../../dataplane/api';
import type { KubernetesApi } from '../../kubernetes/api';
import { trafficCommands } from './commands';
import type { TrafficContext } from './context';
import { registerTrafficDoctor } from './doctorIndex';
import { MapPanels } from './mapPanels';
import { trafficTesting, type TrafficTesting } from './testing';

export interface TrafficDeps {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  commands: CommandRegistry;
  dataplane: DataPlaneApi;
  kubernetes: KubernetesApi;
}

export function registerTraffic(deps: TrafficDeps): { testing: TrafficTesting } {
  const { context, log, commands, dataplane, kubernetes } = deps;
  const maps = new MapPanels(context.extensionUri, log, dataplane, kubernetes);
  context.subscriptions.push(maps);
  const ctx: TrafficContext = { log, dataplane, kubernetes, maps };
  commands.registerTable(ctx, trafficCommands);
  registerTrafficDoctor(deps);
  return { testing: trafficTesting(maps) };
}
