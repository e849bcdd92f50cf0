import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { shanghaiToday } from './rules.ts';
import { type Fd, fdApp, IDS } from './test-fixture.ts';

let fd: Fd;
before(async () => {
  fd = await fdApp();
});
after(() => fd.close());

test('terminate records initiator and reason, clears the care assignment, and is audited', async () => {
  const pid = await fd.resident();
  const id = (await fd.sign(pid)).json().id;
  const r = await fd.post(`/contracts/${id}/terminate`, { initiator: 'resident', reason: '迁出本市', residentInformed: true });
  assert.equal(r.statusCode, 200, r.body);
  assert.equal(r.json().status, 'terminated');
  assert.equal(r.json().terminatedOn, shanghaiToday());
  assert.equal(r.json().terminationInitiator, 'resident');
  assert.equal(r.json().terminationReason, '迁出本市');
  assert.equal(r.json().colour, null);
  const [p] = await fd.t.kernel.db.query<{ team_id: number | null; doctor_id: number | null }>('select team_id, doctor_id from person where id = $1', [pid]);
  assert.deepEqual(p, { team_id: null, doctor_id: null });
  const a = (
    await fd.t.kernel.db.query<{ before: { status: string }; after: { status: string } }>(
      "select before, after from audit_event where action = 'family-doctor.terminate' and object_id = $1",
      [String(id)],
    )
  )[0]!;
  assert.equal(a.before.status, 'active');
  assert.equal(a.after.status, 'terminated');
  const again = await fd.post(`/contracts/${id}/terminate`, { initiator: 'doctor', reason: '重复', residentInformed: true });
  assert.equal(again.statusCode, 422);
  assert.match(again.json().message, /已解约/);
  // Free to sign again.
  assert.equal((await fd.sign(pid)).statusCode, 201);
  const list = (await fd.get('/contracts?status=terminated&district=310104')).json();
  assert.ok(list.items.some((c: { id: number }) => c.id === id));
});

test('terminate needs the confirmation that the resident was told (422)', async () => {
  const id = (await fd.sign(await fd.resident())).json().id;
  const r = await fd.post(`/contracts/${id}/terminate`, { initiator: 'doctor', reason: '长期失联', residentInformed: false });
  assert.equal(r.statusCode, 422);
  assert.match(r.json().message, /告知/);
});

test('a doctor assistant may not terminate; the centre admin may', async () => {
  const id = (await fd.sign(await fd.resident())).json().id;
  const assistant = await fd.t.loginAs('doctor_assistant', { level: 'team', districtCode: '310104', institutionId: IDS.chcA, teamId: IDS.teamA1 });
  assert.equal((await fd.post(`/contracts/${id}/terminate`, { initiator: 'doctor', reason: 'x', residentInformed: true }, assistant)).statusCode, 403);
  const adminA = await fd.t.loginAs('community_admin', { level: 'institution', districtCode: '310104', institutionId: IDS.chcA });
  assert.equal((await fd.post(`/contracts/${id}/terminate`, { initiator: 'system', reason: '核查死亡', residentInformed: true }, adminA)).statusCode, 200);
});
