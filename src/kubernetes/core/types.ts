// The shape every Kubernetes object shares, and checks that an answer really has it.
import { KubeConnectionError } from './errors';

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  managedFields?: unknown[];
  [key: string]: unknown;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface KubeList {
  items: KubeObject[];
  resourceVersion: string;
  continueToken?: string;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An object answer must at least carry a name; anything else is not from an API server. */
export function asObject(v: unknown, what: string): KubeObject {
  if (!isRecord(v) || !isRecord(v.metadata) || typeof v.metadata.name !== 'string') {
    throw new KubeConnectionError(
      `The API server answered ${what} with something that is not a Kubernetes object.`,
      JSON.stringify(v)?.slice(0, 200),
    );
  }
  return v as KubeObject;
}

export function asList(v: unknown, what: string): KubeList {
  if (!isRecord(v) || !Array.isArray(v.items) || !isRecord(v.metadata)) {
    throw new KubeConnectionError(
      `The API server answered ${what} with something that is not a Kubernetes list.`,
      JSON.stringify(v)?.slice(0, 200),
    );
  }
  const meta = v.metadata;
  return {
    items: v.items.map((item) => asObject(item, what)),
    resourceVersion: typeof meta.resourceVersion === 'string' ? meta.resourceVersion : '',
    continueToken: typeof meta.continue === 'string' && meta.continue !== '' ? meta.continue : undefined,
  };
}

export function objectKey(o: { metadata: { name: string; namespace?: string } }): string {
  return o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name;
}

/** A reference to one object, enough to read, edit, describe or delete it. */
export interface ObjectRef {
  kind: string;
  name: string;
  namespace?: string;
}
