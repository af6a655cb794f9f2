// Finding the Load Balancer API Secret in a cluster: GatewayClass parameters, pick-list summaries
// that never carry data, and the import of a Secret as the Kubernetes API returns it (the same through the
// test API server: test/live/kubernetes/secrets.test.ts).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { importLoadBalancerSecret, importLoadBalancerSecretObject } from '../../../src/dataplane/core/secretImport';
import { setKubectlCurrentContext } from '../../../src/kubernetes/core/kubeconfig';
import { parameterSecrets, parametersSecret, summarizeSecrets } from '../../../src/kubernetes/core/secrets';
import type { KubeObject } from '../../../src/kubernetes/core/types';
import { tempDir } from '../../support/kube';

const gc = (name: string, parametersRef?: unknown): KubeObject => ({
  metadata: { name },
  spec: { controllerName: 'x/y', parametersRef },
});
const VALUE = 'servers:\n  - https://10.1.0.5:5556/v3\nserverName: lb.internal\n';

describe('Load Balancer API Secrets in the cluster', () => {
  it('reads the Secret a GatewayClass names, only when it is a namespaced core Secret', () => {
    assert.deepEqual(parametersSecret(gc('a', { group: '', kind: 'Secret', name: 's', namespace: 'lb' })), {
      namespace: 'lb',
      name: 's',
    });
    assert.equal(parametersSecret(gc('b', { group: '', kind: 'ConfigMap', name: 's', namespace: 'lb' })), undefined);
    assert.equal(
      parametersSecret(gc('c', { group: 'example.com', kind: 'Secret', name: 's', namespace: 'lb' })),
      undefined,
    );
    assert.equal(
      parametersSecret(gc('d', { group: '', kind: 'Secret', name: 's' })),
      undefined,
      'no namespace: nothing to read',
    );
    assert.equal(parametersSecret(gc('e')), undefined);
    assert.deepEqual(
      parameterSecrets([
        gc('z', { group: '', kind: 'Secret', name: 's', namespace: 'lb' }),
        gc('a', { group: '', kind: 'Secret', name: 's', namespace: 'lb' }),
        gc('m', { group: '', kind: 'Secret', name: 'other', namespace: 'default' }),
        gc('n'),
      ]),
      [
        { namespace: 'default', name: 'other', classes: ['m'] },
        { namespace: 'lb', name: 's', classes: ['z', 'a'] },
      ],
    );
  });

  it('summarizes listed Secrets without their data, Load Balancer API ones first', () => {
    const summaries = summarizeSecrets([
      {
        metadata: { name: 'a-token', namespace: 'lb' },
        type: 'kubernetes.io/service-account-token',
        data: { token: 'c2VjcmV0' },
      },
      { metadata: { name: 'z-lbapi', namespace: 'lb' }, type: 'Opaque', data: { value: 'c2VjcmV0' } },
      { metadata: { name: 'empty', namespace: 'lb' } },
    ]);
    assert.deepEqual(summaries, [
      { namespace: 'lb', name: 'z-lbapi', type: 'Opaque', keys: ['value'], loadBalancerFormat: true },
      {
        namespace: 'lb',
        name: 'a-token',
        type: 'kubernetes.io/service-account-token',
        keys: ['token'],
        loadBalancerFormat: false,
      },
      { namespace: 'lb', name: 'empty', type: 'Opaque', keys: [], loadBalancerFormat: false },
    ]);
    assert.doesNotMatch(JSON.stringify(summaries), /c2VjcmV0/);
  });

  it('imports a Secret object as the API returns it, and refuses one in another format', () => {
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'lbapi', namespace: 'lb' },
      data: { value: Buffer.from(VALUE).toString('base64') },
    };
    const r = importLoadBalancerSecretObject(secret);
    assert.deepEqual(
      r.connections.map((c) => [c.settings.url, c.settings.serverName, c.settings.auth]),
      [['https://10.1.0.5:5556/v3', 'lb.internal', 'basic']],
    );
    assert.throws(
      () => importLoadBalancerSecretObject({ kind: 'Secret', metadata: { name: 'x' }, data: { password: 'eA==' } }),
      /The Kubernetes Secret has no key "value"/,
    );
    assert.throws(
      () => importLoadBalancerSecretObject({ kind: 'Secret', metadata: { name: 'x' }, data: { value: '%%%' } }),
      /"data\.value" is not base64/,
    );
  });

  it('reports a malformed Secret by line and column, never by its text', () => {
    const token = 's3cr3t-T0KEN';
    const broken = `servers:\n  - https://10.1.0.5:5556/v3\nclientKeyData: [unclosed "${token}\n`;
    const messages: string[] = [];
    for (const attempt of [
      () => importLoadBalancerSecret(broken),
      () => importLoadBalancerSecretObject({ kind: 'Secret', metadata: { name: 'x' }, stringData: { value: broken } }),
      () =>
        importLoadBalancerSecretObject({
          kind: 'Secret',
          metadata: { name: 'x' },
          data: { value: Buffer.from(broken).toString('base64') },
        }),
    ]) {
      assert.throws(attempt, (err: Error) => (messages.push(err.message), true));
    }
    for (const m of messages) {
      assert.match(m, /not YAML: error at line \d+, column \d+/);
      assert.doesNotMatch(m, new RegExp(`${token}|clientKeyData|unclosed`), m);
    }
  });

  it('reports a malformed kubeconfig by line and column, never by its text', () => {
    const file = path.join(tempDir(), 'config');
    fs.writeFileSync(file, 'apiVersion: v1\nusers:\n- name: u\n  user: {token: "eyJhbGciOi-token\n');
    assert.throws(
      () => setKubectlCurrentContext({ files: [file], source: 'setting' }, 'x'),
      (err: Error) => {
        assert.match(err.message, /not valid YAML \(error at line \d+, column \d+/);
        assert.doesNotMatch(err.message, /eyJhbGciOi/);
        return true;
      },
    );
  });
});
