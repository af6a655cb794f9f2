// What the rest of the extension (the composition root, tests, the Kubernetes tree's hook) may use
// of the VIP capability. Import this file, never the capability's internals.
export { registerVip, type VipDeps, type VipResult } from './ui';
export { decorateVipService } from './core/decorate';
export { OUR_LOAD_BALANCER_CLASSES, VIP_LOAD_BALANCER_CLASS } from './core/kubeShapes';
export { parsePools, type PoolSetting } from './core/addresses';
