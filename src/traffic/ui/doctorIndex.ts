// The doctor's wiring: the Diagnose command, the live server lens on live haproxy.cfg documents,
// and the VIP Pools row under each Data Plane API connection. The reads go through the published
// APIs of the Data Plane, Kubernetes and VIP capabilities; the logic is in ../core.
import * as vscode from 'vscode';
import { OUR_LOAD_BALANCER_CLASSES, parsePools } from '../../vip/api';
import { gatherDoctorInput, rawNativeStats, type GatherConnection, type Gathered } from '../core/gather';
import { doctorCommands } from './doctorCommands';
import { LIVE_CONFIG_SCHEME, ServerLensProvider } from './lensProvider';
import type { TrafficDeps } from './index';
import { VipPoolsNode } from './poolsNode';

export interface TrafficDoctor {
  /** For tests: the lens provider (its request count and an immediate refresh). */
  readonly lenses: ServerLensProvider;
}

export function registerTrafficDoctor({ context, log, commands, dataplane, kubernetes }: TrafficDeps): TrafficDoctor {
  const clients = async (): Promise<GatherConnection[]> =>
    Promise.all(
      dataplane.connections().map(async (c): Promise<GatherConnection> => {
        try {
          const s = await dataplane.session(c.id);
          return s ? { id: c.id, client: s.client } : { id: c.id, error: vscode.l10n.t('no such connection') };
        } catch (err) {
          return { id: c.id, error: err instanceof Error ? err.message : String(err) };
        }
      }),
    );
  const gather = async (signal?: AbortSignal): Promise<Gathered> =>
    gatherDoctorInput({
      kube: kubernetes.service,
      connections: await clients(),
      pools: parsePools(vscode.workspace.getConfiguration('haproxyGateway.vip').get<unknown>('pools')).pools,
      ourClasses: OUR_LOAD_BALANCER_CLASSES,
      signal,
    });
  commands.registerTable({ log, gather, resourceOf: (node) => kubernetes.resourceOf(node) }, doctorCommands);

  const lenses = new ServerLensProvider(
    {
      stats: async (id) => {
        const s = await dataplane.session(id);
        if (!s) throw new Error(vscode.l10n.t('no connection "{0}"', id));
        return rawNativeStats(s.client);
      },
    },
    log,
  );
  context.subscriptions.push(
    lenses,
    vscode.languages.registerCodeLensProvider({ scheme: LIVE_CONFIG_SCHEME }, lenses),
    dataplane.addConnectionChildren((parent) => [new VipPoolsNode(parent, () => gather())]),
  );
  return { lenses };
}
