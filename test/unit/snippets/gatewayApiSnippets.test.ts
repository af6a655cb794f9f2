// Every YAML snippet, expanded with its defaults (and once per other option of each choice), must be
// YAML that a cluster would accept: Gateway API kinds against the CRDs' openAPIV3Schema, core kinds
// against the fields Kubernetes requires of them.
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { isIP, isIPv4, isIPv6 } from 'node:net';
import * as path from 'node:path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import * as YAML from 'yaml';
import { referenceDir, repoRoot } from '../../support/paths';
import { choiceVariants, expandSnippet, loadSnippetFile, prefixesOf } from '../../support/snippets';

const SNIPPET_FILE = path.join(repoRoot, 'snippets', 'gateway-api.code-snippets.json');
const CRD_DIR = path.join(referenceDir, 'gateway-api');
const GATEWAY_GROUP = 'gateway.networking.k8s.io';
/** VS Code's defaults for YAML: spaces, two per level. */
const EDITOR = { indentation: { insertSpaces: true, tabSize: 2 } } as const;

type Json = Record<string, unknown>;

interface CrdVersion {
  readonly name: string;
  readonly served: boolean;
  readonly schema: { readonly openAPIV3Schema: Json };
}

interface Crd {
  readonly file: string;
  readonly scope: 'Namespaced' | 'Cluster';
  readonly versions: readonly CrdVersion[];
}

/** Gateway API CRDs by kind. */
function loadCrds(): Map<string, Crd> {
  const crds = new Map<string, Crd>();
  for (const file of fs.readdirSync(CRD_DIR).filter((f) => f.endsWith('.yaml'))) {
    const crd = YAML.parse(fs.readFileSync(path.join(CRD_DIR, file), 'utf8'));
    assert.equal(crd.spec.group, GATEWAY_GROUP, `${file}: unexpected group`);
    crds.set(crd.spec.names.kind, { file, scope: crd.spec.scope, versions: crd.spec.versions });
  }
  return crds;
}

/**
 * Kubernetes (with kubectl's default strict field validation) rejects fields a structural schema does not
 * declare; JSON Schema allows them. Closing every object that lists its properties gives the same answer.
 */
function closeObjects(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closeObjects);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    out[key] =
      key === 'properties'
        ? Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, closeObjects(v)]))
        : closeObjects(value);
  }
  if (
    out.type === 'object' &&
    out.properties &&
    out.additionalProperties === undefined &&
    out['x-kubernetes-preserve-unknown-fields'] !== true
  ) {
    out.additionalProperties = false;
  }
  return out;
}

function newAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true });
  // Formats of Kubernetes' OpenAPI dialect that the CRDs use.
  ajv.addFormat('int32', {
    type: 'number',
    validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31,
  });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
  ajv.addFormat('ipv4', { type: 'string', validate: (s: string) => isIPv4(s) });
  ajv.addFormat('ipv6', { type: 'string', validate: (s: string) => isIPv6(s) });
  ajv.addFormat('date-time', {
    type: 'string',
    validate: (s: string) =>
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i.test(s) && !Number.isNaN(Date.parse(s)),
  });
  // Server-side rules (CEL, list semantics) that JSON Schema cannot express: known, and not checked here.
  for (const keyword of [
    'x-kubernetes-validations',
    'x-kubernetes-list-type',
    'x-kubernetes-list-map-keys',
    'x-kubernetes-map-type',
    'x-kubernetes-preserve-unknown-fields',
    'x-kubernetes-embedded-resource',
    'x-kubernetes-int-or-string',
  ]) {
    ajv.addKeyword({ keyword });
  }
  return ajv;
}

