import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildDocx, buildPdf } from '../../../platform/documents/testing.ts';
import { type TestApp, type TestSession, testApp } from '../../../test/harness.ts';
import { casePdf, FR, seedInstitutions } from './test-fixture.ts';

let t: TestApp;
let admin: TestSession;
let hospitalA: TestSession;
let hospitalB: TestSession;
let districtA: TestSession;
let districtB: TestSession;
let expert: TestSession;
let expert2: TestSession;

type Method = 'GET' | 'POST' | 'PUT';
const api = (s: TestSession, method: Method, url: string, payload?: object) => t.call(s, { method, url: `/api/v1${url}`, payload });
const DIMS = ['diagnosis', 'examination', 'medication', 'treatment', 'charging', 'record'];
const allCompliant = (dims = DIMS) => dims.map((dimension) => ({ dimension, result: 'compliant' }));

async function upload(s: TestSession, caseNo: string, over: Record<string, unknown> = {}) {
  const pdf = await casePdf(caseNo);
  return api(s, 'POST', '/fee-review/cases', {
    caseNo,
    patientMask: '王*明',
    dischargedOn: '2026-10-20',
    totalAmount: 86500.5,
    deviationKind: 'high',
    explanation: '患者病情危重，植入3枚支架，费用高于病组标准',
    filename: `${caseNo}.pdf`,
    contentBase64: pdf.toString('base64'),
    ...over,
  });
}

const auditCount = async (action: string, id: number) =>
  (await t.kernel.db.query<{ n: number }>(`select count(*)::int as n from audit_event where action = $1 and object_id = $2`, [action, String(id)]))[0]!.n;

before(async () => {
  t = await testApp();
  await seedInstitutions(t.kernel.db);
  admin = await t.loginAs('city_admin');
  hospitalA = await t.loginAs('hospital_user', { level: 'institution', districtCode: FR.districtA, institutionId: FR.instA });
  hospitalB = await t.loginAs('hospital_admin', { level: 'institution', districtCode: FR.districtB, institutionId: FR.instB });
  districtA = await t.loginAs('district_admin', { level: 'district', districtCode: FR.districtA });
  districtB = await t.loginAs('district_admin', { level: 'district', districtCode: FR.districtB });
  expert = await t.loginAs('expert');
  expert2 = await t.loginAs('expert');
});
after(() => t.close());

test('upload → start review → conclude: text split into sections, findings per dimension, each step audited', async () => {
  const u = await upload(hospitalA, 'A2026001');
  assert.equal(u.statusCode, 201, u.body);
  const c = u.json();
  assert.equal(c.status, 'uploaded');
  assert.equal(c.institutionId, FR.instA);
  assert.equal(c.districtCode, FR.districtA);
  assert.equal(c.pageCount, 3);
  assert.deepEqual(
    c.sections.map((s: { code: string }) => s.code),
    ['preamble', 'front_page', 'admission', 'progress', 'orders', 'fee_list'],
  );
  assert.match(c.sections.find((s: { code: string }) => s.code === 'fee_list').text, /冠脉支架 3枚/);
  assert.deepEqual(c.actions, []);
  const id = c.id as number;

  const seen = (await api(expert, 'GET', `/fee-review/cases/${id}`)).json();
  assert.deepEqual(seen.actions, ['start_review']);
  assert.deepEqual(
    seen.dimensions.map((d: { code: string }) => d.code),
    DIMS,
  );
  assert.equal(await auditCount('fee_review.case.read', id), 1);

  const s = await api(expert, 'POST', `/fee-review/cases/${id}/start-review`);
  assert.equal(s.statusCode, 200, s.body);
  assert.equal(s.json().status, 'under_review');
  assert.equal(s.json().reviewer, expert.username);
  assert.deepEqual(s.json().actions, ['conclude']);

  const findings = allCompliant().map((f) => (f.dimension === 'charging' ? { dimension: 'charging', result: 'issue', note: '支架数量与手术记录不符' } : f));
  const z = await api(expert, 'POST', `/fee-review/cases/${id}/conclude`, {
    findings,
    conclusion: 'partly_reasonable',
    note: '病情危重属实，部分支架费用不合理',
  });
  assert.equal(z.statusCode, 200, z.body);
  const done = z.json();
  assert.equal(done.status, 'concluded');
  assert.equal(done.conclusion, 'partly_reasonable');
  assert.equal(done.conclusionTitle, '部分合理');
  assert.equal(done.findings.length, 6);
  assert.deepEqual(
    done.findings.find((f: { dimensionCode: string }) => f.dimensionCode === 'charging'),
    { dimensionCode: 'charging', dimensionTitle: '合理收费', result: 'issue', note: '支架数量与手术记录不符', resultTitle: '存在问题' },
  );
  assert.deepEqual(done.actions, []);
  for (const a of ['fee_review.case.upload', 'fee_review.case.start_review', 'fee_review.case.conclude']) assert.equal(await auditCount(a, id), 1, a);

  // The hospital sees its own case and the result.
  const own = await api(hospitalA, 'GET', `/fee-review/cases/${id}`);
  assert.equal(own.statusCode, 200);
  assert.equal(own.json().conclusion, 'partly_reasonable');
});

