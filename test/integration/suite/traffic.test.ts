// The traffic map in the real extension host: a real HAProxy behind the Data Plane API emulator and
// the test API server seeded with the 2020 walkthrough (Service httpd → Endpoints 127.0.0.3:8080).
// "Show Traffic Map" runs with arguments; the test reads the panel and the model the host sent its
// webview (api.testing), before and after Create VIP, and the webview's own render report.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KubernetesApi } from '../../../src/kubernetes/api';
import type { MapPanelState, MapSubject, TrafficTesting } from '../../../src/traffic/api';
import { startLab, type Lab } from '../../fixtures/lab';
import { activatedApi, useLab, waitFor } from '../support';

describe('Traffic map', function () {
  this.timeout(120_000);
  let lab: Lab;
  let used: Awaited<ReturnType<typeof useLab>> | undefined;
  let id: string;
  let api: { kubernetes: KubernetesApi; testing: TrafficTesting };
  const VIP = '127.0.200.2';
  const FOCUS = 'svc:default/httpd';

  const show = (arg: unknown) =>
    vscode.commands.executeCommand<MapSubject | undefined>('haproxyGateway.traffic.showMap', arg);
  const state = async (): Promise<MapPanelState> => {
    const s = await api.testing.refreshTrafficMap(FOCUS);
    assert.ok(s, 'the panel of the Service is open');
    return s;
  };
  const node = (s: MapPanelState, id: string) => s.model?.nodes.find((n) => n.id === id);

  before(async () => {
    api = (await activatedApi()) as unknown as typeof api;
    lab = await startLab({ context: 'it-traffic', tmpPrefix: 'traffic-it-' });
    used = await useLab(lab, 'it-traffic', 'map lb');
    id = used.connectionId;
  });

  after(async () => {
    await used?.dispose();
    await lab?.stop();
  });

  it('opens one panel per Service: before the VIP, the endpoint has no HAProxy path', async () => {
    const subject = await show({ service: { namespace: 'default', name: 'httpd' } });
    assert.deepEqual(subject, { focus: FOCUS, title: 'Service default/httpd', namespace: 'default' });
    const s = await state();
    assert.ok(node(s, FOCUS), `the Service node (error: ${s.error}, failures: ${JSON.stringify(s.model?.failures)})`);
    assert.ok(node(s, 'ep:default/httpd/127.0.0.3'), 'its endpoint');
    assert.equal(
      s.model?.nodes.some((n) => n.kind === 'server'),
      false,
      'no HAProxy server carries it yet',
    );
    // Opening it again reveals the same panel.
    await show({ service: { namespace: 'default', name: 'httpd' } });
    assert.equal(api.testing.trafficMaps().filter((m) => m.subject.focus === FOCUS).length, 1);
    // The webview checked and drew the model, and said so.
    await waitFor('the webview render report', async () => (await state()).rendered !== undefined);
    const rendered = (await state()).rendered!;
    assert.ok(rendered.nodes >= 2, `rendered ${rendered.nodes} nodes`);
  });

  it(
    'after Create VIP: Service → bind → frontend → backend → server → endpoint, ' + 'live, one request per refresh',
    async () => {
      const result = await vscode.commands.executeCommand<{ servers: { status: string; message?: string }[] }>(
        'haproxyGateway.vip.create',
        {
          service: { namespace: 'default', name: 'httpd' },
          mode: 'direct',
          connections: [id],
          vip: VIP,
          confirm: true,
        },
      );
      assert.equal(result?.servers[0]?.status, 'applied', result?.servers[0]?.message);
      const s = await waitFor('the server of the VIP in the map', async () => {
        const st = await state();
        return st.model?.nodes.some((n) => n.kind === 'server' && n.live) ? st : undefined;
      });
      const kinds = new Set(s.model!.nodes.map((n) => n.kind));
      for (const k of ['service', 'endpoint', 'bind', 'frontend', 'backend', 'server'] as const)
        assert.ok(kinds.has(k), `a ${k} node`);
      const server = s.model!.nodes.find((n) => n.kind === 'server')!;
      assert.ok(server.live?.state, 'the server shows its live state');
      assert.equal(server.action, 'config', 'a server opens the live haproxy.cfg');
      const ep = 'ep:default/httpd/127.0.0.3';
      assert.ok(
        s.model!.edges.some((e) => e.from === server.id && e.to === ep),
        'server → endpoint',
      );
      assert.equal(s.model!.mismatches.length, 0, JSON.stringify(s.model!.mismatches));
      // Steady state: the configuration version did not change, so only stats were asked for.
      const again = await state();
      assert.equal(again.lastRequests, 1, 'one request for one Data Plane API server');
      assert.ok(Object.keys(again.model!.history).includes(server.id), 'the server has a history');

      // Enter on the server opens the live haproxy.cfg at its line; Reveal selects the Service in its tree.
      assert.equal(await api.testing.activateTrafficNode(FOCUS, server.id), true);
      const editor = vscode.window.activeTextEditor;
      assert.equal(editor?.document.uri.scheme, 'haproxy-dataplane');
      assert.match(editor!.document.lineAt(editor!.selection.active.line).text, /^\s*server\s/);
      assert.equal(await api.testing.activateTrafficNode(FOCUS, FOCUS, 'reveal'), true);
      const selected = api.kubernetes.view.selection[0];
      assert.deepEqual(api.kubernetes.resourceOf(selected)?.ref, {
        kind: 'Service',
        namespace: 'default',
        name: 'httpd',
      });
    },
  );

  it(
    'opens the map of a backend (what its row in the Data Plane tree does): ' + 'the same path, centred on the backend',
    async () => {
      const backend = (await state()).model!.nodes.find((n) => n.kind === 'backend')!;
      const subject = await show({ backend: { connectionId: id, name: backend.label } });
      assert.equal(subject?.focus, backend.id);
      const s = await api.testing.refreshTrafficMap(backend.id);
      assert.ok(
        s?.model?.nodes.some((n) => n.id === FOCUS),
        'the Service reached through the bind',
      );
      assert.equal(api.testing.trafficMaps().length, 2, 'one panel per subject');
    },
  );

  it('an endpoint added to the Service without a server is drawn as a mismatch', async () => {
    const eps = lab.cluster.get('v1', 'Endpoints', 'httpd', 'default')!;
    const subsets = (eps as unknown as { subsets: { addresses: { ip: string }[] }[] }).subsets;
    subsets[0]!.addresses.push({ ip: '127.0.0.4' });
    lab.cluster.patch('v1', 'Endpoints', 'httpd', 'default', { subsets } as never);
    const s = await waitFor('the mismatch', async () => {
      const st = await state();
      return st.model?.mismatches.some((m) => m.kind === 'endpoint-without-server') ? st : undefined;
    });
    const m = s.model!.mismatches.find((x) => x.kind === 'endpoint-without-server')!;
    assert.deepEqual(m.nodeIds, ['ep:default/httpd/127.0.0.4']);
  });
});
