// The hand-written validators against the specifications themselves: the examples of the schemas
// they cover must pass, and the enums they hard-code must be the specs' enums.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import * as v from '../../../src/dataplane/core/validate';
import { referenceDir } from '../../support/paths';

type Schema = {
  example?: unknown;
  properties?: Record<string, { enum?: string[]; pattern?: string }>;
  items?: unknown;
};
const dir = path.join(referenceDir, 'dataplaneapi');
const v3 = parse(fs.readFileSync(path.join(dir, 'v3.4.2-openapi3.yaml'), 'utf8')) as {
  components: { schemas: Record<string, Schema> };
};
const v2 = parse(fs.readFileSync(path.join(dir, 'v2.9-swagger2.yaml'), 'utf8')) as {
  definitions: Record<string, Schema>;
};
const specs: Array<[string, Record<string, Schema>]> = [
  ['v3.4.2', v3.components.schemas],
  ['v2.9', v2.definitions],
];

describe('validators match the specifications', () => {
  for (const [name, schemas] of specs) {
    it(`${name}: enums of reload, transaction and runtime server`, () => {
      assert.deepEqual([...schemas.reload!.properties!.status!.enum!].sort(), [...v.RELOAD_STATUSES].sort());
      assert.deepEqual([...schemas.transaction!.properties!.status!.enum!].sort(), [...v.TRANSACTION_STATUSES].sort());
      assert.deepEqual([...schemas.runtime_server!.properties!.admin_state!.enum!].sort(), [...v.ADMIN_STATES].sort());
      assert.equal(schemas.reload!.properties!.id!.pattern, '^\\d{4}-\\d{2}-\\d{2}-\\d+$');
    });

    it(`${name}: the schemas' examples pass`, () => {
      assert.equal(v.reload(schemas.reload!.example).id, (schemas.reload!.example as { id: string }).id);
      assert.equal(v.transaction(schemas.transaction!.example).status, 'in_progress');
      const rs = v.runtimeServer({ ...(schemas.runtime_server!.example as object), name: 'web_server' });
      assert.equal(rs.adminState, 'ready');
      if (schemas.info!.example) assert.match(v.info(schemas.info!.example).apiVersion, /^v\d/);
    });
  }

  it('v3 native stats: one object; v2: an array of them', () => {
    const stat = {
      type: 'server',
      name: 's1',
      backend_name: 'be',
      stats: { status: 'UP', weight: 3, scur: 0, check_status: 'L7OK' },
    };
    assert.deepEqual(
      v.nativeStats({ runtimeAPI: '/run/haproxy.sock', stats: [stat] }),
      v.nativeStats([{ runtimeAPI: 'x', stats: [stat] }]),
    );
    assert.equal(v.nativeStats({ stats: [stat] })[0]!.weight, 3);
    assert.throws(() => v.nativeStats({ error: 'cannot reach runtime API' }), /cannot reach runtime API/);
    // The v3 spec's type enum is the one hard-coded here.
    assert.deepEqual([...(v3.components.schemas.native_stat!.properties!.type!.enum ?? [])].sort(), [
      'backend',
      'frontend',
      'server',
    ]);
  });

  it('rejects wrong shapes with the path of the problem', () => {
    assert.throws(() => v.reload({ id: 'yesterday', status: 'succeeded' }), /reload\.id/);
    assert.throws(
      () => v.reload({ id: '2024-01-01-1', status: 'done' }),
      /expected one of failed, in_progress, succeeded/,
    );
    assert.throws(
      () => v.transactions([{ id: 'a', _version: 'x', status: 'in_progress' }]),
      /transactions\[0\]\._version/,
    );
    assert.deepEqual(v.transactions(null), []);
    assert.equal(v.versionHeader(' 12 '), 12);
    assert.equal(v.versionHeader('12a'), undefined);
    assert.throws(() => v.configVersion(-1), /negative/);
  });
});
