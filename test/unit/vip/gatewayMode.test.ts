import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import Ajv from 'ajv';
import { parseAllDocuments } from 'yaml';
import { dnsLabel, gatewayReadiness, planGateway } from '../../../src/vip/core/gatewayMode';
import { referenceDir } from '../../support/paths';

/** The openAPIV3Schema of a served version of a Gateway API CRD from the reference copy. */
function crdSchema(file: string, version: string): object {
  const docs = parseAllDocuments(fs.readFileSync(path.join(referenceDir, 'gateway-api', file), 'utf8')).map((d) =>
    d.toJS(),
  );
  const crd = docs.find((d) => d?.kind === 'CustomResourceDefinition');
  const v = crd.spec.versions.find((x: { name: string }) => x.name === version);
  assert.ok(v, `${file} serves ${version}`);
  return v.schema.openAPIV3Schema;
}

function validator(file: string, version: string) {
  const ajv = new Ajv({ strict: false, allErrors: true });
  const validate = ajv.compile(crdSchema(file, version));
  return (obj: unknown) => {
    const ok = validate(obj);
    return { ok, errors: ajv.errorsText(validate.errors) };
  };
}

const httpd = {
  metadata: { name: 'httpd', namespace: 'default' },
  spec: {
    ports: [{ name: 'http', port: 80, targetPort: 8080 }, { port: 8443 }, { name: 'dns', port: 53, protocol: 'UDP' }],
  },
};

describe('gateway mode', () => {
  it('plans a Gateway with the VIP and one TCP listener per TCP port, valid for the v1.6.1 CRDs', () => {
    const plan = planGateway(httpd, '127.0.200.2', 'haproxy-lb', 'v1');
    const gw = plan.gateway as unknown as { spec: { addresses: unknown; listeners: { name: string; port: number }[] } };
    assert.deepEqual(gw.spec.addresses, [{ type: 'IPAddress', value: '127.0.200.2' }]);
    assert.deepEqual(
      gw.spec.listeners.map((l) => [l.name, l.port]),
      [
        ['tcp-http', 80],
        ['tcp-8443', 8443],
      ],
    );
    const gwCheck = validator('gateways.yaml', 'v1')(plan.gateway);
    assert.ok(gwCheck.ok, gwCheck.errors);
    assert.equal(plan.routes.length, 2);
    const routeCheck = validator('tcproutes.yaml', 'v1');
    for (const r of plan.routes) {
      const c = routeCheck(r);
      assert.ok(c.ok, c.errors);
    }
    // The validator must be able to say no.
    assert.equal(validator('gateways.yaml', 'v1')({ ...plan.gateway, spec: { listeners: [] } }).ok, false);
  });

  it('writes TCPRoutes as v1alpha2 for clusters that serve only that', () => {
    const plan = planGateway(httpd, '127.0.200.2', 'haproxy-lb', 'v1alpha2');
    assert.ok(plan.routes.every((r) => r.apiVersion === 'gateway.networking.k8s.io/v1alpha2'));
  });

  it('refuses a Service without TCP ports and a missing class', () => {
    assert.throws(
      () =>
        planGateway(
          { metadata: { name: 'dns' }, spec: { ports: [{ port: 53, protocol: 'UDP' }] } },
          '10.0.0.1',
          'c',
          'v1',
        ),
      /no TCP port/,
    );
    assert.throws(() => planGateway(httpd, '10.0.0.1', '', 'v1'), /GatewayClass/);
  });

  it('makes DNS labels from any name', () => {
    assert.equal(dnsLabel('vip-httpd'), 'vip-httpd');
    assert.equal(dnsLabel('Tcp_HTTP'), 'tcp-http');
    const long = dnsLabel(`vip-${'x'.repeat(80)}`);
    assert.ok(long.length <= 63);
    assert.match(long, /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
  });

  it('reads Programmed, Accepted=False and stale conditions', () => {
    assert.deepEqual(
      gatewayReadiness({
        status: { conditions: [{ type: 'Programmed', status: 'True' }], addresses: [{ value: '127.0.200.2' }] },
      }),
      { state: 'programmed', addresses: ['127.0.200.2'] },
    );
    assert.equal(
      gatewayReadiness({
        status: { conditions: [{ type: 'Accepted', status: 'False', reason: 'InvalidParameters', message: 'bad' }] },
      }).state,
      'failed',
    );
    assert.deepEqual(
      gatewayReadiness({
        status: {
          conditions: [{ type: 'Programmed', status: 'False', reason: 'AddressNotAssigned', message: 'no IP' }],
        },
      }),
      { state: 'failed', reason: 'AddressNotAssigned', message: 'no IP' },
    );
    assert.equal(
      gatewayReadiness({ status: { conditions: [{ type: 'Programmed', status: 'Unknown', reason: 'Pending' }] } })
        .state,
      'pending',
    );
    assert.equal(
      gatewayReadiness({
        metadata: { generation: 2 },
        status: { conditions: [{ type: 'Programmed', status: 'True', observedGeneration: 1 }] },
      }).state,
      'pending',
      'a condition for an older generation does not count',
    );
    assert.equal(gatewayReadiness({}).state, 'pending');
  });
});
