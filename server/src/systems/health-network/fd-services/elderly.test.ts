import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { TestSession } from '../../../test/harness.ts';
import { addDays, shanghaiToday } from '../family-doctor/rules.ts';
import { IDS, yyyymmdd } from '../health-assessment/test-fixture.ts';
import { type Fs, fsApp } from './test-fixture.ts';

let fs: Fs;
let adminA: TestSession;
const today = shanghaiToday();
before(async () => {
  fs = await fsApp();
  adminA = await fs.t.loginAs('community_admin', { level: 'institution', districtCode: '310104', institutionId: IDS.chcA });
});
after(() => fs.close());

const book = (personId: number, over: Record<string, unknown> = {}) =>
  fs.api(adminA, 'POST', '/fd-services/elderly/bookings', { personId, institutionId: IDS.chcA, examDate: addDays(today, 7), ...over });

test('by status: unsigned → sign first; green → book; red → sign anew; under 65 refused', async () => {
  const unsigned = await fs.person('1950-01-01');
  const plan = (await fs.api(adminA, 'GET', `/fd-services/elderly/${unsigned.id}/exam-plan`)).json();
  assert.equal(plan.step, 'sign_first');
  assert.ok(plan.signUrl);
  assert.deepEqual(
    plan.communities.map((c: { institutionId: number; reason: string }) => [c.institutionId, c.reason]),
    [[IDS.chcA, '居住地社区']],
  );
  const r1 = await book(unsigned.id);
  assert.equal(r1.statusCode, 422);
  assert.match(r1.json().message, /请先引导签约/);

  await fs.sign(unsigned.id);
  const green = (await fs.api(adminA, 'GET', `/fd-services/elderly/${unsigned.id}/exam-plan`)).json();
  assert.equal(green.step, 'book');
  assert.equal(green.communities[0].reason, '签约社区（推荐）');
  const ok = await book(unsigned.id);
  assert.equal(ok.statusCode, 201, ok.body);
  assert.equal(ok.json().renewalPrompt, null);
  assert.equal((await book(unsigned.id)).statusCode, 409);
  assert.equal((await book(unsigned.id, { examDate: addDays(today, -1) })).statusCode, 400);

  const red = await fs.person('1949-02-02');
  const c = (await fs.sign(red.id)).json();
  await fs.setDates(c.id, {
    cycle_start: addDays(today, -500),
    cycle_end: addDays(today, -120),
    signed_on: addDays(today, -500),
    doctor_since: addDays(today, -500),
  });
  const r3 = await book(red.id);
  assert.equal(r3.statusCode, 422);
  assert.match(r3.json().message, /重新签约/);

  const young = await fs.person('1970-02-02');
  await fs.sign(young.id);
  const r4 = await book(young.id);
  assert.equal(r4.statusCode, 422);
  assert.match(r4.json().message, /65 岁及以上/);
});

test('yellow: booking allowed with a renewal prompt; flexible renewal offered when the uploaded reports qualify', async () => {
  const p = await fs.person('1950-05-05');
  const c = (await fs.sign(p.id)).json();
  const since = addDays(today, -800);
  await fs.setDates(c.id, { cycle_start: addDays(today, -335), cycle_end: addDays(today, 30), signed_on: since, doctor_since: since });
  await fs.t.kernel.db.query(
    `insert into fd_visit (person_id, institution_id, visit_date, district_code) values ($1, $2, $3, '310104'), ($1, $2, $4, '310104')`,
    [p.id, IDS.chcA, addDays(today, -100), addDays(today, -50)],
  );
  const before = (await fs.api(adminA, 'GET', `/fd-services/elderly/${p.id}/exam-plan`)).json();
  assert.equal(before.step, 'renew_or_book');
  assert.deepEqual(before.renewal.years, [1]);
  const up = await fs.upload(adminA, { fileName: `${p.idNumber}_PE_${yyyymmdd(addDays(today, -2))}_${IDS.docA1}.pdf`, signedBy: IDS.docA1 });
  assert.equal(up.json().status, 'archived', up.body);
  const after = (await fs.api(adminA, 'GET', `/fd-services/elderly/${p.id}/exam-plan`)).json();
  assert.ok(after.reports.physicalExam);
  assert.deepEqual(after.renewal.years, [1, 2, 3]);
  const b = await book(p.id);
  assert.equal(b.statusCode, 201, b.body);
  assert.match(b.json().renewalPrompt.message, /续约/);
  assert.deepEqual(b.json().renewalPrompt.years, [1, 2, 3]);
  const done = await fs.api(adminA, 'POST', `/fd-services/elderly/bookings/${b.json().id}/status`, { status: 'done' });
  assert.equal(done.statusCode, 200);
  assert.equal((await fs.api(adminA, 'POST', `/fd-services/elderly/bookings/${b.json().id}/status`, { status: 'cancelled' })).statusCode, 409);
});

test('home visits by form, for residents with a valid contract; refused otherwise', async () => {
  const p = await fs.person('1946-06-06');
  await fs.sign(p.id);
  const doctor = await fs.t.loginAs('family_doctor', { level: 'own', districtCode: '310104', institutionId: IDS.chcA, practitionerId: IDS.docA1 });
  for (const form of ['integrated_care', 'clinic', 'follow_up', 'home_bed', 'ltc_delegated', 'other']) {
    const r = await fs.api(doctor, 'POST', '/fd-services/home-visits', {
      personId: p.id,
      form,
      visitDate: addDays(today, -1),
      summary: '血压平稳，嘱按时服药',
    });
    assert.equal(r.statusCode, 201, r.body);
  }
  const list = (await fs.api(doctor, 'GET', `/fd-services/home-visits?personId=${p.id}`)).json();
  assert.deepEqual(
    list.items.map((v: { formName: string }) => v.formName).sort(),
    ['其他', '医养结合', '委托长护险护理员与评估员', '家庭病床', '诊间', '随访'].sort(),
  );
  const unsigned = await fs.person('1946-07-07');
  assert.equal(
    (await fs.api(adminA, 'POST', '/fd-services/home-visits', { personId: unsigned.id, form: 'follow_up', visitDate: today, summary: 'x' })).statusCode,
    422,
  );
  assert.equal(
    (await fs.api(doctor, 'POST', '/fd-services/home-visits', { personId: p.id, form: 'follow_up', visitDate: addDays(today, 1), summary: 'x' })).statusCode,
    400,
  );
  assert.equal((await fs.api(doctor, 'POST', '/fd-services/home-visits', { personId: p.id, form: 'walk', visitDate: today, summary: 'x' })).statusCode, 400);
  const other = await fs.t.loginAs('family_doctor', { level: 'own', districtCode: '310104', institutionId: IDS.chcA, practitionerId: IDS.docA2 });
  assert.equal(
    (await fs.api(other, 'POST', '/fd-services/home-visits', { personId: p.id, form: 'follow_up', visitDate: today, summary: 'x' })).statusCode,
    404,
  );
  const expert = await fs.t.loginAs('expert');
  assert.equal(
    (await fs.api(expert, 'POST', '/fd-services/home-visits', { personId: p.id, form: 'follow_up', visitDate: today, summary: 'x' })).statusCode,
    403,
  );
});
