// Which Gateway API kinds, at which versions, this cluster serves: read from the discovery
// endpoints, because clusters differ (TCPRoute is v1 since Gateway API 1.6, v1alpha2 before; an
// experimental-channel install serves more; a bare cluster serves none).
import type { KubeClient } from './client';
import { GATEWAY_GROUP, GATEWAY_KINDS, type GatewayKind, type ResolvedKind } from './kinds';
import { isRecord } from './types';
import { KubeConnectionError } from './errors';

export interface GatewayApiSupport {
  installed: boolean;
  /** Each served kind at the highest-priority version that serves it. */
  kinds: Partial<Record<GatewayKind, ResolvedKind>>;
  /** Every served version per kind, highest priority first. */
  versions: Partial<Record<GatewayKind, string[]>>;
  /** Whether discovery.k8s.io/v1 (EndpointSlices) is served. */
  endpointSlices: boolean;
  /** Why nothing is shown, when not installed. */
  explanation?: string;
}

export const NOT_INSTALLED_EXPLANATION =
  'The Gateway API CRDs are not installed on this cluster (the API server serves no gateway.networking.k8s.io ' +
  'group). Install the standard channel of a Gateway API release, then refresh.';

interface GroupVersions {
  name: string;
  versions: string[];
}

function parseGroups(body: unknown): GroupVersions[] {
  if (!isRecord(body) || !Array.isArray(body.groups))
    throw new KubeConnectionError('The API server answered /apis with something that is not an APIGroupList.');
  return body.groups.filter(isRecord).map((g) => ({
    name: String(g.name),
    versions: Array.isArray(g.versions) ? g.versions.filter(isRecord).map((v) => String(v.version)) : [],
  }));
}

/** One request for /apis, then one per served Gateway API version. */
export async function discoverGatewayApi(client: KubeClient): Promise<GatewayApiSupport> {
  const groups = parseGroups(await client.request('GET', '/apis', { verb: 'discover', resource: 'API groups' }));
  const endpointSlices = groups.some((g) => g.name === 'discovery.k8s.io' && g.versions.includes('v1'));
  const gateway = groups.find((g) => g.name === GATEWAY_GROUP);
  if (!gateway || gateway.versions.length === 0)
    return { installed: false, kinds: {}, versions: {}, endpointSlices, explanation: NOT_INSTALLED_EXPLANATION };
  const kinds: Partial<Record<GatewayKind, ResolvedKind>> = {};
  const versions: Partial<Record<GatewayKind, string[]>> = {};
  // The group lists its versions in priority order; the first that serves a kind is the one used.
  const lists = await Promise.all(
    gateway.versions.map(async (version) => ({
      version,
      body: await client.request('GET', `/apis/${GATEWAY_GROUP}/${version}`, {
        verb: 'discover',
        resource: `${GATEWAY_GROUP}/${version} resources`,
      }),
    })),
  );
  for (const { version, body } of lists) {
    if (!isRecord(body) || !Array.isArray(body.resources))
      throw new KubeConnectionError(
        `The API server answered /apis/${GATEWAY_GROUP}/${version} with something that is not an APIResourceList.`,
      );
    for (const r of body.resources.filter(isRecord)) {
      const name = String(r.name);
      if (name.includes('/')) continue; // subresources such as gateways/status
      const kind = String(r.kind) as GatewayKind;
      if (!(GATEWAY_KINDS as readonly string[]).includes(kind)) continue;
      (versions[kind] ??= []).push(version);
      kinds[kind] ??= { kind, group: GATEWAY_GROUP, version, plural: name, namespaced: r.namespaced === true };
    }
  }
  return {
    installed: Object.keys(kinds).length > 0,
    kinds,
    versions,
    endpointSlices,
    explanation: Object.keys(kinds).length > 0 ? undefined : NOT_INSTALLED_EXPLANATION,
  };
}