test('the state machine refuses skips and repeats; only the reviewing expert concludes; the findings must be complete', async () => {
  const id = (await upload(hospitalA, 'A2026002')).json().id as number;
  const conclude = (s: TestSession, body: object) => api(s, 'POST', `/fee-review/cases/${id}/conclude`, body);
  const ok = { findings: allCompliant(), conclusion: 'reasonable', note: '费用偏离有合理原因' };

  let r = await conclude(expert, ok);
  assert.equal(r.statusCode, 409);
  assert.match(r.json().message, /请先开始核查/);
  assert.equal((await api(expert, 'POST', `/fee-review/cases/${id}/start-review`)).statusCode, 200);
  r = await api(expert2, 'POST', `/fee-review/cases/${id}/start-review`);
  assert.equal(r.statusCode, 409);
  assert.match(r.json().message, /不能重复开始/);
  r = await conclude(expert2, ok);
  assert.equal(r.statusCode, 409);
  assert.match(r.json().message, /只能由其出具结论/);

  r = await conclude(expert, { ...ok, findings: allCompliant(DIMS.slice(1)) });
  assert.equal(r.statusCode, 400);
  assert.match(r.json().message, /缺少「合理诊断」/);
  r = await conclude(expert, { ...ok, findings: [...allCompliant(), { dimension: 'diagnosis', result: 'compliant' }] });
  assert.equal(r.statusCode, 400);
  assert.match(r.json().message, /重复填写/);
  r = await conclude(expert, { ...ok, findings: [...allCompliant(), { dimension: 'nursing', result: 'compliant' }] });
  assert.equal(r.statusCode, 400);
  r = await conclude(expert, { ...ok, findings: allCompliant().map((f) => ({ ...f, result: 'issue' })) });
  assert.equal(r.statusCode, 400);
  assert.equal(r.json().details[0].field, 'findings[0].note');
  r = await conclude(expert, { ...ok, conclusion: 'maybe' });
  assert.equal(r.statusCode, 400);
  assert.equal((await api(expert, 'GET', `/fee-review/cases/${id}`)).json().status, 'under_review', 'refusals change nothing');

  assert.equal((await conclude(expert, ok)).statusCode, 200);
  r = await conclude(expert, ok);
  assert.equal(r.statusCode, 409);
  assert.match(r.json().message, /已出具核查结论/);
  assert.equal((await api(expert, 'POST', `/fee-review/cases/${id}/start-review`)).statusCode, 409);
});

