// The doctor: rules over plain inputs (Kubernetes objects, pools, connections, the last reloads and
// the traffic graph) that each say what was observed, why it matters and what fixes it, the fix
// being a command id and its arguments as data (the UI offers it as a button).
import type { GatewayView, RouteView } from '../../kubernetes/api';
import type { KubeObject } from '../../kubernetes/api';
import type { TrafficGraph } from './graph';
import { rangeContains } from '../../vip/api';
import { canonicalIp, parseSpan } from './ip';
import { poolUsage, type PoolInput } from './pools';
import { foreignOwner, ingressAddresses, recordedVipOf, requestedAddresses } from './services';

export const FIX_COMMANDS = {
  createVip: 'haproxyGateway.vip.create',
  resyncVip: 'haproxyGateway.vip.resync',
  addConnection: 'haproxyGateway.dataplane.addConnection',
  showReloads: 'haproxyGateway.dataplane.showReloads',
  openRawConfig: 'haproxyGateway.dataplane.openRawConfig',
  serverReady: 'haproxyGateway.dataplane.serverReady',
  openYaml: 'haproxyGateway.kubernetes.openYaml',
  describe: 'haproxyGateway.kubernetes.describe',
  editPools: 'workbench.action.openSettings',
} as const;

export type RuleId =
  | 'service-owned-elsewhere'
  | 'service-no-pool'
  | 'service-pool-exhausted'
  | 'service-no-connection'
  | 'service-no-vip'
  | 'vip-not-bound'
  | 'reload-failed'
  | 'bind-not-local'
  | 'bind-port-in-use'
  | 'backend-all-down'
  | 'endpoints-out-of-sync'
  | 'gateway-not-ready'
  | 'route-not-accepted'
  | 'missing-reference-grant';

export interface Fix {
  title: string;
  command: string;
  args: unknown[];
}

export interface Finding {
  rule: RuleId;
  severity: 'error' | 'warning' | 'info';
  /** A traffic-graph node id (svc:ns/name, hap:conn/be:name...) or `conn:<id>`. */
  subject: string;
  observed: string;
  why: string;
  fix?: Fix;
}

export interface ReloadInput {
  id: string;
  status: 'failed' | 'in_progress' | 'succeeded';
  response?: string;
}

export interface ConnectionInput {
  id: string;
  /** The last reload this extension saw (from GET reloads), if any. */
  lastReload?: ReloadInput;
  /** Why the server could not be read, when it could not. */
  error?: string;
}

export interface DoctorInput {
  services?: readonly KubeObject[];
  gateways?: readonly GatewayView[];
  routes?: readonly RouteView[];
  referenceGrants?: readonly KubeObject[];
  pools?: readonly PoolInput[];
  connections?: readonly ConnectionInput[];
  graph?: TrafficGraph;
  ourClasses?: readonly string[];
}

const svcId = (ns: string, name: string) => `svc:${ns}/${name}`;
const ref = (o: KubeObject) => ({ namespace: o.metadata.namespace ?? 'default', name: o.metadata.name });

