/**
 * The tag counts the 签约管理 header reads (migration 004) stay equal to counting contracts joined to their
 * tags, per district × tag × cycle end, through every kind of change to either table — and the list answers
 * a district admin's tag-filtered counts from them.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addDays, shanghaiToday } from '../family-doctor/rules.ts';
import { type Fd, fdApp, IDS } from '../family-doctor/test-fixture.ts';

let fd: Fd;
const contracts: number[] = [];
const people: number[] = [];
before(async () => {
  fd = await fdApp();
  for (let i = 0; i < 5; i++) {
    const p = await fd.resident();
    people.push(p);
    contracts.push((await fd.sign(p)).json().id);
  }
});
after(() => fd.close());

const kept = () =>
  fd.t.kernel.db.query<{ k: string; n: number }>(
    `select district_code || '/' || tag || '/' || cycle_end::text as k, n from kp_contract_tag_count where n <> 0 order by 1`,
  );
const counted = () =>
  fd.t.kernel.db.query<{ k: string; n: number }>(
    `select c.district_code || '/' || t.tag || '/' || c.cycle_end::text as k, count(*)::int as n
       from fd_contract c join kp_tag t on t.person_id = c.person_id and t.district_code = c.district_code
      where c.status = 'active' group by 1 order by 1`,
  );
const same = async (after: string) => assert.deepEqual(await kept(), await counted(), `after ${after}`);
const tag = (personIds: number[], code: string) =>
  fd.t.kernel.db.query(
    `insert into kp_tag (person_id, tag, since, district_code, street_code, institution_id, team_id, doctor_id)
     select c.person_id, $2, current_date, c.district_code, c.street_code, c.institution_id, c.team_id, c.doctor_id
       from fd_contract c where c.person_id = any($1::bigint[]) and c.status = 'active'`,
    [personIds, code],
  );

test('kept equal to counting through tags added, dates moved, terminations, tags removed, districts changed', async () => {
  await same('signing');
  await tag(people.slice(0, 4), 'diabetes');
  await tag(people.slice(2), 'copd');
  await same('tagging');
  assert.ok((await kept()).length > 0);
  await fd.setDates(contracts[0]!, { cycle_end: addDays(shanghaiToday(), 20) });
  await same('a cycle end moved');
  const r = await fd.post(`/contracts/${contracts[1]}/terminate`, { initiator: 'resident', reason: '搬离', residentInformed: true });
  assert.equal(r.statusCode, 200, r.body);
  await same('a termination');
  await fd.t.kernel.db.query(`delete from kp_tag where person_id = $1 and tag = 'copd'`, [people[3]]);
  await same('a tag removed');
  await fd.t.kernel.db.query(`update kp_tag set district_code = '310101' where person_id = $1`, [people[2]]);
  await same('a tag moved to another district');
  await fd.t.kernel.db.query(`update fd_contract set district_code = '310101' where id = $1`, [contracts[2]]);
  await same('the contract followed it');
  const again = await fd.resident();
  await tag([again], 'copd'); // no contract yet: nothing to count
  await fd.sign(again);
  await tag([again], 'diabetes');
  await same('a tagged resident signing');
});

test("the list answers a district admin's tag counts from them, and only for its own district", async () => {
  const live = async (district: string, code: string) =>
    (
      await fd.t.kernel.db.query<{ n: number }>(
        `select count(*)::int as n from fd_contract c where c.status = 'active' and c.district_code = $1
          and exists (select 1 from kp_tag t where t.person_id = c.person_id and t.district_code = c.district_code and t.tag = $2)`,
        [district, code],
      )
    )[0]!.n;
  const admin = await fd.t.loginAs('district_admin', { level: 'district', districtCode: '310104' });
  const r = await fd.get('/contracts?district=310104&tag=diabetes', admin);
  assert.equal(r.statusCode, 200, r.body);
  const c = r.json().counts;
  assert.equal(c.green + c.yellow + c.red, await live('310104', 'diabetes'));
  assert.ok(c.green + c.yellow + c.red > 0);
  // Read from the kept counts, not by counting: a count planted there (as the owner) shows up.
  await fd.t.kernel.db.query(`insert into kp_contract_tag_count values ('310104', 'copd', $1, 100)`, [addDays(shanghaiToday(), 400)]);
  const planted = (await fd.get('/contracts?district=310104&tag=copd', admin)).json().counts;
  assert.equal(planted.green + planted.yellow + planted.red, (await live('310104', 'copd')) + 100);
  await fd.t.kernel.db.query(`delete from kp_contract_tag_count where n = 100`);
  const other = await fd.t.loginAs('district_admin', { level: 'district', districtCode: '310101' });
  assert.deepEqual((await fd.get('/contracts?district=310104&tag=diabetes', other)).json().counts, { green: 0, yellow: 0, red: 0 });
  // A team's view is counted from its contracts, not from the district's counts.
  const team = await fd.t.loginAs('family_doctor', { level: 'own', districtCode: '310104', institutionId: IDS.chcA, practitionerId: IDS.docA2 });
  assert.deepEqual((await fd.get('/contracts?district=310104&tag=diabetes', team)).json().counts, { green: 0, yellow: 0, red: 0 });
});
