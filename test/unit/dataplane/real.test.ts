// Against the real dataplaneapi v3.4.2 and v2.9.27 built by scripts/install-dataplaneapi.sh.
// Missing binaries fail this file unless HAPROXY_GATEWAY_SKIP_REAL_DATAPLANE=1.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { SKIP_REAL, realBinariesMissing } from '../../fixtures/dataplane';
import { liveSuite } from './liveSuite';

const missing = realBinariesMissing();
if (missing && SKIP_REAL) {
  it('real Data Plane API', { skip: 'HAPROXY_GATEWAY_SKIP_REAL_DATAPLANE=1' }, () => undefined);
} else if (missing) {
  it('real Data Plane API binaries are built', () => assert.fail(missing));
} else {
  liveSuite('real', 3);
  liveSuite('real', 2);
}
