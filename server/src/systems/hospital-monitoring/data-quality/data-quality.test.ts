import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import ExcelJS from 'exceljs';
import { extractText, getDocumentProxy } from 'unpdf';
import { runPendingJobs } from '../../../platform/jobs/scheduler.ts';
import { type TestApp, type TestSession, testApp } from '../../../test/harness.ts';
import { IX, seedIndicatorData } from '../indicators/test-fixture.ts';

let t: TestApp;
let admin: TestSession;
before(async () => {
  t = await testApp();
  admin = await t.loginAs('city_admin');
  await seedIndicatorData(t.kernel.db);
  // Defects: a visit without its 离院 date, two malformed ICD codes, a fee dated before its visit, a fee by an unknown doctor.
  await t.kernel.db.exec(`
    update hm_encounter set discharged_on = null where id = 2;
    insert into hm_diagnosis (id, encounter_id, institution_id, district_code, icd_code, icd_name, is_primary, diagnosed_on) values
      (1, 1, ${IX.instA}, '${IX.districtA}', 'J06.9', '急性上呼吸道感染', true, '2026-09-10'),
      (2, 4, ${IX.instB}, '${IX.districtB}', 'J069', '急性上呼吸道感染', true, '2026-09-20'),
      (3, 3, ${IX.instA}, '${IX.districtA}', 'k29。7', '胃炎', true, '2026-10-05');
    update hm_fee_line set charged_on = '2026-09-01' where id = 6;
    update hm_fee_line set practitioner_id = 999999 where id = 2;
  `);
});
after(() => t.close());

const api = (s: TestSession, method: 'GET' | 'POST', url: string, payload?: object) => t.call(s, { method, url: `/api/v1${url}`, payload });
type Anomaly = {
  id: number;
  ruleTitle: string;
  kind: string;
  source: string;
  objectKey: string;
  institutionId: number;
  currentValue: string | null;
  suggestedValue: string | null;
  status: string;
};

async function check() {
  const r = await api(admin, 'POST', '/data-quality/checks');
  assert.equal(r.statusCode, 201, r.body);
  await runPendingJobs(t.kernel, { untilIdle: true });
  return r.json().runId as number;
}
async function anomalies(s: TestSession, query = ''): Promise<Anomaly[]> {
  const r = await api(s, 'GET', `/data-quality/anomalies?pageSize=100${query}`);
  assert.equal(r.statusCode, 200, r.body);
  return r.json().items;
}
const brief = (xs: Anomaly[]) => xs.map((a) => `${a.kind}:${a.source}#${a.objectKey}:${a.currentValue ?? '∅'}→${a.suggestedValue ?? '∅'}`).sort();

test('a check flags every planted defect once, with the suggested fix, and nothing else', async () => {
  await check();
  assert.deepEqual(brief(await anomalies(admin)), [
    'completeness:encounter#2:∅→2026-10-02',
    'format:diagnosis#2:J069→J06.9',
    'format:diagnosis#3:k29。7→K29.7',
    'logic:fee_line#6:2026-09-01→2026-09-20',
    `reference:fee_line#2:999999→${IX.docA}`,
  ]);
  const again = await check();
  const [run] = await t.kernel.db.query<{ found: number; opened: number; closed: number; status: string }>(
    'select found, opened, closed, status from dq_run where id = $1',
    [again],
  );
  assert.deepEqual(run, { found: 5, opened: 0, closed: 0, status: 'succeeded' });
});

test('each user sees the anomalies of their own scope', async () => {
  const hospitalB = await t.loginAs('hospital_user', { level: 'institution', districtCode: IX.districtB, institutionId: IX.instB });
  assert.deepEqual(
    brief(await anomalies(hospitalB)).map((x) => x.split(':').slice(0, 2).join(':')),
    ['format:diagnosis#2', 'logic:fee_line#6'],
  );
  const districtA = await t.loginAs('district_admin', { level: 'district', districtCode: IX.districtA });
  assert.equal((await anomalies(districtA)).length, 3);
  assert.equal((await anomalies(districtA, '&kind=format')).length, 1);
  const doctor = await t.loginAs('family_doctor', { level: 'institution', districtCode: IX.districtA, institutionId: IX.instA });
  assert.equal((await api(doctor, 'GET', '/data-quality/anomalies')).statusCode, 403);
});

