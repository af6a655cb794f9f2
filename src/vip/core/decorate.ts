// How a Service row of the Kubernetes tree shows its VIP: the `vip` flag when this extension
// created a VIP directly (the Service records its address), `gatewayVip` when it asked for one in
// Gateway mode (the Service records its Gateway). Menus offer Resync and Delete on these flags.
import type { ServiceDecoration, ServiceDecorator } from '../../kubernetes/api';
import { GATEWAY_MODE_ANNOTATION } from './gatewayMode';
import { VIP_ANNOTATIONS } from './kubeShapes';

export const decorateVipService: ServiceDecorator = (service): ServiceDecoration | undefined => {
  const a = service.metadata.annotations ?? {};
  const vip = Boolean(a[VIP_ANNOTATIONS.address]);
  const gatewayVip = Boolean(a[GATEWAY_MODE_ANNOTATION]);
  return vip || gatewayVip ? { contextFlags: { vip, gatewayVip } } : undefined;
};
