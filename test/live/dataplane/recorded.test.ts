// The write path against what the real dataplaneapi v3.4.2 and v2.9.27 answered (replayed from
// ../shared/reference/dataplaneapi/recordings): id-less pending reloads, failed reloads that
// restore the previous configuration, fatal ALERTs in validation 400s, outdated transactions,
// transactions without _version, lost commit and open answers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DataPlaneClient } from '../../../src/dataplane/core/client';
import {
  ConfigurationRejectedError,
  DataPlaneConnectError,
  TransactionOutdatedError,
} from '../../../src/dataplane/core/errors';
import { followReload, reloadOutcome } from '../../../src/dataplane/core/reload';
import { CommitNotAppliedError, withTransaction } from '../../../src/dataplane/core/transaction';
import {
  atVersion,
  infoExchange,
  recording,
  ReplayServer,
  step,
  type Exchange,
  type RecordedVersion,
} from './recorded';

const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined };
const VERSIONS: RecordedVersion[] = ['3.4.2', '2.9.27'];

/** The recorded empty list of open transactions, answered at `version` (withTransaction reads it first). */
const noOpenTransactions = (v: RecordedVersion, version: number): Exchange =>
  atVersion(step(recording(v, '04-transactions'), 'GET transactions?status=in_progress (none)'), version, []);

async function replay(
  v: RecordedVersion,
  script: Exchange[],
  body: (c: DataPlaneClient, s: ReplayServer) => Promise<void>,
): Promise<ReplayServer> {
  const server = await ReplayServer.start([infoExchange(v), ...script]);
  const client = new DataPlaneClient(
    { settings: { id: 'r', name: 'lb1', url: `${server.url}/v${v[0]}`, auth: 'basic' }, secrets: {} },
    { logger, retries: 0, requestTimeoutMs: 5_000 },
  );
  try {
    await client.connect();
    await body(client, server);
    assert.deepEqual(server.unexpected, [], 'every request was one the real server answered');
    return server;
  } finally {
    await client.dispose();
    await server.stop();
  }
}

