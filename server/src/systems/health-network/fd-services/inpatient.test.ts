import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Fs, fsApp } from './test-fixture.ts';
import { IDS } from '../health-assessment/test-fixture.ts';

let fs: Fs;
before(async () => {
  fs = await fsApp();
});
after(() => fs.close());

test("an admission of a contracted resident reminds the family doctor, with the stay's report links; idempotent", async () => {
  const p = await fs.person('1948-01-02');
  await fs.sign(p.id);
  const doctor = await fs.t.loginAs('family_doctor', { level: 'own', districtCode: '310104', institutionId: IDS.chcA, practitionerId: IDS.docA1 });
  const other = await fs.t.loginAs('family_doctor', { level: 'own', districtCode: '310104', institutionId: IDS.chcA, practitionerId: IDS.docA2 });
  const hospital = await fs.partner(['fd-services.inpatient.report']);
  const body = {
    idNumber: p.idNumber,
    name: '张三',
    hospitalId: IDS.dh1,
    stayNo: 'ZY2026-0001',
    kind: 'admission',
    at: '2026-11-20T08:30:00+08:00',
    department: '心内科',
    diagnosis: '冠心病',
    reports: [{ title: '入院记录', url: 'https://his.example.org/stay/ZY2026-0001/admission.pdf' }],
  };
  const r = await fs.signed(hospital, 'POST', '/partner/fd-services/inpatient-events', body);
  assert.equal(r.statusCode, 201, r.body);
  assert.equal(r.json().reminded, true);
  assert.equal(r.json().notified, 1);
  const again = await fs.signed(hospital, 'POST', '/partner/fd-services/inpatient-events', body);
  assert.equal(again.json().duplicate, true);
  const { n } = (
    await fs.t.kernel.db.query<{ n: number }>(`select count(*)::int as n from notification where kind = 'fd.inpatient-admission' and user_id = $1`, [
      doctor.userId,
    ])
  )[0]!;
  assert.equal(n, 1);
  const list = await fs.api(doctor, 'GET', '/fd-services/inpatient-reminders?status=open');
  assert.equal(list.statusCode, 200, list.body);
  const item = list.json().items.find((x: { stayNo: string }) => x.stayNo === 'ZY2026-0001');
  assert.equal(item.hospitalName, '徐汇区中心医院');
  assert.deepEqual(item.reports, body.reports);
  assert.equal(
    (await fs.api(other, 'GET', '/fd-services/inpatient-reminders')).json().items.some((x: { id: number }) => x.id === item.id),
    false,
  );
  assert.equal((await fs.api(other, 'POST', `/fd-services/inpatient-reminders/${item.id}/handle`, { note: '已电话随访' })).statusCode, 404);
  const done = await fs.api(doctor, 'POST', `/fd-services/inpatient-reminders/${item.id}/handle`, { note: '已电话随访' });
  assert.equal(done.statusCode, 200, done.body);
  assert.equal(done.json().status, 'handled');
  assert.equal((await fs.api(doctor, 'POST', `/fd-services/inpatient-reminders/${item.id}/handle`, { note: '再次' })).statusCode, 409);
  const discharge = await fs.signed(hospital, 'POST', '/partner/fd-services/inpatient-events', {
    ...body,
    kind: 'discharge',
    at: '2026-11-25T10:00:00+08:00',
    reports: [{ title: '出院小结', url: 'https://his.example.org/stay/ZY2026-0001/discharge.pdf' }],
  });
  assert.equal(discharge.json().reminded, true);
});

test('refused: unsigned resident gets no reminder, wrong name 404, missing permission 403, bad signature 401', async () => {
  const p = await fs.person('1947-03-04');
  const hospital = await fs.partner(['fd-services.inpatient.report']);
  const body = { idNumber: p.idNumber, name: '张三', hospitalId: IDS.dh1, stayNo: 'ZY2026-0002', kind: 'admission', at: '2026-11-21T08:00:00+08:00' };
  const r = await fs.signed(hospital, 'POST', '/partner/fd-services/inpatient-events', body);
  assert.equal(r.statusCode, 201, r.body);
  assert.equal(r.json().reminded, false);
  assert.equal((await fs.signed(hospital, 'POST', '/partner/fd-services/inpatient-events', { ...body, stayNo: 'X', name: '李四' })).statusCode, 404);
  const noPerm = await fs.partner(['fd-services.contract.query']);
  assert.equal((await fs.signed(noPerm, 'POST', '/partner/fd-services/inpatient-events', { ...body, stayNo: 'Y' })).statusCode, 403);
  assert.equal((await fs.signed({ ...hospital, secret: 'wrong' }, 'POST', '/partner/fd-services/inpatient-events', { ...body, stayNo: 'Z' })).statusCode, 401);
  const bad = await fs.signed(hospital, 'POST', '/partner/fd-services/inpatient-events', { ...body, stayNo: 'W', kind: 'transfer' });
  assert.equal(bad.statusCode, 400);
  const expert = await fs.t.loginAs('expert');
  assert.equal((await fs.api(expert, 'GET', '/fd-services/inpatient-reminders')).statusCode, 403);
});