test('a data manager corrects a field: audited before/after, re-checked at once, confirmed and closed by the next check', async () => {
  const managerA = await t.loginAs('hospital_admin', { level: 'institution', districtCode: IX.districtA, institutionId: IX.instA });
  const list = await anomalies(managerA);
  const dx = list.find((a) => a.source === 'diagnosis')!;
  const fee = list.find((a) => a.source === 'fee_line')!;

  // A value that still breaks the rule is refused and nothing is written.
  let r = await api(managerA, 'POST', `/data-quality/anomalies/${dx.id}/correct`, { value: 'k29.7' });
  assert.equal(r.statusCode, 422, r.body);
  const still = (await t.kernel.db.query<{ icd_code: string }>('select icd_code from hm_diagnosis where id = 3'))[0]!;
  assert.equal(still.icd_code, 'k29。7');
  // Bad input is 400; a correction outside the caller's scope is 404; a read-only user is 403.
  r = await api(managerA, 'POST', `/data-quality/anomalies/${fee.id}/correct`, { value: 'abc' });
  assert.equal(r.statusCode, 400);
  assert.equal(r.json().details[0].field, 'value');
  const bAnomaly = (await anomalies(admin)).find((a) => a.institutionId === IX.instB)!;
  assert.equal((await api(managerA, 'POST', `/data-quality/anomalies/${bAnomaly.id}/correct`, { value: 'J06.9' })).statusCode, 404);
  const userA = await t.loginAs('hospital_user', { level: 'institution', districtCode: IX.districtA, institutionId: IX.instA });
  assert.equal((await api(userA, 'POST', `/data-quality/anomalies/${dx.id}/correct`, { value: 'K29.7' })).statusCode, 403);

  r = await api(managerA, 'POST', `/data-quality/anomalies/${dx.id}/correct`, { value: 'K29.7', note: '按病案首页更正' });
  assert.equal(r.statusCode, 200, r.body);
  assert.equal(r.json().status, 'fixed');
  const row = (await t.kernel.db.query<{ icd_code: string }>('select icd_code from hm_diagnosis where id = 3'))[0]!;
  assert.equal(row.icd_code, 'K29.7');
  const detail = (await api(managerA, 'GET', `/data-quality/anomalies/${dx.id}`)).json();
  assert.deepEqual(
    detail.corrections.map((c: { before: string; after: string; note: string }) => [c.before, c.after, c.note]),
    [['k29。7', 'K29.7', '按病案首页更正']],
  );
  const ev = (
    await t.kernel.db.query<{ before: unknown; after: unknown; actor_username: string }>(
      "select before, after, actor_username from audit_event where action = 'data-quality.correct' order by seq desc limit 1",
    )
  )[0]!;
  assert.deepEqual([ev.before, ev.after, ev.actor_username], [{ icd_code: 'k29。7' }, { icd_code: 'K29.7' }, managerA.username]);
  assert.equal((await api(managerA, 'POST', `/data-quality/anomalies/${dx.id}/correct`, { value: 'K29.8' })).statusCode, 409);

  // A discharge date before admission is refused in words (the table's check constraint would say it as an error).
  const enc = list.find((a) => a.source === 'encounter')!;
  r = await api(managerA, 'POST', `/data-quality/anomalies/${enc.id}/correct`, { value: '2026-01-01' });
  assert.equal(r.statusCode, 400, r.body);
  assert.equal((await api(managerA, 'POST', `/data-quality/anomalies/${enc.id}/correct`, { value: '2026-10-02' })).statusCode, 200);

  const runId = await check();
  const [run] = await t.kernel.db.query<{ found: number; closed: number }>('select found, closed from dq_run where id = $1', [runId]);
  assert.deepEqual(run, { found: 3, closed: 2 });
  assert.deepEqual((await anomalies(admin, '&status=closed')).map((a) => a.id).sort(), [dx.id, enc.id].sort());
  assert.equal((await anomalies(admin, '&status=open')).length, 3);
});

