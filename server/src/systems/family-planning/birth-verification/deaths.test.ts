import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Simulator, startSimulator } from '../../../platform/integration/simulators/simulator.ts';
import { maternalChildSimulator, maternalChildStore } from '../../../platform/integration/simulators/systems/maternal-child.ts';
import { type Fd, fdApp } from '../../health-network/family-doctor/test-fixture.ts';
import { runDailyIntake } from './daily-intake.ts';
import { systemTransaction } from './test-support.ts';

// 市妇幼死亡报告 in the daily intake: a child's death report reaches the resident index (source 市妇幼) by
// identity number, or for a newborn without one by its 出生医学证明编号; the contracted doctor's follow-up
// is queued; a re-pull changes nothing; the list shows what became of each report; everything audited.
const DAY = '2026-11-20';
let fd: Fd;
let mch: Simulator;

before(async () => {
  fd = await fdApp();
  mch = await startSimulator(maternalChildSimulator);
});
after(async () => {
  await mch.stop();
  await fd.close();
});

const idOf = async (pid: number) => {
  const p = (await fd.t.kernel.db.query<{ id_number_enc: string }>('select id_number_enc from person where id = $1', [pid]))[0]!;
  return fd.t.kernel.keys.decryptField(p.id_number_enc);
};
const report = (no: string, over: Record<string, unknown>) => ({
  BGKBH: no,
  SWLB: '1',
  XM: '张三',
  XB: '1',
  ZJHM: '',
  CSYXZMBH: '',
  CSRQ: '20250301',
  SWRQ: '20261118',
  BGRQ: DAY,
  BGJGMC: '上海市儿童医院',
  ...over,
});
const intake = () => runDailyIntake({ kernel: fd.t.kernel, transaction: systemTransaction(fd.t) }, DAY, 'test', { baseUrl: mch.url, baseDelayMs: 10 });

test('a 市妇幼 death report marks the child deceased (source 市妇幼), by identity number or birth certificate; a re-pull changes nothing', async () => {
  const child = await fd.resident('2025-03-01');
  const cid = (await fd.sign(child)).json().id;
  const newborn = await fd.resident('2026-10-01', { name: '王小宝' });
  await fd.t.kernel.db.query(
    `insert into fp_birth_record (child_person_id, mother_person_id, birth_date, certificate_no, child_name, source) values ($1, $1, '2026-10-01', 'S20261001-77', '王小宝', 'mch')`,
    [newborn],
  );
  const store = maternalChildStore(mch);
  store.load([], DAY); // no births that day
  store.loadDeaths([
    report('ETSW-1', { ZJHM: await idOf(child) }),
    report('ETSW-2', { XM: '王 小宝', CSYXZMBH: 'S20261001-77', CSRQ: '2026-10-01', SWRQ: '2026-11-19' }), // no identity number yet
    report('ETSW-3', { ZJHM: '310104202501019999', XM: '无名' }),
    report('ETSW-4', { ZJHM: await idOf(child), SWRQ: '2099-01-01' }),
  ]);

  const first = await intake();
  assert.deepEqual([first.deaths, first.deathsRecorded, first.deathsRepeated], [4, 2, 0]);
  const p = (await fd.t.call(fd.admin, { method: 'GET', url: `/api/v1/residents/${child}` })).json();
  assert.deepEqual([p.status, p.deathDate, p.deathSource], ['dead', '2026-11-18', 'mch']);
  const nb = (await fd.t.call(fd.admin, { method: 'GET', url: `/api/v1/residents/${newborn}` })).json();
  assert.deepEqual([nb.status, nb.deathDate, nb.deathSource], ['dead', '2026-11-19', 'mch']);
  const a = (
    await fd.t.kernel.db.query<{ note: string }>("select note from audit_event where action = 'resident.death' and object_id = $1", [String(child)])
  )[0]!;
  assert.equal(a.note, '市妇幼：死亡报告卡 ETSW-1');

  const city = await fd.t.loginAs('city_admin');
  const list = (await fd.t.call(city, { method: 'GET', url: '/api/v1/birth-verification/death-reports' })).json();
  const byNo = Object.fromEntries(list.items.map((r: { reportNo: string; outcome: string }) => [r.reportNo, r.outcome]));
  assert.deepEqual(byNo, { 'ETSW-1': 'recorded', 'ETSW-2': 'recorded', 'ETSW-3': 'not_found', 'ETSW-4': 'already_dead' });
  assert.ok(list.items.every((r: { idNumberMasked: string | null }) => !r.idNumberMasked || /\*/.test(r.idNumberMasked)));
  const read = (
    await fd.t.kernel.db.query<{ n: number }>("select count(*)::int as n from audit_event where action = 'birth-verification.death-reports.list'")
  )[0]!;
  assert.equal(read.n, 1, 'reading the list is audited');

  // The doctor's follow-up is queued (the death scan opens the 死亡核实 task and notifies), once.
  const q = (
    await fd.t.kernel.db.query<{ n: number }>("select count(*)::int as n from job_run where job = 'family-doctor.death-scan' and status = 'queued'")
  )[0]!;
  assert.equal(q.n, 1);
  assert.equal((await fd.get(`/contracts/${cid}`)).json().status, 'active', 'the contract ends when the doctor confirms');
  const refused = await fd.sign(newborn);
  assert.equal(refused.statusCode, 400, refused.body);
  assert.match(refused.body, /已死亡/);

  const again = await intake();
  assert.deepEqual([again.deaths, again.deathsRecorded, again.deathsRepeated], [0, 0, 4]);
  const n = (await fd.t.kernel.db.query<{ n: number }>("select count(*)::int as n from audit_event where action = 'resident.death'"))[0]!;
  assert.equal(n.n, 2);
  const runs = (await fd.t.kernel.db.query<{ n: number }>("select count(*)::int as n from job_run where job = 'family-doctor.death-scan'"))[0]!;
  assert.equal(runs.n, 1);
});
