import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { systemJobContext } from '../../../platform/jobs/context.ts';
import { type Simulator, startSimulator } from '../../../platform/integration/simulators/simulator.ts';
import { dataPlatformSimulator, dataPlatformStore } from '../../../platform/integration/simulators/systems/data-platform.ts';
import { deathScanJob } from '../../health-network/family-doctor/death-report.ts';
import { type Fd, fdApp, IDS } from '../../health-network/family-doctor/test-fixture.ts';
import { systemTransaction } from '../birth-verification/test-support.ts';
import { runPull } from './pull.ts';

// 公安死亡注销户口 in the monthly pull: a death deregistration of a resident reaches the resident index
// (source 公安) through recordDeath, the contracted doctor gets the 死亡核实 task and notification, a re-pull
// changes nothing, mismatches and strangers are kept with their reason, everything audited.
const MONTH = '2026-10';
let fd: Fd;
let sim: Simulator;

before(async () => {
  fd = await fdApp();
  sim = await startSimulator(dataPlatformSimulator, { sm2PublicKey: fd.t.kernel.keys.sm2PublicKey });
});
after(async () => {
  await sim.stop();
  await fd.close();
});

const idOf = async (pid: number) => {
  const p = (await fd.t.kernel.db.query<{ id_number_enc: string }>('select id_number_enc from person where id = $1', [pid]))[0]!;
  return fd.t.kernel.keys.decryptField(p.id_number_enc);
};
const dereg = (no: string, id: string, name: string, swrq: string) => ({
  ZXBH: no,
  GMSFHM: id,
  XM: name,
  XB: '1',
  CSRQ: '19400301',
  SWRQ: swrq,
  ZXRQ: `${MONTH}-20`,
  ZXYY: '死亡',
  SSPCSDM: '310104003000',
  SSPCSMC: '天平路派出所',
});
const pull = () => runPull({ kernel: fd.t.kernel, transaction: systemTransaction(fd.t) }, MONTH, 'test', { baseUrl: sim.url, baseDelayMs: 10 });

test('a 公安 death deregistration marks the resident deceased (source 公安), the doctor is told; a re-pull changes nothing', async () => {
  const signed = await fd.resident('1940-03-01');
  const cid = (await fd.sign(signed)).json().id;
  const stranger = await fd.resident('1941-06-01', { name: '李四' });
  // The contracted doctor's account (notifications go to the accounts that exist when they are sent).
  const doc = await fd.t.loginAs('family_doctor', { level: 'own', districtCode: '310104', institutionId: IDS.chcA, practitionerId: IDS.docA1 });
  const store = dataPlatformStore(sim);
  store.births.load(MONTH, []);
  store.newborns.load(MONTH, []);
  store.deaths.load(MONTH, [
    dereg('ZX-1', await idOf(signed), '张三', '20261012'),
    dereg('ZX-2', await idOf(stranger), '王五', '2026-10-13'), // the number is the resident's, the name is not
    dereg('ZX-3', '310104194001019999', '赵六', '2026-10-14'), // nobody in the index
    { ...dereg('ZX-4', await idOf(stranger), '李四', '2026-10-15'), ZXYY: '迁出' }, // not a death: ignored
  ]);

  const first = await pull();
  assert.deepEqual([first.deaths, first.deathsRecorded, first.deathsRepeated], [3, 1, 0]);
  const p = (await fd.t.call(fd.admin, { method: 'GET', url: `/api/v1/residents/${signed}` })).json();
  assert.deepEqual([p.status, p.deathDate, p.deathSource], ['dead', '2026-10-12', 'police']);
  assert.equal(
    (await fd.t.call(fd.admin, { method: 'GET', url: `/api/v1/residents/${stranger}` })).json().status,
    'alive',
    'a name that does not agree records nothing',
  );
  const rows = await fd.t.kernel.db.query<{ dereg_no: string; outcome: string; person_id: number | null }>(
    'select dereg_no, outcome, person_id::int as person_id from fp_hv_death order by dereg_no',
  );
  assert.deepEqual(
    rows.map((r) => [r.dereg_no, r.outcome]),
    [
      ['ZX-1', 'recorded'],
      ['ZX-2', 'name_mismatch'],
      ['ZX-3', 'not_found'],
    ],
  );
  const a = (
    await fd.t.kernel.db.query<{ note: string; n: number }>(
      "select note, count(*) over ()::int as n from audit_event where action = 'resident.death' and object_id = $1",
      [String(signed)],
    )
  )[0]!;
  assert.equal(a.n, 1);
  assert.match(a.note, /^公安：户口注销 ZX-1$/);
  const logs = (await fd.t.call(fd.admin, { method: 'GET', url: '/api/v1/household-verification/logs?kind=death' })).json();
  assert.equal(logs.items.length, 3);
  assert.ok(
    logs.items.every((l: { message: string }) => !/\d{17}[\dX]/.test(l.message)),
    'identity numbers only masked in the log',
  );

  // The doctor's follow-up was queued with the pull; run, it opens the 死亡核实 task and notifies the doctor.
  const queued = (
    await fd.t.kernel.db.query<{ n: number }>("select count(*)::int as n from job_run where job = 'family-doctor.death-scan' and status = 'queued'")
  )[0]!;
  assert.equal(queued.n, 1);
  assert.deepEqual(await deathScanJob.handler(systemJobContext(fd.t.kernel, { id: 0, attempt: 1 }), {}), { opened: 1 });
  const [check] = await fd.t.kernel.db.query<{ contract_id: number; source: string; death_date: string }>(
    'select contract_id::int as contract_id, source, death_date::text from fd_death_check where person_id = $1',
    [signed],
  );
  assert.deepEqual(check, { contract_id: cid, source: 'resident_index', death_date: '2026-10-12' });
  const mine = (await fd.t.call(doc, { method: 'GET', url: '/api/v1/notifications' })).json();
  assert.ok(
    mine.items.some((n: { kind: string }) => n.kind === 'fd.death-report'),
    JSON.stringify(mine),
  );
  // Signing the deceased again is refused.
  assert.equal((await fd.sign(signed)).statusCode, 400);

  // The platform re-sends the month: nothing new, no second audit event, no second follow-up.
  const again = await pull();
  assert.deepEqual([again.deaths, again.deathsRecorded, again.deathsRepeated], [0, 0, 3]);
  const n = (
    await fd.t.kernel.db.query<{ n: number }>("select count(*)::int as n from audit_event where action = 'resident.death' and object_id = $1", [String(signed)])
  )[0]!;
  assert.equal(n.n, 1);
  const runs = (await fd.t.kernel.db.query<{ n: number }>("select count(*)::int as n from job_run where job = 'family-doctor.death-scan'"))[0]!;
  assert.equal(runs.n, 1);
  const [batch] = await fd.t.kernel.db.query<{ deaths: number; deaths_recorded: number }>(
    'select deaths, deaths_recorded from fp_hv_batch order by id desc limit 1',
  );
  assert.deepEqual(batch, { deaths: 0, deaths_recorded: 0 });
  const pullAudit = (
    await fd.t.kernel.db.query<{ after: { deathsRecorded: number } }>(
      "select after from audit_event where action = 'household-verification.pull' order by seq limit 1",
    )
  )[0]!;
  assert.equal(pullAudit.after.deathsRecorded, 1);
});
