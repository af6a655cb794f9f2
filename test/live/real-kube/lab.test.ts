// The lab's Kubernetes (`npm run demo`, test/lab/30-kubernetes.lab.ts) uses the real kube-apiserver
// when it is built: a second context "lab-real" beside the test API server's "lab", seeded with the
// walkthrough's objects, and the lab's stand-in controller programs Gateways of haproxy-lb there.
import { after, before, describe, test as nodeTest } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import * as yaml from 'yaml';
import { KubernetesService, type GatewayTreeResult } from '../../../src/kubernetes/core/service';
import { createViaGateway, loadService } from '../../../src/vip/core/workflow';
import { LAB_VIP, start } from '../../lab/30-kubernetes.lab';
import { startLabFront } from '../../lab/front';
import { freePort, startCodeServer, vscodeHostDir } from '../../harness/codeServer';
import { chromiumPath, workbenchUrl } from '../../harness/workbench';
import type { LabService } from '../../lab/types';
import { enclosingGitTree, labDirectory, prepareWorkspace, sampleWorkspace } from '../../lab/workspace';
import { repoRoot } from '../../support/paths';
import { LanguageService } from '../../../src/language/core/service';
import { requestedAddresses } from '../../../src/traffic/core/services';
import { SKIP_ENV, missingBinariesMessage, skipRealKube, waitForTestbin } from '../../fixtures/real-kube/controlPlane';
import { FAST, tempDir } from '../../support/kube';

function ok(result: GatewayTreeResult): Extract<GatewayTreeResult, { state: 'ok' }> {
  assert.equal(result.state, 'ok', JSON.stringify(result));
  return result as Extract<GatewayTreeResult, { state: 'ok' }>;
}

describe(
  'the lab with a real kube-apiserver',
  { skip: skipRealKube() ? `${SKIP_ENV}=1` : false, timeout: 180_000 },
  () => {
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
      assert.deepEqual(
        svc.contexts().map((c) => c.name),
        ['lab', 'lab-real'],
      );
      assert.match(lab!.describe.join('\n'), /context "lab-real": a real kube-apiserver https:\/\/127\.0\.0\.1:\d+/);
    });

    test('"lab-real" holds the walkthrough: an Accepted class, the httpd Service and its EndpointSlice', async () => {
      svc!.selectContext('lab-real');
      const version = (await (
        await svc!.session()
      ).client.request('GET', '/version', { verb: 'get', resource: 'version' })) as { gitVersion: string };
      assert.equal(version.gitVersion, 'v1.34.4', 'a real kube-apiserver answers');
      const tree = ok(await svc!.gatewayTree());
      assert.deepEqual(
        tree.model.classes.map((c) => [c.name, c.accepted?.status]),
        [['haproxy-lb', 'True']],
      );
      const ctx = await loadService(svc!, { namespace: 'default', name: 'httpd' });
      assert.equal(ctx.service.metadata.annotations?.['lbapi.run.tanzu.vmware.com/ip-address'], LAB_VIP);
      assert.deepEqual(
        ctx.slices.flatMap((s) => (s.endpoints ?? []).flatMap((e) => e.addresses)),
        ['10.244.1.5', '10.244.2.7'],
      );
    });

    test("the lab's controller programs a Gateway that the VIP command creates there", async () => {
      const ctx = await loadService(svc!, { namespace: 'default', name: 'httpd' });
      const out = await createViaGateway(svc!, ctx, {
        vip: '127.0.200.50',
        gatewayClassName: 'haproxy-lb',
        intervalMs: 100,
        timeoutMs: 60_000,
      });
      assert.equal(out.routeVersion, 'v1');
      assert.deepEqual(out.readiness, { state: 'programmed', addresses: ['127.0.200.50'] });
    });
  },
);

