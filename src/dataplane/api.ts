// What other capabilities may use of the Data Plane API capability (minimal version of the VIP
// branch; the restructuring's full one adds to it). Import this file, never the capability's internals.
export type { DataPlaneApi } from './ui';
export type { ConnectionSettings } from './core/connection';
export type { TreeSnapshot } from './core/snapshot';