/** Why a LoadBalancer Service has no VIP, most specific reason first. */
export function serviceVipRules(input: DoctorInput): Finding[] {
  const out: Finding[] = [];
  const pools = input.pools ?? [];
  const connections = input.connections ?? [];
  const usage = poolUsage({ pools, services: input.services ?? [], ourClasses: input.ourClasses });
  for (const svc of input.services ?? []) {
    const spec = (svc.spec ?? {}) as Record<string, unknown>;
    if (spec.type !== 'LoadBalancer') continue;
    if (ingressAddresses(svc).length > 0 || recordedVipOf(svc)) continue;
    const { namespace, name } = ref(svc);
    const subject = svcId(namespace, name);
    const owner = foreignOwner(svc, input.ourClasses);
    if (owner) {
      const what =
        owner.kind === 'loadBalancerClass'
          ? `spec.loadBalancerClass is "${owner.value}"`
          : `annotation ${owner.key}: ${owner.value}`;
      out.push({
        rule: 'service-owned-elsewhere',
        severity: 'info',
        subject,
        observed: `Service ${namespace}/${name} has no address: ${what}.`,
        why:
          "Another controller owns this Service's load balancer; this extension leaves it alone, so the " +
          'address must come from that controller.',
        fix: {
          title: 'Describe the Service',
          command: FIX_COMMANDS.describe,
          args: [{ kind: 'Service', namespace, name }],
        },
      });
      continue;
    }
    const requested = requestedAddresses(svc).requested;
    const applicable = pools.filter((p) => p.namespaces?.includes(namespace));
    const chosen = applicable.length ? applicable : pools.filter((p) => !p.namespaces?.length);
    if (connections.length === 0) {
      out.push({
        rule: 'service-no-connection',
        severity: 'error',
        subject,
        observed: `Service ${namespace}/${name} is <pending> and no Data Plane API connection is configured.`,
        why: 'A VIP is a frontend bound on an HAProxy server; without a connection there is nowhere to create it.',
        fix: { title: 'Add a Data Plane API connection', command: FIX_COMMANDS.addConnection, args: [] },
      });
      continue;
    }
    if (requested.length === 0 && chosen.length === 0) {
      out.push({
        rule: 'service-no-pool',
        severity: 'warning',
        subject,
        observed: `No VIP pool covers namespace "${namespace}" and the Service asks for no address.`,
        why: 'Without a pool or a requested address there is no address to give the Service.',
        fix: { title: 'Edit the VIP pools', command: FIX_COMMANDS.editPools, args: ['haproxyGateway.vip.pools'] },
      });
      continue;
    }
    const exhausted =
      requested.length === 0 &&
      chosen.every((p) => {
        const u = usage.pools.find((x) => x.range === parseSpanSource(p.range));
        return u !== undefined && !u.error && u.free === 0n;
      });
    if (exhausted) {
      out.push({
        rule: 'service-pool-exhausted',
        severity: 'warning',
        subject,
        observed:
          `Every address of the pools for namespace "${namespace}" is in use ` +
          `(${chosen.map((p) => p.range).join(', ')}).`,
        why: 'A new VIP needs a free address.',
        fix: { title: 'Edit the VIP pools', command: FIX_COMMANDS.editPools, args: ['haproxyGateway.vip.pools'] },
      });
      continue;
    }
    const outside = requested.filter((r) => !chosen.some((p) => inPool(p.range, r.address)));
    const note = outside.length ? ` It asks for ${outside.map((r) => r.address).join(', ')}, outside its pools.` : '';
    out.push({
      rule: 'service-no-vip',
      severity: 'warning',
      subject,
      observed: `Service ${namespace}/${name} is <pending>: no VIP was created for it.${note}`,
      why: 'Nothing answers on a load balancer address until a VIP exists on HAProxy.',
      fix: { title: 'Create a VIP', command: FIX_COMMANDS.createVip, args: [{ service: { namespace, name } }] },
    });
  }
  return out;
}

function parseSpanSource(range: string): string {
  const s = parseSpan(range);
  return 'error' in s ? range : s.source;
}

function inPool(range: string, address: string): boolean {
  const s = parseSpan(range);
  const ip = canonicalIp(address);
  return !('error' in s) && ip !== undefined && rangeContains(s, ip);
}

const ALERT = /^\[ALERT\][ \t]*\(\d+\)[ \t]*:[ \t]*(\S.*)?$/;

/** `cannot bind socket (reason) for [address]`, read without a regex (no quadratic search). */
function bindFailure(alert: string): [string, string, string] | undefined {
  const start = alert.indexOf('cannot bind socket (');
  if (start < 0) return undefined;
  const close = alert.indexOf(') for [', start + 20);
  const end = close < 0 ? -1 : alert.indexOf(']', close + 7);
  if (end < 0) return undefined;
  return [alert.slice(start, end + 1), alert.slice(start + 20, close), alert.slice(close + 7, end)];
}

/** HAProxy's alerts in a reload response, without the process id prefix. */
export function reloadAlerts(response: string): string[] {
  return response
    .split('\n')
    .map((l) => {
      const m = ALERT.exec(l.trim());
      return m ? (m[1] ?? '') : undefined;
    })
    .filter((l): l is string => l !== undefined);
}

/** A failed reload, and the bind that could not be made when that is why. */
export function reloadRules(input: DoctorInput): Finding[] {
  const out: Finding[] = [];
  for (const c of input.connections ?? []) {
    const r = c.lastReload;
    if (!r || r.status !== 'failed') continue;
    const subject = `conn:${c.id}`;
    const alerts = reloadAlerts(r.response ?? '');
    const bind = alerts.map((a) => ({ a, m: bindFailure(a) })).find((x) => x.m);
    if (bind?.m) {
      const [, reason, address] = bind.m;
      const frontend = /for (?:frontend|proxy) ([^:\s]+)/.exec(bind.a)?.[1];
      const notLocal = /Cannot assign requested address/i.test(reason);
      out.push({
        rule: notLocal ? 'bind-not-local' : 'bind-port-in-use',
        severity: 'error',
        subject,
        observed:
          `Reload ${r.id} on ${c.id} failed: ${frontend ? `frontend ${frontend} ` : ''}cannot bind ` +
          `${address} (${reason}).`,
        why: notLocal
          ? 'The address is not configured on the HAProxy host, so HAProxy cannot listen on it; the previous ' +
            'configuration keeps running and the VIP does not answer.'
          : 'Another process already listens on that address and port; HAProxy refused the new configuration ' +
            'and keeps the previous one.',
        fix: { title: 'Show the reloads', command: FIX_COMMANDS.showReloads, args: [c.id] },
      });
      continue;
    }
    const message =
      alerts.filter((a) => !/Fatal errors found|Loading failure|failed to start their listeners/.test(a)).join('\n') ||
      (r.response ?? '').trim() ||
      'no message';
    out.push({
      rule: 'reload-failed',
      severity: 'error',
      subject,
      observed: `Reload ${r.id} on ${c.id} failed: ${message}`,
      why: 'HAProxy kept running the previous configuration: the changes since are not live.',
      fix: { title: 'Open the live haproxy.cfg', command: FIX_COMMANDS.openRawConfig, args: [c.id] },
    });
  }
  return out;
}

