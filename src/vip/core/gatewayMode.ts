// "Gateway mode": instead of configuring HAProxy directly, ask the cluster's Gateway controller for
// the VIP with a Gateway (spec.addresses + one TCP listener per port) and TCPRoutes to the Service.
import { createHash } from 'node:crypto';
import { UserFacingError } from '../../shared/errors';
import type { ServiceLike } from './kubeShapes';

export const GATEWAY_GROUP = 'gateway.networking.k8s.io';
export type TcpRouteVersion = 'v1' | 'v1alpha2';

/** A DNS-1123 label from free text: lowercase, `-` for anything else, ≤ 63 with a hash when cut. */
export function dnsLabel(text: string, max = 63): string {
  const cleaned =
    text
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|(?<!-)-+$/g, '') || 'x';
  if (cleaned.length <= max) return cleaned;
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 8);
  return `${cleaned.slice(0, max - 9).replace(/(?<!-)-+$/, '')}-${hash}`;
}

export interface GatewayPlan {
  gateway: Record<string, unknown> & { metadata: { name: string; namespace: string } };
  routes: (Record<string, unknown> & { metadata: { name: string; namespace: string } })[];
}

/** On the Service: the name of the Gateway that Gateway mode created for it (its record there). */
export const GATEWAY_MODE_ANNOTATION = 'haproxy-gateway.io/gateway';

/** Labels on what Gateway mode creates for a Service: how Delete VIP finds all of it again. */
export function gatewayModeLabels(serviceName: string): Record<string, string> {
  return { 'app.kubernetes.io/managed-by': 'haproxy-gateway', 'haproxy-gateway.io/service': dnsLabel(serviceName) };
}

export function gatewayModeSelector(serviceName: string): string {
  return Object.entries(gatewayModeLabels(serviceName))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

export function planGateway(
  service: ServiceLike,
  vip: string,
  gatewayClassName: string,
  routeVersion: TcpRouteVersion,
): GatewayPlan {
  const namespace = service.metadata.namespace ?? 'default';
  const name = service.metadata.name;
  const ports = (service.spec?.ports ?? []).filter((p) => (p.protocol ?? 'TCP') === 'TCP');
  if (ports.length === 0) throw new UserFacingError(`Service ${namespace}/${name} has no TCP port for a TCP listener`);
  if (!gatewayClassName) throw new UserFacingError('Choose a GatewayClass for the Gateway');
  const gatewayName = dnsLabel(`vip-${name}`);
  const listenerName = (p: { name?: string; port: number }) => dnsLabel(`tcp-${p.name ?? p.port}`);
  const labels = gatewayModeLabels(name);
  const gateway = {
    apiVersion: `${GATEWAY_GROUP}/v1`,
    kind: 'Gateway',
    metadata: { name: gatewayName, namespace, labels },
    spec: {
      gatewayClassName,
      addresses: [{ type: 'IPAddress', value: vip }],
      listeners: ports.map((p) => ({
        name: listenerName(p),
        protocol: 'TCP',
        port: p.port,
        allowedRoutes: { namespaces: { from: 'Same' }, kinds: [{ group: GATEWAY_GROUP, kind: 'TCPRoute' }] },
      })),
    },
  };
  const routes = ports.map((p) => ({
    apiVersion: `${GATEWAY_GROUP}/${routeVersion}`,
    kind: 'TCPRoute',
    metadata: { name: dnsLabel(`${name}-${p.name ?? p.port}`), namespace, labels },
    spec: {
      parentRefs: [{ group: GATEWAY_GROUP, kind: 'Gateway', name: gatewayName, sectionName: listenerName(p) }],
      rules: [{ backendRefs: [{ group: '', kind: 'Service', name, port: p.port }] }],
    },
  }));
  return { gateway, routes };
}

export type GatewayReadiness =
  | { state: 'programmed'; addresses: string[] }
  | { state: 'pending'; reason: string; message: string }
  | { state: 'failed'; reason: string; message: string };

interface ConditionLike {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  observedGeneration?: number;
}

/**
 * Reads a Gateway's status as a controller reports it: Programmed=True with addresses means done;
 * Accepted=False or Programmed=False with a terminal reason means failed; anything else is pending.
 * Conditions written for an older generation do not count.
 */
export function gatewayReadiness(gateway: {
  metadata?: { generation?: number };
  status?: { conditions?: ConditionLike[]; addresses?: { value: string }[] };
}): GatewayReadiness {
  const generation = gateway.metadata?.generation;
  const current = (gateway.status?.conditions ?? []).filter(
    (c) => generation === undefined || c.observedGeneration === undefined || c.observedGeneration >= generation,
  );
  const accepted = current.find((c) => c.type === 'Accepted');
  const programmed = current.find((c) => c.type === 'Programmed');
  if (accepted?.status === 'False')
    return { state: 'failed', reason: accepted.reason ?? 'NotAccepted', message: accepted.message ?? '' };
  if (programmed?.status === 'True')
    return { state: 'programmed', addresses: (gateway.status?.addresses ?? []).map((a) => a.value) };
  if (programmed?.status === 'False' && programmed.reason && programmed.reason !== 'Pending') {
    return { state: 'failed', reason: programmed.reason, message: programmed.message ?? '' };
  }
  return {
    state: 'pending',
    reason: programmed?.reason ?? 'Pending',
    message: programmed?.message ?? 'Waiting for the Gateway controller',
  };
}
