// Hostile input to the pure modules: each input is bounded in size and each test asserts the
// answer. Before the fixes, these inputs took minutes (quadratic or cubic regexes: the sizes are
// chosen so) or forever (a FIFO); the bench (scripts/bench/hostile.js) measures the speed.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { checkPem } from '../../../src/dataplane/core/connection';
import { readCapped } from '../../../src/dataplane/core/http';
import { importLoadBalancerSecret } from '../../../src/dataplane/core/secretImport';
import { hoverAt } from '../../../src/language/core/features/hover';
import { parseCheckOutput } from '../../../src/language/core/haproxy/checkOutput';
import { loadLocalManual, parseManual, readRegularFile } from '../../../src/language/core/localManual';
import { parseConfig } from '../../../src/shared/haproxy-config/parser';
import * as limits from '../../../src/shared/limits';
import { UserFacingError } from '../../../src/shared/errors';
import { previewConfig } from '../../../src/vip/core/apply';
import { planVip } from '../../../src/vip/core/planner';
import { keywords } from '../../support/corpus';

const CERT = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('hostile input', () => {
  it('hover on a condition with a 400,000-letter word answers', () => {
    const text = `global\n    .if ${'a'.repeat(400_000)}\n    .endif\n`;
    assert.equal(hoverAt(parseConfig(text), 1, 10, { keywords }), undefined);
  });

  it('haproxy -c output echoing a line of 200,000 "[" is parsed, the line cut to the cap', () => {
    const out = `[ALERT]    (1) : config : parsing [/tmp/t.cfg:3] : unknown keyword '${'['.repeat(200_000)}'\n`;
    const [m] = parseCheckOutput(out);
    assert.equal(m.file, '/tmp/t.cfg');
    assert.equal(m.line, 3);
    assert.ok(m.message.length <= limits.MAX_MESSAGE_LINE_CHARS);
    const raw = parseCheckOutput(`[ALERT] (1) : ${'['.repeat(200_000)}:1x\n`);
    assert.equal(raw[0].file, undefined);
  });

  it('a PEM field of repeated BEGIN lines without END is refused', () => {
    const hostile = '-----BEGIN CERTIFICATE-----I'.repeat(20_000);
    assert.match(checkPem(hostile, 'certificate')!, /not a PEM/);
    assert.match(checkPem('-----BEGIN RSA PRIVATE KEY-----A'.repeat(20_000), 'key')!, /not a PEM/);
    assert.equal(checkPem(CERT, 'certificate'), undefined);
    assert.equal(checkPem('-----BEGIN EC PRIVATE KEY-----\nAA\n-----END EC PRIVATE KEY-----\n', 'key'), undefined);
    assert.match(checkPem(CERT + 'x'.repeat(limits.MAX_PEM_CHARS), 'certificate')!, /larger than/);
  });

  it('the VIP preview of a live configuration with 300,000 blank lines before its end', () => {
    const httpd = {
      metadata: { name: 'httpd', namespace: 'default' },
      spec: { type: 'LoadBalancer', ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] },
    };
    const endpoints = { subsets: [{ addresses: [{ ip: '127.0.0.3' }], ports: [{ name: 'http', port: 8080 }] }] };
    const plan = planVip(httpd as never, [], endpoints as never, { vip: '127.0.200.2' });
    const live = `# _version=7\nglobal\n  maxconn 10\n${'\n'.repeat(300_000)}# end`;
    const out = previewConfig(live, plan);
    assert.ok(out.startsWith('global\n  maxconn 10\n'));
    assert.match(out, /# end\n\nfrontend /);
  });

  it('a crafted 8 KB manual and a manual of many unclosed chapter headings', () => {
    assert.equal(parseManual(`HAProxy 1.${'1'.repeat(8000)}`), undefined);
    assert.equal(parseManual(`HAProxy 2.6${' '.repeat(2000)}`), undefined);
    assert.equal(parseManual('<h1 id="chapter-1"><small>'.repeat(20_000)), undefined);
    const ok = parseManual(
      '<title>HAProxy 2.6.12 &ndash; Configuration Manual</title>' +
        '<h2 id="chapter-4.2" data-target="4.2"><small><a href="#4.2">4.2.</a></small> Keywords</h2>',
    );
    assert.equal(ok?.version, '2.6');
    assert.equal(ok?.heading('4.2-timeout'), '4.2. Keywords');
  });

  it('the manual is read only from a regular file under the size cap: not a FIFO, /dev/zero or a directory', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'manual-'));
    try {
      const fifo = path.join(dir, 'fifo');
      if (spawnSync('mkfifo', [fifo]).status === 0) assert.equal(loadLocalManual(fifo), undefined);
      if (fs.existsSync('/dev/zero')) assert.equal(readRegularFile('/dev/zero', 1024), undefined);
      assert.equal(loadLocalManual(dir), undefined);
      const big = path.join(dir, 'big.html');
      fs.writeFileSync(big, 'x'.repeat(2048));
      assert.equal(readRegularFile(big, 1024), undefined);
      assert.equal(readRegularFile(big, 4096)?.length, 2048);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('caps', () => {
  it('a Data Plane API body over the cap is refused with a message, one under it is read', async () => {
    const chunks = () => Readable.from([Buffer.alloc(600, 'a'), Buffer.alloc(600, 'b')]);
    await assert.rejects(
      readCapped(chunks(), 1000),
      (e: Error) => e instanceof UserFacingError && /larger than/.test(e.message),
    );
    assert.equal((await readCapped(chunks(), 2000)).length, 1200);
    assert.equal(limits.MAX_DATAPLANE_BODY_BYTES, 64 * 1024 * 1024);
  });

  it('a Secret field over the cap is refused before it is decoded', () => {
    const yaml = `servers: [https://h:5556/v2]\ncertificateAuthorityData: ${'A'.repeat(limits.MAX_SECRET_FIELD_CHARS + 4)}\n`;
    assert.throws(() => importLoadBalancerSecret(yaml), /larger than/);
    assert.throws(() => importLoadBalancerSecret(`# ${'x'.repeat(limits.MAX_SECRET_FIELD_CHARS)}`), /larger than/);
  });

  it('text quoted in a message is cut with a note', () => {
    assert.equal(limits.truncateForMessage('short'), 'short');
    const cut = limits.truncateForMessage('y'.repeat(limits.MAX_QUOTED_CHARS + 10));
    assert.ok(cut.startsWith('y'.repeat(limits.MAX_QUOTED_CHARS)) && cut.endsWith('(10 more characters not shown)'));
  });

  it('haproxy -c output is capped where it is read', () => {
    const src = fs.readFileSync(
      path.join(__dirname, '..', '..', '..', '..', 'src', 'language', 'core', 'haproxy', 'runCheck.ts'),
      'utf8',
    );
    assert.match(src, /maxBuffer: MAX_OUTPUT/);
    assert.match(src, /MAX_OUTPUT = MAX_CHECK_OUTPUT_BYTES/);
    assert.match(src, /ERR_CHILD_PROCESS_STDIO_MAXBUFFER/);
  });
});
