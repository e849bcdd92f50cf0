import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addDays, shanghaiToday } from './rules.ts';
import { type Fd, fdApp, IDS } from './test-fixture.ts';

let fd: Fd;
before(async () => {
  fd = await fdApp();
});
after(() => fd.close());

const today = shanghaiToday();

test('sign: a one-year contract with the combination, audited, and the resident index follows', async () => {
  const pid = await fd.resident();
  const r = await fd.sign(pid);
  assert.equal(r.statusCode, 201, r.body);
  const c = r.json();
  assert.equal(c.personId, pid);
  assert.equal(c.personName, '张三');
  assert.equal(c.institutionName, '天平街道社区卫生服务中心');
  assert.equal(c.doctorName, '王医生');
  assert.equal(c.teamName, '王医生团队');
  assert.equal(c.districtHospitalName, '徐汇区中心医院');
  assert.equal(c.cityHospitalName, '市第六人民医院');
  assert.equal(c.cycleStart, today);
  assert.equal(c.cycleYears, 1);
  assert.equal(c.colour, 'green');
  assert.equal(c.status, 'active');
  assert.equal(c.channel, 'offline');
  assert.deepEqual(c.emergencyContacts, [{ name: '张小三', relation: '子女', phoneMasked: '139****1111' }]);
  assert.equal(c.districtCode, '310104');
  const [p] = await fd.t.kernel.db.query<{ team_id: number; doctor_id: number; managing_institution_id: number }>(
    'select team_id, doctor_id, managing_institution_id from person where id = $1',
    [pid],
  );
  assert.deepEqual(p, { team_id: IDS.teamA1, doctor_id: IDS.docA1, managing_institution_id: IDS.chcA });
  const audit = await fd.t.kernel.db.query<{ action: string }>("select action from audit_event where object_id = $1 and action like 'family-doctor.%'", [
    String(c.id),
  ]);
  assert.deepEqual(
    audit.map((a) => a.action),
    ['family-doctor.sign'],
  );
  const ev = await fd.get(`/contracts/${c.id}`);
  assert.equal(ev.statusCode, 200);
  assert.deepEqual(
    ev.json().events.map((e: { kind: string }) => e.kind),
    ['sign'],
  );
});

test("the family doctor's own scope now sees the resident and the contract", async () => {
  const pid = await fd.resident();
  const c = (await fd.sign(pid)).json();
  const doctor = await fd.t.loginAs('family_doctor', { level: 'own', districtCode: '310104', institutionId: IDS.chcA, practitionerId: IDS.docA1 });
  assert.equal((await fd.get(`/contracts/${c.id}`, doctor)).statusCode, 200);
  const other = await fd.t.loginAs('family_doctor', { level: 'own', districtCode: '310104', institutionId: IDS.chcA, practitionerId: IDS.docA2 });
  assert.equal((await fd.get(`/contracts/${c.id}`, other)).statusCode, 404);
  const res = await fd.t.call(doctor, { method: 'GET', url: `/api/v1/residents/${pid}` });
  assert.equal(res.statusCode, 200, res.body);
});

test('a resident with a green or a yellow contract cannot sign again (422 with the reason)', async () => {
  const pid = await fd.resident();
  const c = (await fd.sign(pid)).json();
  const green = await fd.sign(pid, { institutionId: IDS.chcB, teamId: IDS.teamB1, doctorId: IDS.docB1 });
  assert.equal(green.statusCode, 422);
  assert.equal(green.json().code, 'RULE_VIOLATION');
  assert.match(green.json().message, /已有有效签约（绿色），不能重复签约/);
  assert.equal(green.json().details[0].field, 'personId');
  await fd.setDates(c.id, { cycle_end: addDays(today, 30) });
  const yellow = await fd.sign(pid);
  assert.equal(yellow.statusCode, 422);
  assert.match(yellow.json().message, /黄色.*续约/);
  await fd.setDates(c.id, { cycle_start: addDays(today, -500), cycle_end: addDays(today, -90) });
  assert.equal((await fd.sign(pid)).statusCode, 422, '90 days after the end is still yellow');
});

