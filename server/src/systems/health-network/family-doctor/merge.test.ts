import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Fd, fdApp, IDS } from './test-fixture.ts';

let fd: Fd;
const BR = { chc: 7301, doc: 7302, team: 7303, dh: 7304 };
before(async () => {
  fd = await fdApp();
  // A branch centre of 天平 (A) with its own team, and a branch of the district hospital dh1.
  await fd.t.kernel.db.exec(`
    insert into institution (id, code, name, kind, level, district_code, street_code, parent_id) values
      (${BR.chc}, 'FD-CHC-A2', '天平街道社区卫生服务中心分中心', 'chc', 1, '310104', '310104003', ${IDS.chcA}),
      (${BR.dh}, 'FD-DH-1B', '徐汇区中心医院南院', 'district_hospital', 2, '310104', null, null);
    insert into practitioner (id, institution_id, name, sex, district_code, street_code, is_family_doctor) values
      (${BR.doc}, ${BR.chc}, '孙医生', 'M', '310104', '310104003', true);
    insert into team (id, institution_id, name, leader_id, district_code, street_code) values (${BR.team}, ${BR.chc}, '孙医生团队', ${BR.doc}, '310104', '310104003');
    insert into team_member (team_id, practitioner_id, member_role) values (${BR.team}, ${BR.doc}, 'leader');
  `);
});
after(() => fd.close());

const preview = (branchId: number, s = fd.admin) => fd.get(`/merges/preview?branchId=${branchId}`, s);

test('merging a branch centre: preview of affected rows, then its contracts and history move to the main centre in one go, with the trail', async () => {
  const p1 = await fd.resident();
  const p2 = await fd.resident();
  const c1 = (await fd.sign(p1, { institutionId: BR.chc, teamId: BR.team, doctorId: BR.doc })).json();
  const c2 = (await fd.sign(p2, { institutionId: BR.chc, teamId: BR.team, doctorId: BR.doc })).json();
  const ok = await fd.post(`/contracts/${c2.id}/terminate`, { initiator: 'resident', reason: '居民要求', residentInformed: true });
  assert.equal(ok.statusCode, 200, ok.body);
  await fd.t.kernel.db.query('insert into fd_visit (person_id, institution_id, visit_date, district_code, street_code) values ($1, $2, $3, $4, $5)', [
    p1,
    BR.chc,
    '2026-10-01',
    '310104',
    '310104003',
  ]);

  const pv = await preview(BR.chc);
  assert.equal(pv.statusCode, 200, pv.body);
  const v = pv.json();
  assert.equal(v.main.id, IDS.chcA);
  const count = (t: string, c: string) => v.counts.find((x: { table: string; column: string }) => x.table === t && x.column === c).rows;
  assert.equal(count('fd_contract', 'institution_id'), 2);
  assert.equal(count('fd_contract_event', 'institution_id'), 3);
  assert.equal(count('fd_visit', 'institution_id'), 1);
  assert.equal(count('fd_agreement', 'institution_id'), 2);
  assert.equal(count('team', 'institution_id'), 1);
  assert.equal(v.activeContracts, 1);
  assert.deepEqual(
    v.sample.map((s: { contractId: number }) => s.contractId),
    [c1.id, c2.id],
  );

  const stale = await fd.post('/merges', { branchId: BR.chc, expectedTotal: v.total - 1 });
  assert.equal(stale.statusCode, 409);
  assert.match(stale.json().message, /请重新预览/);

  const r = await fd.post('/merges', { branchId: BR.chc, expectedTotal: v.total, note: '分中心并入总中心' });
  assert.equal(r.statusCode, 201, r.body);
  assert.equal(r.json().total, v.total);
  const after1 = (await fd.get(`/contracts/${c1.id}`)).json();
  assert.equal(after1.institutionId, IDS.chcA);
  // The branch's team moved with it: the contract keeps its team, now a team of the main centre.
  assert.equal(after1.teamId, BR.team);
  const team = (await fd.t.kernel.db.query<{ institution_id: number }>('select institution_id from team where id = $1', [BR.team]))[0]!;
  assert.equal(Number(team.institution_id), IDS.chcA);
  assert.equal(r.json().moved['team.institution_id'], 1);
  assert.equal(after1.version, c1.version + 1);
  const left = await fd.t.kernel.db.query<{ n: number }>(
    `select (select count(*) from fd_contract where institution_id = $1) + (select count(*) from fd_contract_event where institution_id = $1)
          + (select count(*) from fd_visit where institution_id = $1) + (select count(*) from fd_agreement where institution_id = $1) as n`,
    [BR.chc],
  );
  assert.equal(Number(left[0]!.n), 0);
  // The trail: every changed value, and the audit event with the counts.
  const rows = (await fd.get(`/merges/${r.json().mergeId}/rows?pageSize=100`)).json();
  assert.equal(rows.total, v.total);
  assert.ok(
    rows.items.some(
      (x: { table: string; rowId: number; oldValue: number; newValue: number }) =>
        x.table === 'fd_contract' && x.rowId === c1.id && x.oldValue === BR.chc && x.newValue === IDS.chcA,
    ),
  );
  assert.ok(
    rows.items.some(
      (x: { table: string; rowId: number; oldValue: number; newValue: number }) =>
        x.table === 'team' && x.rowId === BR.team && x.oldValue === BR.chc && x.newValue === IDS.chcA,
    ),
  );
  const audit = (
    await fd.t.kernel.db.query<{ after: { mergedInto: number; moved: Record<string, number> } }>(
      "select after from audit_event where action = 'family-doctor.merge'",
    )
  )[0]!;
  assert.equal(audit.after.mergedInto, IDS.chcA);
  assert.equal(audit.after.moved['fd_contract.institution_id'], 2);
  const list = (await fd.get('/merges')).json();
  assert.equal(list.items[0].branchName, '天平街道社区卫生服务中心分中心');
  // The main centre's admin now sees the contract.
  const adminA = await fd.t.loginAs('community_admin', { level: 'institution', districtCode: '310104', institutionId: IDS.chcA });
  assert.equal((await fd.get(`/contracts/${c1.id}`, adminA)).statusCode, 200);
  // Once only.
  const again = await preview(BR.chc);
  assert.equal(again.statusCode, 422);
  assert.equal(again.json().message, '该分院已合并到总院，不能重复合并');
});

