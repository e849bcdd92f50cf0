import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { shanghaiToday } from './rules.ts';
import { type Fd, fdApp, IDS } from './test-fixture.ts';

let fd: Fd;
before(async () => {
  fd = await fdApp();
});
after(() => fd.close());

const toB = { toTeamId: IDS.teamB1, toDoctorId: IDS.docB1, reasonKind: 'leave', reason: '王医生离职' };
const ownB = () => fd.t.loginAs('family_doctor', { level: 'own', districtCode: '310104', institutionId: IDS.chcB, practitionerId: IDS.docB1 });
const ownA = () => fd.t.loginAs('family_doctor', { level: 'own', districtCode: '310104', institutionId: IDS.chcA, practitionerId: IDS.docA1 });

async function requested(n = 2): Promise<{ pids: number[]; ids: number[]; reqId: number }> {
  const pids: number[] = [];
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    const pid = await fd.resident();
    pids.push(pid);
    ids.push((await fd.sign(pid)).json().id);
  }
  const r = await fd.post('/transfer-requests', { ...toB, contractIds: ids });
  assert.equal(r.statusCode, 201, r.body);
  return { pids, ids, reqId: r.json().id };
}

test('the receiving doctor accepts: the contracts move with their cycle and hospitals, care follows, history on both sides', async () => {
  const { pids, ids, reqId } = await requested();
  const before0 = (await fd.get(`/contracts/${ids[0]}`)).json();
  const docB = await ownB();
  const r = await fd.post(`/transfer-requests/${reqId}/accept`, {}, docB);
  assert.equal(r.statusCode, 200, r.body);
  assert.equal(r.json().status, 'accepted');
  assert.deepEqual(r.json().movedIds, ids);
  assert.ok(r.json().decidedAt);
  const c = (await fd.get(`/contracts/${ids[0]}`, docB)).json();
  assert.equal(c.doctorId, IDS.docB1);
  assert.equal(c.teamId, IDS.teamB1);
  assert.equal(c.institutionId, IDS.chcB);
  assert.equal(c.cycleEnd, before0.cycleEnd, 'the cycle continues');
  assert.equal(c.districtHospitalId, before0.districtHospitalId);
  assert.equal(c.doctorSince, shanghaiToday());
  const ev = c.events.find((e: { kind: string }) => e.kind === 'transfer');
  assert.equal(ev.detail.requestId, reqId);
  assert.match(ev.reason, /离职/);
  assert.equal(c.chances.doctorChangesLeft, 1, 'an institutional transfer does not use the resident’s change');
  const [p] = await fd.t.kernel.db.query<{ doctor_id: number; team_id: number; managing_institution_id: number }>(
    'select doctor_id, team_id, managing_institution_id from person where id = $1',
    [pids[0]],
  );
  assert.deepEqual(p, { doctor_id: IDS.docB1, team_id: IDS.teamB1, managing_institution_id: IDS.chcB });
  // History for both sides.
  const docA = await ownA();
  const out = (await fd.get(`/transfer-requests?doctorId=${IDS.docA1}&direction=out&status=accepted`, docA)).json();
  assert.ok(out.items.some((x: { id: number }) => x.id === reqId));
  assert.equal((await fd.get(`/contracts/${ids[0]}`, docA)).statusCode, 404, 'the contract is no longer the old doctor’s');
  const inB = (await fd.get(`/transfer-requests?doctorId=${IDS.docB1}&direction=in&status=accepted`, docB)).json();
  assert.ok(inB.items.some((x: { id: number }) => x.id === reqId));
  const a = (
    await fd.t.kernel.db.query<{ n: number }>("select count(*)::int as n from audit_event where action = 'family-doctor.transfer-move' and object_id = $1", [
      String(ids[1]),
    ])
  )[0]!;
  assert.equal(a.n, 1);
  // Decided once.
  const again = await fd.post(`/transfer-requests/${reqId}/reject`, { reason: '改主意' }, docB);
  assert.equal(again.statusCode, 422);
  assert.match(again.json().message, /已接收，不能重复处理/);
});

test('the receiving centre admin rejects with a reason: nothing moves, decided once', async () => {
  const { pids, ids, reqId } = await requested(1);
  const adminB = await fd.t.loginAs('community_admin', { level: 'institution', districtCode: '310104', institutionId: IDS.chcB });
  const r = await fd.post(`/transfer-requests/${reqId}/reject`, { reason: '本中心签约已满' }, adminB);
  assert.equal(r.statusCode, 200, r.body);
  assert.equal(r.json().status, 'rejected');
  assert.equal(r.json().decisionReason, '本中心签约已满');
  assert.equal((await fd.get(`/contracts/${ids[0]}`)).json().doctorId, IDS.docA1);
  const p = (await fd.t.kernel.db.query<{ doctor_id: number }>('select doctor_id from person where id = $1', [pids[0]]))[0]!;
  assert.equal(p.doctor_id, IDS.docA1);
  const again = await fd.post(`/transfer-requests/${reqId}/accept`, {}, adminB);
  assert.equal(again.statusCode, 422);
  assert.match(again.json().message, /已拒绝/);
  const hist = (await fd.get(`/transfer-requests?doctorId=${IDS.docA1}&direction=out`, await ownA())).json();
  assert.equal(hist.items.find((x: { id: number }) => x.id === reqId).decisionReason, '本中心签约已满');
  // Free to request again once rejected.
  assert.equal((await fd.post('/transfer-requests', { ...toB, contractIds: ids })).statusCode, 201);
});

