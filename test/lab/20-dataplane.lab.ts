// HAProxy 2.6 with a Data Plane API (v3) in front of it, and a connection to it in the settings.
// The password is a secret, so it is not in the settings: the lab prints it for "Enter Password…" (the key on its row).
import { realBinariesMissing, startDataPlane } from '../fixtures/dataplane';
import type { LabContext, LabService } from './types';

export async function start(_ctx: LabContext): Promise<LabService> {
  const kind = realBinariesMissing() ? 'emulator' : 'real';
  const fixture = await startDataPlane({ api: 3, kind, reloadDelayMs: 1000 });
  return {
    settings: {
      'haproxyGateway.dataplane.connections': [
        { id: 'lab', name: 'lab HAProxy', url: fixture.url, auth: 'basic', username: fixture.username },
      ],
      'haproxyGateway.vip.pools': [{ range: '127.0.200.0/24' }],
    },
    describe: [
      `HAProxy ${fixture.configPath} with the Data Plane API ` +
        `(${kind === 'real' ? 'dataplaneapi v3.4.2' : 'spec-faithful emulator, v3'}) at ${fixture.url}`,
      `Data Plane API user "${fixture.username}", password "${fixture.password}": ` +
        'enter it once with "Enter Password…" (the key on the "lab HAProxy" row)',
      'VIP pool 127.0.200.0/24: create a VIP for Service default/httpd, then: curl http://127.0.200.2/',
    ],
    stop: () => fixture.stop(),
  };
}
