// The VIP inputs (Service, endpoints, arguments, annotations) are validated; the cluster side against the
// test API server is test/live/vip/workflow.test.ts.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  endpointsFromObject,
  optionsAnnotation,
  parseCreateArgs,
  recordedVip,
  serviceFromObject,
  VIP_OPTIONS_ANNOTATION,
} from '../../../src/vip/core/inputs';
import { parsePools } from '../../../src/vip/core/addresses';

describe('VIP inputs are validated', () => {
  it('Services from the API server', () => {
    const s = serviceFromObject({
      metadata: { name: 'web', namespace: 'a', annotations: { x: 'y', n: 1 } },
      spec: { type: 'LoadBalancer', ports: [{ name: 'http', port: 80, appProtocol: 'http' }] },
      status: { loadBalancer: { ingress: [{ ip: '10.0.0.1' }] } },
    });
    assert.deepEqual(s.metadata.annotations, { x: 'y' });
    assert.equal(s.spec?.ports?.[0]?.protocol, 'TCP');
    assert.throws(() => serviceFromObject({ metadata: { name: 'Bad_Name' } }), /invalid name/);
    assert.throws(
      () => serviceFromObject({ metadata: { name: 'x' }, spec: { ports: [{ port: 70000 }] } }),
      /port without a valid number/,
    );
    assert.throws(() => serviceFromObject('nope'), /without metadata/);
    assert.deepEqual(
      endpointsFromObject({
        subsets: [
          { addresses: [{ ip: '10.0.0.1' }, { ip: 'evil; rm' }], ports: [{ name: 'http', port: 8080 }, { port: 0 }] },
        ],
      }),
      {
        subsets: [
          {
            addresses: [{ ip: '10.0.0.1' }],
            notReadyAddresses: [],
            ports: [{ name: 'http', port: 8080, protocol: undefined }],
          },
        ],
      },
    );
  });

  it('the pools setting, naming each problem', () => {
    const r = parsePools([
      { range: '127.0.200.0/24' },
      { range: '10.0.0.10-10.0.0.5' },
      { range: 'x' },
      { nope: 1 },
      { range: '10.1.0.0/24', namespaces: ['team-a'] },
      { range: '10.2.0.0/24', namespaces: 'team-a' },
    ]);
    assert.deepEqual(r.pools, [
      { range: '127.0.200.0/24', namespaces: undefined },
      { range: '10.1.0.0/24', namespaces: ['team-a'] },
    ]);
    assert.equal(r.problems.length, 4);
    assert.match(
      r.problems.join('\n'),
      /pools\[1\]\.range: .*ends before it starts[\s\S]*pools\[2\]\.range[\s\S]*pools\[3\] needs a "range"[\s\S]*pools\[5\]\.namespaces/,
    );
    assert.match(parsePools({}).problems[0]!, /must be an array/);
  });

  it('command arguments', () => {
    assert.deepEqual(
      parseCreateArgs({
        service: { namespace: 'default', name: 'httpd' },
        vip: '127.000.200.2'.replace(/\.0+(\d)/g, '.$1'),
        connections: ['lb1'],
        confirm: true,
      }),
      { service: { namespace: 'default', name: 'httpd' }, vip: '127.0.200.2', connections: ['lb1'], confirm: true },
    );
    assert.throws(() => parseCreateArgs({ vip: 'not-an-ip' }), /not an IPv4 or IPv6 address/);
    assert.throws(() => parseCreateArgs({ balance: 'fastest' }), /balance must be one of/);
    assert.throws(() => parseCreateArgs({ mode: 'magic' }), /mode must be/);
    assert.throws(() => parseCreateArgs({ connections: [''] }), /connections/);
    assert.throws(() => parseCreateArgs({ service: { name: '../etc' } }), /Service is named by/);
    assert.throws(() => parseCreateArgs({ confirm: 'yes' }), /confirm must be true or false/);
    assert.throws(() => parseCreateArgs(7), /must be an object/);
  });

  it('our annotations, even hand-edited ones', () => {
    const svc = serviceFromObject({
      metadata: {
        name: 'web',
        annotations: {
          'haproxy-gateway.io/vip': '127.0.200.2',
          'haproxy-gateway.io/connections': 'lb1, lb2,,Bad Id',
          'haproxy-gateway.io/frontends': 'vip_default_web_http,bad name',
          'haproxy-gateway.io/backends': 'vipbe_default_web_http',
          [VIP_OPTIONS_ANNOTATION]: optionsAnnotation({
            balance: 'leastconn',
            healthChecks: false,
            ports: ['http', 443],
          }),
        },
      },
    });
    assert.deepEqual(recordedVip(svc), {
      vip: '127.0.200.2',
      connections: ['lb1', 'lb2'],
      frontends: ['vip_default_web_http'],
      backends: ['vipbe_default_web_http'],
      balance: 'leastconn',
      healthChecks: false,
      ports: ['http', '443'],
    });
    assert.equal(
      recordedVip(
        serviceFromObject({ metadata: { name: 'web', annotations: { 'haproxy-gateway.io/vip': 'garbage' } } }),
      ),
      undefined,
    );
  });
});
