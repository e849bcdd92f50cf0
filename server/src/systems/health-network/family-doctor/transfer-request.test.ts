import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Fd, fdApp, IDS } from './test-fixture.ts';

let fd: Fd;
before(async () => {
  fd = await fdApp();
  await fd.t.kernel.db.exec(`
    insert into institution (id, code, name, kind, level, district_code, street_code) values (7901, 'FD-CHC-X', '外区社区卫生服务中心', 'chc', 1, '310101', null);
    insert into practitioner (id, institution_id, name, sex, district_code, is_family_doctor) values (7902, 7901, '外区医生', 'M', '310101', true);
    insert into team (id, institution_id, name, leader_id, district_code) values (7903, 7901, '外区团队', 7902, '310101');
    insert into team_member (team_id, practitioner_id, member_role) values (7903, 7902, 'leader');
  `);
});
after(() => fd.close());

const toB = { toTeamId: IDS.teamB1, toDoctorId: IDS.docB1, reasonKind: 'retire', reason: '王医生退休' };
const signedIds = async (n: number) => {
  const ids: number[] = [];
  for (let i = 0; i < n; i++) ids.push((await fd.sign(await fd.resident())).json().id);
  return ids;
};

test('a transfer request names the residents, moves nothing yet, and is listed for both doctors', async () => {
  const ids = await signedIds(2);
  const r = await fd.post('/transfer-requests', { ...toB, contractIds: ids });
  assert.equal(r.statusCode, 201, r.body);
  const q = r.json();
  assert.equal(q.status, 'pending');
  assert.equal(q.fromDoctorName, '王医生');
  assert.equal(q.toDoctorName, '赵医生');
  assert.equal(q.reasonKindName, '退休');
  assert.deepEqual(q.contractIds, ids);
  assert.equal(q.residents.length, 2);
  assert.ok(q.residents[0].idNumberMasked.includes('*'));
  assert.equal((await fd.get(`/contracts/${ids[0]}`)).json().doctorId, IDS.docA1, 'nothing moves before acceptance');
  const docB = await fd.t.loginAs('family_doctor', { level: 'own', districtCode: '310104', institutionId: IDS.chcB, practitionerId: IDS.docB1 });
  const inbox = (await fd.get(`/transfer-requests?doctorId=${IDS.docB1}&direction=in&status=pending`, docB)).json();
  assert.ok(
    inbox.items.some((x: { id: number }) => x.id === q.id),
    'the receiving doctor sees it in the inbox',
  );
  const docA = await fd.t.loginAs('family_doctor', { level: 'own', districtCode: '310104', institutionId: IDS.chcA, practitionerId: IDS.docA1 });
  const out = (await fd.get(`/transfer-requests?doctorId=${IDS.docA1}&direction=out`, docA)).json();
  assert.ok(
    out.items.some((x: { id: number }) => x.id === q.id),
    'the transferring doctor sees it too',
  );
  const other = await fd.t.loginAs('family_doctor', { level: 'own', districtCode: '310104', institutionId: IDS.chcA, practitionerId: IDS.docA2 });
  assert.equal(
    (await fd.get('/transfer-requests', other)).json().items.some((x: { id: number }) => x.id === q.id),
    false,
    'a third doctor does not',
  );
  const [a] = await fd.t.kernel.db.query("select count(*)::int as n from audit_event where action = 'family-doctor.transfer-request' and object_id = $1", [
    String(q.id),
  ]);
  assert.equal((a as { n: number }).n, 1);
});

test('a contract already in a pending request cannot be requested again (422)', async () => {
  const ids = await signedIds(1);
  assert.equal((await fd.post('/transfer-requests', { ...toB, contractIds: ids })).statusCode, 201);
  const again = await fd.post('/transfer-requests', { ...toB, toTeamId: IDS.teamA2, toDoctorId: IDS.docA2, contractIds: ids });
  assert.equal(again.statusCode, 422);
  assert.match(again.json().message, /已在待处理的转签申请中/);
});

test('refusals: same doctor, another district, residents of different doctors, a terminated contract', async () => {
  const [a, b] = await signedIds(2);
  const same = await fd.post('/transfer-requests', { ...toB, toTeamId: IDS.teamA1, toDoctorId: IDS.docA1, contractIds: [a] });
  assert.equal(same.statusCode, 422);
  assert.match(same.json().message, /接收医生与转出医生相同/);
  const far = await fd.post('/transfer-requests', { ...toB, toTeamId: 7903, toDoctorId: 7902, contractIds: [a] });
  assert.equal(far.statusCode, 422);
  assert.match(far.json().message, /只能转给本区的家庭医生/);
  assert.equal(
    (await fd.post(`/contracts/${b}/internal-transfer`, { teamId: IDS.teamA2, doctorId: IDS.docA2, initiator: 'doctor', reason: '调整' })).statusCode,
    200,
  );
  const mixed = await fd.post('/transfer-requests', { ...toB, contractIds: [a, b] });
  assert.equal(mixed.statusCode, 422);
  assert.match(mixed.json().message, /同一位家庭医生/);
  assert.equal((await fd.post(`/contracts/${a}/terminate`, { initiator: 'resident', reason: '迁出', residentInformed: true })).statusCode, 200);
  const ended = await fd.post('/transfer-requests', { ...toB, contractIds: [a] });
  assert.equal(ended.statusCode, 422);
  assert.match(ended.json().message, /已解约/);
  const notMember = await fd.post('/transfer-requests', { ...toB, toDoctorId: IDS.docA2, contractIds: [b] });
  assert.equal(notMember.statusCode, 400, 'the receiving doctor must belong to the receiving team');
});

test('a doctor cannot request a transfer of contracts outside its scope (404)', async () => {
  const [a] = await signedIds(1);
  const docB = await fd.t.loginAs('family_doctor', { level: 'own', districtCode: '310104', institutionId: IDS.chcB, practitionerId: IDS.docB1 });
  assert.equal((await fd.post('/transfer-requests', { ...toB, toTeamId: IDS.teamA2, toDoctorId: IDS.docA2, contractIds: [a] }, docB)).statusCode, 404);
});