test('a red (lapsed) resident is a free person: the old contract is closed by the system and a new one begins', async () => {
  const pid = await fd.resident();
  const old = (await fd.sign(pid)).json();
  await fd.setDates(old.id, {
    cycle_start: addDays(today, -500),
    cycle_end: addDays(today, -91),
    signed_on: addDays(today, -500),
    doctor_since: addDays(today, -500),
  });
  const list = await fd.get('/contracts?colour=red&district=310104');
  assert.equal(list.statusCode, 200, list.body);
  assert.ok(list.json().items.some((x: { id: number }) => x.id === old.id));
  const r = await fd.sign(pid, { institutionId: IDS.chcB, teamId: IDS.teamB1, doctorId: IDS.docB1, channel: 'online' });
  assert.equal(r.statusCode, 201, r.body);
  assert.equal(r.json().previousId, old.id);
  assert.deepEqual(r.json().tags, ['红色重签']);
  const prev = (await fd.get(`/contracts/${old.id}`)).json();
  assert.equal(prev.status, 'terminated');
  assert.equal(prev.terminationInitiator, 'system');
  assert.match(prev.terminationReason, /红色/);
  assert.equal(prev.colour, null);
});

test('the combination must hold together: field errors (400)', async () => {
  const pid = await fd.resident();
  const r = await fd.sign(pid, { institutionId: IDS.dh1, teamId: IDS.teamB1, doctorId: IDS.nurseA, districtHospitalId: IDS.ch1, cityHospitalId: IDS.dh1 });
  assert.equal(r.statusCode, 400, r.body);
  const fields = r
    .json()
    .details.map((d: { field: string }) => d.field)
    .sort();
  assert.deepEqual(fields, ['cityHospitalId', 'districtHospitalId', 'doctorId', 'institutionId', 'teamId']);
  const notMember = await fd.sign(pid, { doctorId: IDS.docA2 });
  assert.equal(notMember.statusCode, 400);
  assert.match(notMember.json().details[0].message, /团队的成员/);
  const phone = await fd.sign(pid, { emergencyContacts: [{ name: '甲', phone: '12345', relation: '配偶' }] });
  assert.equal(phone.statusCode, 400);
  assert.equal(phone.json().details[0].field, 'emergencyContacts.0.phone');
  const { n } = (await fd.t.kernel.db.query<{ n: number }>('select count(*)::int as n from fd_contract where person_id = $1', [pid]))[0]!;
  assert.equal(n, 0);
});

test('a deceased resident cannot sign; an unknown or out-of-scope resident is 404', async () => {
  const dead = await fd.resident('1940-01-01', { status: 'dead', deathDate: '2024-01-01' });
  const r = await fd.sign(dead);
  assert.equal(r.statusCode, 400);
  assert.match(r.json().details[0].message, /死亡/);
  assert.equal((await fd.sign(99_999_999)).statusCode, 404);
  const pid = await fd.resident();
  const huangpu = await fd.t.loginAs('district_admin', { level: 'district', districtCode: '310101' });
  assert.equal((await fd.sign(pid, {}, huangpu)).statusCode, 404);
});

test('a community admin cannot sign a resident into another centre it could not see afterwards (403)', async () => {
  const pid = await fd.resident();
  const adminA = await fd.t.loginAs('community_admin', { level: 'institution', districtCode: '310104', institutionId: IDS.chcA });
  const r = await fd.sign(pid, { institutionId: IDS.chcB, teamId: IDS.teamB1, doctorId: IDS.docB1 }, adminA);
  assert.equal(r.statusCode, 403, r.body);
  const ok = await fd.sign(pid, {}, adminA);
  assert.equal(ok.statusCode, 201, ok.body);
});

test('without family-doctor.sign the sign is forbidden', async () => {
  const expert = await fd.t.loginAs('expert');
  assert.equal((await fd.sign(await fd.resident(), {}, expert)).statusCode, 403);
});
