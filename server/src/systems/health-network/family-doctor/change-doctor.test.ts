import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addDays, shanghaiToday } from './rules.ts';
import { type Fd, fdApp, IDS } from './test-fixture.ts';

let fd: Fd;
before(async () => {
  fd = await fdApp();
});
after(() => fd.close());

const today = shanghaiToday();
const toB = {
  institutionId: IDS.chcB,
  teamId: IDS.teamB1,
  doctorId: IDS.docB1,
  districtHospitalId: IDS.dh2,
  cityHospitalId: IDS.ch2,
  channel: 'offline',
  initiator: 'resident',
  reason: '搬家',
  residentInformed: true,
};

async function signed(): Promise<{ pid: number; id: number }> {
  const pid = await fd.resident();
  const r = await fd.sign(pid);
  assert.equal(r.statusCode, 201, r.body);
  return { pid, id: r.json().id };
}

test('offline change of doctor: the old contract is terminated (initiator, reason), the new one begins, both tagged', async () => {
  const { pid, id } = await signed();
  const r = await fd.post(`/contracts/${id}/change-doctor`, toB);
  assert.equal(r.statusCode, 201, r.body);
  const c = r.json();
  assert.equal(c.doctorName, '赵医生');
  assert.equal(c.institutionId, IDS.chcB);
  assert.equal(c.previousId, id);
  assert.deepEqual(c.tags, ['线下变更签约']);
  assert.equal(c.doctorSince, today);
  const old = (await fd.get(`/contracts/${id}`)).json();
  assert.equal(old.status, 'terminated');
  assert.equal(old.terminationInitiator, 'resident');
  assert.equal(old.terminationReason, '更换家庭医生：搬家');
  assert.deepEqual(old.tags, ['线下变更签约']);
  assert.deepEqual(
    old.events.map((e: { kind: string }) => e.kind),
    ['sign', 'terminate'],
  );
  const detail = (await fd.get(`/contracts/${c.id}`)).json();
  assert.deepEqual(
    detail.events.map((e: { kind: string }) => e.kind),
    ['change_doctor'],
  );
  assert.equal(detail.chances.doctorChangesUsed, 1);
  assert.equal(detail.chances.doctorChangesLeft, 0);
  assert.equal(detail.chances.yearStart, today);
  const [p] = await fd.t.kernel.db.query<{ team_id: number; doctor_id: number }>('select team_id, doctor_id from person where id = $1', [pid]);
  assert.deepEqual(p, { team_id: IDS.teamB1, doctor_id: IDS.docB1 });
  const audit = await fd.t.kernel.db.query<{ action: string }>(
    "select action from audit_event where action = 'family-doctor.change-doctor' and object_id = $1",
    [String(c.id)],
  );
  assert.equal(audit.length, 1);
});

test('a second change of doctor within the change-sign year is refused with the reason and no chances left', async () => {
  const { pid, id } = await signed();
  const first = (await fd.post(`/contracts/${id}/change-doctor`, toB)).json();
  const again = await fd.post(`/contracts/${first.id}/change-doctor`, { ...toB, institutionId: IDS.chcA, teamId: IDS.teamA1, doctorId: IDS.docA1 });
  assert.equal(again.statusCode, 422, again.body);
  assert.equal(again.json().code, 'RULE_VIOLATION');
  assert.match(again.json().message, /变更签约年（.*）内已更换家庭医生 1 次，已达上限 1 次/);
  const ch = (await fd.get(`/residents/${pid}/chances`)).json();
  assert.equal(ch.chances.doctorChangesLeft, 0);
  // A year (365 days) later the resident may change again.
  await fd.setDates(first.id, { doctor_changes: [addDays(today, -365)], signed_on: addDays(today, -365) });
  const later = await fd.post(`/contracts/${first.id}/change-doctor`, { ...toB, institutionId: IDS.chcA, teamId: IDS.teamA1, doctorId: IDS.docA1 });
  assert.equal(later.statusCode, 201, later.body);
});

test('inside the same community the change is a transfer (422 pointing there)', async () => {
  const { id } = await signed();
  const r = await fd.post(`/contracts/${id}/change-doctor`, { ...toB, institutionId: IDS.chcA, teamId: IDS.teamA2, doctorId: IDS.docA2 });
  assert.equal(r.statusCode, 422);
  assert.match(r.json().message, /社区内转签/);
});

test('the doctor must confirm the resident was told (422), and a lapsed contract cannot be changed', async () => {
  const { id } = await signed();
  const r = await fd.post(`/contracts/${id}/change-doctor`, { ...toB, residentInformed: false });
  assert.equal(r.statusCode, 422);
  assert.match(r.json().message, /告知/);
  assert.equal(r.json().details[0].field, 'residentInformed');
  await fd.setDates(id, { cycle_start: addDays(today, -600), cycle_end: addDays(today, -200) });
  const red = await fd.post(`/contracts/${id}/change-doctor`, toB);
  assert.equal(red.statusCode, 422);
  assert.match(red.json().message, /红色.*重新签约/);
});

test('online change: tagged as online, the old contract terminated with the resident as initiator', async () => {
  const { id } = await signed();
  const r = await fd.post(`/contracts/${id}/change-doctor`, { ...toB, channel: 'online' });
  assert.equal(r.statusCode, 201, r.body);
  assert.deepEqual(r.json().tags, ['线上变更签约']);
  assert.equal(r.json().channel, 'online');
});

test('a doctor of another district cannot see or change the contract (404)', async () => {
  const { id } = await signed();
  const hp = await fd.t.loginAs('district_admin', { level: 'district', districtCode: '310101' });
  assert.equal((await fd.post(`/contracts/${id}/change-doctor`, toB, hp)).statusCode, 404);
});
