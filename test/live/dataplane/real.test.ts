// Against the real dataplaneapi v3.4.2 and v2.9.27: the binaries scripts/install-dataplaneapi.sh
// builds, or the ones HAPROXY_GATEWAY_DATAPLANEAPI (v3.4.2) / HAPROXY_GATEWAY_DATAPLANEAPI_V2
// (v2.9.27) point at. The fixture starts them as shared/notes/dataplaneapi-facts.md says
// (test/fixtures/dataplane/index.ts). Missing binaries fail this file unless
// HAPROXY_GATEWAY_SKIP_REAL_DATAPLANE=1, or run only the versions a variable names.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { HAPROXY_BIN, HaproxyProcess, freePort } from '../../fixtures/dataplane/haproxy';
import { SKIP_REAL, realArgs, realBinariesMissing, realBinary, type ApiMajor } from '../../fixtures/dataplane';
import { liveSuite } from './liveSuite';

describe('the real dataplaneapi is started as the shared facts say', () => {
  for (const api of [3, 2] as const) {
    it(`v${api}: --scheme http, no --master-runtime, a reload command that waits for the verdict`, () => {
      const dir = fs.mkdtempSync('/tmp/hgw-real-args-');
      try {
        const haproxy = {
          masterSocket: `${dir}/master.sock`,
          logPath: `${dir}/haproxy.log`,
          pid: 1,
        } as unknown as HaproxyProcess;
        const args = realArgs({
          api,
          dir,
          configPath: `${dir}/haproxy.cfg`,
          haproxy,
          port: 1,
          reloadDelayMs: 300,
          mtls: false,
        });
        const flag = (f: string) => args.includes(f);
        assert.equal(args[args.indexOf('--scheme') + 1], 'http');
        assert.ok(!flag('--master-runtime'), 'HAProxy 2.6 master CLI rejects the prefix the binary sends');
        assert.equal(flag('--log-level'), api === 2, 'v3.4.2 has no --log-level');
        assert.equal(flag('--dataplane-storage-dir'), api === 3, 'v2.9.27 has no --dataplane-storage-dir');
        assert.equal(args[args.indexOf('--reload-delay') + 1], '1');
        const reload = args[args.indexOf('--reload-cmd') + 1]!;
        assert.match(reload, /reload\.js' '.*haproxy' '.*haproxy\.cfg' '.*master\.sock' '.*haproxy\.log'$/);
        const script = fs.readFileSync(`${dir}/reload.js`, 'utf8');
        assert.match(script, /\['-c', '-f', cfg\]/, 'validates first');
        assert.match(script, /cli\('reload'\)/, 'asks the master to reload');
        assert.match(
          script,
          /process\.exit\(now\.failed > 0 \? 1 : 0\)/,
          'exits non-zero when the master says the reload failed',
        );
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

describe(
  'the reload command given to the real dataplaneapi',
  { timeout: 120_000, skip: !fs.existsSync(HAPROXY_BIN) },
  () => {
    it("exits 1 with HAProxy's ALERT when the master fails to reload (port taken), 0 once fixed", async () => {
      const dir = fs.mkdtempSync('/tmp/hgw-real-reload-');
      const held = net.createServer();
      const heldPort = await freePort();
      await new Promise<void>((r) => held.listen(heldPort, '127.0.0.1', () => r()));
      let haproxy: HaproxyProcess | undefined;
      try {
        const cfg = path.join(dir, 'haproxy.cfg');
        const base = [
          'global',
          '  log stderr format short local0 notice',
          'defaults',
          '  mode http',
          '  timeout connect 1s',
          '  timeout client 1s',
          '  timeout server 1s',
          'frontend a',
          `  bind 127.0.0.1:${await freePort()}`,
          '',
        ].join('\n');
        fs.writeFileSync(cfg, base);
        haproxy = await HaproxyProcess.start(cfg, dir);
        const args = realArgs({ api: 3, dir, configPath: cfg, haproxy, port: 1, reloadDelayMs: 1000, mtls: false });
        const run = () =>
          new Promise<{ code: number; out: string }>((resolve) => {
            execFile('sh', ['-c', args[args.indexOf('--reload-cmd') + 1]!], (err, stdout, stderr) =>
              resolve({ code: err ? Number(err.code ?? 1) : 0, out: stdout + stderr }),
            );
          });
        fs.writeFileSync(cfg, `${base}frontend b\n  bind 127.0.0.1:${heldPort}\n`);
        const failed = await run();
        assert.equal(failed.code, 1, failed.out);
        assert.match(failed.out, /\[ALERT\].*cannot bind socket \(Address already in use\)/);
        fs.writeFileSync(cfg, base);
        const fixed = await run();
        assert.equal(fixed.code, 0, fixed.out);
      } finally {
        await haproxy?.stop();
        await new Promise<void>((r) => held.close(() => r()));
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  },
);

const wanted: ApiMajor[] =
  process.env.HAPROXY_GATEWAY_DATAPLANEAPI || process.env.HAPROXY_GATEWAY_DATAPLANEAPI_V2
    ? ([3, 2] as const).filter((a) => fs.existsSync(realBinary(a)))
    : [3, 2];
const missing = realBinariesMissing(wanted.length ? wanted : [3, 2]);
if (!fs.existsSync(HAPROXY_BIN)) {
  it('real Data Plane API', () => assert.fail(`HAProxy is not installed at ${HAPROXY_BIN}`));
} else if (missing && SKIP_REAL) {
  it('real Data Plane API', { skip: `HAPROXY_GATEWAY_SKIP_REAL_DATAPLANE=1: ${missing}` }, () => undefined);
} else if (missing) {
  it('real Data Plane API binaries are built', () => assert.fail(missing));
} else {
  for (const api of wanted) liveSuite('real', api);
}
