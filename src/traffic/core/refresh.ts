// One refresh of the traffic map's live half: one stats/native request per Data Plane API server.
// Its answer carries the Configuration-Version header, so the haproxy.cfg (and the topology read
// from it) is fetched again only when that version changed: in steady state, exactly one request
// per server per refresh. Servers are asked in parallel; one that fails is shown as failed, the
// others still refresh. The history of live nodes is kept here between refreshes.
import type { GatewayView, ServiceView } from '../../kubernetes/api';
import { buildTrafficGraph, type HaproxyInput, type TrafficGraph } from './graph';
import { readTopology, type HaproxyTopology } from './haproxy';
import { DEFAULT_HISTORY_LIMIT, recordSamples, type NodeHistory } from './history';
import { parseNativeStats } from './stats';

/** What the map reads from each server; the UI implements it with the Data Plane API client. */
export interface LiveSource {
  /** GET services/haproxy/stats/native: the JSON body and the Configuration-Version header, if sent. */
  stats(connectionId: string, signal?: AbortSignal): Promise<{ body: unknown; configVersion?: number }>;
  /** GET services/haproxy/configuration/raw. */
  config(connectionId: string, signal?: AbortSignal): Promise<{ text: string; version: number }>;
}

export interface RefreshInput {
  services: readonly ServiceView[];
  gateways?: readonly GatewayView[];
  connectionIds: readonly string[];
  focus?: string;
  signal?: AbortSignal;
}

export interface RefreshResult {
  graph: TrafficGraph;
  history: NodeHistory;
  /** Requests made by this refresh (the bench's `map.requestsPerRefresh`). */
  requests: number;
  /** Servers that could not be read, with why. */
  failures: { connectionId: string; message: string }[];
}

interface Cached {
  version: number;
  topology: HaproxyTopology;
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

export class TrafficRefresher {
  private readonly topologies = new Map<string, Cached>();
  private history: NodeHistory = new Map();

  constructor(
    private readonly source: LiveSource,
    private readonly options: { historyLimit?: number; now?: () => number } = {},
  ) {}

  /** Forgets the cached configurations and the history (the panel was hidden, the connections changed). */
  reset(): void {
    this.topologies.clear();
    this.history = new Map();
  }

  async refresh(input: RefreshInput): Promise<RefreshResult> {
    let requests = 0;
    const failures: RefreshResult['failures'] = [];
    const haproxy = await Promise.all(
      input.connectionIds.map(async (connectionId): Promise<HaproxyInput> => {
        try {
          requests++;
          const answer = await this.source.stats(connectionId, input.signal);
          const stats = parseNativeStats(answer.body);
          let cached = this.topologies.get(connectionId);
          const version = answer.configVersion;
          if (!cached || version === undefined || !Number.isInteger(version) || version !== cached.version) {
            requests++;
            const raw = await this.source.config(connectionId, input.signal);
            cached = { version: raw.version, topology: readTopology(raw.text) };
            this.topologies.set(connectionId, cached);
          }
          return { connectionId, topology: cached.topology, stats };
        } catch (err) {
          if (input.signal?.aborted) throw err;
          failures.push({ connectionId, message: messageOf(err) });
          return { connectionId, error: messageOf(err) };
        }
      }),
    );
    for (const id of [...this.topologies.keys()]) if (!input.connectionIds.includes(id)) this.topologies.delete(id);
    const graph = buildTrafficGraph({
      services: input.services,
      gateways: input.gateways,
      haproxy,
      focus: input.focus,
    });
    const now = (this.options.now ?? Date.now)();
    this.history = recordSamples(this.history, graph, now, this.options.historyLimit ?? DEFAULT_HISTORY_LIMIT);
    return { graph, history: this.history, requests, failures };
  }
}