test('uploads: hospital users of an institution only; PDF only; masked names only; one open review per case number', async () => {
  assert.equal((await upload(admin, 'X1')).statusCode, 403);
  assert.equal((await upload(expert, 'X1')).statusCode, 403);
  const districtHospitalUser = await t.loginAs('hospital_admin', { level: 'district', districtCode: FR.districtA });
  const r1 = await upload(districtHospitalUser, 'X1');
  assert.equal(r1.statusCode, 403);
  assert.match(r1.json().message, /仅医疗机构用户/);

  const docx = await buildDocx(['病案首页']);
  let r = await upload(hospitalA, 'X2', { filename: 'x.docx', contentBase64: docx.toString('base64') });
  assert.equal(r.statusCode, 400);
  assert.match(r.json().message, /须为 PDF/);
  r = await upload(hospitalA, 'X3', { filename: 'x.pdf', contentBase64: docx.toString('base64') });
  assert.equal(r.statusCode, 400);
  assert.match(r.json().message, /不是 PDF/);
  r = await upload(hospitalA, 'X4', { patientMask: '王小明' });
  assert.equal(r.statusCode, 400);
  assert.equal(r.json().details[0].field, 'patientMask');
  r = await upload(hospitalA, 'X5', { explanation: '' });
  assert.equal(r.statusCode, 400);

  assert.equal((await upload(hospitalB, 'B2026001')).statusCode, 201);
  r = await upload(hospitalB, 'B2026001');
  assert.equal(r.statusCode, 409);
  assert.match(r.json().message, /请勿重复上传/);
  assert.equal((await upload(hospitalA, 'B2026001')).statusCode, 201, 'the same number at another hospital is another case');
});

test('scope: hospitals and districts see their own cases only; the PDF download returns the stored file and is audited', async () => {
  const id = (await upload(hospitalA, 'A2026003')).json().id as number;
  for (const s of [hospitalB, districtB]) {
    assert.equal((await api(s, 'GET', `/fee-review/cases/${id}`)).statusCode, 404);
    assert.equal((await api(s, 'GET', `/fee-review/cases/${id}/pdf`)).statusCode, 404);
    const list = (await api(s, 'GET', '/fee-review/cases?pageSize=100')).json();
    assert.ok(!list.items.some((c: { id: number }) => c.id === id));
  }
  const listA = (await api(districtA, 'GET', '/fee-review/cases?pageSize=100')).json();
  assert.ok(listA.items.some((c: { id: number }) => c.id === id));
  assert.ok(listA.items.every((c: { districtCode: string }) => c.districtCode === FR.districtA));
  assert.equal(listA.items[0].text, undefined, 'lists carry no file text');

  const d = await api(districtA, 'GET', `/fee-review/cases/${id}/pdf`);
  assert.equal(d.statusCode, 200);
  assert.equal(d.headers['content-type'], 'application/pdf');
  assert.match(String(d.headers['content-disposition']), /A2026003\.pdf/);
  assert.equal(d.rawPayload.subarray(0, 5).toString(), '%PDF-');
  const stored = await t.kernel.db.query<{ pdf: Uint8Array }>('select pdf from fr_case where id = $1', [id]);
  assert.ok(Buffer.from(stored[0]!.pdf).equals(d.rawPayload));
  assert.equal(await auditCount('fee_review.case.download', id), 1);
  assert.equal((await api(hospitalA, 'POST', `/fee-review/cases/${id}/start-review`)).statusCode, 403);
  assert.equal((await api(districtA, 'POST', `/fee-review/cases/${id}/start-review`)).statusCode, 403);
});

