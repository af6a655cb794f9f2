// The two Data Plane API specifications as checkers: does a request (method, path, query, body)
// exist in a spec, and does its body validate against the operation's schema?
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { parse as parseYaml } from 'yaml';
import type { HttpRequest } from '../../../src/dataplane/core/http';
import { referenceDir } from '../../support/paths';

type Obj = Record<string, unknown>;

export interface SpecChecker {
  version: 'v2' | 'v3';
  /** Throws naming what the spec does not have or what the body violates. */
  check(req: HttpRequest): void;
  /** Validates a value against a named schema (definition) of the spec. */
  validate(def: string, value: unknown): void;
}

function load(file: string): Obj {
  return parseYaml(fs.readFileSync(path.join(referenceDir, 'dataplaneapi', file), 'utf8')) as Obj;
}

export function specCheckers(): SpecChecker[] {
  return [checker('v2', load('v2.9-swagger2.yaml')), checker('v3', load('v3.4.2-openapi3.yaml'))];
}

function checker(version: 'v2' | 'v3', doc: Obj): SpecChecker {
  const prefix = version === 'v2' ? '#/definitions/' : '#/components/schemas/';
  const defs = (version === 'v2' ? doc.definitions : (doc.components as Obj).schemas) as Record<string, Obj>;
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addKeyword('x-nullable');
  // The server's generated Go types merge `allOf` parts into one struct, so an
  // `additionalProperties: false` in one part applies to the merged property set.
  const flatten = (schema: Obj): Obj => {
    if (!Array.isArray(schema.allOf)) return schema;
    const merged: Obj = { type: 'object', properties: {}, required: [] as string[] };
    let closed = false;
    for (const part of schema.allOf as Obj[]) {
      const resolved = flatten(typeof part.$ref === 'string' ? defs[part.$ref.slice(prefix.length)]! : part);
      Object.assign(merged.properties as Obj, resolved.properties ?? {});
      (merged.required as string[]).push(...((resolved.required as string[]) ?? []));
      closed ||= resolved.additionalProperties === false;
    }
    if (closed) merged.additionalProperties = false;
    return merged;
  };
  const flatDefs = Object.fromEntries(Object.entries(defs).map(([k, v]) => [k, flatten(v)]));
  ajv.addSchema(
    JSON.parse(
      JSON.stringify({ $id: `dpapi-${version}`, definitions: flatDefs }).replaceAll(
        `"${prefix}`,
        `"dpapi-${version}#/definitions/`,
      ),
    ),
  );
  const validate = (def: string, value: unknown) => {
    const fn = ajv.getSchema(`dpapi-${version}#/definitions/${def}`);
    if (!fn) throw new Error(`${version} has no schema ${def}`);
    if (!fn(value)) throw new Error(`${version} ${def} ${JSON.stringify(value)}: ${ajv.errorsText(fn.errors)}`);
  };
  const paths = doc.paths as Record<string, Record<string, Obj>>;
  const globalParams = (doc.parameters ?? {}) as Record<string, Obj>;
  const componentParams = ((doc.components as Obj | undefined)?.parameters ?? {}) as Record<string, Obj>;
  const param = (p: Obj): Obj => {
    if (typeof p.$ref !== 'string') return p;
    const name = p.$ref.split('/').pop()!;
    return globalParams[name] ?? componentParams[name] ?? {};
  };
  const check = (req: HttpRequest) => {
    const template = Object.keys(paths).find((t) => new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(req.path));
    if (!template) throw new Error(`${version} has no path ${req.path}`);
    const op = paths[template]![req.method.toLowerCase()];
    if (!op) throw new Error(`${version} has no ${req.method} ${template}`);
    const params = [
      ...((paths[template]!.parameters as unknown as Obj[] | undefined) ?? []),
      ...((op.parameters as Obj[] | undefined) ?? []),
    ].map(param);
    for (const key of Object.keys(req.query ?? {})) {
      if (req.query![key] === undefined) continue;
      if (!params.some((p) => p.in === 'query' && p.name === key))
        throw new Error(`${version} ${req.method} ${template} has no query parameter ${key}`);
    }
    for (const p of params) {
      if (p.in === 'query' && p.required === true && req.query?.[p.name as string] === undefined)
        throw new Error(`${version} ${req.method} ${template} requires ${String(p.name)}`);
    }
    let schemaRef: string | undefined;
    if (version === 'v2')
      schemaRef = ((params.find((p) => p.in === 'body')?.schema ?? {}) as Obj).$ref as string | undefined;
    else
      schemaRef = (
        (((op.requestBody as Obj | undefined)?.content as Obj | undefined)?.['application/json'] as Obj | undefined)
          ?.schema as Obj | undefined
      )?.$ref as string | undefined;
    if (req.body === undefined) {
      if (schemaRef && (version === 'v2' || (op.requestBody as Obj).required))
        throw new Error(`${version} ${req.method} ${template} needs a body`);
      return;
    }
    if (!schemaRef) throw new Error(`${version} ${req.method} ${template} takes no body`);
    validate(schemaRef.slice(prefix.length), JSON.parse(req.body));
  };
  return { version, check, validate };
}
