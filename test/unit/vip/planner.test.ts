import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import Ajv from 'ajv';
import { parse as parseYaml } from 'yaml';
import { chooseVip, ingressAddresses, requestedVip } from '../../../src/vip/core/addresses';
import { endpointsForPort, LBAPI_IP_ANNOTATION, ServiceLike } from '../../../src/vip/core/kubeShapes';
import { HAPROXY_NAME_PATTERN, MAX_NAME_LENGTH, haproxyObjectName, vipNames } from '../../../src/vip/core/names';
import {
  checkConflicts,
  diffServers,
  modeFor,
  planVip,
  renderPlan,
  type BalanceAlgorithm,
} from '../../../src/vip/core/planner';
import { annotationPatch, statusOwnership, statusPatch } from '../../../src/vip/core/record';
import { referenceDir } from '../../support/paths';

// The 2020 walkthrough: a selectorless Service httpd, port 80 -> 8080, and its Endpoints.
const httpd: ServiceLike = {
  metadata: { name: 'httpd', namespace: 'default' },
  spec: {
    type: 'LoadBalancer',
    ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP', appProtocol: 'http' }],
  },
};
const httpdEndpoints = {
  subsets: [
    {
      addresses: [{ ip: '127.0.0.3' }],
      notReadyAddresses: [{ ip: '127.0.0.9' }],
      ports: [{ name: 'http', port: 8080 }],
    },
  ],
};

describe('VIP names', () => {
  it('are deterministic, valid for HAProxy and length-limited', () => {
    assert.equal(vipNames('default', 'httpd', 'http').frontend, 'vip_default_httpd_http');
    assert.equal(vipNames('default', 'httpd', 'http').frontend, vipNames('default', 'httpd', 'http').frontend);
    const long = haproxyObjectName(
      'vip',
      'a-very-long-namespace-name-for-a-team',
      'and-an-even-longer-service-name-here',
      'metrics',
    );
    assert.ok(long.length <= MAX_NAME_LENGTH, long);
    assert.match(long, HAPROXY_NAME_PATTERN);
    assert.match(long, /_[0-9a-f]{8}$/);
  });

  it('never collide when sanitising maps two identities to the same text', () => {
    const a = haproxyObjectName('vip', 'ns', 'svc', 'a/b');
    const b = haproxyObjectName('vip', 'ns', 'svc', 'a@b');
    assert.notEqual(a, b);
    assert.match(a, HAPROXY_NAME_PATTERN);
  });
});