const DNS_LABEL = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
const DNS_SUBDOMAIN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
const PORT = { type: 'integer', minimum: 1, maximum: 65535 };
const PROTOCOL = { enum: ['TCP', 'UDP', 'SCTP'] };
const portList = (extra: Json = {}): Json => ({
  type: 'array',
  items: {
    type: 'object',
    required: ['port'],
    additionalProperties: false,
    properties: {
      name: { type: 'string', pattern: DNS_LABEL, maxLength: 63 },
      protocol: PROTOCOL,
      port: PORT,
      ...extra,
    },
  },
});
const metadata = (name: Json, extra: Json = {}): Json => ({
  type: 'object',
  required: ['name'],
  properties: {
    name,
    namespace: { type: 'string', pattern: DNS_LABEL, maxLength: 63 },
    labels: { type: 'object', additionalProperties: { type: 'string', maxLength: 63 } },
    ...extra,
  },
});

/** The fields Kubernetes requires of the core kinds the snippets write (apimachinery validation, by hand). */
const CORE_SCHEMAS: Readonly<Record<string, Json>> = {
  'v1/Service': {
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
    additionalProperties: false,
    properties: {
      apiVersion: { const: 'v1' },
      kind: { const: 'Service' },
      // Service names are DNS-1035 labels: they must start with a letter.
      metadata: metadata({ type: 'string', pattern: '^[a-z]([-a-z0-9]*[a-z0-9])?$', maxLength: 63 }),
      spec: {
        type: 'object',
        required: ['ports'],
        properties: {
          type: { enum: ['ClusterIP', 'NodePort', 'LoadBalancer'] },
          ports: {
            ...portList({
              targetPort: {
                anyOf: [PORT, { type: 'string', pattern: '^(?=.*[a-z])[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 15 }],
              },
            }),
            minItems: 1,
          },
        },
      },
    },
  },
  'v1/Endpoints': {
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata', 'subsets'],
    additionalProperties: false,
    properties: {
      apiVersion: { const: 'v1' },
      kind: { const: 'Endpoints' },
      metadata: metadata({ type: 'string', pattern: DNS_SUBDOMAIN, maxLength: 253 }),
      subsets: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          required: ['addresses', 'ports'],
          additionalProperties: false,
          properties: {
            addresses: {
              type: 'array',
              minItems: 1,
              items: {
                type: 'object',
                required: ['ip'],
                properties: {
                  ip: { type: 'string', anyOf: [{ format: 'ipv4' }, { format: 'ipv6' }] },
                  hostname: { type: 'string', pattern: DNS_LABEL },
                },
              },
            },
            ports: { ...portList(), minItems: 1 },
          },
        },
      },
    },
  },
  'discovery.k8s.io/v1/EndpointSlice': {
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata', 'addressType', 'endpoints'],
    additionalProperties: false,
    properties: {
      apiVersion: { const: 'discovery.k8s.io/v1' },
      kind: { const: 'EndpointSlice' },
      metadata: metadata({ type: 'string', pattern: DNS_SUBDOMAIN, maxLength: 253 }),
      addressType: { enum: ['IPv4', 'IPv6', 'FQDN'] },
      ports: { ...portList(), maxItems: 100 },
      endpoints: {
        type: 'array',
        maxItems: 1000,
        items: {
          type: 'object',
          required: ['addresses'],
          additionalProperties: false,
          properties: {
            addresses: { type: 'array', minItems: 1, maxItems: 100, items: { type: 'string' } },
            conditions: {
              type: 'object',
              additionalProperties: false,
              properties: {
                ready: { type: 'boolean' },
                serving: { type: 'boolean' },
                terminating: { type: 'boolean' },
              },
            },
            hostname: { type: 'string', pattern: DNS_LABEL },
            nodeName: { type: 'string' },
            zone: { type: 'string' },
          },
        },
      },
    },
  },
};

const crds = loadCrds();
const ajv = newAjv();
const validators = new Map<string, ValidateFunction>();

function validatorFor(key: string, schema: () => unknown): ValidateFunction {
  let v = validators.get(key);
  if (!v) {
    v = ajv.compile(schema() as object);
    validators.set(key, v);
  }
  return v;
}

function describeErrors(errors: readonly ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .map((e) => `  ${e.instancePath || '/'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`)
    .join('\n');
}

