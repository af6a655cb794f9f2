// What the user does to one object: read it as YAML, apply an edited YAML (as a merge patch with
// the read resourceVersion as precondition, so a concurrent change is a 409, not a silent
// overwrite), describe it (conditions and events), delete it; and the writes other features need.
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { UserFacingError } from '../../shared/errors';
import { MERGE_PATCH, type KubeClient } from './client';
import { listAll } from './informer';
import { BUILTIN, apiVersionOf, describeResource, resourcePath, type ResolvedKind } from './kinds';
import { conditionsOf } from './model';
import { asObject, isRecord, type KubeObject, type ObjectRef } from './types';

export type KindResolver = (kind: string, apiVersion?: string) => ResolvedKind;

/** Kinds with a status subresource (the main resource ignores status changes). */
const STATUS_KINDS = new Set([
  'Service',
  'Namespace',
  'GatewayClass',
  'Gateway',
  'HTTPRoute',
  'GRPCRoute',
  'TLSRoute',
  'TCPRoute',
  'UDPRoute',
]);

/** The object as `kubectl get -o yaml` shows it: managedFields hidden. */
export function objectToYaml(obj: KubeObject): string {
  const copy = structuredClone(obj);
  delete copy.metadata.managedFields;
  return toYaml(copy, { lineWidth: 0 });
}

/** RFC 7386 merge patch turning `from` into `to` (arrays replaced whole, removed keys set to null). */
export function mergePatchBetween(from: unknown, to: unknown): unknown {
  if (!isRecord(from) || !isRecord(to)) return structuredClone(to);
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(from)) if (!(key in to)) patch[key] = null;
  for (const [key, value] of Object.entries(to)) {
    if (!(key in from)) patch[key] = structuredClone(value);
    else if (JSON.stringify(from[key]) !== JSON.stringify(value)) {
      patch[key] =
        isRecord(from[key]) && isRecord(value) ? mergePatchBetween(from[key], value) : structuredClone(value);
    }
  }
  return patch;
}

export interface ApplyResult {
  object: KubeObject;
  /** Nothing differed: no request was sent. */
  unchanged: boolean;
  statusPatched: boolean;
}

export class ResourceActions {
  constructor(
    private readonly client: KubeClient,
    private readonly resolve: KindResolver,
  ) {}

  async get(ref: ObjectRef): Promise<KubeObject> {
    const kind = this.resolve(ref.kind);
    const body = await this.client.request('GET', resourcePath(kind, ref.namespace, ref.name), {
      verb: 'get',
      resource: describeResource(kind, ref.namespace, ref.name),
    });
    return asObject(body, `get ${ref.kind} ${ref.name}`);
  }

  /** Objects of a kind in a namespace (all pages), optionally by label selector. */
  async list(
    kindName: string,
    namespace: string | undefined,
    options: { labelSelector?: string } = {},
  ): Promise<KubeObject[]> {
    return (await listAll(this.client, this.resolve(kindName), namespace, options)).items;
  }

  async getYaml(ref: ObjectRef): Promise<{ yaml: string; object: KubeObject }> {
    const object = await this.get(ref);
    return { yaml: objectToYaml(object), object };
  }

