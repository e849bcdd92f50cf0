// A request that fails half-way leaves nothing behind: rows, audit events, queued work all roll back.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Type } from '@sinclair/typebox';
import { allModules } from '../../modules.ts';
import { type TestApp, testApp } from '../../test/harness.ts';
import { defineModule } from '../module.ts';
import { API_PREFIX } from './mount.ts';
import { defineRoute } from './route.ts';

const crashAfter = defineRoute({
  method: 'POST',
  url: '/test/multi-row-write',
  summary: 'test only: writes several rows, then fails on a chosen row',
  auth: 'staff',
  permission: 'test.write',
  body: Type.Object({ rows: Type.Integer({ minimum: 1, maximum: 50 }), failAt: Type.Integer({ minimum: 0, maximum: 50 }) }, { additionalProperties: false }),
  handler: async (ctx, { body }) => {
    for (let i = 1; i <= body.rows; i++) {
      if (i === body.failAt) throw new Error('simulated crash in the middle of a batch');
      await ctx.tx.query(`insert into region (code, name, level, parent_code, district_code, source) values ($1, $2, 'street', '310101', '310101', 'import')`, [
        `310101${String(900 + i)}`,
        `测试街道${i}`,
      ]);
      ctx.audit.write({ action: 'test.insert', objectType: 'region', objectId: `310101${String(900 + i)}` });
    }
    return { inserted: body.rows };
  },
});

const testModule = defineModule({
  name: 'test.transactions',
  title: '测试',
  system: 'platform',
  permissions: [{ code: 'test.write', title: '测试写入', roles: ['city_admin'] }],
  routes: [crashAfter],
});

let t: TestApp;
before(async () => {
  t = await testApp({ modules: [...allModules, testModule] });
});
after(() => t.close());

const count = async () =>
  (await t.kernel.db.query<{ n: number }>(`select count(*)::int as n from region where code like '310101___' and source = 'import'`))[0]!.n;
const auditSeq = async () => (await t.kernel.db.query<{ seq: number }>('select seq from audit_head'))[0]!.seq;

test('a crash after some rows of a batch stores none of them, and no audit event', async () => {
  const s = await t.loginAs('city_admin');
  const seq0 = await auditSeq();
  const r = await t.call(s, { method: 'POST', url: `${API_PREFIX}/test/multi-row-write`, payload: { rows: 5, failAt: 4 } });
  assert.equal(r.statusCode, 500);
  assert.equal(r.json().code, 'INTERNAL');
  assert.ok(!r.body.includes('simulated crash'), 'internal error details must not reach the client');
  assert.equal(await count(), 0);
  assert.equal(await auditSeq(), seq0);
});

test('the same batch without a crash stores every row with its audit events', async () => {
  const s = await t.loginAs('city_admin');
  const seq0 = await auditSeq();
  const r = await t.call(s, { method: 'POST', url: `${API_PREFIX}/test/multi-row-write`, payload: { rows: 5, failAt: 0 } });
  assert.equal(r.statusCode, 200, r.body);
  assert.equal(await count(), 5);
  assert.equal(await auditSeq(), seq0 + 5);
});
