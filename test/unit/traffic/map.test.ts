// The traffic map's pure halves: the model the host sends, the checks both sides run on messages,
// and the scene the webview draws (dagre layout, keyboard neighbours, mismatch classes).
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { buildTrafficGraph, nodeId } from '../../../src/traffic/core/graph';
import { mapModel } from '../../../src/traffic/ui/mapModel';
import {
  modelProblem,
  parseHostMessage,
  parseWebviewMessage,
  type MapModel,
} from '../../../src/traffic/ui/mapProtocol';
import { ENGLISH, formatString, parseStrings } from '../../../src/traffic/ui/mapStrings';
import { buildScene, drawnEdges, statusLine } from '../../../src/traffic/ui/webview/scene';
import { VIP_CFG, service, slice, views } from './fixtures';

const SVC = nodeId.service('default', 'httpd');

function model(endpoints = [{ ip: '10.244.1.5' }, { ip: '10.244.2.7' }]): MapModel {
  const services = views([service('httpd', { ingress: ['127.0.200.2'] })], [slice('httpd', endpoints)]);
  const graph = buildTrafficGraph({ services, haproxy: [{ connectionId: 'lb1', configText: VIP_CFG }], focus: SVC });
  return mapModel({ graph, history: new Map(), failures: [] }, { title: 'Service default/httpd', focus: SVC }, 1000, 1);
}

describe('traffic map model and messages', () => {
  test('the model carries no source, only what a node opens; the webview accepts it after a JSON copy', () => {
    const m = model();
    const server = m.nodes.find((n) => n.kind === 'server')!;
    assert.equal(server.action, 'config');
    assert.equal(m.nodes.find((n) => n.id === SVC)!.action, 'yaml');
    assert.equal(m.nodes.find((n) => n.id === SVC)!.reveal, true);
    assert.equal(
      server.reveal,
      undefined,
      'HAProxy nodes open the live haproxy.cfg; the Data Plane tree has no reveal',
    );
    assert.equal('source' in server, false);
    const copy = JSON.parse(JSON.stringify({ type: 'model', model: m }));
    assert.deepEqual(parseHostMessage(copy), { type: 'model', model: m });
  });

  test(
    'the webview refuses a model with an edge to an unknown node, a bad kind ' + 'or a history of an unknown node',
    () => {
      const m = model();
      assert.equal(
        modelProblem({ ...m, edges: [...m.edges, { from: SVC, to: 'nowhere', kind: 'vip' }] }),
        'edge to an unknown node',
      );
      assert.equal(
        modelProblem({ ...m, nodes: [{ ...m.nodes[0], kind: 'script' }, ...m.nodes.slice(1)] }),
        'bad nodes',
      );
      assert.match(modelProblem({ ...m, history: { ghost: [[1, 1, 1, 1]] } }) ?? '', /history of ghost/);
      assert.equal(parseHostMessage({ type: 'model', model: { ...m, seq: 'x' } }), undefined);
    },
  );

  test('the host accepts only the known webview messages', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'activate', nodeId: SVC }), { type: 'activate', nodeId: SVC });
    assert.deepEqual(parseWebviewMessage({ type: 'activate', nodeId: SVC, how: 'reveal' }), {
      type: 'activate',
      nodeId: SVC,
      how: 'reveal',
    });
    assert.equal(parseWebviewMessage({ type: 'activate', nodeId: SVC, how: 'delete' }), undefined);
    assert.equal(parseWebviewMessage({ type: 'activate', nodeId: 42 }), undefined);
    assert.equal(parseWebviewMessage({ type: 'activate', nodeId: 'x'.repeat(5000) }), undefined);
    assert.equal(parseWebviewMessage({ type: 'openFile', path: '/etc/passwd' }), undefined);
    assert.deepEqual(parseWebviewMessage({ type: 'rendered', seq: 2, renderMs: 3.5, nodes: 7 }), {
      type: 'rendered',
      seq: 2,
      renderMs: 3.5,
      nodes: 7,
    });
    assert.equal(parseWebviewMessage({ type: 'rendered', seq: 2, renderMs: Infinity, nodes: 7 }), undefined);
  });
});

