// Every change the VIP feature sends, checked against both Data Plane API specifications: the path
// and method exist, the query parameters are declared, the body validates against the schema. And
// the pure parts of apply: the difference between a plan and a live configuration, the preview
// (test/live/vip/preview.test.ts checks a preview with haproxy -c).
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { changeRequest, type Change } from '../../../src/dataplane/core/client';
import { deleteChanges, previewConfig, resyncChanges, vipChanges } from '../../../src/vip/core/apply';
import { parseBindAddress, readLiveState, servedVips, vipIdentity } from '../../../src/vip/core/live';
import { planVip } from '../../../src/vip/core/planner';
import { BASE, endpoints, httpd } from '../../support/vipConfig';
import { specCheckers } from './specs';

const every: Change[] = [
  { kind: 'addBackend', backend: { name: 'vipbe_default_httpd_http', mode: 'tcp', balance: 'roundrobin' } },
  { kind: 'replaceBackend', backend: { name: 'vipbe_default_httpd_http', mode: 'http', balance: 'leastconn' } },
  { kind: 'deleteBackend', name: 'vipbe_default_httpd_http' },
  {
    kind: 'addServer',
    backend: 'vipbe_default_httpd_http',
    server: { name: 'ep_127.0.0.3_8080', address: '127.0.0.3', port: 8080, check: true },
  },
  {
    kind: 'replaceServer',
    backend: 'vipbe_default_httpd_http',
    server: { name: 'ep_127.0.0.3_8080', address: '127.0.0.3', port: 8081, check: false },
  },
  { kind: 'deleteServer', backend: 'vipbe_default_httpd_http', name: 'ep_127.0.0.3_8080' },
  {
    kind: 'addFrontend',
    frontend: {
      name: 'vip_default_httpd_http',
      mode: 'http',
      defaultBackend: 'vipbe_default_httpd_http',
      forwardfor: true,
    },
  },
  {
    kind: 'replaceFrontend',
    frontend: { name: 'vip_default_httpd_http', mode: 'tcp', defaultBackend: 'vipbe_default_httpd_http' },
  },
  { kind: 'deleteFrontend', name: 'vip_default_httpd_http' },
  {
    kind: 'addBind',
    frontend: 'vip_default_httpd_http',
    bind: { name: 'vipbind_default_httpd_http', address: '127.0.200.2', port: 80 },
  },
  {
    kind: 'replaceBind',
    frontend: 'vip_default_httpd_http',
    bind: { name: 'vipbind_default_httpd_http', address: 'fd00::2', port: 8080 },
  },
  { kind: 'deleteBind', frontend: 'vip_default_httpd_http', name: 'vipbind_default_httpd_http' },
];

describe('Data Plane changes against the specifications', () => {
  for (const spec of specCheckers()) {
    it(`${spec.version}: every change kind has a path, declared query parameters and a valid body`, () => {
      const major = spec.version === 'v2' ? 2 : 3;
      for (const change of every) {
        const req = changeRequest(change, major, 'tx-1');
        assert.equal(req.query?.transaction_id, 'tx-1', `${change.kind} runs inside the transaction`);
        spec.check(req);
      }
      // The checker itself can fail: an undeclared parameter, a bad body, an unknown path.
      assert.throws(
        () =>
          spec.check({
            method: 'POST',
            path: '/services/haproxy/configuration/frontends',
            query: { bogus: 1 },
            body: '{"name":"x"}',
          }),
        /no query parameter bogus/,
      );
      assert.throws(
        () =>
          spec.check({
            method: 'POST',
            path: '/services/haproxy/configuration/frontends',
            query: {},
            body: '{"name":"x","mode":"udp"}',
          }),
        /mode/,
      );
      assert.throws(
        () => spec.check({ method: 'POST', path: '/services/haproxy/configuration/frontends/x', query: {} }),
        /no POST/,
      );
      assert.throws(
        () => spec.check({ method: 'GET', path: '/services/haproxy/configuration/nonsense', query: {} }),
        /no path/,
      );
    });
  }

  it('binds live under the frontend in v3 and take ?frontend= in v2', () => {
    const add = every.find((c) => c.kind === 'addBind')!;
    assert.equal(
      changeRequest(add, 3, 't').path,
      '/services/haproxy/configuration/frontends/vip_default_httpd_http/binds',
    );
    const v2 = changeRequest(add, 2, 't');
    assert.equal(v2.path, '/services/haproxy/configuration/binds');
    assert.equal(v2.query?.frontend, 'vip_default_httpd_http');
    assert.throws(() => changeRequest({ kind: 'deleteFrontend', name: 'a/b' }, 3, 't'), /not a valid name/);
    assert.throws(
      () =>
        changeRequest({ kind: 'addBind', frontend: 'f', bind: { name: 'b', address: '1.2.3.4', port: 70000 } }, 3, 't'),
      /not a port/,
    );
  });
});