/** From the traffic graph: VIPs not bound, backends with every server down, endpoints out of sync. */
export function graphRules(graph: TrafficGraph): Finding[] {
  const out: Finding[] = [];
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  for (const m of graph.mismatches) {
    const svc = byId.get(m.serviceId);
    const args =
      svc?.source.type === 'kubernetes'
        ? [{ service: { namespace: svc.source.namespace, name: svc.source.name }, preview: true }]
        : [];
    if (m.kind === 'vip-not-bound' || m.kind === 'vip-partially-bound') {
      out.push({
        rule: 'vip-not-bound',
        severity: 'error',
        subject: m.serviceId,
        observed: m.message,
        why:
          'The address is recorded on the Service but HAProxy does not listen on it there: clients of that ' +
          'server get no answer, and an HA failover would lose the VIP.',
        fix: { title: 'Resync the VIP (preview)', command: FIX_COMMANDS.resyncVip, args },
      });
    }
  }
  const sync = graph.mismatches.filter(
    (m) => m.kind === 'endpoint-without-server' || m.kind === 'server-without-endpoint',
  );
  for (const serviceId of [...new Set(sync.map((m) => m.serviceId))]) {
    const list = sync.filter((m) => m.serviceId === serviceId);
    const svc = byId.get(serviceId);
    const args =
      svc?.source.type === 'kubernetes'
        ? [{ service: { namespace: svc.source.namespace, name: svc.source.name }, preview: true }]
        : [];
    out.push({
      rule: 'endpoints-out-of-sync',
      severity: 'warning',
      subject: serviceId,
      observed: list.map((m) => m.message).join('\n'),
      why:
        'HAProxy sends traffic to servers Kubernetes no longer lists, or misses endpoints it does: requests ' +
        'fail or capacity is lost.',
      fix: { title: 'Resync the backend servers (preview)', command: FIX_COMMANDS.resyncVip, args },
    });
  }
  const servers = new Map<string, typeof graph.nodes>();
  for (const e of graph.edges)
    if (e.kind === 'server') servers.set(e.from, [...(servers.get(e.from) ?? []), byId.get(e.to)!]);
  for (const [backendId, list] of servers) {
    const backend = byId.get(backendId);
    if (!backend || list.length === 0 || !list.every((s) => s.live?.state === 'DOWN')) continue;
    const checks = list.map((s) => `${s.label}: ${s.live?.lastCheck ?? s.live?.statusText ?? 'DOWN'}`).join('; ');
    out.push({
      rule: 'backend-all-down',
      severity: 'error',
      subject: backendId,
      observed: `Every server of backend ${backend.label} is DOWN (${checks}).`,
      why: 'HAProxy has no server to send requests to: clients get 503.',
      fix:
        backend.source.type === 'haproxy'
          ? {
              title: 'Open the backend in the live haproxy.cfg',
              command: FIX_COMMANDS.openRawConfig,
              args: [backend.source.connectionId, backend.source.line],
            }
          : undefined,
    });
  }
  return out;
}

/** Gateways and Routes that their controller did not accept or program, with its reason. */
export function gatewayRules(input: DoctorInput): Finding[] {
  const out: Finding[] = [];
  for (const gw of input.gateways ?? []) {
    for (const c of [gw.accepted, gw.programmed]) {
      if (c?.status !== 'False') continue;
      out.push({
        rule: 'gateway-not-ready',
        severity: 'error',
        subject: `gw:${gw.namespace}/${gw.name}`,
        observed:
          `Gateway ${gw.namespace}/${gw.name} is not ${c.type}: ` + `${c.reason}${c.message ? `: ${c.message}` : ''}`,
        why: `A Gateway that is not ${c.type} does not carry traffic.`,
        fix: {
          title: 'Open the YAML',
          command: FIX_COMMANDS.openYaml,
          args: [{ kind: 'Gateway', namespace: gw.namespace, name: gw.name }],
        },
      });
    }
  }
  for (const r of input.routes ?? []) {
    for (const p of r.parents) {
      for (const c of [p.accepted, p.resolvedRefs]) {
        if (c?.status !== 'False') continue;
        out.push({
          rule: 'route-not-accepted',
          severity: 'error',
          subject: `route:${r.kind}:${r.namespace}/${r.name}`,
          observed:
            `${r.kind} ${r.namespace}/${r.name} is not ${c.type} by Gateway ` +
            `${p.gatewayNamespace}/${p.gatewayName}: ${c.reason}${c.message ? `: ${c.message}` : ''}`,
          why: "The Gateway does not route this Route's traffic (or not to all of its backends).",
          fix: {
            title: 'Open the YAML',
            command: FIX_COMMANDS.openYaml,
            args: [{ kind: r.kind, namespace: r.namespace, name: r.name }],
          },
        });
      }
    }
  }
  return out;
}