describe('VIP plan', () => {
  it('plans the 2020 walkthrough: one frontend on the VIP, one backend with the ready endpoint', () => {
    const plan = planVip(httpd, [], httpdEndpoints, { vip: '127.0.200.2' });
    assert.equal(plan.ports.length, 1);
    const [p] = plan.ports;
    assert.deepEqual(p.frontend, {
      name: 'vip_default_httpd_http',
      mode: 'http',
      default_backend: 'vipbe_default_httpd_http',
      forwardfor: { enabled: 'enabled' },
    });
    assert.deepEqual(p.bind, { name: 'vipbind_default_httpd_http', address: '127.0.200.2', port: 80 });
    assert.deepEqual(p.servers, [{ name: 'ep_127.0.0.3_8080', address: '127.0.0.3', port: 8080, check: 'enabled' }]);
    assert.deepEqual(
      p.notReady.map((e) => e.address),
      ['127.0.0.9'],
    );
    assert.equal(
      renderPlan(plan),
      [
        'frontend vip_default_httpd_http',
        '  mode http',
        '  option forwardfor',
        '  bind 127.0.200.2:80 name vipbind_default_httpd_http',
        '  default_backend vipbe_default_httpd_http',
        '',
        'backend vipbe_default_httpd_http',
        '  mode http',
        '  balance roundrobin',
        '  server ep_127.0.0.3_8080 127.0.0.3:8080 check',
        '',
      ].join('\n'),
    );
  });

  it('uses tcp without appProtocol, matches EndpointSlice ports by name, and warns on no endpoints', () => {
    const svc: ServiceLike = {
      metadata: { name: 'db', namespace: 'data' },
      spec: {
        ports: [
          { name: 'pg', port: 5432 },
          { name: 'metrics', port: 9187 },
        ],
      },
    };
    const slices = [
      {
        addressType: 'IPv4',
        ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }],
        endpoints: [
          { addresses: ['10.1.0.5'], conditions: { ready: true } },
          { addresses: ['10.1.0.6'], conditions: { ready: null } },
          { addresses: ['10.1.0.7'], conditions: { ready: true, terminating: true } },
        ],
      },
      { addressType: 'FQDN', ports: [{ name: 'pg', port: 5432 }], endpoints: [{ addresses: ['db.example'] }] },
    ];
    const plan = planVip(svc, slices, undefined, { vip: '10.0.0.1', balance: 'leastconn', healthChecks: false });
    assert.equal(plan.ports[0].frontend.mode, 'tcp');
    assert.equal(plan.ports[0].frontend.forwardfor, undefined);
    assert.deepEqual(
      plan.ports[0].servers.map((s) => [s.address, s.check]),
      [
        ['10.1.0.5', 'disabled'],
        ['10.1.0.6', 'disabled'],
      ],
    );
    assert.equal(plan.ports[0].backend.balance.algorithm, 'leastconn');
    assert.deepEqual(plan.ports[1].servers, []);
    assert.match(plan.warnings.join('\n'), /metrics has no endpoints/);
  });

  it('refuses bad input with a clear message', () => {
    assert.throws(() => planVip(httpd, [], httpdEndpoints, { vip: 'not-an-ip' }), /not an IPv4 or IPv6 address/);
    assert.throws(() => planVip(httpd, [], httpdEndpoints, { vip: '10.0.0.1', ports: [443] }), /has no port 443/);
    assert.throws(
      () =>
        planVip({ metadata: { name: 'x' }, spec: { ports: [{ port: 53, protocol: 'UDP' }] } }, [], undefined, {
          vip: '10.0.0.1',
        }),
      /UDP/,
    );
    assert.throws(() => planVip({ metadata: { name: 'x' }, spec: {} }, [], undefined, { vip: '10.0.0.1' }), /no ports/);
    // A bad value from an untyped setting.
    const balance = 'fastest' as unknown as BalanceAlgorithm;
    assert.throws(() => planVip(httpd, [], httpdEndpoints, { vip: '10.0.0.1', balance }), /Unknown balance/);
  });

  it('derives the mode from appProtocol', () => {
    assert.equal(modeFor({ port: 80, appProtocol: 'http' }), 'http');
    assert.equal(modeFor({ port: 80, appProtocol: 'kubernetes.io/h2c' }), 'http');
    assert.equal(modeFor({ port: 443, appProtocol: 'https' }), 'tcp', 'TLS passes through in tcp mode');
    assert.equal(modeFor({ port: 80 }), 'tcp');
  });

  it('refuses a VIP held by another frontend and a port bound on every address, but updates its own', () => {
    const plan = planVip(httpd, [], httpdEndpoints, { vip: '127.0.200.2' });
    assert.throws(
      () => checkConflicts(plan, [{ frontend: 'legacy', address: '127.0.200.2', port: 8443 }]),
      /already bound by frontend "legacy"/,
    );
    assert.throws(
      () => checkConflicts(plan, [{ frontend: 'all', address: '*', port: 80 }]),
      /Port 80 is already bound on all addresses by frontend "all"/,
    );
    assert.throws(
      () => checkConflicts(plan, [{ frontend: 'range', address: '::', port: 70, portRangeEnd: 90 }]),
      /frontend "range"/,
    );
    checkConflicts(plan, [
      { frontend: 'vip_default_httpd_http', address: '127.0.200.2', port: 80 },
      { frontend: 'other', address: '127.0.200.3', port: 80 },
      { frontend: 'stats', address: '*', port: 8404 },
    ]);
  });

  it('diffs servers for a resync', () => {
    const current = [
      { name: 'a', address: '10.0.0.1', port: 80, check: 'enabled' as const },
      { name: 'b', address: '10.0.0.2', port: 80, check: 'enabled' as const },
    ];
    const desired = [
      { name: 'b', address: '10.0.0.2', port: 8080, check: 'enabled' as const },
      { name: 'c', address: '10.0.0.3', port: 80, check: 'enabled' as const },
    ];
    const diff = diffServers(current, desired);
    assert.deepEqual(
      diff.add.map((s) => s.name),
      ['c'],
    );
    assert.deepEqual(
      diff.remove.map((s) => s.name),
      ['a'],
    );
    assert.deepEqual(
      diff.update.map((s) => s.name),
      ['b'],
    );
    assert.deepEqual(diffServers(desired, desired), { add: [], remove: [], update: [] });
  });

  it('sends only objects that both Data Plane API specifications accept', () => {
    const plan = planVip(httpd, [], httpdEndpoints, { vip: '127.0.200.2' });
    const v2 = parseYaml(fs.readFileSync(path.join(referenceDir, 'dataplaneapi', 'v2.9-swagger2.yaml'), 'utf8'));
    const v3 = parseYaml(fs.readFileSync(path.join(referenceDir, 'dataplaneapi', 'v3.4.2-openapi3.yaml'), 'utf8'));
    for (const [version, defs, prefix] of [
      ['v2', v2.definitions, '#/definitions/'],
      ['v3', v3.components.schemas, '#/components/schemas/'],
    ] as const) {
      const ajv = new Ajv({ strict: false, allErrors: true });
      ajv.addKeyword('x-nullable');
      // The server's generated Go types merge `allOf` parts into one struct, so an
      // `additionalProperties: false` in one part applies to the merged property set.
      const flatten = (schema: Record<string, unknown>): Record<string, unknown> => {
        if (!Array.isArray(schema.allOf)) return schema;
        const merged: Record<string, unknown> = { type: 'object', properties: {}, required: [] as string[] };
        let closed = false;
        for (const part of schema.allOf as Record<string, unknown>[]) {
          const resolved = flatten(typeof part.$ref === 'string' ? defs[part.$ref.slice(prefix.length)] : part);
          Object.assign(merged.properties as object, resolved.properties ?? {});
          (merged.required as string[]).push(...((resolved.required as string[]) ?? []));
          closed ||= resolved.additionalProperties === false;
        }
        if (closed) merged.additionalProperties = false;
        return merged;
      };
      const flatDefs = Object.fromEntries(
        Object.entries(defs as Record<string, Record<string, unknown>>).map(([k, v]) => [k, flatten(v)]),
      );
      // Both specs use `$ref` into their own definitions: give ajv the whole document once.
      const root = { $id: `dpapi-${version}`, definitions: flatDefs };
      ajv.addSchema(JSON.parse(JSON.stringify(root).replaceAll(`"${prefix}`, `"dpapi-${version}#/definitions/`)));
      const check = (def: string, value: unknown) => {
        const validate = ajv.getSchema(`dpapi-${version}#/definitions/${def}`)!;
        assert.ok(validate(value), `${version} ${def} ${JSON.stringify(value)}: ${ajv.errorsText(validate.errors)}`);
      };
      // The check itself must be able to fail.
      assert.throws(() => check('bind', { name: 'b', address: '1.2.3.4', port: 80, bogus: 1 }));
      assert.throws(() => check('server', { name: 's', address: '1.2.3.4', port: 70000 }));
      for (const p of plan.ports) {
        check('frontend', p.frontend);
        check('bind', p.bind);
        check('backend', p.backend);
        for (const s of p.servers) check('server', s);
      }
    }
  });
});