for (const v of VERSIONS) {
  describe(`recorded answers of dataplaneapi v${v}`, () => {
    it(
      'a reload the agent has not run yet ({"status":"in_progress"} ' +
        'without an id) is pending, then followed to its end',
      async () => {
        const rec = recording(v, '03-reloads');
        const polls = rec.filter(
          (e) =>
            e.request.method === 'GET' &&
            /\/reloads\/\d{4}-\d{2}-\d{2}-0$/.test(e.request.path) &&
            e.response.status === 200,
        );
        assert.equal(polls.length, 2);
        assert.equal(
          (polls[0]!.response.body as { id?: string }).id,
          undefined,
          'the recording shows the id-less pending answer',
        );
        await replay(v, polls, async (c) => {
          const seen: string[] = [];
          const r = await followReload(c, '2026-12-02-0', {
            intervalMs: 10,
            onUpdate: (x) => seen.push(`${x.id} ${x.status}`),
          });
          assert.deepEqual(seen, ['2026-12-02-0 in_progress', '2026-12-02-0 succeeded']);
          assert.equal(r.status, 'succeeded');
        });
      },
    );

    it(
      'a failed reload: HAProxy runs the previous configuration, ' + 'the fatal ALERT says why, the next write works',
      async () => {
        const rec = recording(v, '13-bind-taken-port.verdict-reload');
        const script = [
          noOpenTransactions(v, 1),
          step(rec, 'POST transactions'),
          step(rec, 'addFrontend'),
          step(rec, 'addBind'),
          step(rec, 'commit (haproxy -c passes'),
          step(rec, 'GET reloads/{id} right after commit'),
          step(rec, 'GET reloads/{id} after the reload'),
          noOpenTransactions(v, 2),
          step(rec, 'POST transactions (fix)'),
          step(rec, 'commit (fix)'),
          step(rec, 'GET reloads/{id} (fix)'),
        ];
        await replay(v, script, async (c) => {
          const out = await withTransaction(
            c,
            async (tx) => {
              await tx.addFrontend({ name: 'vip_bad', mode: 'http', defaultBackend: 'be_app', forwardfor: true });
              await tx.addBind('vip_bad', { name: 'vipbind_bad', address: '127.0.0.1', port: 18083 });
            },
            { logger },
          );
          assert.equal(out.version, 2, 'the server keeps the new version number');
          const r = await followReload(c, out.reloadId!, { intervalMs: 10 });
          const o = reloadOutcome(out.reloadId, r);
          assert.equal(o.runs, 'previous');
          assert.match(o.reason!, /cannot bind socket \(Address already in use\) for \[127\.0\.0\.1:18083\]/);
          assert.doesNotMatch(o.reason!, /implicitly used here/);
          assert.match(o.text, /still runs the previous configuration/);
          const next = await withTransaction(c, async () => undefined, { logger });
          assert.equal(next.version, 3);
          assert.equal(
            reloadOutcome(next.reloadId, await followReload(c, next.reloadId!, { intervalMs: 10 })).runs,
            'written',
          );
        });
      },
    );

    it(
      'a rejected commit names the fatal line, ' + 'not the non-fatal "implicitly used here" ALERT, and is discarded',
      async () => {
        const rec = recording(v, '12-rejected-transaction');
        const script = [
          noOpenTransactions(v, 1),
          step(rec, 'POST transactions'),
          step(rec, 'addBackend'),
          step(rec, 'addServer'),
          step(rec, 'commit'),
          step(rec, 'DELETE transactions/{id} (failed)'),
        ];
        const s = await replay(v, script, async (c) => {
          await assert.rejects(
            withTransaction(
              c,
              async (tx) => {
                await tx.addBackend({ name: 'vipbe_team-a_broken_http', mode: 'http', balance: 'roundrobin' });
                await tx.addServer('vipbe_team-a_broken_http', {
                  name: 'ep_broken',
                  address: 'no-such-host.invalid',
                  port: 8080,
                  check: true,
                });
              },
              { logger },
            ),
            (e: unknown) => {
              assert.ok(e instanceof ConfigurationRejectedError);
              assert.match(e.message, /could not resolve address 'no-such-host\.invalid'/);
              assert.doesNotMatch(e.message, /implicitly used here|validation error: exit status/);
              return true;
            },
          );
        });
        assert.deepEqual(s.unserved(), []);
      },
    );

    it("an invalid raw configuration names HAProxy's error line", async () => {
      const rec = recording(v, '02-raw-config');
      await replay(v, [step(rec, 'POST raw invalid →')], async (c) => {
        await assert.rejects(
          c.postRawConfig('bogus\n', 2),
          (e: unknown) =>
            e instanceof ConfigurationRejectedError &&
            /^"lb1" rejected the configuration: config parsing \[.*:20\] unknown keyword 'bogus_keyword' in 'frontend' section$/.test(
              e.message,
            ),
        );
      });
    });

    it('only_validate: the cause when the server gives it, and plainly that v2 does not', async () => {
      const rec = recording(v, '02-raw-config');
      await replay(v, [step(rec, 'POST raw invalid, only_validate=true')], async (c) => {
        await assert.rejects(c.postRawConfig('bogus\n', 2, { onlyValidate: true }), (e: unknown) => {
          assert.ok(e instanceof ConfigurationRejectedError);
          if (v.startsWith('3')) assert.match(e.message, /unknown keyword 'bogus_keyword'/);
          else
            assert.match(
              e.message,
              /validation error: exit status 1\. .*does not pass its output on for a check; saving the configuration shows the cause/,
            );
          return true;
        });
      });
    });

    it(
      'a change in a transaction another commit outdated (400 "transaction ' +
        'does not exist") and its commit (406) are both "outdated"',
      async () => {
        const rec = recording(v, '05-transaction-outdated');
        const b = step(rec, 'POST transactions B').response.body as { id: string };
        await replay(
          v,
          [step(rec, 'POST server mine2 in B (after A committed)'), step(rec, 'PUT transactions/B (commit outdated)')],
          async (c) => {
            await assert.rejects(
              c.applyChange(
                { kind: 'addServer', backend: 'be_app', server: { name: 'mine2', address: '127.0.0.1', port: 18081 } },
                b.id,
              ),
              (e: unknown) => e instanceof TransactionOutdatedError && e.status === 400,
            );
            await assert.rejects(
              c.commitTransaction(b.id),
              (e: unknown) => e instanceof TransactionOutdatedError && e.status === 406,
            );
          },
        );
      },
    );

    it('a transaction brought back without _version is listed and can be discarded', async () => {
      const rec = recording(v, '16-change-after-discard');
      const ghost = step(rec, 'race #2: GET transactions?status=in_progress');
      await replay(v, [ghost, step(rec, 'race #2: DELETE transactions/{id} (discard the ghost)')], async (c) => {
        const list = await c.transactions();
        assert.equal(list.length, 1);
        assert.equal(list[0]!.status, 'in_progress');
        assert.equal(list[0]!.version, undefined);
        await c.deleteTransaction(list[0]!.id);
      });
    });

    it('a commit whose answer is lost after the server committed is reported applied, not failed', async () => {
      const rec = recording(v, '04-transactions');
      const pending = step(recording(v, '03-reloads'), 'GET reloads immediately');
      const script = [
        noOpenTransactions(v, 1),
        step(rec, 'POST transactions?version=N → 201'),
        step(rec, 'PUT transactions/{id} (commit, no change inside)'),
        step(rec, 'GET transactions/{id} (committed)'),
        step(rec, 'GET configuration/version'),
        atVersion(pending, 2),
      ];
      script[4] = rec.filter((e) => e.step === 'GET configuration/version')[1]!; // the one after the commit: 2
      const s = await replay(v, script, async (c, server) => {
        server.dropAnswer = (e) => e.step.startsWith('PUT transactions/{id} (commit');
        const out = await withTransaction(c, async () => 'done', { logger });
        assert.equal(out.commit, 'reconciled');
        assert.equal(out.version, 2);
        assert.equal(out.reloadId, '2026-12-02-0');
        assert.equal(out.result, 'done');
      });
      assert.ok(!s.served.some((x) => x.startsWith('DELETE')), 'the committed transaction is not "discarded"');
    });

    it('a commit whose answer is lost before the server committed is reported not applied, and discarded', async () => {
      const rec = recording(v, '04-transactions');
      const script = [
        noOpenTransactions(v, 1),
        step(rec, 'POST transactions?version=N → 201'),
        step(rec, 'PUT transactions/{id} (commit, no change inside)'),
        step(rec, 'GET transactions/{id}'),
        step(rec, 'DELETE transactions/{id} (committed)'),
      ];
      const s = await replay(v, script, async (c, server) => {
        server.dropAnswer = (e) => e.step.startsWith('PUT transactions/{id} (commit');
        await assert.rejects(
          withTransaction(c, async () => undefined, { logger }),
          (e: unknown) =>
            e instanceof CommitNotAppliedError &&
            /was not applied: the commit did not reach the server/.test(e.message),
        );
      });
      assert.ok(
        s.served.some((x) => x.startsWith('DELETE')),
        'the open transaction was discarded',
      );
    });

    it('opening a transaction whose answer is lost leaves no orphan: the new one is found and discarded', async () => {
      const rec = recording(v, '04-transactions');
      const script = [
        noOpenTransactions(v, 1),
        step(rec, 'POST transactions?version=N → 201'),
        step(rec, 'GET transactions?status=in_progress (one)'),
        step(rec, 'DELETE transactions/{id} (committed)'),
      ];
      const s = await replay(v, script, async (c, server) => {
        server.dropAnswer = (e) => e.step.startsWith('POST transactions?version=N');
        await assert.rejects(
          withTransaction(c, async () => undefined, { logger }),
          DataPlaneConnectError,
        );
      });
      assert.deepEqual(s.unserved(), [], 'listed, then the new transaction deleted');
    });
  });
}
