import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { signPartnerRequest } from '../../../platform/auth/partner.ts';
import { API_PREFIX } from '../../../platform/http/mount.ts';
import { type TestApp, type TestSession, testApp } from '../../../test/harness.ts';
import { worldWithBirths } from '../childcare-subsidy/test-world.ts';

let t: TestApp;
let admin: TestSession;
let child: { id: number; idNumber: string; district: string };
before(async () => {
  t = await testApp();
  await worldWithBirths(t, 5_000);
  admin = await t.loginAs('city_admin');
  // A second child of some mother: its order is 2.
  const r = (
    await t.kernel.db.query<{ id: number; enc: string; d: string }>(
      `select p.id::int as id, p.id_number_enc as enc, r.district_code as d from fp_birth_record r join person p on p.id = r.child_person_id
      where r.source = 'mch' and r.claimed_birth_order = 2
        -- the elder sibling must have a record too (a mother's first child may have been born before the records start)
        and (select count(distinct e.child_person_id) from fp_birth_record e where e.mother_person_id = r.mother_person_id and e.birth_date < r.birth_date) = 1
      order by p.id limit 1`,
    )
  )[0]!;
  child = { id: r.id, idNumber: t.kernel.keys.decryptField(r.enc), district: r.d };
});
after(() => t.close());

async function partner(permissions: string[], scope: object) {
  const c = await t.call(admin, { method: 'POST', url: `${API_PREFIX}/api-clients`, payload: { name: '国家育儿补贴信息管理系统', permissions, scope } });
  assert.equal(c.statusCode, 201, c.body);
  return c.json() as { clientId: string; secret: string };
}

test('partner API: a signed request gets the birth order with sources and explanation; audited as a read', async () => {
  const p = await partner(['birth-verification.birth-order.query'], { level: 'city' });
  const url = `${API_PREFIX}/partner/family-planning/birth-order?idNumber=${child.idNumber}`;
  const r = await t.app.inject({ method: 'GET', url, headers: { 'x-wj-client': p.clientId, ...signPartnerRequest(p.secret, 'GET', url, '') } });
  assert.equal(r.statusCode, 200, r.body);
  const b = r.json();
  assert.equal(b.birthOrder, 2);
  assert.equal(b.child.personId, child.id);
  assert.ok(b.sources.length >= 1 && b.sources[0].source === 'mch');
  assert.match(b.explanation, /第 2 孩/);
  assert.match(b.rule, /孩次/);
  assert.ok(!b.child.nameMasked.includes(b.sources[0].childName));
  const a = (
    await t.kernel.db.query<{ n: number }>(`select count(*)::int as n from audit_event where action = 'fp.birth-order.partner-query' and object_id = $1`, [
      String(child.id),
    ])
  )[0]!;
  assert.equal(a.n, 1);

  // Unsigned, replayed or without the permission: refused.
  assert.equal((await t.app.inject({ method: 'GET', url })).statusCode, 401);
  const signed = signPartnerRequest(p.secret, 'GET', url, '');
  await t.app.inject({ method: 'GET', url, headers: { 'x-wj-client': p.clientId, ...signed } });
  assert.equal((await t.app.inject({ method: 'GET', url, headers: { 'x-wj-client': p.clientId, ...signed } })).statusCode, 401);
  const q = await partner(['system.partner.ping'], { level: 'city' });
  assert.equal(
    (await t.app.inject({ method: 'GET', url, headers: { 'x-wj-client': q.clientId, ...signPartnerRequest(q.secret, 'GET', url, '') } })).statusCode,
    403,
  );
  // A partner scoped to another district does not find the child.
  const other = await partner(['birth-verification.birth-order.query'], { level: 'district', districtCode: child.district === '310101' ? '310104' : '310101' });
  const o = await t.app.inject({ method: 'GET', url, headers: { 'x-wj-client': other.clientId, ...signPartnerRequest(other.secret, 'GET', url, '') } });
  assert.equal(o.statusCode, 404);
});

test('staff look-up by person id; out-of-scope districts get 404', async () => {
  const r = await t.call(admin, { method: 'GET', url: `${API_PREFIX}/family-planning/birth-order?personId=${child.id}` });
  assert.equal(r.statusCode, 200, r.body);
  assert.equal(r.json().birthOrder, 2);
  assert.ok(r.json().siblings.every((s: Record<string, unknown>) => !('childPersonId' in s)));
  const far = await t.loginAs('district_admin', { level: 'district', districtCode: child.district === '310101' ? '310104' : '310101' });
  assert.equal((await t.call(far, { method: 'GET', url: `${API_PREFIX}/family-planning/birth-order?personId=${child.id}` })).statusCode, 404);
  assert.equal((await t.call(admin, { method: 'GET', url: `${API_PREFIX}/family-planning/birth-order` })).statusCode, 400);
});
