/**
 * The 签约管理 header counts come from a per-server cache keyed by the count generation: the cache is really
 * used (a change made with triggers switched off is not seen), and every ordinary change of contracts or
 * tags — signing, terminating, moving dates, tagging — is seen by the very next request.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addDays, shanghaiToday } from './rules.ts';
import { type Fd, fdApp, IDS } from './test-fixture.ts';

let fd: Fd;
const ids: number[] = [];
const people: number[] = [];
before(async () => {
  fd = await fdApp();
  for (let i = 0; i < 3; i++) {
    const p = await fd.resident();
    people.push(p);
    ids.push((await fd.sign(p)).json().id);
  }
});
after(() => fd.close());

const counts = async (q = 'district=310104', s = fd.admin) => {
  const r = await fd.get(`/contracts?${q}`, s);
  assert.equal(r.statusCode, 200, r.body);
  return r.json().counts;
};

test('an unchanged district is answered from the cache; a change made without triggers is not seen', async () => {
  assert.deepEqual(await counts(), { green: 3, yellow: 0, red: 0 });
  const db = fd.t.kernel.db;
  await db.transaction(async (tx) => {
    await tx.exec(`set local session_replication_role = replica`);
    await tx.query('update fd_contract set cycle_end = $2 where id = $1', [ids[0], addDays(shanghaiToday(), 5)]);
  });
  assert.deepEqual(await counts(), { green: 3, yellow: 0, red: 0 }, 'no generation bump: the cached figure');
  // The same change made normally bumps the district's generation.
  await fd.setDates(ids[0]!, { cycle_end: addDays(shanghaiToday(), 6) });
  assert.deepEqual(await counts(), { green: 2, yellow: 1, red: 0 });
});

test('signing and terminating change the next answer', async () => {
  const before = await counts();
  const p = await fd.resident();
  const id = (await fd.sign(p)).json().id;
  assert.equal((await counts()).green, before.green + 1);
  const r = await fd.post(`/contracts/${id}/terminate`, { initiator: 'resident', reason: '搬离', residentInformed: true });
  assert.equal(r.statusCode, 200, r.body);
  assert.deepEqual(await counts(), before);
  assert.equal((await fd.get('/contracts?status=terminated&district=310104')).json().total, 1);
});

test('a tag added or removed changes the tag-filtered counts', async () => {
  const db = fd.t.kernel.db;
  assert.deepEqual(await counts('district=310104&tag=diabetes'), { green: 0, yellow: 0, red: 0 });
  await db.query(
    `insert into kp_tag (person_id, tag, since, district_code, street_code, institution_id, team_id, doctor_id)
     select c.person_id, 'diabetes', current_date, c.district_code, c.street_code, c.institution_id, c.team_id, c.doctor_id from fd_contract c where c.id = any($1::bigint[])`,
    [[ids[1], ids[2]]],
  );
  assert.deepEqual(await counts('district=310104&tag=diabetes'), { green: 2, yellow: 0, red: 0 });
  await db.query(`delete from kp_tag where tag = 'diabetes' and person_id = $1`, [people[1]]);
  assert.deepEqual(await counts('district=310104&tag=diabetes'), { green: 1, yellow: 0, red: 0 });
});

test('each data scope has its own entry', async () => {
  const city = await counts('');
  const doctor = await fd.t.loginAs('family_doctor', { level: 'own', districtCode: '310104', institutionId: IDS.chcA, practitionerId: IDS.docA2 });
  assert.deepEqual(await counts('', doctor), { green: 0, yellow: 0, red: 0 }, "another doctor's residents are not counted");
  const other = await fd.t.loginAs('district_admin', { level: 'district', districtCode: '310101' });
  assert.deepEqual(await counts('', other), { green: 0, yellow: 0, red: 0 });
  assert.deepEqual(await counts(''), city);
  assert.ok(city.green + city.yellow > 0);
});
