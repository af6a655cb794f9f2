// The lab's Kubernetes (`npm run demo`, test/lab/30-kubernetes.lab.ts) uses the real kube-apiserver
// when it is built: a second context "lab-real" beside the test API server's "lab", seeded with the
// walkthrough's objects, and the lab's stand-in controller programs Gateways of haproxy-lb there.
import { after, before, describe, test as nodeTest } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as yaml from 'yaml';
import { KubernetesService, type GatewayTreeResult } from '../../../src/kubernetes/core/service';
import { createViaGateway, loadService } from '../../../src/vip/core/workflow';
import { start } from '../../lab/30-kubernetes.lab';
import type { LabService } from '../../lab/types';
import { SKIP_ENV, missingBinariesMessage, skipRealKube, waitForTestbin } from '../../fixtures/real-kube/controlPlane';
import { FAST, tempDir } from '../kubernetes/helpers';

function ok(result: GatewayTreeResult): Extract<GatewayTreeResult, { state: 'ok' }> {
  assert.equal(result.state, 'ok', JSON.stringify(result));
  return result as Extract<GatewayTreeResult, { state: 'ok' }>;
}

describe('the lab with a real kube-apiserver', { skip: skipRealKube() ? `${SKIP_ENV}=1` : false, timeout: 180_000 }, () => {
  let lab: LabService | undefined;
  let startError: Error | undefined;
  let svc: KubernetesService | undefined;
  let labDir: string | undefined;
  const savedMode = process.env.LAB_KUBE;

  before(async () => {
    try {
      if (!(await waitForTestbin(undefined, (m) => console.log(`# ${m}`)))) throw new Error(missingBinariesMessage());
      delete process.env.LAB_KUBE;
      labDir = tempDir('lab-kube-');
      lab = await start({ labDir });
    } catch (err) {
      startError = err instanceof Error ? err : new Error(String(err));
    }
  });

  after(async () => {
    svc?.dispose();
    await lab?.stop();
    if (labDir) fs.rmSync(labDir, { recursive: true, force: true });
    if (savedMode === undefined) delete process.env.LAB_KUBE;
    else process.env.LAB_KUBE = savedMode;
  });

  const test = (name: string, fn: () => Promise<void>): void => {
    nodeTest(name, async () => {
      if (startError) throw startError;
      await fn();
    });
  };

  test('its kubeconfig has the test API server as "lab" (current) and the real one as "lab-real"', async () => {
    const kubeconfig = String(lab!.settings['haproxyGateway.kubernetes.kubeconfig']);
    const parsed = yaml.parse(fs.readFileSync(kubeconfig, 'utf8'));
    assert.equal(parsed['current-context'], 'lab');
    svc = new KubernetesService({ kubeconfigSetting: () => kubeconfig, ...FAST });
    assert.deepEqual(svc.contexts().map((c) => c.name), ['lab', 'lab-real']);
    assert.match(lab!.describe.join('\n'), /context "lab-real": a real kube-apiserver https:\/\/127\.0\.0\.1:\d+/);
  });

  test('"lab-real" holds the walkthrough: an Accepted class, the httpd Service and its EndpointSlice', async () => {
    svc!.selectContext('lab-real');
    const version = await (await svc!.session()).client.request('GET', '/version', { verb: 'get', resource: 'version' }) as { gitVersion: string };
    assert.equal(version.gitVersion, 'v1.34.4', 'a real kube-apiserver answers');
    const tree = ok(await svc!.gatewayTree());
    assert.deepEqual(tree.model.classes.map((c) => [c.name, c.accepted?.status]), [['haproxy-lb', 'True']]);
    const ctx = await loadService(svc!, { namespace: 'default', name: 'httpd' });
    assert.deepEqual(ctx.slices.flatMap((s) => (s.endpoints ?? []).flatMap((e) => e.addresses)), ['10.244.1.5', '10.244.2.7']);
  });

  test('the lab\'s controller programs a Gateway that the VIP command creates there', async () => {
    const ctx = await loadService(svc!, { namespace: 'default', name: 'httpd' });
    const out = await createViaGateway(svc!, ctx, { vip: '127.0.200.50', gatewayClassName: 'haproxy-lb', intervalMs: 100, timeoutMs: 60_000 });
    assert.equal(out.routeVersion, 'v1');
    assert.deepEqual(out.readiness, { state: 'programmed', addresses: ['127.0.200.50'] });
  });
});
