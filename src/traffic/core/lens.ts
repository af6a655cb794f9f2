// The live server lens: in a live haproxy.cfg, one lens per `server` line with its runtime state
// and weight, and the Drain / Ready / Maintenance actions that make sense from that state.
import { readTopology, type HaproxyTopology } from './haproxy';
import { indexStats, liveView, statKey, type LiveView, type StatRow } from './stats';
import type { Fix } from './doctor';

export const SERVER_ACTIONS = {
  ready: 'haproxyGateway.dataplane.serverReady',
  drain: 'haproxyGateway.dataplane.serverDrain',
  maint: 'haproxyGateway.dataplane.serverMaint',
} as const;

export interface ServerLens {
  /** 0-based line of the `server` statement. */
  line: number;
  backend: string;
  server: string;
  /** Undefined when the stats have no row for it (not loaded yet, or the file differs from what runs). */
  live?: LiveView;
  configuredWeight: number;
  /** `UP · weight 10/10 · L7OK 200`-like summary. */
  title: string;
  actions: Fix[];
}

function actionsFor(connectionId: string, backend: string, server: string, live: LiveView | undefined): Fix[] {
  const args = [{ connectionId, backend, server }];
  const state = live?.state;
  const out: Fix[] = [];
  // What is already the case is not offered; without live state every action is.
  if (state !== 'UP' && state !== 'NO CHECK' && state !== 'DOWN')
    out.push({ title: 'Ready', command: SERVER_ACTIONS.ready, args });
  if (state !== 'DRAIN' && state !== 'MAINT') out.push({ title: 'Drain', command: SERVER_ACTIONS.drain, args });
  if (state !== 'MAINT') out.push({ title: 'Maintenance', command: SERVER_ACTIONS.maint, args });
  return out;
}

/** Lenses of every server of a live configuration (text or topology) joined to its stats rows. */
export function serverLenses(
  connectionId: string,
  config: string | HaproxyTopology,
  stats: readonly StatRow[],
): ServerLens[] {
  const topology = typeof config === 'string' ? readTopology(config) : config;
  const rows = indexStats(stats);
  const out: ServerLens[] = [];
  for (const be of topology.backends) {
    for (const srv of be.servers) {
      const row = rows.get(statKey('server', srv.name, be.name));
      const live = row ? liveView(row) : undefined;
      const configuredWeight = srv.weight ?? 1;
      const weight =
        live?.weight !== undefined ? `weight ${live.weight}/${configuredWeight}` : `weight ${configuredWeight}`;
      const title = [live?.statusText ?? 'no live state', weight, live?.lastCheck].filter(Boolean).join(' · ');
      out.push({
        line: srv.line,
        backend: be.name,
        server: srv.name,
        live,
        configuredWeight,
        title,
        actions: actionsFor(connectionId, be.name, srv.name, live),
      });
    }
  }
  return out.sort((a, b) => a.line - b.line);
}