test('only the receiving side decides: the transferring doctor (403), a third doctor (404); a reason is needed to reject (400)', async () => {
  const { reqId } = await requested(1);
  assert.equal((await fd.post(`/transfer-requests/${reqId}/accept`, {}, await ownA())).statusCode, 403);
  const docA2 = await fd.t.loginAs('family_doctor', { level: 'own', districtCode: '310104', institutionId: IDS.chcA, practitionerId: IDS.docA2 });
  assert.equal((await fd.post(`/transfer-requests/${reqId}/accept`, {}, docA2)).statusCode, 404);
  assert.equal((await fd.post(`/transfer-requests/${reqId}/reject`, { reason: '' }, await ownB())).statusCode, 400);
});

test('a contract ended meanwhile is skipped and listed, the others move', async () => {
  const { ids, reqId } = await requested(2);
  assert.equal((await fd.post(`/contracts/${ids[0]}/terminate`, { initiator: 'resident', reason: '迁出', residentInformed: true })).statusCode, 200);
  const r = await fd.post(`/transfer-requests/${reqId}/accept`, {}, await ownB());
  assert.equal(r.statusCode, 200, r.body);
  assert.deepEqual(r.json().movedIds, [ids[1]]);
  assert.deepEqual(r.json().skippedIds, [ids[0]]);
  assert.equal((await fd.get(`/contracts/${ids[0]}`)).json().doctorId, IDS.docA1);
});

test('refused as a whole when a resident’s care is no longer with the transferring doctor (409): nothing moves', async () => {
  const { pids, ids, reqId } = await requested();
  // The resident index names another doctor (changed outside family-doctor): the hand-over does not hold.
  await fd.t.kernel.db.query('update person set doctor_id = $2, team_id = $3 where id = $1', [pids[1], IDS.docA2, IDS.teamA2]);
  const r = await fd.post(`/transfer-requests/${reqId}/accept`, {}, await ownB());
  assert.equal(r.statusCode, 409, r.body);
  assert.match(r.json().message, /已不是交出方/);
  for (const id of ids) assert.equal((await fd.get(`/contracts/${id}`)).json().doctorId, IDS.docA1);
  const p = (await fd.t.kernel.db.query<{ status: string }>('select status from fd_transfer_request where id = $1', [reqId]))[0]!;
  assert.equal(p.status, 'pending');
});

test('insurance-card rules hold on acceptance: a batch with a resident whose card breaks them is refused with a reason per row, nothing moves', async () => {
  const { pids, ids, reqId } = await requested(3);
  const holder = await fd.resident('1975-01-01', { insuranceCardNo: '320100888', insuredPlace: '320100' });
  // Cards written before the rules (legacy data, straight into the index): a malformed Shanghai card, and a
  // non-local 参保地 + 卡号 another resident already holds.
  await fd.t.kernel.db.query(`update person set insurance_card_no = '1234567', insured_place = '310000' where id = $1`, [pids[0]]);
  await fd.t.kernel.db.query(`update person set insurance_card_no = '320100888', insured_place = '320100' where id = $1`, [pids[2]]);
  const docB = await ownB();
  const r = await fd.post(`/transfer-requests/${reqId}/accept`, {}, docB);
  assert.equal(r.statusCode, 422, r.body);
  assert.match(r.json().message, /2 位居民的医保卡不符合规则/);
  const details = r.json().details as { field: string; message: string }[];
  assert.deepEqual(
    details.map((d) => d.field),
    ['contractIds[0]', 'contractIds[2]'],
  );
  assert.match(details[0]!.message, /^张三（.*\*.*）医保卡不符合规则：.*S \+ 10 位数字/);
  assert.match(details[1]!.message, /已对应另一位居民/);
  // Nothing half-written: every contract stays with the transferring doctor, care unchanged, request pending.
  for (const id of ids) assert.equal((await fd.get(`/contracts/${id}`)).json().doctorId, IDS.docA1);
  const care = await fd.t.kernel.db.query<{ doctor_id: number }>('select doctor_id::int as doctor_id from person where id = any($1) order by id', [pids]);
  assert.ok(care.every((c) => c.doctor_id === IDS.docA1));
  const p = (await fd.t.kernel.db.query<{ status: string }>('select status from fd_transfer_request where id = $1', [reqId]))[0]!;
  assert.equal(p.status, 'pending');
  const moves = (
    await fd.t.kernel.db.query<{ n: number }>(
      "select count(*)::int as n from audit_event where action = 'family-doctor.transfer-move' and object_id = any($1)",
      [ids.map(String)],
    )
  )[0]!;
  assert.equal(moves.n, 0);

  // Corrected in the index, the same request is accepted whole.
  await fd.t.kernel.db.query(`update person set insurance_card_no = 'S2000000123' where id = $1`, [pids[0]]);
  await fd.t.kernel.db.query(`update person set insurance_card_no = null, insured_place = null where id = $1`, [pids[2]]);
  const ok = await fd.post(`/transfer-requests/${reqId}/accept`, {}, docB);
  assert.equal(ok.statusCode, 200, ok.body);
  assert.deepEqual(ok.json().movedIds, ids);
  assert.ok(holder > 0);
});