describe('traffic map scene', () => {
  test('left to right along the path; ArrowRight from the Service goes to its bind, not the endpoint', () => {
    const { scene } = buildScene(model());
    const at = (id: string) => scene.nodes.find((n) => n.id === id)!;
    const bind = scene.nodes.find((n) => n.classes.includes('kind-bind'))!;
    const server = scene.nodes.find((n) => n.classes.includes('kind-server'))!;
    const ep = at(nodeId.endpoint('default', 'httpd', '10.244.1.5'));
    assert.ok(at(SVC).x < bind.x && bind.x < server.x && server.x < ep.x, 'Service → bind → … → server → endpoint');
    assert.equal(at(SVC).nav.right, bind.id);
    assert.ok(scene.nodes[0]!.id === SVC, 'the Tab order starts at the leftmost node');
    assert.ok(scene.nodes.every((n) => n.aria.length > 0));
  });

  test('an endpoint no server reaches keeps its Service edge and is marked as a mismatch', () => {
    const m = model([{ ip: '10.244.1.5' }, { ip: '10.244.9.9' }]);
    const lonely = nodeId.endpoint('default', 'httpd', '10.244.9.9');
    assert.ok(drawnEdges(m).some((e) => e.from === SVC && e.to === lonely));
    const reached = nodeId.endpoint('default', 'httpd', '10.244.1.5');
    assert.ok(!drawnEdges(m).some((e) => e.from === SVC && e.to === reached), 'reached through HAProxy');
    const { scene } = buildScene(m);
    assert.ok(scene.nodes.find((n) => n.id === lonely)!.classes.includes('mismatch'));
  });

  test('positions are reused while the topology is the same, recomputed when it changes', () => {
    const first = buildScene(model());
    const again = buildScene({ ...model(), seq: 2 }, first.positions);
    assert.equal(again.positions, first.positions);
    const changed = buildScene(model([{ ip: '10.244.1.5' }]), first.positions);
    assert.notEqual(changed.positions, first.positions);
  });
});

describe('traffic map words', () => {
  test('the page takes every valid translated word and English for a missing, wrong or oversized one', () => {
    const s = parseStrings({
      missing: 'fehlt',
      reveal: 42,
      openYaml: 'x'.repeat(201),
      kinds: { server: 'Server (de)', route: null },
    });
    assert.equal(s.missing, 'fehlt');
    assert.equal(s.reveal, ENGLISH.reveal);
    assert.equal(s.openYaml, ENGLISH.openYaml);
    assert.equal(s.kinds.server, 'Server (de)');
    assert.equal(s.kinds.route, ENGLISH.kinds.route);
    assert.deepEqual(parseStrings('not an object'), ENGLISH);
    assert.equal(formatString('{0} von {1}, {2}', 3, 'vier'), '3 von vier, {2}');
  });

  test('the scene speaks the translated words: ARIA labels and status lines', () => {
    const de = parseStrings({
      kinds: { ...ENGLISH.kinds, service: 'Dienst' },
      noLiveState: 'kein Zustand',
      health: 'Zustand {0}',
    });
    const { scene } = buildScene(model(), undefined, de);
    assert.match(scene.nodes.find((n) => n.id === SVC)!.aria, /^Dienst httpd,/);
    const m = model();
    const backend = m.nodes.find((n) => n.kind === 'backend')!;
    assert.equal(statusLine({ ...backend, live: undefined }, de), 'kein Zustand');
    assert.equal(statusLine({ ...backend, live: { state: 'UP', sessions: 1500, rate: 2 } }), 'UP · 1.5k cur · 2 /s');
  });
});
