// What is written back to Kubernetes after HAProxy serves the VIP.
import type { ServiceLike } from './kubeShapes';
import { OUR_LOAD_BALANCER_CLASSES, VIP_ANNOTATIONS } from './kubeShapes';
import type { VipPlan } from './planner';

export interface StatusOwnership {
  canPatchStatus: boolean;
  reason: string;
}

/**
 * Whether this extension may write `status.loadBalancer` of a Service. A Service that names a
 * `loadBalancerClass` belongs to that class's controller, which would overwrite (and fight) ours.
 */
export function statusOwnership(
  service: ServiceLike,
  ourClasses: readonly string[] = OUR_LOAD_BALANCER_CLASSES,
): StatusOwnership {
  const cls = service.spec?.loadBalancerClass;
  if (cls && !ourClasses.includes(cls)) {
    return {
      canPatchStatus: false,
      reason: `the Service names loadBalancerClass "${cls}", so that controller owns its status`,
    };
  }
  if (service.spec?.type !== 'LoadBalancer') {
    return {
      canPatchStatus: false,
      reason:
        `the Service is of type ${service.spec?.type ?? 'ClusterIP'}; Kubernetes shows load balancer ingress ` +
        `only for type LoadBalancer`,
    };
  }
  return { canPatchStatus: true, reason: 'no other load balancer controller owns this Service' };
}

/** Merge patch for the status subresource, as the 2020 Load Balancer API controller wrote it. */
export function statusPatch(vip: string | null): object {
  return { status: { loadBalancer: { ingress: vip ? [{ ip: vip }] : [] } } };
}

/** Merge patch for the annotations that record what was created; `null` removes them. */
export function annotationPatch(plan: VipPlan | null, connections: string[]): object {
  if (!plan) {
    return { metadata: { annotations: Object.fromEntries(Object.values(VIP_ANNOTATIONS).map((k) => [k, null])) } };
  }
  return {
    metadata: {
      annotations: {
        [VIP_ANNOTATIONS.address]: plan.vip,
        [VIP_ANNOTATIONS.connections]: connections.join(','),
        [VIP_ANNOTATIONS.frontends]: plan.ports.map((p) => p.frontend.name).join(','),
        [VIP_ANNOTATIONS.backends]: plan.ports.map((p) => p.backend.name).join(','),
      },
    },
  };
}
