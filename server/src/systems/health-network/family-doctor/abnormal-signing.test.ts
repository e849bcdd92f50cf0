import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Fd, fdApp, IDS } from './test-fixture.ts';

let fd: Fd;
let pid: number;
before(async () => {
  fd = await fdApp();
  // One resident signed 12 times (11 earlier terminated contracts), another 3 times.
  pid = await fd.resident();
  const other = await fd.resident();
  const plant = (person: number, n: number) =>
    fd.t.kernel.db.query(
      `insert into fd_contract (person_id, institution_id, doctor_id, team_id, district_code, street_code, signed_on, cycle_start, cycle_end, doctor_since, channel, status, terminated_on)
       select $1, ${IDS.chcA}, ${IDS.docA1}, ${IDS.teamA1}, '310104', '310104003', d, d, d + 364, d, 'offline', 'terminated', d + 30
         from (select date '2010-01-01' + g * 40 as d from generate_series(1, $2::int) g) x`,
      [person, n],
    );
  await plant(pid, 11);
  await plant(other, 2);
  assert.equal((await fd.sign(pid)).statusCode, 201);
  assert.equal((await fd.sign(other)).statusCode, 201);
});
after(() => fd.close());

test('ID numbers signed more than 10 times are listed with their counts', async () => {
  const r = await fd.get('/reports/abnormal-signing');
  assert.equal(r.statusCode, 200, r.body);
  assert.equal(r.json().threshold, 10);
  assert.equal(r.json().total, 1);
  const [row] = r.json().items;
  assert.equal(row.personId, pid);
  assert.equal(row.signCount, 12);
  assert.ok(row.idNumberMasked.includes('*'));
  assert.equal(row.firstSignedOn, '2010-02-10');
});

test('the threshold is configurable (setting, or per query) and the report respects scope', async () => {
  assert.equal((await fd.get('/reports/abnormal-signing?threshold=2')).json().total, 2);
  await fd.t.kernel.db.query(`update fd_setting set value = 12 where key = 'abnormal_sign_threshold'`);
  assert.equal((await fd.get('/reports/abnormal-signing')).json().total, 0, 'exactly 12 is not more than 12');
  await fd.t.kernel.db.query(`update fd_setting set value = 10 where key = 'abnormal_sign_threshold'`);
  const docB = await fd.t.loginAs('family_doctor', { level: 'own', districtCode: '310104', institutionId: IDS.chcB, practitionerId: IDS.docB1 });
  assert.equal((await fd.get('/reports/abnormal-signing', docB)).json().total, 0);
  assert.equal((await fd.get('/reports/abnormal-signing?threshold=0')).statusCode, 400);
});
