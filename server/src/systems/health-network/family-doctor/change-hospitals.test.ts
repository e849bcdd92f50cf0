import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addDays, shanghaiToday } from './rules.ts';
import { type Fd, fdApp, IDS } from './test-fixture.ts';

let fd: Fd;
before(async () => {
  fd = await fdApp();
});
after(() => fd.close());

const body = (dh: number | null, ch: number | null) => ({
  districtHospitalId: dh,
  cityHospitalId: ch,
  initiator: 'resident',
  reason: '就医方便',
  residentInformed: true,
});

test('upper-level hospitals may change twice per change-sign year; the third is refused with the reason', async () => {
  const pid = await fd.resident();
  const id = (await fd.sign(pid)).json().id;
  const a = await fd.post(`/contracts/${id}/hospitals`, body(IDS.dh2, IDS.ch1));
  assert.equal(a.statusCode, 200, a.body);
  assert.equal(a.json().districtHospitalName, '徐汇区大华医院');
  const b = await fd.post(`/contracts/${id}/hospitals`, body(IDS.dh2, IDS.ch2));
  assert.equal(b.statusCode, 200, b.body);
  const c = await fd.post(`/contracts/${id}/hospitals`, body(IDS.dh1, IDS.ch2));
  assert.equal(c.statusCode, 422);
  assert.match(c.json().message, /已更换上级医院 2 次，已达上限 2 次/);
  assert.deepEqual(
    c.json().details.map((x: { field: string }) => x.field),
    ['districtHospitalId'],
  );
  // A refused change of the city hospital only names the city hospital field.
  const city = await fd.post(`/contracts/${id}/hospitals`, body(IDS.dh2, IDS.ch1));
  assert.equal(city.statusCode, 422);
  assert.deepEqual(
    city.json().details.map((x: { field: string }) => x.field),
    ['cityHospitalId'],
  );
  const d = (await fd.get(`/contracts/${id}`)).json();
  assert.equal(d.chances.hospitalChangesLeft, 0);
  assert.equal(d.events.filter((e: { kind: string }) => e.kind === 'change_hospitals').length, 2);
  // Next change-sign year: allowed again.
  const today = shanghaiToday();
  await fd.setDates(id, { signed_on: addDays(today, -400), hospital_changes: [addDays(today, -390), addDays(today, -380)] });
  assert.equal((await fd.post(`/contracts/${id}/hospitals`, body(IDS.dh1, IDS.ch2))).statusCode, 200);
});

test('no change, a wrong kind of hospital, or no confirmation are refused', async () => {
  const id = (await fd.sign(await fd.resident())).json().id;
  const same = await fd.post(`/contracts/${id}/hospitals`, body(IDS.dh1, IDS.ch1));
  assert.equal(same.statusCode, 422);
  assert.match(same.json().message, /均未变化/);
  const kind = await fd.post(`/contracts/${id}/hospitals`, body(IDS.ch2, IDS.dh2));
  assert.equal(kind.statusCode, 400);
  assert.deepEqual(
    kind
      .json()
      .details.map((x: { field: string }) => x.field)
      .sort(),
    ['cityHospitalId', 'districtHospitalId'],
  );
  const told = await fd.post(`/contracts/${id}/hospitals`, { ...body(IDS.dh2, IDS.ch1), residentInformed: false });
  assert.equal(told.statusCode, 422);
  assert.match(told.json().message, /告知/);
});
