// What the traffic map reads, through the other capabilities' published APIs: the Kubernetes
// model (Services with their endpoints, Gateways with listeners and routes) and, per Data Plane API
// server, the stats/native body with its Configuration-Version header and the live haproxy.cfg.
import { stripServerHeader, type DataPlaneApi } from '../../dataplane/api';
import { indexServices, type GatewayView, type KubernetesApi, type ServiceView } from '../../kubernetes/api';
import type { LiveSource } from '../core/api';

export interface KubernetesInputs {
  services: ServiceView[];
  gateways: GatewayView[];
  /** The cluster could not be read (no kubeconfig, unreachable): shown beside the map. */
  failures: { connectionId: string; message: string }[];
}

export interface MapInputs {
  kubernetes(): Promise<KubernetesInputs>;
  connectionIds(): string[];
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Services with their endpoints read once (three lists) when the Kubernetes view is hidden: its
 * watch caches run only while it is visible.
 */
async function listedServices(k: KubernetesApi['service'], namespace: string | undefined): Promise<ServiceView[]> {
  const read = await k.servicesWithEndpoints(namespace);
  const index = indexServices(
    read.map((r) => r.service),
    read.flatMap((r) => r.endpointSlices),
    read.flatMap((r) => (r.endpoints ? [r.endpoints] : [])),
  );
  return [...index.byKey.values()];
}

/** `namespace`: the subject's (a Service's or Gateway's), to read only that namespace when listing. */
export function mapInputs(
  kubernetes: Pick<KubernetesApi, 'service'>,
  dataplane: Pick<DataPlaneApi, 'connections'>,
  namespace?: string,
) {
  const inputs: MapInputs = {
    connectionIds: () => dataplane.connections().map((c) => c.id),
    kubernetes: async () => {
      const failures: KubernetesInputs['failures'] = [];
      let services: ServiceView[] = [];
      let gateways: GatewayView[] = [];
      const k = kubernetes.service;
      try {
        services = k.isActive
          ? [...(await k.serviceTree(true)).index.byKey.values()]
          : await listedServices(k, namespace);
      } catch (err) {
        failures.push({ connectionId: 'Kubernetes', message: messageOf(err) });
        return { services, gateways, failures };
      }
      // Gateways come from the watch caches, which run while the Kubernetes view is visible.
      if (!k.isActive) return { services, gateways, failures };
      try {
        const tree = await kubernetes.service.gatewayTree('backends');
        if (tree.state === 'ok') gateways = tree.model.gateways;
      } catch (err) {
        failures.push({ connectionId: 'Kubernetes Gateway API', message: messageOf(err) });
      }
      return { services, gateways, failures };
    },
  };
  return inputs;
}

/** The refresher's source: the connection's session client (one keep-alive pool per server). */
export function liveSource(dataplane: Pick<DataPlaneApi, 'session'>): LiveSource {
  const client = async (id: string) => {
    const session = await dataplane.session(id);
    if (!session) throw new Error(`No Data Plane API connection "${id}" (or its password is not set)`);
    return session.client;
  };
  return {
    stats: async (id, signal) => (await client(id)).nativeStatsBody(signal),
    // Without the server's header lines, as the live haproxy.cfg editor shows it: node lines match its lines.
    config: async (id, signal) => {
      const raw = await (await client(id)).rawConfig(signal);
      return { ...raw, text: stripServerHeader(raw.text) };
    },
  };
}
