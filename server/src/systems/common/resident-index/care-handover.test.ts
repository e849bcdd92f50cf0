import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AuditBuffer } from '../../../platform/audit/event.ts';
import type { Tx } from '../../../platform/db/types.ts';
import { type Scope, scopeSettings } from '../../../platform/scope/scope.ts';
import { type TestApp, testApp } from '../../../test/harness.ts';
import { type CareSide, handoverScope } from './care-handover.ts';
import { assignCare, getPerson, handOverCare } from './service.ts';
import { residentBody, seedDivisions } from './test-fixture.ts';

// 照护交接 as family-doctor calls it (转签 accepted by the receiving doctor, death confirmed by the treating doctor).
let t: TestApp;
const GIVING: CareSide = { district: '310104', street: '310104003', institution: 501, team: 601, doctor: 701 };
const RECEIVING: CareSide = { district: '310104', street: '310104003', institution: 502, team: 602, doctor: 702 };
const own = (doctor: number): Scope => ({ level: 'own', practitionerId: doctor, districtCode: '310104' });

before(async () => {
  t = await testApp();
  await seedDivisions(t);
});
after(() => t.close());

function inScope<T>(
  scope: Scope,
  fn: (ctx: { tx: Tx; kernel: TestApp['kernel']; audit: AuditBuffer; principal: { scope: Scope; userId: null } }) => Promise<T>,
): Promise<T> {
  return t.kernel.db.transaction((tx) => fn({ tx, kernel: t.kernel, audit: new AuditBuffer(), principal: { scope, userId: null } }), {
    scope: scopeSettings(scope, null),
  });
}

/** A resident of 天平路街道 cared for by the giving doctor. */
async function resident(): Promise<number> {
  const admin = await t.loginAs('city_admin');
  const r = await t.call(admin, {
    method: 'POST',
    url: '/api/v1/residents',
    payload: residentBody({ residenceDistrict: '310104', residenceStreet: '310104003' }),
  });
  assert.equal(r.statusCode, 201, r.body);
  const id = r.json().id as number;
  await inScope({ level: 'city' }, (ctx) => assignCare(ctx, id, { teamId: GIVING.team, doctorId: GIVING.doctor, managingInstitutionId: GIVING.institution }));
  return id;
}

test('the hand-over scope is the narrowest that sees both sides', () => {
  assert.deepEqual(handoverScope(GIVING, { ...GIVING, doctor: 703 }), { level: 'team', teamId: 601, districtCode: '310104' });
  assert.deepEqual(handoverScope(GIVING, { ...GIVING, team: null, doctor: null }), { level: 'institution', institutionId: 501, districtCode: '310104' });
  assert.deepEqual(handoverScope(GIVING, RECEIVING), { level: 'street', streetCode: '310104003', districtCode: '310104' });
  assert.deepEqual(handoverScope({ ...GIVING, street: null }, RECEIVING), { level: 'district', districtCode: '310104' });
  assert.deepEqual(handoverScope(GIVING, { ...RECEIVING, district: '310101', street: null }), { level: 'city' });
});

test("the receiving doctor takes over the care; the caller's own scope is back afterwards", async () => {
  const id = await resident();
  const { out, level, seen, audit } = await inScope(own(RECEIVING.doctor as number), async (ctx) => {
    // The receiving doctor cannot see the resident before the hand-over.
    assert.equal(await getPerson(ctx, id), null);
    const out = await handOverCare(ctx, { from: GIVING, to: RECEIVING, actingFor: 'receiving' }, async () => ({ personId: id, value: 'moved' }));
    const { level } = (await ctx.tx.query<{ level: string }>("select current_setting('weijian.level') as level"))[0]!;
    return { out, level, seen: await getPerson(ctx, id), audit: ctx.audit };
  });
  assert.equal(out.result, 'moved');
  assert.equal(out.person?.doctorId, RECEIVING.doctor);
  assert.equal(level, 'own');
  assert.equal(seen?.teamId, RECEIVING.team);
  assert.equal(audit.events.at(-1)?.action, 'resident.care-handover');
  assert.deepEqual(audit.events.at(-1)?.after, { teamId: 602, doctorId: 702, managingInstitutionId: 502 });
});

test('the giving doctor ends the care: team and doctor cleared, the managing centre stays', async () => {
  const id = await resident();
  const out = await inScope(own(GIVING.doctor as number), (ctx) =>
    handOverCare(ctx, { from: GIVING, to: null, actingFor: 'giving' }, async () => ({ personId: id, value: 1 })),
  );
  assert.equal(out.person?.doctorId, null);
  assert.equal(out.person?.teamId, null);
  assert.equal((await inScope({ level: 'city' }, (ctx) => getPerson(ctx, id)))?.managingInstitutionId, GIVING.institution);
});

test('refused: the caller does not act for the side the operation needs; nothing is written', async () => {
  const id = await resident();
  let wrote = false;
  const writes = async () => {
    wrote = true;
    return { personId: id, value: 1 };
  };
  // A third doctor, the giving doctor trying to accept for the receiving side, another centre's admin ending the care.
  for (const [scope, h] of [
    [own(799), { from: GIVING, to: RECEIVING, actingFor: 'receiving' }],
    [own(GIVING.doctor as number), { from: GIVING, to: RECEIVING, actingFor: 'receiving' }],
    [
      { level: 'institution', institutionId: 502, districtCode: '310104' },
      { from: GIVING, to: null, actingFor: 'giving' },
    ],
  ] as const) {
    await assert.rejects(
      inScope(scope, (ctx) => handOverCare(ctx, h, writes)),
      (e: { status: number }) => e.status === 403,
    );
  }
  assert.equal(wrote, false);
  assert.equal((await inScope({ level: 'city' }, (ctx) => getPerson(ctx, id)))?.doctorId, GIVING.doctor);
});

test('refused: the resident is no longer with the giving side (409), and a write that hands over nothing leaves the care', async () => {
  const id = await resident();
  await inScope({ level: 'city' }, (ctx) => assignCare(ctx, id, { teamId: 603, doctorId: 703, managingInstitutionId: GIVING.institution }));
  await assert.rejects(
    inScope(own(RECEIVING.doctor as number), (ctx) =>
      handOverCare(ctx, { from: GIVING, to: RECEIVING, actingFor: 'receiving' }, async () => ({ personId: id, value: 1 })),
    ),
    (e: { status: number; message: string }) => e.status === 409 && /已不是交出方/.test(e.message),
  );
  const none = await inScope(own(RECEIVING.doctor as number), (ctx) =>
    handOverCare(ctx, { from: GIVING, to: RECEIVING, actingFor: 'receiving' }, async () => null),
  );
  assert.deepEqual(none, { result: null, person: null });
  assert.equal((await inScope({ level: 'city' }, (ctx) => getPerson(ctx, id)))?.doctorId, 703);
});
