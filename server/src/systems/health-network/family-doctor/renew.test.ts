import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addDays, addYears, cycleEnd, shanghaiToday } from './rules.ts';
import { type Fd, fdApp, IDS } from './test-fixture.ts';

let fd: Fd;
before(async () => {
  fd = await fdApp();
});
after(() => fd.close());

const today = shanghaiToday();
const HA = 'https://reports.example.org/ha/1.pdf';
const PE = 'https://reports.example.org/pe/1.pdf';

/** A contract due for renewal (ends in 30 days), with the doctor since `since`, and `visits` visits at centre A last year. */
async function due(birth = '1980-05-17', since = addYears(today, -3), visits = 2): Promise<number> {
  const pid = await fd.resident(birth);
  const id = (await fd.sign(pid)).json().id;
  await fd.setDates(id, { signed_on: since, doctor_since: since, cycle_start: addDays(cycleEnd(addDays(today, 30), -1), 1), cycle_end: addDays(today, 30) });
  for (let i = 0; i < visits; i++) {
    await fd.t.kernel.db.query(
      "insert into fd_visit (person_id, institution_id, visit_date, district_code, street_code) values ($1, $2, $3, '310104', '310104003')",
      [pid, IDS.chcA, addDays(today, -30 * (i + 1))],
    );
  }
  return id;
}

test('renewal is only open while yellow', async () => {
  const pid = await fd.resident();
  const id = (await fd.sign(pid)).json().id;
  const green = await fd.post(`/contracts/${id}/renew`, { years: 1 });
  assert.equal(green.statusCode, 422);
  assert.match(green.json().message, /尚未进入续约期/);
  const preview = (await fd.get(`/contracts/${id}/flexible-renewal`)).json();
  assert.equal(preview.allowed, false);
  assert.match(preview.refusal, /尚未进入续约期/);
  await fd.setDates(id, { cycle_start: addDays(today, -600), cycle_end: addDays(today, -91) });
  const red = await fd.post(`/contracts/${id}/renew`, { years: 1 });
  assert.equal(red.statusCode, 422);
  assert.match(red.json().message, /红色.*重新签约/);
});

test('plain renewal: one year from the old end, audited with before and after', async () => {
  const id = await due('1980-05-17', addDays(today, -200), 0);
  const r = await fd.post(`/contracts/${id}/renew`, { years: 1 });
  assert.equal(r.statusCode, 200, r.body);
  assert.equal(r.json().cycleStart, addDays(today, 31));
  assert.equal(r.json().cycleEnd, cycleEnd(addDays(today, 31), 1));
  assert.equal(r.json().colour, 'green');
  const two = await fd.post(`/contracts/${id}/renew`, { years: 2 });
  assert.equal(two.statusCode, 422, 'green again after renewing');
  const a = (
    await fd.t.kernel.db.query<{ before: unknown; after: unknown }>(
      "select before, after from audit_event where action = 'family-doctor.renew' and object_id = $1",
      [String(id)],
    )
  )[0]!;
  assert.ok(a.before && a.after);
});

test('①②③ → 1 or 2 years, not 3', async () => {
  const id = await due();
  const o = (await fd.get(`/contracts/${id}/flexible-renewal?withHealthAssessment=true`)).json();
  assert.deepEqual(o.years, [1, 2]);
  assert.equal(o.allowed, true);
  assert.match(o.reason, /①②③/);
  const three = await fd.post(`/contracts/${id}/renew`, { years: 3, healthAssessmentUrl: HA });
  assert.equal(three.statusCode, 422);
  assert.match(three.json().message, /不能续约 3 年/);
  assert.equal(three.json().details[0].field, 'years');
  const two = await fd.post(`/contracts/${id}/renew`, { years: 2, healthAssessmentUrl: HA });
  assert.equal(two.statusCode, 200, two.body);
  assert.equal(two.json().cycleYears, 2);
  assert.equal(two.json().healthAssessmentUrl, HA);
  const ev = (await fd.get(`/contracts/${id}`)).json().events.find((e: { kind: string }) => e.kind === 'renew');
  assert.deepEqual(ev.detail.options, [1, 2]);
});