describe('VIP choice and record', () => {
  it('takes the requested address, else the next free one of the pools', () => {
    const annotated: ServiceLike = {
      ...httpd,
      metadata: { ...httpd.metadata, annotations: { [LBAPI_IP_ANNOTATION]: '127.0.200.2' } },
    };
    assert.deepEqual(requestedVip(annotated), { address: '127.0.200.2', source: 'annotation' });
    const lbip: ServiceLike = { ...httpd, spec: { ...httpd.spec, loadBalancerIP: '127.0.200.9' } };
    assert.deepEqual(requestedVip(lbip), { address: '127.0.200.9', source: 'loadBalancerIP' });
    const pools = [{ range: '127.0.200.0/29' }];
    assert.deepEqual(chooseVip(annotated, pools, new Set()), {
      kind: 'requested',
      address: '127.0.200.2',
      source: 'annotation',
      insidePools: true,
    });
    assert.equal((chooseVip(lbip, pools, new Set()) as { insidePools: boolean }).insidePools, false);
    const others: ServiceLike[] = [
      {
        metadata: { name: 'a', namespace: 'x' },
        status: { loadBalancer: { ingress: [{ ip: '127.0.200.1' }, { hostname: 'lb.example' }] } },
      },
    ];
    assert.deepEqual(chooseVip(httpd, pools, ingressAddresses(others)), {
      kind: 'allocated',
      address: '127.0.200.2',
      pool: '127.0.200.0/29',
    });
    assert.throws(() => chooseVip(httpd, [], new Set()), /No VIP pool applies to namespace "default"/);
  });

  it('patches status only where no other controller owns it, and records what was created', () => {
    assert.equal(statusOwnership(httpd).canPatchStatus, true);
    assert.match(
      statusOwnership({ ...httpd, spec: { ...httpd.spec, loadBalancerClass: 'metallb' } }).reason,
      /loadBalancerClass "metallb"/,
    );
    assert.equal(statusOwnership({ ...httpd, spec: { ...httpd.spec, type: 'ClusterIP' } }).canPatchStatus, false);
    assert.deepEqual(statusPatch('127.0.200.2'), { status: { loadBalancer: { ingress: [{ ip: '127.0.200.2' }] } } });
    assert.deepEqual(statusPatch(null), { status: { loadBalancer: { ingress: [] } } });
    const plan = planVip(httpd, [], httpdEndpoints, { vip: '127.0.200.2' });
    assert.deepEqual(annotationPatch(plan, ['lb1', 'lb2']), {
      metadata: {
        annotations: {
          'haproxy-gateway.io/vip': '127.0.200.2',
          'haproxy-gateway.io/connections': 'lb1,lb2',
          'haproxy-gateway.io/frontends': 'vip_default_httpd_http',
          'haproxy-gateway.io/backends': 'vipbe_default_httpd_http',
        },
      },
    });
    assert.ok(
      Object.values(
        (annotationPatch(null, []) as { metadata: { annotations: Record<string, null> } }).metadata.annotations,
      ).every((v) => v === null),
    );
  });

  it('reads endpoints of the right port only', () => {
    const eps = endpointsForPort({ name: 'http', port: 80 }, [], {
      subsets: [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ name: 'admin', port: 9000 }] }],
    });
    assert.deepEqual(eps, []);
  });
});