test('check dimensions and sections are admin-editable; reviews and splitting follow the current lists', async () => {
  const dims = (await api(admin, 'GET', '/fee-review/dimensions')).json() as { code: string; title: string; description: string | null }[];
  const next = [...dims.filter((d) => d.code !== 'record').map((d) => ({ code: d.code, title: d.title })), { code: 'insurance', title: '医保支付范围' }];
  for (const s of [hospitalA, expert, districtA, await t.loginAs('shenkang_admin', { level: 'district', districtCode: FR.districtA })]) {
    assert.equal((await api(s, 'PUT', '/fee-review/dimensions', { items: next })).statusCode, 403);
  }
  let r = await api(admin, 'PUT', '/fee-review/dimensions', { items: [...next, { code: 'insurance2', title: '医保支付范围' }] });
  assert.equal(r.statusCode, 400);
  r = await api(admin, 'PUT', '/fee-review/dimensions', { items: next });
  assert.equal(r.statusCode, 200, r.body);
  assert.deepEqual(
    r.json().map((d: { code: string }) => d.code),
    [...DIMS.slice(0, 5), 'insurance'],
  );
  const all = (await api(expert, 'GET', '/fee-review/dimensions')).json();
  assert.deepEqual(all.at(-1), {
    code: 'record',
    title: '病案质量',
    description: '病历书写是否完整、及时，病程与医嘱、费用清单是否一致',
    sortOrder: 6,
    active: false,
  });

  const secs = (await api(admin, 'GET', '/fee-review/sections')).json() as { code: string; title: string; aliases: string[] }[];
  const withNursing = [...secs.map(({ code, title, aliases }) => ({ code, title, aliases })), { code: 'nursing', title: '护理记录', aliases: ['护理记录单'] }];
  assert.equal((await api(admin, 'PUT', '/fee-review/sections', { items: withNursing })).statusCode, 200);
  const pdf = buildPdf([['入院记录', '主诉：发热。', '护理记录单', '体温38.5℃。']]);
  const u = await upload(hospitalA, 'A2026004', { contentBase64: (await pdf).toString('base64') });
  assert.deepEqual(
    u.json().sections.map((s: { code: string }) => s.code),
    ['admission', 'nursing'],
  );

  const id = u.json().id as number;
  await api(expert, 'POST', `/fee-review/cases/${id}/start-review`);
  r = await api(expert, 'POST', `/fee-review/cases/${id}/conclude`, { findings: allCompliant(DIMS), conclusion: 'reasonable', note: '合理' });
  assert.equal(r.statusCode, 400, 'a deactivated dimension is refused');
  r = await api(expert, 'POST', `/fee-review/cases/${id}/conclude`, {
    findings: allCompliant([...DIMS.slice(0, 5), 'insurance']),
    conclusion: 'unreasonable',
    note: '不合理',
  });
  assert.equal(r.statusCode, 200, r.body);
  assert.equal(r.json().findings.at(-1).dimensionTitle, '医保支付范围');
  // restore the defaults for the statistics test
  assert.equal(
    (await api(admin, 'PUT', '/fee-review/dimensions', { items: dims.map((d) => ({ code: d.code, title: d.title, description: d.description ?? undefined })) }))
      .statusCode,
    200,
  );
});

test('statistics by institution, check dimension and month, within the caller scope', async () => {
  const month = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
  const all = (await api(admin, 'GET', `/fee-review/stats?from=${month}&to=${month}`)).json();
  const a = all.byInstitution.find((x: { institutionId: number }) => x.institutionId === FR.instA);
  const b = all.byInstitution.find((x: { institutionId: number }) => x.institutionId === FR.instB);
  const { n: nA } = (await t.kernel.db.query<{ n: number }>('select count(*)::int as n from fr_case where institution_id = $1', [FR.instA]))[0]!;
  assert.equal(a.total, nA);
  assert.equal(a.concluded, 3);
  assert.deepEqual([a.reasonable, a.partlyReasonable, a.unreasonable], [1, 1, 1]);
  assert.equal(b.total, 1);
  assert.equal(all.totals.total, nA + 1);
  assert.deepEqual(
    all.byMonth.map((m: { month: string; total: number }) => [m.month, m.total]),
    [[month, nA + 1]],
  );
  const charging = all.byDimension.find((d: { code: string }) => d.code === 'charging');
  assert.deepEqual([charging.reviewed, charging.issues, charging.issueRate], [3, 1, 33.3]);
  assert.ok(
    all.byDimension.some((d: { code: string; reviewed: number }) => d.code === 'insurance' && d.reviewed === 1),
    'a deactivated dimension with reviews still counts',
  );

  const mine = (await api(districtB, 'GET', '/fee-review/stats')).json();
  assert.deepEqual(
    mine.byInstitution.map((x: { institutionId: number }) => x.institutionId),
    [FR.instB],
  );
  assert.equal(mine.byDimension.find((d: { code: string }) => d.code === 'charging').reviewed, 0);
  const none = (await api(admin, 'GET', '/fee-review/stats?from=2001-01&to=2001-12')).json();
  assert.equal(none.totals.total, 0);
  assert.equal((await api(admin, 'GET', '/fee-review/stats?from=2026-13')).statusCode, 400);
});
