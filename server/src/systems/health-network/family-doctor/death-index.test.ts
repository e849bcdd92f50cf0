import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addDays, shanghaiToday } from './rules.ts';
import { type Fd, fdApp, IDS } from './test-fixture.ts';

/** A confirmed death reaches the resident index, and every module then treats the resident as deceased. */
let fd: Fd;
before(async () => {
  fd = await fdApp();
});
after(() => fd.close());

const ownA = () => fd.t.loginAs('family_doctor', { level: 'own', districtCode: '310104', institutionId: IDS.chcA, practitionerId: IDS.docA1 });

test('a death report notifies the contracted doctor; the confirmation marks the resident deceased (date, source) and nothing treats them as alive', async () => {
  const pid = await fd.resident('1950-04-02');
  const cid = (await fd.sign(pid)).json().id;
  const doc = await ownA();
  const other = await fd.t.loginAs('family_doctor', { level: 'own', districtCode: '310104', institutionId: IDS.chcB, practitionerId: IDS.docB1 });
  const r = await fd.post('/death-reports', { personId: pid, deathDate: '2026-01-05', reportNo: 'SW-9' });
  assert.equal(r.statusCode, 201, r.body);

  const mine = (await fd.t.call(doc, { method: 'GET', url: '/api/v1/notifications' })).json();
  const n = mine.items.find((x: { kind: string }) => x.kind === 'fd.death-report');
  assert.ok(n, JSON.stringify(mine));
  assert.match(n.title, /死亡报告待核实/);
  const theirs = (await fd.t.call(other, { method: 'GET', url: '/api/v1/notifications' })).json();
  assert.equal(theirs.items.filter((x: { kind: string }) => x.kind === 'fd.death-report').length, 0);

  // Before the confirmation the index still says alive (a report alone is not a death).
  assert.equal((await fd.t.call(fd.admin, { method: 'GET', url: `/api/v1/residents/${pid}` })).json().status, 'alive');
  const v = await fd.post(`/death-checks/${r.json().id}/verify`, { result: 'confirm' }, doc);
  assert.equal(v.statusCode, 200, v.body);
  const p = (await fd.t.call(fd.admin, { method: 'GET', url: `/api/v1/residents/${pid}` })).json();
  assert.equal(p.status, 'dead');
  assert.equal(p.deathDate, '2026-01-05');
  assert.equal(p.deathSource, 'fd_death_check');
  const a = (
    await fd.t.kernel.db.query<{ note: string }>("select note from audit_event where action = 'resident.death' and object_id = $1", [String(pid)])
  )[0]!;
  assert.match(a.note, /家庭医生死亡核实：SW-9/);
  assert.equal((await fd.get(`/contracts/${cid}`)).json().status, 'terminated');

  // Signing again is refused at once …
  const again = await fd.sign(pid);
  assert.equal(again.statusCode, 400, again.body);
  assert.match(again.body, /已死亡/);
  // … and so is an exam booking (fd-services).
  const centre = await fd.t.loginAs('community_admin', { level: 'institution', districtCode: '310104', institutionId: IDS.chcA });
  const book = await fd.t.call(centre, {
    method: 'POST',
    url: '/api/v1/fd-services/elderly/bookings',
    payload: { personId: pid, institutionId: IDS.chcA, examDate: addDays(shanghaiToday(), 3) },
  });
  assert.equal(book.statusCode, 422, book.body);
  assert.match(book.json().message, /已死亡/);
});

test('市妇幼 / 公安 sources record a death through the resident index; the first source stands; a date before birth is refused', async () => {
  const pid = await fd.resident('1980-05-17');
  const url = `/api/v1/residents/${pid}/death`;
  const early = await fd.t.call(fd.admin, { method: 'POST', url, payload: { deathDate: '1970-01-01', source: 'police' } });
  assert.equal(early.statusCode, 422, early.body);
  const bad = await fd.t.call(fd.admin, { method: 'POST', url, payload: { deathDate: '2026-01-01', source: 'hospital' } });
  assert.equal(bad.statusCode, 400, bad.body);
  const ok = await fd.t.call(fd.admin, { method: 'POST', url, payload: { deathDate: '2026-02-01', source: 'police', reference: 'GA-1' } });
  assert.equal(ok.statusCode, 200, ok.body);
  assert.deepEqual([ok.json().status, ok.json().deathDate, ok.json().deathSource], ['dead', '2026-02-01', 'police']);
  const second = await fd.t.call(fd.admin, { method: 'POST', url, payload: { deathDate: '2026-02-03', source: 'mch' } });
  assert.equal(second.json().deathSource, 'police');
  assert.equal(second.json().deathDate, '2026-02-01');
  const sign = await fd.sign(pid);
  assert.equal(sign.statusCode, 400);
  const doc = await ownA();
  assert.equal((await fd.t.call(doc, { method: 'POST', url, payload: { deathDate: '2026-02-01', source: 'mch' } })).statusCode, 404);
});