const GW_GROUP = 'gateway.networking.k8s.io';

function grantAllows(
  grant: KubeObject,
  from: { kind: string; namespace: string },
  to: { group: string; kind: string; name: string },
): boolean {
  const spec = (grant.spec ?? {}) as { from?: unknown; to?: unknown };
  const froms = Array.isArray(spec.from) ? (spec.from as Record<string, unknown>[]) : [];
  const tos = Array.isArray(spec.to) ? (spec.to as Record<string, unknown>[]) : [];
  return (
    froms.some((f) => f.group === GW_GROUP && f.kind === from.kind && f.namespace === from.namespace) &&
    tos.some(
      (t) =>
        (t.group ?? '') === to.group &&
        t.kind === to.kind &&
        (t.name === undefined || t.name === '' || t.name === to.name),
    )
  );
}

/** A Route's backendRef to another namespace needs a ReferenceGrant in that namespace. */
export function referenceGrantRules(input: DoctorInput): Finding[] {
  const out: Finding[] = [];
  const grants = input.referenceGrants ?? [];
  for (const r of input.routes ?? []) {
    for (const be of r.backends) {
      if (be.namespace === r.namespace) continue;
      const group = be.group === 'core' ? '' : be.group;
      const allowed = grants.some(
        (g) =>
          g.metadata.namespace === be.namespace &&
          grantAllows(g, { kind: r.kind, namespace: r.namespace }, { group, kind: be.kind, name: be.name }),
      );
      if (allowed) continue;
      out.push({
        rule: 'missing-reference-grant',
        severity: 'error',
        subject: `route:${r.kind}:${r.namespace}/${r.name}`,
        observed:
          `${r.kind} ${r.namespace}/${r.name} sends traffic to ${be.kind} ${be.namespace}/${be.name}, ` +
          `and no ReferenceGrant in namespace ${be.namespace} allows it.`,
        why:
          'Gateway API refuses cross-namespace references without a ReferenceGrant in the target namespace ' +
          '(ResolvedRefs False, reason RefNotPermitted): that backend gets no traffic.',
        fix: {
          title: "Open the Route's YAML",
          command: FIX_COMMANDS.openYaml,
          args: [{ kind: r.kind, namespace: r.namespace, name: r.name }],
        },
      });
    }
  }
  return out;
}

/** A VIP recorded for a connection this workspace does not have: nobody here can check or fix it. */
export function recordedConnectionRules(input: DoctorInput): Finding[] {
  const known = new Set((input.connections ?? []).map((c) => c.id));
  const out: Finding[] = [];
  for (const svc of input.services ?? []) {
    const rec = recordedVipOf(svc);
    const unknown = rec?.connections.filter((c) => !known.has(c)) ?? [];
    if (!rec || unknown.length === 0) continue;
    const { namespace, name } = ref(svc);
    out.push({
      rule: 'vip-not-bound',
      severity: 'warning',
      subject: svcId(namespace, name),
      observed:
        `VIP ${rec.vip} of Service ${namespace}/${name} is recorded for ${unknown.join(', ')}, ` +
        'which no configured connection is.',
      why: 'Whether the VIP is bound there cannot be checked, and Resync or Delete cannot reach that server.',
      fix: { title: 'Add a Data Plane API connection', command: FIX_COMMANDS.addConnection, args: [] },
    });
  }
  return out;
}

/** Every rule; findings ordered by severity, then subject. */
export function diagnose(input: DoctorInput): Finding[] {
  const all = [
    ...serviceVipRules(input),
    ...recordedConnectionRules(input),
    ...reloadRules(input),
    ...(input.graph ? graphRules(input.graph) : []),
    ...gatewayRules(input),
    ...referenceGrantRules(input),
  ];
  const rank = { error: 0, warning: 1, info: 2 } as const;
  return all.sort((a, b) => rank[a.severity] - rank[b.severity] || a.subject.localeCompare(b.subject));
}

/** The findings about one subject (a Service, a Gateway, a backend, `conn:<id>`). */
export function findingsFor(findings: readonly Finding[], subject: string): Finding[] {
  return findings.filter((f) => f.subject === subject);
}
