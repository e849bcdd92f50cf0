import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import ExcelJS from 'exceljs';
import { addDays, cycleEnd, shanghaiToday } from '../family-doctor/rules.ts';
import { type Fd, fdApp, IDS } from '../family-doctor/test-fixture.ts';
import { refreshJob } from '../key-populations/tag-rules.ts';
import { jobContext } from '../key-populations/test-fixture.ts';
import { snapshotJob } from './snapshot.ts';

let fd: Fd;
const today = shanghaiToday();
const C: Record<string, number> = {};
const P: Record<string, number> = {};
let operator = '';

before(async () => {
  fd = await fdApp();
  const db = fd.t.kernel.db;
  P.green = await fd.resident('1950-01-01');
  C.green = (await fd.sign(P.green)).json().id;
  P.due = await fd.resident('1952-02-02');
  C.due = (await fd.sign(P.due)).json().id;
  await fd.setDates(C.due!, { cycle_end: addDays(today, 20), cycle_start: addDays(cycleEnd(addDays(today, 20), -1), 1) });
  P.renewed = await fd.resident();
  C.renewed = (await fd.sign(P.renewed, { teamId: IDS.teamA2, doctorId: IDS.docA2 })).json().id;
  await fd.setDates(C.renewed!, { cycle_end: addDays(today, 30), cycle_start: addDays(cycleEnd(addDays(today, 30), -1), 1) });
  const rn = await fd.post(`/contracts/${C.renewed}/renew`, { years: 1 });
  assert.equal(rn.statusCode, 200, rn.body);
  P.overdue = await fd.resident('1948-03-03');
  C.overdue = (await fd.sign(P.overdue)).json().id;
  await fd.setDates(C.overdue!, { cycle_start: addDays(today, -465), cycle_end: addDays(today, -100) });
  P.ended = await fd.resident();
  C.ended = (await fd.sign(P.ended, { institutionId: IDS.chcB, teamId: IDS.teamB1, doctorId: IDS.docB1 })).json().id;
  const tm = await fd.post(`/contracts/${C.ended}/terminate`, { initiator: 'resident', reason: '搬离本市', residentInformed: true });
  assert.equal(tm.statusCode, 200, tm.body);
  ({ operator_name: operator } = (await db.query<{ operator_name: string }>(`select operator_name from fd_contract_event where kind = 'renew'`))[0]!);
  // Visits: the green resident at the centre and at the combination's district hospital; the due one only at another hospital.
  await db.query(`insert into fd_visit (person_id, institution_id, visit_date, district_code, street_code) values ($1, $2, $3, '310104', '310104003')`, [
    P.green,
    IDS.chcA,
    addDays(today, -10),
  ]);
  await db.query(
    `insert into fs_hospital_visit (person_id, institution_id, visit_date, kind, district_code, street_code, chc_id, team_id, doctor_id)
     values ($1, $2, $3, 'outpatient', '310104', '310104003', $4, $5, $6), ($7, $8, $3, 'outpatient', '310104', '310104003', $4, $5, $6)`,
    [P.green, IDS.dh1, addDays(today, -5), IDS.chcA, IDS.teamA1, IDS.docA1, P.due, IDS.dh2],
  );
  await refreshJob.handler(jobContext(fd.t), {});
  const r = (await snapshotJob.handler(jobContext(fd.t), { date: today })) as { rows: number };
  assert.ok(r.rows >= 3);
});
after(() => fd.close());

const get = async (url: string, s = fd.admin) => {
  const r = await fd.t.call(s, { method: 'GET', url: `/api/v1/fd-supervision${url}` });
  assert.equal(r.statusCode, 200, `${url}: ${r.body}`);
  return r.json();
};
type Row = { key: string; name: string; next: Record<string, unknown> | null } & Record<string, number>;

test("每日监测: colours and the day's acts, drilled city → district → centre → doctor", async () => {
  const city = await get(`/daily?date=${today}`);
  assert.equal(city.level, 'district');
  const xh = city.rows.find((r: Row) => r.key === '310104') as Row;
  assert.equal(xh.name, '徐汇区');
  assert.deepEqual([xh.green, xh.yellow, xh.red, xh.signed], [2, 1, 1, 4]);
  assert.equal(xh.signed_new, 5);
  assert.equal(xh.terminated, 1);
  assert.equal(xh.renewed_yellow, 1);
  assert.equal(xh.not_renewed, 2);
  const district = await get(`/daily?date=${today}&district=310104`);
  assert.equal(district.level, 'institution');
  assert.deepEqual(district.rows.map((r: Row) => r.key).sort(), [String(IDS.chcA), String(IDS.chcB)]);
  const a = district.rows.find((r: Row) => r.key === String(IDS.chcA)) as Row;
  assert.deepEqual(a.next, { district: '310104', institutionId: IDS.chcA });
  const doctors = await get(`/daily?date=${today}&district=310104&institutionId=${IDS.chcA}`);
  assert.equal(doctors.level, 'doctor');
  assert.deepEqual(doctors.rows.map((r: Row) => [r.name, r.signed]).sort(), [
    ['李医生', 1],
    ['王医生', 3],
  ]);
  assert.equal(doctors.total.signed, 4);
  const history = await get(`/daily/history?from=${addDays(today, -3)}&to=${today}`);
  assert.deepEqual(
    history.days.map((d: { date: string }) => d.date),
    [today],
  );
});

