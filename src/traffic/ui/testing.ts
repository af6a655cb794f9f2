// For tests and diagnostics: the open traffic maps and the model each sent its webview. Reached
// through the API object `activate()` returns (`api.testing`), never through the command palette.
import type { MapPanelState } from './mapPanel';
import type { MapPanels } from './mapPanels';

export interface TrafficTesting {
  /** Every open traffic map: subject, visibility, the last model sent and the webview's last render report. */
  trafficMaps(): MapPanelState[];
  /** Refreshes the map of `focus` now and returns its state (undefined when no such panel is open). */
  refreshTrafficMap(focus: string): Promise<MapPanelState | undefined>;
  /** Does what Enter (open) or Reveal in Tree does on a node of the map of `focus`; false if no such node. */
  activateTrafficNode(focus: string, nodeId: string, how?: 'open' | 'reveal'): Promise<boolean>;
}

export function trafficTesting(maps: MapPanels): TrafficTesting {
  return {
    trafficMaps: () => maps.states(),
    refreshTrafficMap: async (focus) => {
      const panel = maps.get(focus);
      if (!panel) return undefined;
      await panel.refresh();
      return panel.state;
    },
    activateTrafficNode: async (focus, nodeId, how) => (await maps.get(focus)?.activate(nodeId, how)) ?? false,
  };
}
