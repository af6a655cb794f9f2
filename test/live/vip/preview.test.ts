// The VIP preview of a live configuration, checked by the installed haproxy (`haproxy -c`).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { previewConfig } from '../../../src/vip/core/apply';
import { planVip } from '../../../src/vip/core/planner';
import { checkConfig } from '../../fixtures/dataplane/haproxy';
import { BASE, endpoints, httpd } from '../../support/vipConfig';

describe('VIP changes from the live configuration', () => {
  it(
    'previews a configuration HAProxy accepts: sections replaced in place, ' + 'new ones appended, pruned ones gone',
    async () => {
      const plan = planVip(httpd, [], endpoints('127.0.0.3'), { vip: '127.0.200.2' });
      const first = previewConfig(BASE, plan);
      assert.ok(!first.startsWith('# _version'), 'the version line is not configuration');
      assert.ok(first.startsWith(BASE.slice('# _version=7\n'.length).trimEnd()), 'the live part is unchanged');
      assert.match(
        first,
        /frontend vip_default_httpd_http\n {2}mode tcp\n {2}bind 127\.0\.200\.2:80 name vipbind_default_httpd_http\n/,
      );
      const again = previewConfig(first, planVip(httpd, [], endpoints('127.0.0.8'), { vip: '127.0.200.2' }));
      assert.equal(again.match(/^frontend vip_default_httpd_http$/gm)?.length, 1, 'replaced, not duplicated');
      assert.match(again, /server ep_127\.0\.0\.8_8080 127\.0\.0\.8:8080 check/);
      assert.doesNotMatch(again, /127\.0\.0\.3/);
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vip-preview-')), 'haproxy.cfg');
      try {
        fs.writeFileSync(file, again);
        const verdict = await checkConfig(file);
        assert.ok(verdict.ok, verdict.output);
      } finally {
        fs.rmSync(path.dirname(file), { recursive: true, force: true });
      }
      const pruned = previewConfig(
        first,
        { ...plan, ports: [] },
        { frontends: ['vip_default_httpd_http'], backends: ['vipbe_default_httpd_http'] },
      );
      assert.doesNotMatch(pruned, /vip_/);
      assert.match(pruned, /backend be_app\n {2}server web1/);
    },
  );
});