test('Excel export of a report: the level column, the metrics and a 合计 row', async () => {
  const r = await fd.t.call(fd.admin, { method: 'GET', url: `/api/v1/fd-supervision/daily?date=${today}&district=310104&format=xlsx` });
  assert.equal(r.statusCode, 200, r.body);
  assert.match(String(r.headers['content-type']), /spreadsheetml/);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  assert.match(String(ws.getRow(1).getCell(1).value), /^每日红黄绿监测.*（数据范围：.+；导出日期：\d{4}-\d{2}-\d{2}）$/);
  assert.equal(ws.getRow(2).getCell(1).value, '社区卫生服务中心');
  assert.equal(ws.getRow(2).getCell(2).value, '在约合计');
  assert.equal(ws.getRow(ws.rowCount).getCell(1).value, '合计');
  assert.equal(ws.getRow(ws.rowCount).getCell(2).value, 4);
});

test('解约记录 by day and initiator; 续约统计, 续约动态, 续约记录 by operator and workload', async () => {
  const t = await get('/terminations?district=310104');
  assert.deepEqual(
    t.rows.map((r: Row) => [r.date, r.key, r.terminated, r.terminated_resident]),
    [[today, String(IDS.chcB), 1, 1]],
  );
  const stats = await get('/renewals');
  const xh = stats.rows.find((r: Row) => r.key === '310104') as Row;
  assert.deepEqual([xh.renewed, xh.years1, xh.yellow, xh.red], [1, 1, 1, 1]);
  assert.equal(xh.rate, 33.3);
  const dyn = await get('/renewals/dynamics?months=2');
  assert.equal(dyn.rows.at(-1).key, today.slice(0, 7));
  assert.equal(dyn.rows.at(-1).renewed, 1);
  const hist = await get(`/renewals/history?operator=${encodeURIComponent(operator.slice(0, 3))}`);
  assert.equal(hist.total, 1);
  assert.equal(hist.items[0].contractId, C.renewed);
  assert.equal(hist.items[0].doctorName, '李医生');
  assert.equal((await get('/renewals/history?operator=nobody')).total, 0);
  const work = await get('/renewals/workload');
  assert.deepEqual(
    work.items.map((w: { operatorName: string; renewals: number }) => [w.operatorName, w.renewals]),
    [[operator, 1]],
  );
  const bad = await fd.t.call(fd.admin, { method: 'GET', url: `/api/v1/fd-supervision/renewals/history?from=${today}&to=${addDays(today, -1)}` });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().details[0].field, 'from');
});

test('重点人群续约情况 (donut totals), 异常签约 and visit rates', async () => {
  const kp = await get('/key-population-renewal');
  assert.deepEqual(
    [kp.total.total, kp.total.overdue, kp.total.due_soon, kp.total.normal],
    [3, 1, 1, 1],
    'the three elderly residents: overdue, due soon, normal',
  );
  assert.equal((await get('/key-population-renewal?tag=hypertension')).total.total, 0);
  const v = await get(`/visit-rates?district=310104&institutionId=${IDS.chcA}`);
  const wang = v.rows.find((r: Row) => r.name === '王医生') as Row;
  assert.deepEqual([wang.signed, wang.visited, wang.visit_rate], [3, 1, 33.3]);
  assert.deepEqual([wang.kp_signed, wang.kp_visited], [3, 1]);
  assert.deepEqual([wang.visits, wang.in_combination, wang.combination_rate], [3, 2, 66.7]);
  // Signing anew after the termination: the second contract of one ID number.
  assert.equal((await fd.sign(P.ended!, { teamId: IDS.teamA2, doctorId: IDS.docA2 })).statusCode, 201);
  const ab = await get('/abnormal-signing?threshold=1');
  assert.deepEqual(
    ab.items.map((r: { personId: number; signCount: number }) => [r.personId, r.signCount]),
    [[P.ended, 2]],
  );
  assert.equal((await get('/abnormal-signing')).total, 0, 'the default threshold is 10');
  const x = await fd.t.call(fd.admin, { method: 'GET', url: '/api/v1/fd-supervision/abnormal-signing?threshold=1&format=xlsx' });
  assert.equal(x.statusCode, 200);
  assert.match(String(x.headers['content-disposition']), /xlsx/);
});

test('scope and permissions: another district sees nothing, a doctor may not read, only the city regenerates', async () => {
  const other = await fd.t.loginAs('district_admin', { level: 'district', districtCode: '310101' });
  assert.deepEqual((await get(`/daily?date=${today}&district=310104`, other)).rows, []);
  assert.deepEqual((await get('/renewals', other)).rows, []);
  assert.deepEqual((await get('/visit-rates', other)).rows, []);
  const centreB = await fd.t.loginAs('community_admin', { level: 'institution', districtCode: '310104', institutionId: IDS.chcB });
  assert.deepEqual(
    (await get(`/daily?date=${today}&district=310104`, centreB)).rows.map((r: Row) => r.key),
    [String(IDS.chcB)],
  );
  const doctor = await fd.t.loginAs('family_doctor', { level: 'own', districtCode: '310104', institutionId: IDS.chcA, practitionerId: IDS.docA1 });
  assert.equal((await fd.t.call(doctor, { method: 'GET', url: '/api/v1/fd-supervision/daily' })).statusCode, 403);
  const gen = await fd.t.call(fd.admin, { method: 'POST', url: '/api/v1/fd-supervision/daily/generate', payload: { date: addDays(today, -1) } });
  assert.equal(gen.statusCode, 202, gen.body);
  const future = await fd.t.call(fd.admin, { method: 'POST', url: '/api/v1/fd-supervision/daily/generate', payload: { date: addDays(today, 2) } });
  assert.equal(future.statusCode, 400);
  const district = await fd.t.loginAs('district_admin', { level: 'district', districtCode: '310104' });
  assert.equal((await fd.t.call(district, { method: 'POST', url: '/api/v1/fd-supervision/daily/generate', payload: {} })).statusCode, 403);
});