describe('VIP changes from the live configuration', () => {
  it('reads binds of every form, and our frontends and backends', () => {
    assert.deepEqual(parseBindAddress(':80'), [{ address: '*', port: 80 }]);
    assert.deepEqual(parseBindAddress('[::1]:443'), [{ address: '::1', port: 443 }]);
    assert.deepEqual(parseBindAddress(':::80'), [{ address: '::', port: 80 }]);
    assert.deepEqual(parseBindAddress('ipv4@10.0.0.1:80-90,10.0.0.2:81'), [
      { address: '10.0.0.1', port: 80, portRangeEnd: 90 },
      { address: '10.0.0.2', port: 81 },
    ]);
    assert.deepEqual(parseBindAddress('unix@/run/x.sock'), []);
    assert.deepEqual(parseBindAddress('/run/x.sock'), []);
    const live = readLiveState(BASE);
    assert.deepEqual(
      live.binds.map((b) => [b.frontend, b.address, b.port, b.portRangeEnd]),
      [
        ['fe_main', '127.0.0.1', 8080, undefined],
        ['fe_main', '*', 8404, undefined],
        ['fe_main', '127.0.0.9', 9000, 9010],
      ],
    );
    assert.deepEqual(live.backends.get('be_app')?.servers, [
      { name: 'web1', address: '127.0.0.1', port: 9999, check: 'enabled' },
    ]);
  });

  it('creates everything on a fresh server, in dependency order', () => {
    const plan = planVip(httpd, [], endpoints('127.0.0.3'), { vip: '127.0.200.2' });
    assert.deepEqual(
      vipChanges(plan, readLiveState(BASE)).map((c) => c.kind),
      ['addBackend', 'addServer', 'addFrontend', 'addBind'],
    );
  });

  it("previews with the live file's own indentation, so that the diff shows only the new sections", () => {
    const plan = planVip(httpd, [], endpoints('127.0.0.3'), { vip: '127.0.200.2' });
    const added = (live: string) =>
      previewConfig(live, plan)
        .split('\n')
        .filter((l) => !live.split('\n').includes(l) && /^\s/.test(l));
    assert.ok(added(BASE).length > 0 && added(BASE).every((l) => /^ {2}\S/.test(l)), added(BASE).join('\n'));
    const four = BASE.replace(/^ {2}/gm, '    ');
    assert.ok(
      added(four).every((l) => /^ {4}\S/.test(l)),
      added(four).join('\n'),
    );
    const tabs = BASE.replace(/^ {2}/gm, '\t');
    assert.ok(
      added(tabs).every((l) => /^\t\S/.test(l)),
      added(tabs).join('\n'),
    );
  });

  it('changes nothing when the server already serves the plan, and only the difference otherwise', () => {
    const plan = planVip(httpd, [], endpoints('127.0.0.3', '127.0.0.4'), { vip: '127.0.200.2' });
    const applied = `${BASE}\n${previewConfig(BASE, plan).slice(BASE.length - '# _version=7\n'.length)}`;
    const live = readLiveState(previewConfig(BASE, plan));
    assert.deepEqual(vipChanges(plan, live), [], `nothing to do on:\n${applied}`);
    const moved = planVip(httpd, [], endpoints('127.0.0.4', '127.0.0.5'), {
      vip: '127.0.200.3',
      balance: 'leastconn',
      healthChecks: true,
    });
    assert.deepEqual(
      vipChanges(moved, live).map((c) => [
        c.kind,
        'name' in c
          ? c.name
          : 'server' in c
            ? c.server.name
            : 'bind' in c
              ? c.bind.address
              : 'backend' in c && typeof c.backend !== 'string'
                ? c.backend.balance
                : '',
      ]),
      [
        ['replaceBackend', 'leastconn'],
        ['deleteServer', 'ep_127.0.0.3_8080'],
        ['addServer', 'ep_127.0.0.5_8080'],
        ['replaceBind', '127.0.200.3'],
      ],
    );
  });

  it('refuses a VIP or port another frontend holds, naming it', () => {
    const taken = `${BASE}\nfrontend legacy\n  bind 127.0.200.2:443\n  default_backend be_app\n`;
    assert.throws(
      () => vipChanges(planVip(httpd, [], endpoints('127.0.0.3'), { vip: '127.0.200.2' }), readLiveState(taken)),
      /already bound by frontend "legacy"/,
    );
    const wildcard = `${BASE}\nlisten stats\n  bind :80\n  server s 127.0.0.1:1\n`;
    assert.throws(
      () => vipChanges(planVip(httpd, [], endpoints('127.0.0.3'), { vip: '127.0.200.2' }), readLiveState(wildcard)),
      /Port 80 is already bound on all addresses by frontend "stats"/,
    );
  });

  it('resyncs servers only, and deletes what exists', () => {
    const plan = planVip(httpd, [], endpoints('127.0.0.3'), { vip: '127.0.200.2' });
    const live = readLiveState(previewConfig(BASE, plan));
    assert.deepEqual(resyncChanges(plan, live), { changes: [], notes: [] });
    const now = planVip(httpd, [], endpoints('127.0.0.6'), { vip: '127.0.200.2' });
    assert.deepEqual(
      resyncChanges(now, live).changes.map((c) => c.kind),
      ['deleteServer', 'addServer'],
    );
    assert.match(resyncChanges(now, readLiveState(BASE)).notes[0]!, /does not exist: run Create VIP/);
    assert.deepEqual(
      deleteChanges(
        { frontends: ['vip_default_httpd_http', 'vip_gone'], backends: ['vipbe_default_httpd_http'] },
        live,
      ),
      [
        { kind: 'deleteFrontend', name: 'vip_default_httpd_http' },
        { kind: 'deleteBackend', name: 'vipbe_default_httpd_http' },
      ],
    );
  });

  it('lists served VIPs and reads their identity back', () => {
    const plan = planVip(httpd, [], endpoints('127.0.0.3'), { vip: '127.0.200.2' });
    const vips = servedVips(readLiveState(previewConfig(BASE, plan)));
    assert.deepEqual(vips, [
      {
        frontend: 'vip_default_httpd_http',
        identity: { namespace: 'default', service: 'httpd', port: 'http' },
        binds: [{ name: 'vipbind_default_httpd_http', address: '127.0.200.2', port: 80 }],
        backend: 'vipbe_default_httpd_http',
        servers: 1,
      },
    ]);
    assert.equal(vipIdentity('vip_a-very-long-namespace-name-for-a-team_and-an-even-longer-s_1a2b3c4d'), undefined);
    assert.equal(vipIdentity('fe_main'), undefined);
  });
});
