// The Kubernetes browser inside the real extension host, against the test API server (HTTPS on
// loopback): Gateways with their conditions, a Service that appears through the watch, switching
// context, and a cluster without the Gateway API CRDs.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TreeNode } from '../../../src/shell/tree';
import type { KubernetesApi } from '../../../src/kubernetes/api';
import {
  DEMO_CONTROLLER_NAME,
  seedDemo,
  startKubeApiServer,
  writeKubeconfig,
  type KubeApiServer,
} from '../../fixtures/kube-api-server';
import { activatedApi, waitFor } from '../support';

function labelOf(node: TreeNode): string {
  const label = node.getTreeItem().label;
  return typeof label === 'string' ? label : (label?.label ?? '');
}

describe('Kubernetes browser', function () {
  this.timeout(60_000);
  let demo: KubeApiServer;
  let bare: KubeApiServer;
  let api: KubernetesApi;
  let dir: string;

  async function children(node?: TreeNode): Promise<TreeNode[]> {
    return api.tree.getChildren(node);
  }

  /** Walks the tree by labels; undefined when a level is missing. */
  async function at(...labels: string[]): Promise<TreeNode | undefined> {
    let node: TreeNode | undefined;
    for (const label of labels) {
      node = (await children(node)).find((n) => labelOf(n) === label);
      if (!node) return undefined;
    }
    return node;
  }

  before(async () => {
    demo = await startKubeApiServer({ controller: { controllerName: DEMO_CONTROLLER_NAME, delayMs: 50 } });
    seedDemo(demo);
    bare = await startKubeApiServer({ gatewayApi: false });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-it-'));
    const kubeconfig = writeKubeconfig(
      path.join(dir, 'config'),
      [
        { name: 'it-demo', server: demo.url, caFile: demo.caFile, user: 'it-demo', token: 'admin-token' },
        { name: 'it-bare', server: bare.url, caFile: bare.caFile, user: 'it-bare', token: 'admin-token' },
      ],
      'it-demo',
    );
    const extensionApi = (await activatedApi()) as unknown as { kubernetes?: KubernetesApi };
    assert.ok(extensionApi.kubernetes, 'the extension API exposes the Kubernetes browser (registerKubernetes result)');
    api = extensionApi.kubernetes;
    await vscode.workspace
      .getConfiguration('haproxyGateway.kubernetes')
      .update('kubeconfig', kubeconfig, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('haproxyGateway.kubernetes.focus');
    await waitFor('the Kubernetes view visible', () => api.view.visible, 10_000);
    api.service.selectContext('it-demo');
    api.refresh();
  });

  after(async () => {
    await vscode.workspace
      .getConfiguration('haproxyGateway.kubernetes')
      .update('kubeconfig', undefined, vscode.ConfigurationTarget.Global);
    await demo?.stop();
    await bare?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('shows Gateways with their conditions, addresses and listeners', async () => {
    demo.create({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'edge', namespace: 'default' },
      spec: {
        gatewayClassName: 'haproxy-lb',
        addresses: [{ type: 'IPAddress', value: '127.0.200.2' }],
        listeners: [{ name: 'tcp-80', protocol: 'TCP', port: 80 }],
      },
    });
    demo.create({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'TCPRoute',
      metadata: { name: 'httpd', namespace: 'default' },
      spec: { parentRefs: [{ name: 'edge' }], rules: [{ backendRefs: [{ name: 'httpd', port: 80 }] }] },
    });
    const gateway = await waitFor(
      'Gateway edge programmed in the tree',
      async () => {
        const node = await at('it-demo', 'haproxy-lb', 'default', 'edge');
        const item = node?.getTreeItem();
        return item && String(item.description).includes('Programmed=True') ? node : undefined;
      },
      20_000,
    );
    const item = gateway.getTreeItem();
    assert.match(String(item.description), /127\.0\.200\.2/);
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'pass-filled');
    assert.match(String(item.contextValue), /^haproxyGateway:k8s\.gateway\b.*\bprogrammed=True\b.*\bresource\b/);
    assert.match((item.tooltip as vscode.MarkdownString).value, /\| Programmed \| True \| Programmed \|/);
    const listeners = await children(gateway);
    assert.deepEqual(
      listeners.map((l) => [labelOf(l), String(l.getTreeItem().description)]),
      [['tcp-80', 'TCP:80 · 1 route']],
    );
    const routes = await children(listeners[0]);
    assert.deepEqual(routes.map(labelOf), ['httpd']);
    const backends = await children(routes[0]);
    assert.match(String(backends[0].getTreeItem().description), /^Service · 1\/1 ready/);
  });

  it('shows a Service created in the cluster without a manual refresh', async () => {
    assert.ok(await at('it-demo', 'Services', 'default', 'httpd'), 'the demo Service is listed');
    let redraws = 0;
    const sub = api.tree.onDidChangeTreeData(() => redraws++);
    try {
      demo.create({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'arrived', namespace: 'default' },
        spec: { ports: [{ port: 8443, targetPort: 443 }] },
      });
      await waitFor('the tree redrawn by the watch', () => redraws > 0);
      const node = await waitFor('Service arrived in the tree', () => at('it-demo', 'Services', 'default', 'arrived'));
      assert.match(String(node.getTreeItem().description), /^ClusterIP · 8443→443\/TCP · 0\/0 ready$/);
    } finally {
      sub.dispose();
    }
  });

  it('lets another capability decorate Service rows (flags in contextValue, description, tooltip)', async () => {
    let redraws = 0;
    const sub = api.tree.onDidChangeTreeData(() => redraws++);
    const decoration = api.decorateServices((svc) =>
      svc.metadata.name === 'httpd'
        ? { contextFlags: { marked: true }, description: 'marked', tooltip: 'Marked **here**' }
        : undefined,
    );
    try {
      assert.ok(redraws > 0, 'registering a decorator redraws the tree');
      const node = await waitFor('the decorated Service', () => at('it-demo', 'Services', 'default', 'httpd'));
      const item = node.getTreeItem();
      assert.match(String(item.contextValue), /^haproxyGateway:k8s\.service\b.*\bmarked\b.*\bresource\b/);
      assert.match(String(item.description), / · marked$/);
      assert.match((item.tooltip as vscode.MarkdownString).value, /Marked \*\*here\*\*$/);
    } finally {
      decoration.dispose();
      sub.dispose();
    }
    const plain = (await at('it-demo', 'Services', 'default', 'httpd'))!.getTreeItem();
    assert.doesNotMatch(String(plain.contextValue), /\bmarked\b/, 'disposing the decorator removes its flags');
  });

  it('imports Data Plane API connections from the Secret a GatewayClass names as its parameters', async () => {
    const value =
      'servers:\n  - https://127.0.0.1:5556/v3\n  - https://127.0.0.2:5556/v3\nserverName: lb.lab.internal\n';
    demo.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'lbapi', namespace: 'kube-system' },
      type: 'Opaque',
      data: { value: Buffer.from(value).toString('base64') },
    });
    demo.create({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'GatewayClass',
      metadata: { name: 'lbapi' },
      spec: {
        controllerName: 'example.com/lbapi',
        parametersRef: { group: '', kind: 'Secret', name: 'lbapi', namespace: 'kube-system' },
      },
    });
    const node = await waitFor('GatewayClass lbapi in the tree', () => at('it-demo', 'lbapi'));
    assert.match(
      String(node.getTreeItem().contextValue),
      /^haproxyGateway:k8s\.gatewayclass\b.*\bparametersSecret\b/,
      'the menu entry shows on it',
    );
    assert.deepEqual(
      (await api.service.gatewayClassSecrets()).map((r) => [r.namespace, r.name, r.classes]),
      [
        ['default', 'haproxy-lb-config', ['haproxy-lb']],
        ['kube-system', 'lbapi', ['lbapi']],
      ],
    );

    const ids = await vscode.commands.executeCommand<string[]>('haproxyGateway.kubernetes.importDataplaneSecret', {
      namespace: 'kube-system',
      name: 'lbapi',
      skipTest: true,
    });
    try {
      assert.equal(ids.length, 2);
      const saved =
        vscode.workspace
          .getConfiguration('haproxyGateway.dataplane')
          .get<Array<{ id: string; url: string; serverName?: string; auth: string }>>('connections') ?? [];
      const imported = saved.filter((c) => ids.includes(c.id));
      assert.deepEqual(
        imported.map((c) => [c.url, c.serverName, c.auth]),
        [
          ['https://127.0.0.1:5556/v3', 'lb.lab.internal', 'basic'],
          ['https://127.0.0.2:5556/v3', 'lb.lab.internal', 'basic'],
        ],
      );
    } finally {
      for (const id of ids)
        await vscode.commands.executeCommand('haproxyGateway.dataplane.removeConnection', id, { confirm: true });
    }
  });

  it('switches the tree with the context, and explains a cluster without the Gateway API CRDs', async () => {
    api.service.selectContext('it-bare');
    const roots = await waitFor('the it-bare root', async () => {
      const r = await children();
      return r.length === 1 && labelOf(r[0]) === 'it-bare' ? r : undefined;
    });
    const under = await children(roots[0]);
    assert.match(labelOf(under[0]), /The Gateway API CRDs are not installed on this cluster/);
    assert.ok(
      under.some((n) => labelOf(n) === 'Services'),
      'Services are still browsable',
    );
    api.service.selectContext('it-demo');
    assert.ok(await waitFor('back on it-demo', () => at('it-demo', 'haproxy-lb')));
  });
});
