// Finding the Secret that holds a Data Plane API connection in the 2020 "Load Balancer API" format
// (key `value`): its users named it as the parameters of their GatewayClass. Pick lists show names,
// types and keys only; the data of a Secret is read when the user has chosen one.
import type { KubeObject } from './types';

export interface SecretRef {
  namespace: string;
  name: string;
}

export interface SecretSummary extends SecretRef {
  type: string;
  keys: string[];
  /** It has the key `value` of the Load Balancer API format. */
  loadBalancerFormat: boolean;
}

/** The Secret a GatewayClass names in `spec.parametersRef`, if it names one with a namespace. */
export function parametersSecret(gatewayClass: KubeObject): SecretRef | undefined {
  const ref = gatewayClass.spec?.parametersRef as
    { group?: unknown; kind?: unknown; name?: unknown; namespace?: unknown } | undefined;
  if (!ref || (ref.group !== '' && ref.group !== 'core' && ref.group !== undefined) || ref.kind !== 'Secret')
    return undefined;
  if (typeof ref.name !== 'string' || typeof ref.namespace !== 'string' || !ref.name || !ref.namespace)
    return undefined;
  return { namespace: ref.namespace, name: ref.name };
}

/** Secrets of GatewayClass parameters, each once, with the classes that name it. */
export function parameterSecrets(classes: KubeObject[]): Array<SecretRef & { classes: string[] }> {
  const found = new Map<string, SecretRef & { classes: string[] }>();
  for (const gc of classes) {
    const ref = parametersSecret(gc);
    if (!ref) continue;
    const key = `${ref.namespace}/${ref.name}`;
    const entry = found.get(key) ?? { ...ref, classes: [] };
    entry.classes.push(gc.metadata.name);
    found.set(key, entry);
  }
  return [...found.values()].sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
}

/** What a pick list may show of listed Secrets: never their data. Load Balancer API ones first. */
export function summarizeSecrets(items: KubeObject[]): SecretSummary[] {
  return items
    .map((s): SecretSummary => {
      const keys = [...new Set([...Object.keys(asRecord(s.data)), ...Object.keys(asRecord(s.stringData))])].sort();
      return {
        namespace: s.metadata.namespace ?? '',
        name: s.metadata.name,
        type: typeof s.type === 'string' ? s.type : 'Opaque',
        keys,
        loadBalancerFormat: keys.includes('value'),
      };
    })
    .sort((a, b) => Number(b.loadBalancerFormat) - Number(a.loadBalancerFormat) || a.name.localeCompare(b.name));
}

function asRecord(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