test('merge refusals: no main institution, different kinds, not a city admin', async () => {
  const none = await preview(BR.dh);
  assert.equal(none.statusCode, 422);
  assert.equal(none.json().message, '该机构未设置总院（不是分院），不能合并');
  await fd.t.kernel.db.query('update institution set parent_id = $1 where id = $2', [IDS.ch1, BR.dh]);
  const kinds = await preview(BR.dh);
  assert.equal(kinds.statusCode, 422);
  assert.equal(kinds.json().message, '总院与分院的机构类型不同，不能合并');
  await fd.t.kernel.db.query('update institution set parent_id = $1 where id = $2', [IDS.dh1, BR.dh]);
  const district = await fd.t.loginAs('district_admin', { level: 'district', districtCode: '310104' });
  assert.equal((await preview(BR.dh, district)).statusCode, 403);
  assert.equal((await fd.post('/merges', { branchId: BR.dh, expectedTotal: 0 }, district)).statusCode, 403);
  // A hospital branch: contracts naming it as the district hospital follow the main hospital.
  const c = (await fd.sign(await fd.resident(), { districtHospitalId: BR.dh })).json();
  const v = (await preview(BR.dh)).json();
  assert.equal(v.counts.find((x: { column: string; table: string }) => x.table === 'fd_contract' && x.column === 'district_hospital_id').rows, 1);
  assert.equal((await fd.post('/merges', { branchId: BR.dh, expectedTotal: v.total })).statusCode, 201);
  assert.equal((await fd.get(`/contracts/${c.id}`)).json().districtHospitalId, IDS.dh1);
});