/** Problems of one Kubernetes object, empty when a cluster would accept it. */
function checkObject(doc: Json, requireServed: boolean): string[] {
  const apiVersion = String(doc.apiVersion ?? '');
  const kind = String(doc.kind ?? '');
  const problems: string[] = [];
  const meta = (doc.metadata ?? {}) as Json;
  if (apiVersion.startsWith(`${GATEWAY_GROUP}/`)) {
    const crd = crds.get(kind);
    if (!crd) return [`${kind}: no CRD in ${CRD_DIR}`];
    const versionName = apiVersion.slice(GATEWAY_GROUP.length + 1);
    const version = crd.versions.find((v) => v.name === versionName);
    if (!version) return [`${kind}: ${crd.file} has no version ${versionName}`];
    if (requireServed && !version.served)
      problems.push(`${kind}: version ${versionName} is not served by Gateway API ${crd.file}`);
    // Object metadata is not in the CRD schema: the API server checks it for every kind alike.
    if (!new RegExp(DNS_SUBDOMAIN).test(String(meta.name ?? '')) || String(meta.name).length > 253) {
      problems.push(`${kind}: metadata.name "${meta.name}" is not a DNS subdomain`);
    }
    if (crd.scope === 'Cluster' && meta.namespace !== undefined)
      problems.push(`${kind} is cluster-scoped but has a namespace`);
    if (meta.namespace !== undefined && !new RegExp(DNS_LABEL).test(String(meta.namespace))) {
      problems.push(`${kind}: metadata.namespace "${meta.namespace}" is not a DNS label`);
    }
    const validate = validatorFor(`${kind}/${versionName}`, () => closeObjects(version.schema.openAPIV3Schema));
    if (!validate(doc)) problems.push(`${kind} ${apiVersion} against ${crd.file}:\n${describeErrors(validate.errors)}`);
    return problems;
  }
  const key = `${apiVersion}/${kind}`;
  const schema = CORE_SCHEMAS[key];
  if (!schema) return [`no check for ${key}: add one before adding such a snippet`];
  const validate = validatorFor(key, () => schema);
  if (!validate(doc)) problems.push(`${key}:\n${describeErrors(validate.errors)}`);
  return problems;
}

interface PortSpec {
  name?: string;
  protocol?: string;
  port?: number;
}

/** A selectorless Service's hand-written endpoints only reach it if names, namespace and port names line up. */
function checkEndpointsMatchService(docs: readonly Json[]): string[] {
  const problems: string[] = [];
  const byKind = (kind: string): Json[] => docs.filter((d) => d.kind === kind);
  const services = byKind('Service');
  const endpointLike = [...byKind('Endpoints'), ...byKind('EndpointSlice')];
  if (endpointLike.length === 0) return problems;
  if (services.length !== 1)
    return [`expected exactly one Service beside the Endpoints/EndpointSlice, found ${services.length}`];
  const service = services[0];
  const sMeta = service.metadata as Json;
  const sPorts = ((service.spec as Json).ports ?? []) as PortSpec[];
  if ((service.spec as Json).selector !== undefined)
    problems.push('the Service has a selector: Kubernetes would manage its endpoints');
  for (const doc of endpointLike) {
    const meta = doc.metadata as Json;
    if ((meta.namespace ?? 'default') !== (sMeta.namespace ?? 'default'))
      problems.push(`${doc.kind} is in another namespace than the Service`);
    let ports: PortSpec[];
    if (doc.kind === 'Endpoints') {
      if (meta.name !== sMeta.name)
        problems.push(`Endpoints "${meta.name}" must be named like the Service "${sMeta.name}"`);
      ports = ((doc.subsets ?? []) as Json[]).flatMap((s) => (s.ports ?? []) as PortSpec[]);
    } else {
      const labels = (meta.labels ?? {}) as Json;
      if (labels['kubernetes.io/service-name'] !== sMeta.name) {
        problems.push(
          `EndpointSlice label kubernetes.io/service-name is "${labels['kubernetes.io/service-name']}", ` +
            `not the Service "${sMeta.name}"`,
        );
      }
      const managedBy = labels['endpointslice.kubernetes.io/managed-by'];
      if (managedBy === 'endpointslice-controller.k8s.io' || managedBy === 'endpointslicemirroring-controller.k8s.io') {
        problems.push(`EndpointSlice claims to be managed by ${managedBy}, which would take it over`);
      }
      const family = doc.addressType === 'IPv4' ? 4 : doc.addressType === 'IPv6' ? 6 : 0;
      for (const endpoint of (doc.endpoints ?? []) as Json[]) {
        for (const address of (endpoint.addresses ?? []) as string[]) {
          if (family && isIP(address) !== family)
            problems.push(`EndpointSlice address "${address}" is not ${doc.addressType}`);
        }
      }
      ports = (doc.ports ?? []) as PortSpec[];
    }
    for (const port of ports) {
      const match = sPorts.find((p) => (p.name ?? '') === (port.name ?? ''));
      if (!match) problems.push(`${doc.kind} port "${port.name ?? ''}" has no Service port of that name`);
      else if ((match.protocol ?? 'TCP') !== (port.protocol ?? 'TCP')) {
        problems.push(
          `${doc.kind} port "${port.name}" is ${port.protocol ?? 'TCP'}, the Service port ${match.protocol ?? 'TCP'}`,
        );
      }
    }
  }
  return problems;
}

