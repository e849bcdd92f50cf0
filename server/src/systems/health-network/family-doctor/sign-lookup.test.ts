import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { residentBody } from '../../common/resident-index/test-fixture.ts';
import { signLookupRefusal } from '../../common/resident-index/service.ts';
import { type Fd, fdApp, IDS, signBody } from './test-fixture.ts';

let fd: Fd;
before(async () => {
  fd = await fdApp();
});
after(() => fd.close());

const ownA = () => fd.t.loginAs('family_doctor', { level: 'own', districtCode: '310104', institutionId: IDS.chcA, practitionerId: IDS.docA1 });

async function newResident(over: Record<string, unknown> = {}): Promise<{ id: number; idNumber: string; name: string }> {
  const body = residentBody({ name: '孙新居', ...over });
  const r = await fd.t.call(fd.admin, { method: 'POST', url: '/api/v1/residents', payload: body });
  assert.equal(r.statusCode, 201, r.body);
  return { id: r.json().id, idNumber: body.idNumber, name: body.name as string };
}
const lookup = (s: Awaited<ReturnType<typeof ownA>>, idNumber: string, name: string) =>
  fd.t.call(s, { method: 'GET', url: `/api/v1/family-doctor/sign-lookup?idNumber=${idNumber}&name=${encodeURIComponent(name)}` });

test('rules (pure): own district and alive', () => {
  assert.equal(signLookupRefusal({ level: 'own', districtCode: '310104', practitionerId: 1 }, { residenceDistrict: '310104', status: 'alive' }), null);
  assert.match(
    signLookupRefusal({ level: 'own', districtCode: '310104', practitionerId: 1 }, { residenceDistrict: '310101', status: 'alive' }) as string,
    /不在本区/,
  );
  assert.match(signLookupRefusal({ level: 'city' }, { residenceDistrict: '310101', status: 'dead' }) as string, /已死亡/);
  assert.match(signLookupRefusal({ level: 'institution', institutionId: 1 }, { residenceDistrict: '310104', status: 'alive' }) as string, /未指定所在区/);
});

test('a family doctor finds an unsigned resident of the centre by ID number + name and signs them', async () => {
  const p = await newResident();
  const doc = await ownA();
  // Before: the resident is outside the doctor's scope — the plain search finds nothing and signing is 404.
  assert.equal((await fd.t.call(doc, { method: 'GET', url: `/api/v1/residents?idNumber=${p.idNumber}` })).json().total, 0);
  const blind = await fd.sign(p.id, {}, doc);
  assert.equal(blind.statusCode, 404);
  assert.match(blind.json().message, /签约查找/);

  const wrongName = await lookup(doc, p.idNumber, '孙旧居');
  assert.equal(wrongName.statusCode, 404);
  const r = await lookup(doc, p.idNumber, p.name);
  assert.equal(r.statusCode, 200, r.body);
  const found = r.json();
  assert.equal(found.resident.id, p.id);
  assert.equal(found.resident.managingInstitutionId, IDS.chcA);
  assert.match(found.resident.idNumberMasked, /\*{10}/);
  assert.doesNotMatch(r.body, new RegExp(p.idNumber));
  assert.equal(found.contract, null);
  assert.equal(found.maySign, true);
  const audit = await fd.t.kernel.db.query<{ object_id: string; note: string }>(
    "select object_id, note from audit_event where action = 'resident.sign-lookup' and actor_id = $1 order by seq",
    [doc.userId],
  );
  assert.deepEqual(
    audit.map((a) => [a.object_id, a.note]),
    [
      [null, '签约查找：未找到'],
      [String(p.id), '签约查找：证件号码与姓名一致'],
    ],
  );

  const signed = await fd.sign(p.id, {}, doc);
  assert.equal(signed.statusCode, 201, signed.body);
  assert.equal(signed.json().doctorId, IDS.docA1);
  // Now the resident is the doctor's own.
  assert.equal((await fd.t.call(doc, { method: 'GET', url: `/api/v1/residents/${p.id}` })).statusCode, 200);
});

test("the lookup shows another doctor's green contract and the signing is refused (no second contract)", async () => {
  const p = await newResident();
  const c = (await fd.sign(p.id, { institutionId: IDS.chcA, teamId: IDS.teamA2, doctorId: IDS.docA2 })).json();
  const doc = await ownA();
  const r = (await lookup(doc, p.idNumber, p.name)).json();
  assert.equal(r.contract.id, c.id);
  assert.equal(r.contract.colour, 'green');
  assert.equal(r.contract.doctorName, '李医生');
  assert.equal(r.maySign, false);
  const again = await fd.sign(p.id, {}, doc);
  assert.equal(again.statusCode, 422, again.body);
  const n = (await fd.t.kernel.db.query<{ n: number }>("select count(*)::int as n from fd_contract where person_id = $1 and status = 'active'", [p.id]))[0]!;
  assert.equal(n.n, 1);
});