// The first ten minutes of `npm run demo`: what a new user meets before anything else.
describe("the lab's first ten minutes", { timeout: 120_000 }, () => {
  nodeTest('the Service httpd of the "lab" context asks for 127.0.200.2, as the 2020 walkthrough does', async () => {
    const saved = process.env.LAB_KUBE;
    process.env.LAB_KUBE = 'test';
    const dir = tempDir('lab-first-');
    const lab = await start({ labDir: dir });
    const kube = new KubernetesService({
      kubeconfigSetting: () => String(lab.settings['haproxyGateway.kubernetes.kubeconfig']),
      ...FAST,
    });
    try {
      const ctx = await loadService(kube, { namespace: 'default', name: 'httpd' });
      assert.deepEqual(requestedAddresses({ metadata: { ...ctx.service.metadata } }).requested, [
        { address: '127.0.200.2', source: 'annotation' },
      ]);
      assert.match(lab.describe.join('\n'), /Service httpd/);
    } finally {
      kube.dispose();
      await lab.stop();
      fs.rmSync(dir, { recursive: true, force: true });
      if (saved === undefined) delete process.env.LAB_KUBE;
      else process.env.LAB_KUBE = saved;
    }
  });

  nodeTest("the lab's folder is outside the repository and outside any Git work tree", () => {
    const dir = labDirectory({});
    assert.ok(path.relative(repoRoot, dir).startsWith('..'), `${dir} is inside ${repoRoot}`);
    assert.equal(enclosingGitTree(dir), undefined);
    assert.equal(labDirectory({ LAB_DIR: '/tmp/x-lab' }), '/tmp/x-lab');
    const scratch = tempDir('lab-ws-');
    try {
      const ws = prepareWorkspace(scratch);
      assert.ok(fs.existsSync(path.join(ws, 'haproxy.cfg')));
      assert.equal(enclosingGitTree(ws), undefined);
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });

  nodeTest('the sample haproxy.cfg opens without a problem in the editor', () => {
    const text = fs.readFileSync(path.join(sampleWorkspace, 'haproxy.cfg'), 'utf8');
    const language = new LanguageService();
    const problems = language.diagnostics(language.model('lab.cfg', 1, () => text));
    assert.deepEqual(
      problems.map((d) => `${d.line + 1}: ${d.severity} ${d.message}`),
      [],
    );
  });

  const haproxy = spawnSync('haproxy', ['-v'], { encoding: 'utf8' });
  nodeTest(
    'the sample haproxy.cfg passes haproxy -c',
    { skip: haproxy.status === 0 ? false : 'haproxy is not installed' },
    () => {
      const r = spawnSync('haproxy', ['-c', '-f', path.join(sampleWorkspace, 'haproxy.cfg')], { encoding: 'utf8' });
      assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
    },
  );

  const devPath = (publicUrl: string) => `vscode-remote://${new URL(publicUrl).host}/repo`;
  nodeTest(
    'the plain lab URL redirects to the workbench URL that loads the extension; the rest goes through',
    async () => {
      // A stand-in for code-server: answers HTTP and echoes over an upgraded connection.
      const upstream = http.createServer((req, res) => res.end(`upstream ${req.url} host=${req.headers.host}`));
      upstream.on('upgrade', (_req, socket: net.Socket) => {
        socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
        socket.on('data', (d) => socket.write(d));
        socket.on('end', () => socket.destroy());
      });
      await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
      const target = `http://127.0.0.1:${(upstream.address() as net.AddressInfo).port}`;
      const front = await startLabFront({
        target,
        port: 0,
        landing: (u) =>
          `/?folder=%2Fws&payload=${encodeURIComponent(JSON.stringify([['extensionDevelopmentPath', devPath(u)]]))}`,
      });
      try {
        const plain = await fetch(`${front.url}/`, { redirect: 'manual' });
        assert.equal(plain.status, 302);
        const location = plain.headers.get('location')!;
        const payload = JSON.parse(new URL(location, front.url).searchParams.get('payload')!);
        assert.deepEqual(payload, [['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${front.port}/repo`]]);
        const through = await fetch(`${front.url}${location}`);
        assert.equal(await through.text(), `upstream ${location} host=127.0.0.1:${front.port}`);
        const echoed = await new Promise<string>((resolve, reject) => {
          const socket = net.connect(front.port, '127.0.0.1', () =>
            socket.write(`GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n`),
          );
          let got = '';
          socket.on('data', (d) => {
            got += d.toString();
            if (got.includes('\r\n\r\n') && !got.includes('ping')) socket.write('ping');
            if (got.endsWith('ping')) resolve((socket.end(), got));
          });
          socket.on('error', reject);
        });
        assert.match(echoed, /^HTTP\/1\.1 101/);
      } finally {
        await front.stop();
        // The front's idle keep-alive connections would hold close() forever.
        upstream.closeAllConnections();
        await new Promise((r) => upstream.close(r));
      }
    },
  );

  // The real thing: code-server behind the front, the plain URL opened in Chromium.
  const codeServerEntry = path.join(vscodeHostDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  const workbenchMissing = !fs.existsSync(codeServerEntry)
    ? 'code-server is not installed'
    : !fs.existsSync(chromiumPath)
      ? 'Chromium is not installed'
      : false;
  nodeTest(
    'in the real workbench, the plain lab URL opens VS Code with the extension',
    { skip: workbenchMissing, timeout: 180_000 },
    async () => {
      const { chromium } = await import('playwright-core');
      const dir = tempDir('lab-url-');
      const workspace = prepareWorkspace(dir);
      const server = await startCodeServer({ workspace, port: await freePort() });
      const front = await startLabFront({
        target: server.url,
        port: await freePort(),
        landing: (u) => workbenchUrl({ serverUrl: u, folder: workspace }),
      });
      const browser = await chromium.launch({
        executablePath: chromiumPath,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
      });
      try {
        const page = await browser.newPage();
        await page.goto(`${front.url}/`);
        await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
        // The extension's activity bar container is there (code-server's own plain URL has none).
        await page.waitForSelector('.activitybar a[aria-label^="HAProxy & Gateway API"]', { timeout: 90_000 });
      } finally {
        await browser.close();
        await front.stop();
        await server.stop();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
