import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { systemJobContext } from '../../../platform/jobs/context.ts';
import { deathScanJob } from './death-report.ts';
import { type Fd, fdApp, IDS } from './test-fixture.ts';

let fd: Fd;
before(async () => {
  fd = await fdApp();
});
after(() => fd.close());

const card = (personId: number) => ({ personId, deathDate: '2024-03-01', reportNo: 'SW-2024-0001', cause: '心肌梗死' });

test('a death report card opens a verification task for the contracted doctor; the contract stays until verified', async () => {
  const pid = await fd.resident();
  const cid = (await fd.sign(pid)).json().id;
  const r = await fd.post('/death-reports', card(pid));
  assert.equal(r.statusCode, 201, r.body);
  assert.equal(r.json().status, 'pending');
  assert.equal(r.json().contractId, cid);
  assert.equal(r.json().doctorName, '王医生');
  assert.equal(r.json().source, 'report_card');
  assert.equal((await fd.get(`/contracts/${cid}`)).json().status, 'active');
  const docA = await fd.t.loginAs('family_doctor', { level: 'own', districtCode: '310104', institutionId: IDS.chcA, practitionerId: IDS.docA1 });
  const mine = (await fd.get('/death-checks?status=pending', docA)).json();
  assert.ok(
    mine.items.some((x: { id: number }) => x.id === r.json().id),
    'the reminder is in the doctor’s list',
  );
  const docB = await fd.t.loginAs('family_doctor', { level: 'own', districtCode: '310104', institutionId: IDS.chcB, practitionerId: IDS.docB1 });
  assert.equal(
    (await fd.get('/death-checks', docB)).json().items.some((x: { id: number }) => x.id === r.json().id),
    false,
  );
  const again = await fd.post('/death-reports', card(pid));
  assert.equal(again.statusCode, 422);
  assert.match(again.json().message, /已有待核实的死亡报告/);
});

test('refusals: no active contract (404), a death date before birth (422), a future date (400)', async () => {
  const pid = await fd.resident();
  assert.equal((await fd.post('/death-reports', card(pid))).statusCode, 404);
  await fd.sign(pid);
  const early = await fd.post('/death-reports', { ...card(pid), deathDate: '1970-01-01' });
  assert.equal(early.statusCode, 422);
  assert.match(early.json().message, /早于出生日期/);
  assert.equal((await fd.post('/death-reports', { ...card(pid), deathDate: `${new Date().getFullYear() + 1}-01-01` })).statusCode, 400);
});

test('the death scan turns residents recorded as dead in the resident index into verification tasks, once', async () => {
  const dead = await fd.resident();
  const alive = await fd.resident();
  const cDead = (await fd.sign(dead)).json().id;
  await fd.sign(alive);
  await fd.t.kernel.db.query(`update person set status = 'dead', death_date = '2025-01-02' where id = $1`, [dead]);
  const db = fd.t.kernel.db;
  const ctx = systemJobContext(fd.t.kernel, { id: 0, attempt: 1 });
  assert.deepEqual(await deathScanJob.handler(ctx, {}), { opened: 1 });
  const [t] = await db.query<{ contract_id: number; source: string; death_date: string }>(
    `select contract_id, source, death_date::text from fd_death_check where person_id = $1`,
    [dead],
  );
  assert.deepEqual(t, { contract_id: cDead, source: 'resident_index', death_date: '2025-01-02' });
  assert.deepEqual(await deathScanJob.handler(ctx, {}), { opened: 0 }, 'a second run opens nothing new');
});