test('refused outside the rules: another district (422 with the reason), a deceased resident (422), no sign permission (403)', async () => {
  const far = await newResident({ residenceDistrict: '310101', residenceStreet: null });
  const doc = await ownA();
  const r = await lookup(doc, far.idNumber, far.name);
  assert.equal(r.statusCode, 422, r.body);
  assert.match(r.json().message, /不在本区居住/);
  const a = (
    await fd.t.kernel.db.query<{ note: string }>("select note from audit_event where action = 'resident.sign-lookup' and object_id = $1", [String(far.id)])
  )[0]!;
  assert.match(a.note, /拒绝/);
  assert.doesNotMatch(r.body, new RegExp(far.idNumber));
  // Signing that resident stays impossible: the lookup was refused, so there is no grant.
  assert.equal((await fd.sign(far.id, {}, doc)).statusCode, 404);
  const dead = await newResident({ status: 'dead', deathDate: '2025-01-01' });
  assert.match((await lookup(doc, dead.idNumber, dead.name)).json().message, /已死亡/);
  const hospital = await fd.t.loginAs('hospital_user', { level: 'institution', districtCode: '310104', institutionId: IDS.dh1 });
  assert.equal((await lookup(hospital, dead.idNumber, dead.name)).statusCode, 403);
});

test("the receiving centre's admin changes a resident managed elsewhere (offline 跨社区更换) after a lookup", async () => {
  const p = await newResident();
  const c = (await fd.sign(p.id)).json();
  const centreB = await fd.t.loginAs('community_admin', { level: 'institution', districtCode: '310104', institutionId: IDS.chcB });
  const body = {
    ...signBody(p.id, { institutionId: IDS.chcB, teamId: IDS.teamB1, doctorId: IDS.docB1 }),
    initiator: 'resident',
    reason: '搬家',
    residentInformed: true,
  };
  delete (body as Record<string, unknown>).emergencyContacts;
  const before = await fd.post(`/contracts/${c.id}/change-doctor`, body, centreB);
  assert.equal(before.statusCode, 404);
  assert.equal((await lookup(centreB, p.idNumber, p.name)).json().contract.id, c.id);
  const r = await fd.post(`/contracts/${c.id}/change-doctor`, body, centreB);
  assert.equal(r.statusCode, 201, r.body);
  assert.equal(r.json().institutionId, IDS.chcB);
  const old = (await fd.t.kernel.db.query<{ status: string }>('select status from fd_contract where id = $1', [c.id]))[0]!;
  assert.equal(old.status, 'terminated');
});

test('the lookup lets only its own user act, for SIGN_GRANT_MINUTES; an expired grant is refused and cleaned up at the next lookup', async () => {
  const p = await newResident();
  const other = await newResident();
  const doc = await ownA();
  assert.equal((await lookup(doc, p.idNumber, p.name)).statusCode, 200);
  // Another user of the same centre has not looked the resident up: still 404 for them.
  const nurse = await fd.t.loginAs('doctor_assistant', { level: 'own', districtCode: '310104', institutionId: IDS.chcA, practitionerId: IDS.nurseA });
  assert.equal((await fd.sign(p.id, {}, nurse)).statusCode, 404);
  // Thirty-one minutes later the lookup no longer counts.
  await fd.t.kernel.db.query(`update person_sign_grant set granted_at = now() - interval '31 minutes' where user_id = $1 and person_id = $2`, [
    doc.userId,
    p.id,
  ]);
  const late = await fd.sign(p.id, {}, doc);
  assert.equal(late.statusCode, 404, late.body);
  assert.match(late.json().message, /签约查找/);
  // The next lookup (of anyone) removes the user's expired grants.
  assert.equal((await lookup(doc, other.idNumber, other.name)).statusCode, 200);
  const rows = await fd.t.kernel.db.query<{ person_id: string }>(
    'select person_id from person_sign_grant where user_id = $1 and person_id = any($2::bigint[]) order by person_id',
    [doc.userId, [p.id, other.id]],
  );
  assert.deepEqual(
    rows.map((r) => Number(r.person_id)),
    [other.id],
  );
  assert.equal((await fd.sign(other.id, {}, doc)).statusCode, 201);
});