test('a health-assessment report archived through health-assessment (FTP or console) counts for ③ without a URL in the request', async () => {
  const id = await due();
  const { person_id } = (await fd.t.kernel.db.query<{ person_id: number }>('select person_id from fd_contract where id = $1', [id]))[0]!;
  const before = (await fd.get(`/contracts/${id}/flexible-renewal`)).json();
  assert.deepEqual(before.years, [1]);
  const b = (
    await fd.t.kernel.db.query<{ id: number }>(
      "insert into ha_batch (channel, institution_id, uploaded_by, district_code, street_code) values ('ftp', $1, 'ftp-test', '310104', '310104003') returning id",
      [IDS.chcA],
    )
  )[0]!;
  const f = (
    await fd.t.kernel.db.query<{ id: number }>(
      `insert into ha_file (batch_id, channel, file_name, status, person_id, contract_id, report_type, report_date, signed_by, size_bytes, sm3, content, institution_id, district_code, street_code, uploaded_by)
     values ($1, 'ftp', 'HA.pdf', 'archived', $2, $3, 'HA', $4, $5, 4, 'x', '\\x25504446', $6, '310104', '310104003', 'ftp-test') returning id`,
      [b.id, person_id, id, addDays(today, -20), IDS.docA1, IDS.chcA],
    )
  )[0]!;
  const o = (await fd.get(`/contracts/${id}/flexible-renewal`)).json();
  assert.deepEqual(o.years, [1, 2]);
  assert.match(o.reason, /①②③/);
  const two = await fd.post(`/contracts/${id}/renew`, { years: 2 });
  assert.equal(two.statusCode, 200, two.body);
  assert.equal(two.json().cycleYears, 2);
  assert.match(two.json().healthAssessmentUrl, new RegExp(`/health-assessment/files/${f.id}/content$`));
  // A rejected or missing physical exam still does not open 3 years.
  assert.equal(two.json().physicalExamUrl, null);
});

test('①②④ (65 or older with a physical-exam report) → up to 3 years', async () => {
  const id = await due('1950-03-03');
  const o = (await fd.get(`/contracts/${id}/flexible-renewal?withPhysicalExam=true`)).json();
  assert.deepEqual(o.years, [1, 2, 3]);
  const r = await fd.post(`/contracts/${id}/renew`, { years: 3, physicalExamUrl: PE });
  assert.equal(r.statusCode, 200, r.body);
  assert.equal(r.json().cycleEnd, cycleEnd(addDays(today, 31), 3));
});

test('missing conditions fall back to 1 year with the reason: under 2 years with the doctor, too few visits, no report', async () => {
  for (const [label, birth, since, visits, url] of [
    ['under 2 years', '1950-03-03', addDays(addYears(today, -2), 1), 2, { physicalExamUrl: PE }],
    ['one visit', '1950-03-03', addYears(today, -3), 1, { physicalExamUrl: PE }],
    ['no report', '1950-03-03', addYears(today, -3), 2, {}],
    ['under 65, exam only', '1980-05-17', addYears(today, -3), 2, { physicalExamUrl: PE }],
  ] as const) {
    const id = await due(birth, since, visits);
    const r = await fd.post(`/contracts/${id}/renew`, { years: 2, ...url });
    assert.equal(r.statusCode, 422, `${label}: ${r.body}`);
    assert.match(r.json().message, /未满足/, label);
    assert.equal((await fd.post(`/contracts/${id}/renew`, { years: 1, ...url })).statusCode, 200, label);
  }
});

test('visits at another centre do not count', async () => {
  const id = await due('1980-05-17', addYears(today, -3), 0);
  const { person_id } = (await fd.t.kernel.db.query<{ person_id: number }>('select person_id from fd_contract where id = $1', [id]))[0]!;
  for (const d of [10, 20, 30]) {
    await fd.t.kernel.db.query(
      "insert into fd_visit (person_id, institution_id, visit_date, district_code, street_code) values ($1, $2, $3, '310104', '310104004')",
      [person_id, IDS.chcB, addDays(today, -d)],
    );
  }
  const o = (await fd.get(`/contracts/${id}/flexible-renewal?withHealthAssessment=true`)).json();
  assert.deepEqual(o.years, [1]);
  assert.match(o.conditions[1].detail, /0 次/);
});
