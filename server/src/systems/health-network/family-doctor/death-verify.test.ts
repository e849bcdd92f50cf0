import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { shanghaiToday } from './rules.ts';
import { type Fd, fdApp, IDS } from './test-fixture.ts';

let fd: Fd;
before(async () => {
  fd = await fdApp();
});
after(() => fd.close());

const ownA = () => fd.t.loginAs('family_doctor', { level: 'own', districtCode: '310104', institutionId: IDS.chcA, practitionerId: IDS.docA1 });

async function reported(): Promise<{ pid: number; cid: number; checkId: number }> {
  const pid = await fd.resident();
  const cid = (await fd.sign(pid)).json().id;
  const r = await fd.post('/death-reports', { personId: pid, deathDate: '2024-03-01', reportNo: 'SW-1' });
  assert.equal(r.statusCode, 201, r.body);
  return { pid, cid, checkId: r.json().id };
}

test('the doctor confirms: the contract ends, initiator 系统, reason 死亡, care cleared; decided once', async () => {
  const { pid, cid, checkId } = await reported();
  const doc = await ownA();
  const r = await fd.post(`/death-checks/${checkId}/verify`, { result: 'confirm' }, doc);
  assert.equal(r.statusCode, 200, r.body);
  assert.equal(r.json().status, 'confirmed');
  const c = (await fd.get(`/contracts/${cid}`)).json();
  assert.equal(c.status, 'terminated');
  assert.equal(c.terminationInitiator, 'system');
  assert.equal(c.terminationReason, '死亡');
  assert.equal(c.terminatedOn, shanghaiToday());
  assert.equal(c.events.at(-1).detail.deathCheckId, checkId);
  const p = (await fd.t.kernel.db.query<{ doctor_id: number | null }>('select doctor_id from person where id = $1', [pid]))[0]!;
  assert.equal(p.doctor_id, null);
  const a = (
    await fd.t.kernel.db.query<{ n: number }>("select count(*)::int as n from audit_event where action = 'family-doctor.death-verify' and object_id = $1", [
      String(checkId),
    ])
  )[0]!;
  assert.equal(a.n, 1);
  const again = await fd.post(`/death-checks/${checkId}/verify`, { result: 'not_same_person', note: 'x' }, doc);
  assert.equal(again.statusCode, 422);
  assert.match(again.json().message, /已核实/);
});

test('not the same person: the contract stays; a note is required (422)', async () => {
  const { cid, checkId } = await reported();
  const doc = await ownA();
  const bare = await fd.post(`/death-checks/${checkId}/verify`, { result: 'not_same_person' }, doc);
  assert.equal(bare.statusCode, 422);
  assert.match(bare.json().message, /核实情况/);
  const r = await fd.post(`/death-checks/${checkId}/verify`, { result: 'not_same_person', note: '身份证号录入错误，居民健在' }, doc);
  assert.equal(r.statusCode, 200, r.body);
  assert.equal(r.json().status, 'not_same_person');
  assert.equal((await fd.get(`/contracts/${cid}`)).json().status, 'active');
});

test('another doctor cannot see or verify the task (404); an assistant may not verify (403)', async () => {
  const { checkId } = await reported();
  const docB = await fd.t.loginAs('family_doctor', { level: 'own', districtCode: '310104', institutionId: IDS.chcB, practitionerId: IDS.docB1 });
  assert.equal((await fd.post(`/death-checks/${checkId}/verify`, { result: 'confirm' }, docB)).statusCode, 404);
  const assistant = await fd.t.loginAs('doctor_assistant', { level: 'team', districtCode: '310104', institutionId: IDS.chcA, teamId: IDS.teamA1 });
  assert.equal((await fd.post(`/death-checks/${checkId}/verify`, { result: 'confirm' }, assistant)).statusCode, 403);
});

test('confirming a death is refused (409) when the resident’s care is no longer with the contract’s doctor: the contract stays, the task stays pending', async () => {
  const { pid, cid, checkId } = await reported();
  await fd.t.kernel.db.query('update person set doctor_id = $2, team_id = $3 where id = $1', [pid, IDS.docA2, IDS.teamA2]);
  const r = await fd.post(`/death-checks/${checkId}/verify`, { result: 'confirm' }, await ownA());
  assert.equal(r.statusCode, 409, r.body);
  assert.equal((await fd.get(`/contracts/${cid}`)).json().status, 'active');
  const d = (await fd.t.kernel.db.query<{ status: string }>('select status from fd_death_check where id = $1', [checkId]))[0]!;
  assert.equal(d.status, 'pending');
});