function parseDocs(text: string): Json[] {
  const docs = YAML.parseAllDocuments(text);
  const out: Json[] = [];
  for (const doc of docs) {
    assert.deepEqual(
      doc.errors.map((e) => e.message),
      [],
      `YAML errors in:\n${text}`,
    );
    assert.deepEqual(
      doc.warnings.map((e) => e.message),
      [],
      `YAML warnings in:\n${text}`,
    );
    const value: unknown = doc.toJS();
    assert.ok(value && typeof value === 'object' && !Array.isArray(value), `a document is not a mapping in:\n${text}`);
    out.push(value as Json);
  }
  return out;
}

const snippets = loadSnippetFile(SNIPPET_FILE);

describe('Gateway API YAML snippets', () => {
  test('every snippet has a prefix, a body and a description, and prefixes are unique', () => {
    const seen = new Map<string, string>();
    for (const [name, snippet] of Object.entries(snippets)) {
      for (const prefix of prefixesOf(snippet)) {
        assert.match(prefix, /^[a-z][a-z0-9-]*$/, `${name}: prefix "${prefix}" should be a lower-case word`);
        assert.equal(
          seen.get(prefix),
          undefined,
          `prefix "${prefix}" of "${name}" is already used by "${seen.get(prefix)}"`,
        );
        seen.set(prefix, name);
      }
    }
  });

  test('the kinds the brief names are all covered', () => {
    const kinds = new Set<string>();
    for (const snippet of Object.values(snippets)) {
      for (const doc of parseDocs(expandSnippet(snippet.body, EDITOR))) kinds.add(`${doc.apiVersion}/${doc.kind}`);
    }
    for (const wanted of [
      `${GATEWAY_GROUP}/v1/GatewayClass`,
      `${GATEWAY_GROUP}/v1/Gateway`,
      `${GATEWAY_GROUP}/v1/HTTPRoute`,
      `${GATEWAY_GROUP}/v1/TCPRoute`,
      'v1/Service',
      'v1/Endpoints',
      'discovery.k8s.io/v1/EndpointSlice',
    ]) {
      assert.ok(kinds.has(wanted), `no snippet writes ${wanted}`);
    }
  });

  // Checked on the body as written: YAML forbids tabs, and VS Code keeps a body's spaces under its YAML defaults.
  test('YAML indentation uses spaces, never tabs', () => {
    for (const [name, snippet] of Object.entries(snippets)) {
      assert.doesNotMatch(expandSnippet(snippet.body), /^ *\t/m, `${name}: a tab in YAML indentation`);
    }
  });

  for (const [name, snippet] of Object.entries(snippets)) {
    for (const variant of choiceVariants(snippet.body)) {
      test(`${name} (${variant.label}) is accepted by the schemas`, () => {
        const text = expandSnippet(snippet.body, { ...variant.options, ...EDITOR });
        assert.doesNotMatch(text, /\$\{|\$[0-9]/, `unexpanded snippet syntax in:\n${text}`);
        const docs = parseDocs(text);
        assert.ok(docs.length > 0, 'no YAML document');
        // Older API versions offered as a choice exist for older clusters; the default must be served now.
        const problems = docs.flatMap((doc) => checkObject(doc, variant.label === 'defaults'));
        problems.push(...checkEndpointsMatchService(docs));
        assert.deepEqual(problems, [], `${problems.join('\n')}\n--- expanded snippet ---\n${text}`);
      });
    }
  }

  test('the default names tie GatewayClass, Gateway and HTTPRoute together', () => {
    const first = (kind: string): Json => {
      for (const snippet of Object.values(snippets)) {
        const doc = parseDocs(expandSnippet(snippet.body, EDITOR)).find((d) => d.kind === kind);
        if (doc) return doc;
      }
      throw new Error(`no ${kind} snippet`);
    };
    const gatewayClass = first('GatewayClass');
    const gateway = first('Gateway');
    const route = first('HTTPRoute');
    const gwSpec = gateway.spec as { gatewayClassName: string; listeners: { name: string }[] };
    assert.equal(gwSpec.gatewayClassName, (gatewayClass.metadata as Json).name);
    const parent = (route.spec as { parentRefs: { name: string; sectionName?: string }[] }).parentRefs[0];
    assert.equal(parent.name, (gateway.metadata as Json).name);
    assert.ok(
      gwSpec.listeners.some((l) => l.name === parent.sectionName),
      `no listener "${parent.sectionName}" on the Gateway`,
    );
    assert.equal((route.metadata as Json).namespace, (gateway.metadata as Json).namespace);
  });

  test('the checks reject what a cluster would reject', () => {
    const gateway = parseDocs(expandSnippet(snippets['Gateway API Gateway'].body, EDITOR))[0];
    const withBadAddress = structuredClone(gateway) as { spec: { addresses: { value: string }[] } };
    withBadAddress.spec.addresses[0].value = '300.1.1.1';
    assert.notDeepEqual(checkObject(withBadAddress as unknown as Json, true), []);
    const withTypo = structuredClone(gateway) as { spec: Json };
    withTypo.spec.listener = withTypo.spec.listeners;
    delete withTypo.spec.listeners;
    assert.match(checkObject(withTypo as unknown as Json, true).join('\n'), /listener/);
    assert.match(checkObject({ ...gateway, apiVersion: `${GATEWAY_GROUP}/v9` }, true).join('\n'), /no version v9/);
    const tcpRoute = parseDocs(
      expandSnippet(snippets['Gateway API TCPRoute'].body, { choices: { 1: 1 }, ...EDITOR }),
    )[0];
    assert.match(checkObject(tcpRoute, true).join('\n'), /not served/);

    const [service, endpoints] = parseDocs(
      expandSnippet(snippets['Service without selector, with Endpoints'].body, EDITOR),
    );
    assert.deepEqual(checkEndpointsMatchService([service, endpoints]), []);
    const renamed = { ...endpoints, metadata: { ...(endpoints.metadata as Json), name: 'other' } };
    assert.match(checkEndpointsMatchService([service, renamed]).join('\n'), /must be named like the Service/);
    const selected = { ...service, spec: { ...(service.spec as Json), selector: { app: 'db' } } };
    assert.match(checkEndpointsMatchService([selected, endpoints]).join('\n'), /has a selector/);
    assert.notDeepEqual(checkObject({ ...service, spec: { ports: [] } }, true), []);
  });
});
