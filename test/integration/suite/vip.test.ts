// End to end in the real extension host: a real HAProxy behind the Data Plane API emulator (v3; the
// real dataplaneapi cannot be built on these machines), the test API server seeded with the 2020
// walkthrough (selectorless Service httpd, 80 → Endpoints 127.0.0.3:8080), and a small HTTP server
// on 127.0.0.3:8080 answering "hello". "Create VIP for Service…" runs through the command API; a
// real HTTP client then gets "hello" from http://127.0.200.2/ through HAProxy. Gateway mode runs
// against the same test API server, whose test controller marks Gateways Programmed (the test
// controller stands in for a real Gateway controller).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KubernetesApi } from '../../../src/kubernetes/api';
import type { VipResult } from '../../../src/vip/ui';
import type { DataPlaneFixture } from '../../fixtures/dataplane';
import { DEFAULT_USERS, type KubeApiServer } from '../../fixtures/kube-api-server';
import { startLab, type Lab } from '../../fixtures/lab';
import { activatedApi, recordMetric, useLab, waitFor } from '../support';
import { fetchText, helloServer, type HelloServer } from '../../support/traffic';

interface Described {
  label: string;
  description?: string;
  contextValue?: string;
  children?: Described[];
}

describe('VIP for a Service', function () {
  this.timeout(120_000);
  let cluster: KubeApiServer;
  let fx: DataPlaneFixture;
  let hello: HelloServer | undefined;
  let lab: Lab | undefined;
  let used: Awaited<ReturnType<typeof useLab>> | undefined;
  let id: string;
  let api: { kubernetes: KubernetesApi };
  const VIP = '127.0.200.2';

  const service = () => cluster.get('v1', 'Service', 'httpd', 'default')!;
  const annotations = () => (service().metadata as { annotations?: Record<string, string> }).annotations ?? {};
  const ingress = () =>
    (service().status as { loadBalancer?: { ingress?: { ip?: string }[] } } | undefined)?.loadBalancer?.ingress ?? [];
  const reloads = async () => (await fx.haproxy.reloadCounters()).reloads;

  before(async () => {
    await activatedApi();
    const wired = (await vscode.commands.getCommands(true)).includes('haproxyGateway.vip.create');
    assert.ok(
      wired,
      'haproxyGateway.vip.create is not registered: ' +
        'src/extension.ts must call registerVip({ context, log, commands, dataplane, kubernetes })',
    );
    hello = await helloServer('hello', '127.0.0.3', 8080);
    // Besides the admin, a user who may change Services but not their status subresource.
    const everything = [
      'services',
      'endpoints',
      'endpointslices',
      'namespaces',
      'events',
      'secrets',
      'gatewayclasses',
      'gateways',
      'httproutes',
      'grpcroutes',
      'tlsroutes',
      'tcproutes',
      'udproutes',
    ];
    lab = await startLab({
      context: 'it-vip',
      moreContexts: [{ name: 'it-vip-nostatus', token: 'nostatus-token' }],
      cluster: {
        users: [
          ...DEFAULT_USERS,
          {
            name: 'nostatus',
            token: 'nostatus-token',
            rules: [{ verbs: ['*'], apiGroups: ['*'], resources: everything }],
          },
        ],
      },
      tmpPrefix: 'vip-it-',
    });
    ({ cluster, fx } = lab);
    cluster.create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'httpd2', namespace: 'default' },
      spec: { type: 'LoadBalancer', ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] },
    });
    cluster.create({
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'httpd2', namespace: 'default' },
      subsets: [{ addresses: [{ ip: '127.0.0.3' }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }],
    });
    api = (await activatedApi()) as unknown as { kubernetes: KubernetesApi };
    used = await useLab(lab, 'it-vip', 'vip lb');
    id = used.connectionId;
  });

  after(async () => {
    await used?.dispose();
    await lab?.stop();
    await hello?.close();
  });

  it(
    'creates the VIP in one reload: HAProxy serves "hello" on 127.0.200.2, ' +
      'the Service shows it, the status bar follows',
    async () => {
      const before = await reloads();
      const started = performance.now();
      const result = await vscode.commands.executeCommand<VipResult>('haproxyGateway.vip.create', {
        service: { namespace: 'default', name: 'httpd' },
        mode: 'direct',
        connections: [id],
        vip: VIP,
        confirm: true,
      });
      assert.ok(result, 'the command returns its result');
      assert.equal(result.cancelled, undefined);
      const [server] = result.servers;
      assert.equal(server?.status, 'applied', server?.message);
      assert.deepEqual(server?.changes, ['addBackend', 'addServer', 'addFrontend', 'addBind']);
      assert.equal(server?.reload, 'succeeded');
      // The write's own requests: read, list, open, four changes, commit (the reload's polls depend on
      // how fast the machine is, so they are not counted here; the bench measures them).
      assert.ok(server!.writeRequests! <= 10, `${server!.writeRequests} requests to write this VIP`);
      assert.equal(await reloads(), before + 1, 'exactly one reload');
      assert.equal(await fetchText(`http://${VIP}/`), 'hello', 'a real HTTP client gets hello through HAProxy');
      recordMetric('vip.e2e.commandMs', performance.now() - started);
      recordMetric('vip.e2e.requestsPerServer', server!.requests);

      // The status bar went from reloading to succeeded while the command ran.
      const reloading = result.statusBar.indexOf('reloading');
      assert.ok(
        reloading >= 0 && result.statusBar.indexOf('succeeded', reloading) > reloading,
        `status bar states: ${result.statusBar.join(' → ')}`,
      );
      const bar = (await activatedApi()).testing.reloadState();
      assert.equal(bar?.state.kind, 'succeeded');
      assert.equal(bar?.state.reloadId, server?.reloadId);

      // Recorded on the Service: status (type LoadBalancer, no other controller) and annotations.
      assert.deepEqual(result.record, { annotations: 'written', status: 'written' });
      assert.deepEqual(ingress(), [{ ip: VIP }]);
      assert.equal(annotations()['haproxy-gateway.io/vip'], VIP);
      assert.equal(annotations()['haproxy-gateway.io/connections'], id);
      assert.equal(annotations()['haproxy-gateway.io/frontends'], 'vip_default_httpd_http');
    },
  );

  it('lists the VIP under its Data Plane API server', async () => {
    const row = await waitFor(
      'the VIPs row',
      async () => {
        await vscode.commands.executeCommand('haproxyGateway.dataplane.refresh');
        const tree: Described[] = await (await activatedApi()).testing.describeTree(4);
        const vips = tree.find((r) => r.label === 'vip lb')?.children?.find((r) => r.label === 'VIPs');
        return vips?.children?.find((r) => r.label === `${VIP}:80`);
      },
      15_000,
    );
    assert.equal(row.description, 'default/httpd · port http · 1 server');
    assert.match(row.contextValue ?? '', /^haproxyGateway:vip\b.*\bidentity\b/);
  });

  it('running it again changes nothing and reloads nothing', async () => {
    const before = await reloads();
    const result = await vscode.commands.executeCommand<VipResult>('haproxyGateway.vip.create', {
      service: { namespace: 'default', name: 'httpd' },
      connections: [id],
      vip: VIP,
      confirm: true,
    });
    assert.equal(result?.servers[0]?.status, 'unchanged', result?.servers[0]?.message);
    assert.equal(await reloads(), before);
  });

  it('resync with unchanged endpoints does nothing; with a new endpoint it adds only that server', async () => {
    const same = await vscode.commands.executeCommand<VipResult>('haproxyGateway.vip.resync', {
      service: { namespace: 'default', name: 'httpd' },
    });
    assert.equal(same?.servers[0]?.status, 'unchanged');
    cluster.patch('v1', 'Endpoints', 'httpd', 'default', {
      subsets: [
        {
          addresses: [{ ip: '127.0.0.3' }, { ip: '127.0.0.4' }],
          ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
        },
      ],
    });
    const before = await reloads();
    const grown = await vscode.commands.executeCommand<VipResult>('haproxyGateway.vip.resync', {
      service: { namespace: 'default', name: 'httpd' },
    });
    assert.equal(grown?.servers[0]?.status, 'applied', grown?.servers[0]?.message);
    assert.deepEqual(grown?.servers[0]?.changes, ['addServer']);
    assert.equal(await reloads(), before + 1);
    cluster.patch('v1', 'Endpoints', 'httpd', 'default', {
      subsets: [{ addresses: [{ ip: '127.0.0.3' }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }],
    });
    const shrunk = await vscode.commands.executeCommand<VipResult>('haproxyGateway.vip.resync', {
      service: { namespace: 'default', name: 'httpd' },
    });
    assert.deepEqual(shrunk?.servers[0]?.changes, ['deleteServer']);
    assert.equal(await fetchText(`http://${VIP}/`), 'hello');
  });

  it(
    'a status patch the cluster refuses is reported precisely; ' + 'HAProxy keeps serving; running again records it',
    async () => {
      api.kubernetes.service.selectContext('it-vip-nostatus');
      try {
        const refused = await vscode.commands.executeCommand<VipResult>('haproxyGateway.vip.create', {
          service: { namespace: 'default', name: 'httpd2' },
          connections: [id],
          vip: '127.0.200.3',
          confirm: true,
        });
        assert.equal(refused?.servers[0]?.status, 'applied', refused?.servers[0]?.message);
        assert.equal(refused?.record?.annotations, 'written');
        assert.equal(refused?.record?.status, 'failed');
        assert.match(
          refused?.record?.detail ?? '',
          /status\.loadBalancer\.ingress could not be written: .*User "nostatus" cannot patch resource "services" with subresource "status"/,
        );
        assert.equal(await fetchText('http://127.0.200.3/'), 'hello', "HAProxy's state is kept");
      } finally {
        api.kubernetes.service.selectContext('it-vip');
      }
      const before = await reloads();
      const again = await vscode.commands.executeCommand<VipResult>('haproxyGateway.vip.create', {
        service: { namespace: 'default', name: 'httpd2' },
        connections: [id],
        vip: '127.0.200.3',
        confirm: true,
      });
      assert.equal(again?.servers[0]?.status, 'unchanged');
      assert.deepEqual(again?.record, { annotations: 'written', status: 'written' });
      assert.equal(await reloads(), before);
      const status = cluster.get('v1', 'Service', 'httpd2', 'default')!.status as {
        loadBalancer: { ingress: { ip: string }[] };
      };
      assert.deepEqual(status.loadBalancer.ingress, [{ ip: '127.0.200.3' }]);
      const removed = await vscode.commands.executeCommand<VipResult>('haproxyGateway.vip.delete', {
        service: { namespace: 'default', name: 'httpd2' },
        confirm: true,
      });
      assert.equal(removed?.servers[0]?.status, 'applied', removed?.servers[0]?.message);
    },
  );

  it(
    '"Delete VIP" removes it in one reload: ' + '127.0.200.2:80 then refuses connections, and the record is gone',
    async () => {
      const before = await reloads();
      const result = await vscode.commands.executeCommand<VipResult>('haproxyGateway.vip.delete', {
        service: { namespace: 'default', name: 'httpd' },
        confirm: true,
      });
      assert.equal(result?.servers[0]?.status, 'applied', result?.servers[0]?.message);
      assert.deepEqual(result?.servers[0]?.changes, ['deleteFrontend', 'deleteBackend']);
      assert.equal(await reloads(), before + 1);
      assert.equal(await fetchText(`http://${VIP}/`), 'error ECONNREFUSED');
      assert.deepEqual(ingress(), []);
      assert.equal(annotations()['haproxy-gateway.io/vip'], undefined);
    },
  );

  it(
    'Gateway mode: creates the Gateway and TCPRoute; ' +
      "the test API server's test controller marks it Programmed with the address",
    async () => {
      const result = await vscode.commands.executeCommand<VipResult>('haproxyGateway.vip.create', {
        service: { namespace: 'default', name: 'httpd' },
        mode: 'gateway',
        gatewayClassName: 'haproxy-lb',
        vip: '127.0.200.12',
        confirm: true,
      });
      assert.equal(result?.mode, 'gateway');
      assert.deepEqual(result?.gateway, {
        name: 'vip-httpd',
        namespace: 'default',
        state: 'programmed',
        addresses: ['127.0.200.12'],
        routeVersion: 'v1',
      });
      assert.ok(
        cluster.get('gateway.networking.k8s.io/v1', 'TCPRoute', 'httpd-http', 'default'),
        'the TCPRoute exists',
      );
      assert.equal(annotations()['haproxy-gateway.io/gateway'], 'vip-httpd', 'the Service records its Gateway');
    },
  );

  it(
    'Gateway mode: "Delete VIP" deletes the TCPRoute and the Gateway it created, ' + 'and the record on the Service',
    async () => {
      const result = await vscode.commands.executeCommand<VipResult>(
        'haproxyGateway.vip.delete',
        { service: { namespace: 'default', name: 'httpd' } },
        { confirm: true },
      );
      assert.equal(result?.mode, 'gateway');
      assert.deepEqual(result?.deleted, ['TCPRoute httpd-http', 'Gateway vip-httpd']);
      assert.equal(cluster.get('gateway.networking.k8s.io/v1', 'TCPRoute', 'httpd-http', 'default'), undefined);
      assert.equal(cluster.get('gateway.networking.k8s.io/v1', 'Gateway', 'vip-httpd', 'default'), undefined);
      assert.equal(annotations()['haproxy-gateway.io/gateway'], undefined);
    },
  );

  it('Gateway mode: a Gateway deleted by hand leaves only the record, which "Delete VIP" clears', async () => {
    await vscode.commands.executeCommand<VipResult>('haproxyGateway.vip.create', {
      service: { namespace: 'default', name: 'httpd' },
      mode: 'gateway',
      gatewayClassName: 'haproxy-lb',
      vip: '127.0.200.13',
      confirm: true,
    });
    cluster.delete('gateway.networking.k8s.io/v1', 'TCPRoute', 'httpd-http', 'default');
    cluster.delete('gateway.networking.k8s.io/v1', 'Gateway', 'vip-httpd', 'default');
    assert.equal(annotations()['haproxy-gateway.io/gateway'], 'vip-httpd');
    const result = await vscode.commands.executeCommand<VipResult>(
      'haproxyGateway.vip.delete',
      { service: { namespace: 'default', name: 'httpd' } },
      { confirm: true },
    );
    assert.deepEqual(result?.deleted, []);
    assert.equal(annotations()['haproxy-gateway.io/gateway'], undefined);
  });
});
