import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { shanghaiToday } from './rules.ts';
import { type Fd, fdApp, IDS } from './test-fixture.ts';

let fd: Fd;
before(async () => {
  fd = await fdApp();
});
after(() => fd.close());

const toA2 = { teamId: IDS.teamA2, doctorId: IDS.docA2, initiator: 'doctor', reason: '团队调整' };

async function signed(): Promise<{ pid: number; id: number }> {
  const pid = await fd.resident();
  return { pid, id: (await fd.sign(pid)).json().id };
}

test('transfer inside the community: new doctor and team, same contract and hospitals, unlimited', async () => {
  const { pid, id } = await signed();
  const r = await fd.post(`/contracts/${id}/internal-transfer`, toA2);
  assert.equal(r.statusCode, 200, r.body);
  assert.equal(r.json().id, id);
  assert.equal(r.json().doctorName, '李医生');
  assert.equal(r.json().districtHospitalId, IDS.dh1);
  assert.equal(r.json().doctorSince, shanghaiToday());
  for (let i = 0; i < 3; i++) {
    const back = await fd.post(`/contracts/${id}/internal-transfer`, i % 2 ? toA2 : { ...toA2, teamId: IDS.teamA1, doctorId: IDS.docA1 });
    assert.equal(back.statusCode, 200, back.body);
  }
  const d = (await fd.get(`/contracts/${id}`)).json();
  assert.equal(d.events.filter((e: { kind: string }) => e.kind === 'transfer_in_community').length, 4);
  assert.equal(d.chances.doctorChangesLeft, 1, 'transfers do not use up the change of doctor');
  const p = (await fd.t.kernel.db.query<{ doctor_id: number }>('select doctor_id from person where id = $1', [pid]))[0]!;
  assert.equal(p.doctor_id, IDS.docA1, 'the last transfer went back to 王医生');
});

test('a transfer may not change the district or city hospital (422)', async () => {
  const { id } = await signed();
  const r = await fd.post(`/contracts/${id}/internal-transfer`, { ...toA2, districtHospitalId: IDS.dh2 });
  assert.equal(r.statusCode, 422, r.body);
  assert.match(r.json().message, /社区内转签不能变更签约组合中的区级医院和市级医院/);
  assert.equal(r.json().details[0].field, 'districtHospitalId');
  const city = await fd.post(`/contracts/${id}/internal-transfer`, { ...toA2, cityHospitalId: IDS.ch2 });
  assert.equal(city.statusCode, 422, city.body);
  assert.deepEqual(
    city.json().details.map((x: { field: string }) => x.field),
    ['cityHospitalId'],
  );
  const same = await fd.post(`/contracts/${id}/internal-transfer`, { ...toA2, districtHospitalId: IDS.dh1, cityHospitalId: IDS.ch1 });
  assert.equal(same.statusCode, 200, 'naming the same hospitals is fine');
});

test('a transfer to another centre or to the same doctor is refused (422)', async () => {
  const { id } = await signed();
  const other = await fd.post(`/contracts/${id}/internal-transfer`, { ...toA2, teamId: IDS.teamB1, doctorId: IDS.docB1 });
  assert.equal(other.statusCode, 422);
  assert.match(other.json().message, /须属于原签约社区/);
  const same = await fd.post(`/contracts/${id}/internal-transfer`, { ...toA2, teamId: IDS.teamA1, doctorId: IDS.docA1 });
  assert.equal(same.statusCode, 422);
  assert.match(same.json().message, /相同/);
});

test('an own-scope doctor cannot hand a resident to a colleague it could not see afterwards (403), the centre admin can', async () => {
  const { id } = await signed();
  const doctor = await fd.t.loginAs('family_doctor', { level: 'own', districtCode: '310104', institutionId: IDS.chcA, practitionerId: IDS.docA1 });
  assert.equal((await fd.post(`/contracts/${id}/internal-transfer`, toA2, doctor)).statusCode, 403);
  const adminA = await fd.t.loginAs('community_admin', { level: 'institution', districtCode: '310104', institutionId: IDS.chcA });
  assert.equal((await fd.post(`/contracts/${id}/internal-transfer`, toA2, adminA)).statusCode, 200);
});
