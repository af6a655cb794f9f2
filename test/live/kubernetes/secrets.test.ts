// Finding the Load Balancer API Secrets through the test API server.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { KubernetesService } from '../../../src/kubernetes/core/service';
import { seedDemo, startKubeApiServer, type KubeApiServer } from '../../fixtures/kube-api-server';
import { FAST, tempDir } from '../../support/kube';

const VALUE = 'servers:\n  - https://10.1.0.5:5556/v3\nserverName: lb.internal\n';

describe('Load Balancer API Secrets in the cluster', () => {
  describe('through the test API server', () => {
    let server: KubeApiServer;
    let svc: KubernetesService;
    before(async () => {
      server = await startKubeApiServer();
      seedDemo(server);
      server.create({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'lbapi', namespace: 'default' },
        type: 'Opaque',
        data: { value: Buffer.from(VALUE).toString('base64') },
      });
      const file = server.writeKubeconfig(path.join(tempDir(), 'config'));
      svc = new KubernetesService({ kubeconfigSetting: () => file, ...FAST });
    });
    after(async () => {
      svc?.dispose();
      await server?.stop();
    });

    it('lists the parameters Secrets of GatewayClasses and the Secrets of a namespace', async () => {
      assert.deepEqual(await svc.gatewayClassSecrets(), [
        { namespace: 'default', name: 'haproxy-lb-config', classes: ['haproxy-lb'] },
      ]);
      const listed = await svc.listSecrets('default');
      assert.deepEqual(
        listed.map((s) => [s.name, s.loadBalancerFormat]),
        [
          ['lbapi', true],
          ['haproxy-lb-config', false],
        ],
      );
    });
  });
});
