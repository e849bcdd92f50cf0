import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AuditBuffer } from '../../../platform/audit/event.ts';
import type { Tx } from '../../../platform/db/types.ts';
import { type Scope, scopeSettings } from '../../../platform/scope/scope.ts';
import { type TestApp, type TestSession, testApp } from '../../../test/harness.ts';
import { assignCare, countResidentsByDistrict, findPersonByIdNumber, getPeople, getPerson } from './service.ts';
import { residentBody, seedDivisions } from './test-fixture.ts';

/** The service API other modules call, run the way their handlers and jobs run it: in a scoped transaction. */
let t: TestApp;
let admin: TestSession;
const ids: number[] = [];
const bodies: ReturnType<typeof residentBody>[] = [];
before(async () => {
  t = await testApp();
  admin = await t.loginAs('city_admin');
  await seedDivisions(t);
  for (const over of [{}, { residenceDistrict: '310101', residenceStreet: '310101002' }]) {
    const b = residentBody(over);
    const r = await t.call(admin, { method: 'POST', url: '/api/v1/residents', payload: b });
    ids.push(r.json().id);
    bodies.push(b);
  }
});
after(() => t.close());

function inScope<T>(scope: Scope, fn: (ctx: { tx: Tx; kernel: TestApp['kernel']; audit: AuditBuffer }) => Promise<T>): Promise<T> {
  return t.kernel.db.transaction((tx) => fn({ tx, kernel: t.kernel, audit: new AuditBuffer() }), { scope: scopeSettings(scope, null) });
}
const XUHUI: Scope = { level: 'district', districtCode: '310104' };

test("findPersonByIdNumber and getPerson answer inside the caller's scope only", async () => {
  const found = await inScope(XUHUI, (ctx) => findPersonByIdNumber(ctx, 'resident_id', bodies[0]!.idNumber.toLowerCase()));
  assert.equal(found?.id, ids[0]);
  assert.equal(found?.version, 1);
  assert.equal((found as unknown as Record<string, unknown>).idNumber, undefined);
  assert.equal(await inScope(XUHUI, (ctx) => findPersonByIdNumber(ctx, 'resident_id', bodies[1]!.idNumber)), null);
  assert.equal(await inScope(XUHUI, (ctx) => getPerson(ctx, ids[1]!)), null);
  assert.equal((await inScope({ level: 'city' }, (ctx) => getPerson(ctx, ids[1]!)))?.residenceDistrict, '310101');
  const many = await inScope(XUHUI, (ctx) => getPeople(ctx, ids));
  assert.deepEqual([...many.keys()], [ids[0]]);
  const counts = await inScope(XUHUI, (ctx) => countResidentsByDistrict(ctx));
  assert.deepEqual([...counts], [['310104', 1]]);
});

test('assignCare sets team and doctor, bumps the version and records the change', async () => {
  const { view, audit } = await inScope({ level: 'city' }, async (ctx) => ({
    view: await assignCare(ctx, ids[0]!, { teamId: 7, doctorId: 9 }),
    audit: ctx.audit,
  }));
  assert.equal(view?.teamId, 7);
  assert.equal(view?.doctorId, 9);
  assert.equal(view?.version, 2);
  assert.equal(audit.events[0]!.action, 'resident.assign-care');
  assert.deepEqual(audit.events[0]!.after, { teamId: 7, doctorId: 9, managingInstitutionId: null });
  // A doctor scoped to their own patients now sees the resident.
  const own = await inScope({ level: 'own', practitionerId: 9 }, (ctx) => getPerson(ctx, ids[0]!));
  assert.equal(own?.id, ids[0]);
  assert.equal(await inScope(XUHUI, (ctx) => assignCare(ctx, ids[1]!, { teamId: 1, doctorId: 1 })), null);
});
