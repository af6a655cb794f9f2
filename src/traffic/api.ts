// What the rest of the extension (the composition root, tests) may use of the traffic capability.
// Import this file, never the capability's internals.
export { registerTraffic, type TrafficDeps } from './ui';
export type { TrafficTesting } from './ui/testing';
export type { MapPanelState, MapSubject } from './ui/mapPanel';
export type { MapModel, MapNode } from './ui/mapProtocol';
export { nodeId } from './core/api';
