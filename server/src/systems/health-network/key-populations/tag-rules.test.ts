import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addDays, addYears, shanghaiToday } from '../family-doctor/rules.ts';
import { type Fd, fdApp, IDS } from '../family-doctor/test-fixture.ts';
import { refreshJob } from './tag-rules.ts';
import { jobContext } from './test-fixture.ts';

let fd: Fd;
let today: string;
const P: Record<string, number> = {};
before(async () => {
  fd = await fdApp();
  today = shanghaiToday();
  P.old = await fd.resident(addYears(today, -70));
  P.justSixtyFive = await fd.resident(addYears(today, -65));
  P.almost = await fd.resident(addDays(addYears(today, -65), 1));
  P.child = await fd.resident(addDays(addYears(today, -7), 1));
  P.seven = await fd.resident(addYears(today, -7));
  P.changed = await fd.resident('1980-01-01');
  for (const k of ['old', 'changed']) assert.equal((await fd.sign(P[k]!)).statusCode, 201);
  // A change of family doctor to another centre within the change-sign year uses up the one chance.
  const c = (await fd.get(`/contracts?doctorId=${IDS.docA1}&pageSize=50`)).json().items.find((x: { personId: number }) => x.personId === P.changed);
  const ch = await fd.post(`/contracts/${c.id}/change-doctor`, {
    institutionId: IDS.chcB,
    teamId: IDS.teamB1,
    doctorId: IDS.docB1,
    channel: 'offline',
    initiator: 'resident',
    reason: '搬家',
    residentInformed: true,
  });
  assert.equal(ch.statusCode, 201, ch.body);
});
after(() => fd.close());

const tags = async (personId: number) =>
  (await fd.t.call(fd.admin, { method: 'GET', url: `/api/v1/key-populations/residents/${personId}` }))
    .json()
    .tags.map((t: { tag: string }) => t.tag)
    .sort();

test('the nightly refresh computes age tags to the day and the change-rights tag from contract events', async () => {
  const r = (await refreshJob.handler(jobContext(fd.t, 77), {})) as { added: number; messages: number };
  assert.equal(r.added, 4, 'two elderly, one child, one change right');
  assert.deepEqual(await tags(P.old!), ['change_rights', 'elderly']);
  assert.deepEqual(await tags(P.justSixtyFive!), ['elderly'], '65 today counts');
  assert.deepEqual(await tags(P.almost!), [], '65 tomorrow does not');
  assert.deepEqual(await tags(P.child!), ['child'], 'under 7');
  assert.deepEqual(await tags(P.seven!), []);
  assert.deepEqual(await tags(P.changed!), [], 'changed doctor this change-sign year: no rights left');

  // 健康云 hears of the residents who gained the tag, through the outbox.
  const msgs = await fd.t.kernel.db.query<{ payload: { kind: string; personIds: number[] } }>(
    `select payload from outbox_message where system = 'health-cloud' and topic = 'family-doctor.change-rights'`,
  );
  assert.equal(msgs.length, 1);
  assert.equal(msgs[0]!.payload.kind, 'granted');
  assert.deepEqual(msgs[0]!.payload.personIds, [P.old]);

  const again = (await refreshJob.handler(jobContext(fd.t, 78), {})) as { added: number; removed: number; messages: number };
  assert.deepEqual([again.added, again.removed, again.messages], [0, 0, 0], 'a second run changes nothing and sends nothing');

  // A year later the change-sign year is over: the resident has a right again.
  const later = (await refreshJob.handler(jobContext(fd.t, 79), { today: addDays(today, 366) })) as { byTag: Record<string, { added: number }> };
  assert.ok(later.byTag.change_rights!.added >= 1);
  assert.ok((await tags(P.changed!)).includes('change_rights'));
});

test('标签规则: every rule as a Chinese sentence with its count; refresh is a city-only action', async () => {
  const r = await fd.t.call(fd.admin, { method: 'GET', url: '/api/v1/key-populations/rules' });
  assert.equal(r.statusCode, 200, r.body);
  const rules = r.json().rules as { tag: string; sentence: string; keyPopulation: boolean; residents: number }[];
  assert.equal(rules.filter((x) => x.keyPopulation).length, 10);
  const elderly = rules.find((x) => x.tag === 'elderly')!;
  assert.match(elderly.sentence, /65/);
  assert.match(rules.find((x) => x.tag === 'hypertension')!.sentence, /高血压/);
  assert.ok(elderly.residents >= 2);
  const run = await fd.t.call(fd.admin, { method: 'POST', url: '/api/v1/key-populations/refresh', payload: {} });
  assert.equal(run.statusCode, 202, run.body);
  assert.ok(run.json().runId > 0);
  // A second click while that refresh is still queued answers with the same run; no second one is queued.
  const again = await fd.t.call(fd.admin, { method: 'POST', url: '/api/v1/key-populations/refresh', payload: {} });
  assert.equal(again.statusCode, 202, again.body);
  assert.deepEqual(again.json(), { runId: run.json().runId, existing: true });
  assert.equal(run.json().existing, false);
  const queued = await fd.t.kernel.db.query("select id from job_run where job = 'key-populations.refresh' and status = 'queued'");
  assert.equal(queued.length, 1);
  const district = await fd.t.loginAs('district_admin', { level: 'district', districtCode: '310104' });
  assert.equal((await fd.t.call(district, { method: 'POST', url: '/api/v1/key-populations/refresh', payload: {} })).statusCode, 403);
  const other = await fd.t.loginAs('district_admin', { level: 'district', districtCode: '310101' });
  const counts = (await fd.t.call(other, { method: 'GET', url: '/api/v1/key-populations/rules' })).json().rules as { residents: number }[];
  assert.ok(
    counts.every((x) => x.residents === 0),
    'another district counts none of these residents',
  );
});

test('签约管理 filters by tag (with header counts), refuses an unknown tag, and tags follow a change of doctor', async () => {
  const list = await fd.get('/contracts?tag=elderly');
  assert.equal(list.statusCode, 200, list.body);
  assert.deepEqual(
    list.json().items.map((c: { personId: number }) => c.personId),
    [P.old],
  );
  assert.equal(list.json().counts.green, 1);
  assert.equal((await fd.get('/contracts?tag=child')).json().total, 0, 'the child has no contract');
  const bad = await fd.get('/contracts?tag=vip');
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().details[0].field, 'tag');
  // The doctor of the new centre sees the changed resident's tags (scope columns follow the resident).
  const docB = await fd.t.loginAs('family_doctor', { level: 'own', districtCode: '310104', institutionId: IDS.chcB, practitionerId: IDS.docB1 });
  const reg = await fd.t.call(docB, {
    method: 'POST',
    url: '/api/v1/key-populations/conditions',
    payload: { personId: P.changed, kind: 'diabetes', registeredOn: addDays(today, -1) },
  });
  assert.equal(reg.statusCode, 201, reg.body);
  const mine = await fd.t.call(docB, { method: 'GET', url: '/api/v1/family-doctor/contracts?tag=diabetes' });
  assert.deepEqual(
    mine.json().items.map((c: { personId: number }) => c.personId),
    [P.changed],
  );
  const docA = await fd.t.loginAs('family_doctor', { level: 'own', districtCode: '310104', institutionId: IDS.chcA, practitionerId: IDS.docA1 });
  assert.equal((await fd.t.call(docA, { method: 'GET', url: '/api/v1/family-doctor/contracts?tag=diabetes' })).json().total, 0);
});