test('the data-quality report as PDF and Excel: overview, problems by kind and institution, suggestions', async () => {
  const pdf = await api(admin, 'GET', '/data-quality/report.pdf');
  assert.equal(pdf.statusCode, 200);
  assert.equal(pdf.headers['content-type'], 'application/pdf');
  const doc = await getDocumentProxy(new Uint8Array(pdf.rawPayload));
  const text = (await extractText(doc, { mergePages: true })).text.replace(/\s+/g, '');
  for (const s of ['多源数据质量报告', '一、总体情况', '指标甲医院', '指标乙医院', '整改建议', '收费日期不在就诊（住院）期间', 'J069'])
    assert.ok(text.includes(s), s);

  const x = await api(admin, 'GET', '/data-quality/report.xlsx');
  assert.equal(x.statusCode, 200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
  assert.deepEqual(
    wb.worksheets.map((w) => w.name),
    ['概览', '按机构', '问题与建议', '问题清单'],
  );
  const overview = wb.worksheets[0]!;
  const total = overview.getRow(overview.rowCount).values as unknown[];
  assert.deepEqual(total.slice(1), ['合计', 3, 0, 2]);
  assert.equal(wb.worksheets[3]!.rowCount, 2 + 3, 'title row, headers, 3 problems');
  assert.match(String(overview.getRow(1).getCell(1).value), /^数据质量报告（数据范围：.+；导出日期：/);

  // Scoped: institution B's manager gets a report of B only.
  const b = await t.loginAs('hospital_admin', { level: 'institution', districtCode: IX.districtB, institutionId: IX.instB });
  const bx = await api(b, 'GET', '/data-quality/report.xlsx');
  const bwb = new ExcelJS.Workbook();
  await bwb.xlsx.load(bx.rawPayload as unknown as ArrayBuffer);
  assert.deepEqual((bwb.worksheets[1]!.getColumn(1).values as unknown[]).slice(3), ['指标乙医院']);
});

test('rules: listed with their sentences; only city-level managers create or toggle them; bad rules are 400', async () => {
  const rules = (await api(admin, 'GET', '/data-quality/rules')).json().items;
  assert.ok(rules.length >= 6);
  assert.deepEqual([...new Set(rules.map((r: { kind: string }) => r.kind))].sort(), ['completeness', 'format', 'logic', 'reference']);
  const icd = rules.find((r: { code: string }) => r.code === 'diagnosis.icd.format');
  assert.equal(icd.sentence, '「诊断编码」不符合格式 [A-Z][0-9]{2}(\\.[0-9A-Z]{1,4})?');

  const body = {
    kind: 'completeness',
    title: '手术缺少术者',
    source: 'procedure',
    field: 'surgeon_id',
    definition: { when: { kind: 'isNull', arg: { kind: 'field', name: 'surgeon_id' } } },
    suggestion: '补录术者',
    severity: 'low',
  };
  const r = await api(admin, 'POST', '/data-quality/rules', body);
  assert.equal(r.statusCode, 201, r.body);
  assert.equal(r.json().sentence, '术者 为空');
  let bad = await api(admin, 'POST', '/data-quality/rules', { ...body, field: 'procedure_name' });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().details[0].field, 'field');
  bad = await api(admin, 'POST', '/data-quality/rules', { ...body, kind: 'format', definition: { ...body.definition, pattern: '\\d+' } });
  assert.equal(bad.statusCode, 400);
  bad = await api(admin, 'POST', '/data-quality/rules', {
    ...body,
    definition: { when: { kind: 'cmp', op: '>', left: { kind: 'field', name: 'nope' }, right: { kind: 'lit', value: 1 } } },
  });
  assert.equal(bad.json().details[0].field, 'definition.when.left');

  const district = await t.loginAs('district_admin', { level: 'district', districtCode: IX.districtA });
  assert.equal((await api(district, 'POST', '/data-quality/rules', body)).statusCode, 403);
  assert.equal((await api(district, 'POST', '/data-quality/checks')).statusCode, 403);
  assert.equal((await api(admin, 'POST', `/data-quality/rules/${icd.id}/disable`)).statusCode, 200);
  assert.equal((await api(admin, 'POST', `/data-quality/rules/${icd.id}/disable`)).statusCode, 409);
});

test('two quick check requests share one queued run; once it has run, a new request queues a new one', async () => {
  const [a, b] = [await api(admin, 'POST', '/data-quality/checks'), await api(admin, 'POST', '/data-quality/checks')];
  assert.equal(a.statusCode, 201, a.body);
  assert.equal(b.statusCode, 201, b.body);
  assert.equal(a.json().existing, false);
  assert.equal(b.json().existing, true);
  assert.equal(b.json().jobRunId, a.json().jobRunId);
  assert.equal(b.json().runId, a.json().runId);
  const queued = await t.kernel.db.query("select id from job_run where job = 'data-quality.check' and status = 'queued'");
  assert.equal(queued.length, 1);
  const { n } = (await t.kernel.db.query<{ n: number }>('select count(*)::int as n from dq_run where id >= $1', [a.json().runId]))[0]!;
  assert.equal(n, 1, 'one check record, not two');
  await runPendingJobs(t.kernel, { untilIdle: true });
  const c = await api(admin, 'POST', '/data-quality/checks');
  assert.equal(c.json().existing, false);
  assert.notEqual(c.json().jobRunId, a.json().jobRunId);
  await runPendingJobs(t.kernel, { untilIdle: true });
});
