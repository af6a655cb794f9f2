// The traffic capability's published core API (the map, the doctor, pool usage), for the UI round.
export { buildTrafficGraph, bindsFor, nodeId } from './graph';
export type {
  Health,
  HaproxyInput,
  Mismatch,
  MismatchKind,
  TrafficEdge,
  TrafficEdgeKind,
  TrafficGraph,
  TrafficInput,
  TrafficNode,
  TrafficNodeKind,
  TrafficSource,
} from './graph';
export { parseNativeStats, liveView, liveStateOf, StatsShapeError } from './stats';
export type { LiveView, StatRow } from './stats';
export { recordSamples, counterRate, DEFAULT_HISTORY_LIMIT } from './history';
export type { NodeHistory, Sample } from './history';
export { readTopology } from './haproxy';
export type { HaproxyTopology } from './haproxy';
export { poolUsage } from './pools';
export type { AddressUse, Holder, PoolInput, PoolUsage, PoolUsageInput, PoolUsageResult } from './pools';
export { diagnose, findingsFor, reloadAlerts, FIX_COMMANDS } from './doctor';
export type { ConnectionInput, DoctorInput, Finding, Fix, ReloadInput, RuleId } from './doctor';
export { ANNOTATIONS, foreignOwner, requestedAddresses, recordedVipOf, serviceAddresses } from './services';
export { TrafficRefresher } from './refresh';
export type { LiveSource, RefreshInput, RefreshResult } from './refresh';
export { serverLenses, SERVER_ACTIONS } from './lens';
export type { ServerLens } from './lens';
export { gatherDoctorInput, lastReload, poolUsageInput, rawNativeStats } from './gather';
export type { GatherConnection, GatherSources, Gathered, GatheredServer } from './gather';
