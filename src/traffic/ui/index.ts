// Entry point of the traffic capability: the traffic map panels and the command table. It reads
// the other capabilities only through their api.ts.
import type * as vscode from 'vscode';
import type { CommandRegistry } from '../../shell/commands';
import type { DataPlaneApi } from '../../dataplane/api';
import type { KubernetesApi } from '../../kubernetes/api';
import { trafficCommands } from './commands';
import type { TrafficContext } from './context';
import { MapPanels } from './mapPanels';
import { trafficTesting, type TrafficTesting } from './testing';

export interface TrafficDeps {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  commands: CommandRegistry;
  dataplane: DataPlaneApi;
  kubernetes: KubernetesApi;
}

export function registerTraffic({ context, log, commands, dataplane, kubernetes }: TrafficDeps): {
  testing: TrafficTesting;
} {
  const maps = new MapPanels(context.extensionUri, log, dataplane, kubernetes);
  context.subscriptions.push(maps);
  const ctx: TrafficContext = { log, dataplane, kubernetes, maps };
  commands.registerTable(ctx, trafficCommands);
  return { testing: trafficTesting(maps) };
}
