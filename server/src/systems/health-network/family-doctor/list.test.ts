import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { residentBody } from '../../common/resident-index/test-fixture.ts';
import { CITY_SCOPE, scopeSettings } from '../../../platform/scope/scope.ts';
import { type HeaderCounts, listContracts, loadPolicy, tagDrive } from './repository.ts';
import { addDays, shanghaiToday } from './rules.ts';
import { type Fd, fdApp, IDS } from './test-fixture.ts';

let fd: Fd;
const ids: Record<string, number> = {};
let idNumber = '';
before(async () => {
  fd = await fdApp();
  const today = shanghaiToday();
  const body = residentBody();
  idNumber = body.idNumber;
  const r = await fd.t.call(fd.admin, { method: 'POST', url: '/api/v1/residents', payload: body });
  ids.green = (await fd.sign(r.json().id)).json().id;
  ids.green2 = (await fd.sign(await fd.resident(), { teamId: IDS.teamA2, doctorId: IDS.docA2 })).json().id;
  ids.yellow = (await fd.sign(await fd.resident())).json().id;
  ids.red = (await fd.sign(await fd.resident())).json().id;
  ids.ended = (await fd.sign(await fd.resident(), { institutionId: IDS.chcB, teamId: IDS.teamB1, doctorId: IDS.docB1 })).json().id;
  await fd.setDates(ids.yellow!, { cycle_end: addDays(today, 10) });
  await fd.setDates(ids.red!, { cycle_start: addDays(today, -700), cycle_end: addDays(today, -100) });
  await fd.post(`/contracts/${ids.ended}/terminate`, { initiator: 'resident', reason: '搬离', residentInformed: true });
});
after(() => fd.close());

const list = async (q: string, s = fd.admin) => {
  const r = await fd.get(`/contracts?${q}`, s);
  assert.equal(r.statusCode, 200, r.body);
  return r.json();
};

test('header counts by colour, and the colour filter', async () => {
  const all = await list('district=310104');
  assert.deepEqual(all.counts, { green: 2, yellow: 1, red: 1 });
  assert.equal(all.total, 4);
  assert.deepEqual(
    all.items.map((c: { id: number }) => c.id),
    [ids.red, ids.yellow, ids.green, ids.green2],
    'soonest end first',
  );
  const yellow = await list('colour=yellow');
  assert.deepEqual(
    yellow.items.map((c: { colour: string }) => c.colour),
    ['yellow'],
  );
  assert.equal(yellow.total, 1);
  assert.deepEqual(yellow.counts, all.counts, 'counts ignore the colour filter');
  assert.equal((await list('colour=red')).items[0].id, ids.red);
  assert.equal((await list('colour=green')).total, 2);
});

test('filters by doctor, team, centre, ID number and status; paging', async () => {
  assert.deepEqual(
    (await list(`doctorId=${IDS.docA2}`)).items.map((c: { id: number }) => c.id),
    [ids.green2],
  );
  assert.equal((await list(`teamId=${IDS.teamA1}`)).total, 3);
  assert.equal((await list(`institutionId=${IDS.chcB}`)).total, 0);
  assert.deepEqual(
    (await list('status=terminated')).items.map((c: { id: number }) => c.id),
    [ids.ended],
  );
  const byId = await list(`idNumber=${idNumber}`);
  assert.deepEqual(
    byId.items.map((c: { id: number }) => c.id),
    [ids.green],
  );
  assert.equal(byId.items[0].idNumberMasked.slice(-4), idNumber.slice(-4));
  const bad = await fd.get('/contracts?idNumber=123');
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().details[0].field, 'idNumber');
  const p2 = await list('pageSize=3&page=2');
  assert.equal(p2.items.length, 1);
  assert.equal(p2.total, 4);
});

test('scope: an own-scope doctor sees only their residents; another district sees nothing', async () => {
  const doctor = await fd.t.loginAs('family_doctor', { level: 'own', districtCode: '310104', institutionId: IDS.chcA, practitionerId: IDS.docA2 });
  const mine = await list('', doctor);
  assert.deepEqual(
    mine.items.map((c: { id: number }) => c.id),
    [ids.green2],
  );
  assert.deepEqual(mine.counts, { green: 1, yellow: 0, red: 0 });
  const hp = await fd.t.loginAs('district_admin', { level: 'district', districtCode: '310101' });
  assert.equal((await list('', hp)).total, 0);
});

test('remaining chances for a person, and 404 outside the scope', async () => {
  const { person_id } = (await fd.t.kernel.db.query<{ person_id: number }>('select person_id from fd_contract where id = $1', [ids.green]))[0]!;
  const r = (await fd.get(`/residents/${person_id}/chances`)).json();
  assert.equal(r.contractId, ids.green);
  assert.equal(r.colour, 'green');
  assert.equal(r.maySign, false);
  assert.equal(r.chances.doctorChangesLeft, 1);
  assert.equal(r.chances.hospitalChangesLeft, 2);
  assert.equal(r.chances.transfersUnlimited, true);
  assert.ok(r.rules.length >= 3);
  const { person_id: redPerson } = (await fd.t.kernel.db.query<{ person_id: number }>('select person_id from fd_contract where id = $1', [ids.red]))[0]!;
  const red = (await fd.get(`/residents/${redPerson}/chances`)).json();
  assert.equal(red.maySign, true);
  assert.equal(red.chances, null);
  const hp = await fd.t.loginAs('district_admin', { level: 'district', districtCode: '310101' });
  assert.equal((await fd.get(`/residents/${person_id}/chances`, hp)).statusCode, 404);
});

test("a common tag pages in the contracts' own order and gives the same page as starting from the tags", async () => {
  assert.equal(tagDrive(499, 20), 'tags');
  assert.equal(tagDrive(500, 20), 'rows');
  const db = fd.t.kernel.db;
  await db.query(
    `insert into kp_tag (person_id, tag, since, district_code, street_code, institution_id, team_id, doctor_id)
     select person_id, 'copd', current_date, district_code, street_code, institution_id, team_id, doctor_id from fd_contract
      where status = 'active' and id <> $1 on conflict do nothing`,
    [ids.yellow],
  );
  const f = { status: 'active' as const, district: '310104', tag: 'copd', limit: 2, offset: 1 };
  const page = (counted?: (c: () => Promise<HeaderCounts>) => Promise<HeaderCounts>) =>
    db.transaction(async (tx) => (await listContracts(tx, f, shanghaiToday(), await loadPolicy(tx), counted)).rows.map((r) => r.id), {
      scope: scopeSettings(CITY_SCOPE, null),
    });
  const fromTags = await page();
  // Told the tag is common, the same filter is paged by cycle end with a per-row tag check.
  const fromRows = await page(async (c) => ({ ...(await c()), total: 10_000 }));
  assert.deepEqual(fromRows, fromTags);
  assert.deepEqual(fromTags, [ids.green, ids.green2], 'red first, yellow untagged, then the greens — page 2 of 2-row pages');
});