  /** Applies an edited YAML of `original`; identity fields may not change. */
  async applyYaml(original: KubeObject, text: string): Promise<ApplyResult> {
    let edited: unknown;
    try {
      edited = parseYaml(text);
    } catch (err) {
      throw new UserFacingError(`The edited YAML does not parse: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (!isRecord(edited) || !isRecord(edited.metadata))
      throw new UserFacingError('The edited YAML must be one Kubernetes object with metadata.');
    for (const [field, a, b] of [
      ['kind', original.kind, edited.kind],
      ['apiVersion', original.apiVersion, edited.apiVersion],
      ['metadata.name', original.metadata.name, edited.metadata.name],
      ['metadata.namespace', original.metadata.namespace, edited.metadata.namespace],
    ] as const) {
      if (a !== b)
        throw new UserFacingError(
          `${field} cannot change when applying (was ${JSON.stringify(a)}, now ${JSON.stringify(b)}); create a new ` +
            `object instead.`,
        );
    }
    const kind = this.resolve(String(original.kind), original.apiVersion);
    const ref = { namespace: original.metadata.namespace, name: original.metadata.name };
    const base = structuredClone(original);
    delete base.metadata.managedFields;
    const { status: oldStatus, ...oldMain } = base;
    const { status: newStatus, ...newMain } = edited as KubeObject;
    const mainPatch = mergePatchBetween(oldMain, newMain) as Record<string, unknown>;
    const statusChanged = JSON.stringify(oldStatus) !== JSON.stringify(newStatus);
    if (Object.keys(mainPatch).length === 0 && !statusChanged)
      return { object: original, unchanged: true, statusPatched: false };
    // The resourceVersion that was read is a precondition: the server answers 409 if it moved.
    const precondition = { metadata: { resourceVersion: original.metadata.resourceVersion } };
    let object = original;
    if (Object.keys(mainPatch).length > 0) {
      object = await this.patch(kind, ref, {
        ...mainPatch,
        metadata: { ...(isRecord(mainPatch.metadata) ? mainPatch.metadata : {}), ...precondition.metadata },
      });
    }
    let statusPatched = false;
    if (statusChanged && STATUS_KINDS.has(kind.kind)) {
      object = await this.patch(
        kind,
        ref,
        { status: newStatus === undefined ? null : mergePatchBetween(oldStatus ?? {}, newStatus) },
        'status',
      );
      statusPatched = true;
    }
    return { object, unchanged: false, statusPatched };
  }

  async patch(
    kind: ResolvedKind,
    ref: { namespace?: string; name: string },
    patch: unknown,
    subresource?: 'status',
  ): Promise<KubeObject> {
    const body = await this.client.request(
      'PATCH',
      resourcePath(kind, ref.namespace, ref.name, subresource),
      {
        verb: subresource ? 'update the status of' : 'patch',
        resource: describeResource(kind, ref.namespace, ref.name),
      },
      { body: patch, contentType: MERGE_PATCH },
    );
    return asObject(body, `patch ${kind.kind} ${ref.name}`);
  }

  async create(obj: KubeObject): Promise<KubeObject> {
    const kind = this.resolve(String(obj.kind), obj.apiVersion);
    const body = await this.client.request(
      'POST',
      resourcePath(kind, obj.metadata.namespace),
      { verb: 'create', resource: describeResource(kind, obj.metadata.namespace, obj.metadata.name) },
      { body: { ...obj, apiVersion: apiVersionOf(kind), kind: kind.kind } },
    );
    return asObject(body, `create ${kind.kind} ${obj.metadata.name}`);
  }

  async delete(ref: ObjectRef, resourceVersion?: string): Promise<void> {
    const kind = this.resolve(ref.kind);
    const body = resourceVersion
      ? { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { resourceVersion } }
      : undefined;
    await this.client.request(
      'DELETE',
      resourcePath(kind, ref.namespace, ref.name),
      { verb: 'delete', resource: describeResource(kind, ref.namespace, ref.name) },
      { body },
    );
  }

  /** Events about one object (kubectl describe's query: involvedObject field selectors). */
  async events(obj: KubeObject): Promise<KubeObject[]> {
    const selector = `involvedObject.name=${obj.metadata.name},involvedObject.kind=${String(obj.kind)}`;
    const { items } = await listAll(this.client, BUILTIN.Event, obj.metadata.namespace, { fieldSelector: selector });
    const time = (e: KubeObject): string =>
      String(e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? '');
    return items
      .filter(
        (e) =>
          !obj.metadata.uid ||
          !isRecord(e.involvedObject) ||
          !e.involvedObject.uid ||
          e.involvedObject.uid === obj.metadata.uid,
      )
      .sort((a, b) => time(a).localeCompare(time(b)));
  }

  /** A text like `kubectl describe`: identity, conditions (with staleness), the spec, and events. */
  async describe(ref: ObjectRef): Promise<string> {
    const obj = await this.get(ref);
    const events = await this.events(obj);
    return renderDescription(obj, events);
  }
}

export function renderDescription(obj: KubeObject, events: KubeObject[]): string {
  const lines: string[] = [];
  const m = obj.metadata;
  const kv = (map: Record<string, string> | undefined): string =>
    map && Object.keys(map).length
      ? Object.entries(map)
          .map(([k, v]) => `${k}=${v}`)
          .join('\n              ')
      : '<none>';
  lines.push(`Name:         ${m.name}`);
  if (m.namespace) lines.push(`Namespace:    ${m.namespace}`);
  lines.push(`Labels:       ${kv(m.labels)}`);
  lines.push(`Annotations:  ${kv(m.annotations)}`);
  lines.push(`API Version:  ${String(obj.apiVersion)}`);
  lines.push(`Kind:         ${String(obj.kind)}`);
  if (m.generation !== undefined) lines.push(`Generation:   ${m.generation}`);
  lines.push(`Created:      ${String(m.creationTimestamp ?? '<unknown>')}`);
  if (obj.spec !== undefined) lines.push('Spec:', indent(toYaml(obj.spec, { lineWidth: 0 }).trimEnd(), 2));
  const topConditions = conditionsOf(obj, isRecord(obj.status) ? obj.status.conditions : undefined);
  lines.push('Conditions:');
  if (topConditions.length === 0) lines.push('  <none>');
  for (const c of topConditions)
    lines.push(
      `  ${c.type}=${c.status}  ` +
        `reason=${c.reason || '-'}${c.stale ? '  (stale: observed an older generation)' : ''}` +
        `${c.message ? `\n    ${c.message}` : ''}`,
    );
  const listeners =
    isRecord(obj.status) && Array.isArray(obj.status.listeners) ? obj.status.listeners.filter(isRecord) : [];
  for (const l of listeners) {
    lines.push(`Listener ${String(l.name)} (attachedRoutes ${String(l.attachedRoutes ?? '?')}):`);
    for (const c of conditionsOf(obj, l.conditions))
      lines.push(`  ${c.type}=${c.status}  reason=${c.reason || '-'}${c.message ? `: ${c.message}` : ''}`);
  }
  const parents = isRecord(obj.status) && Array.isArray(obj.status.parents) ? obj.status.parents.filter(isRecord) : [];
  for (const p of parents) {
    const ref = isRecord(p.parentRef) ? p.parentRef : {};
    lines.push(
      `Parent ${String(ref.namespace ?? m.namespace ?? '')}/${String(ref.name)}` +
        `${ref.sectionName ? `#${String(ref.sectionName)}` : ''} (${String(p.controllerName ?? '')}):`,
    );
    for (const c of conditionsOf(obj, p.conditions))
      lines.push(`  ${c.type}=${c.status}  reason=${c.reason || '-'}${c.message ? `: ${c.message}` : ''}`);
  }
  lines.push('Events:');
  if (events.length === 0) lines.push('  <none>');
  for (const e of events) {
    const when = String(e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? '');
    const source = isRecord(e.source) ? String(e.source.component ?? '') : String(e.reportingComponent ?? '');
    lines.push(
      `  ${String(e.type ?? 'Normal').padEnd(8)} ${String(e.reason ?? '').padEnd(20)} ${when}  ` +
        `${source}${e.count && Number(e.count) > 1 ? ` (x${String(e.count)})` : ''}\n    ${String(e.message ?? '')}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function indent(text: string, n: number): string {
  const pad = ' '.repeat(n);
  return text
    .split('\n')
    .map((l) => pad + l)
    .join('\n');
}
