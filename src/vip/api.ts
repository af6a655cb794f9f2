// What the rest of the extension (the composition root, tests, the Kubernetes tree's hook) may use
// of the VIP capability. Import this file, never the capability's internals. Values come from the
// pure core only (the composition root imports registerVip from ./ui), so a core module of another
// capability may import this file.
export type { VipDeps, VipResult } from './ui';
export { decorateVipService } from './core/decorate';
export { OUR_LOAD_BALANCER_CLASSES, VIP_LOAD_BALANCER_CLASS } from './core/kubeShapes';
export {
  parsePools,
  parseRange,
  rangeContains,
  rangeSize,
  type AddressRange,
  type PoolSetting,
} from './core/addresses';
