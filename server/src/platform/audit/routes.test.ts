import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestApp, type TestSession, testApp } from '../../test/harness.ts';
import { appendEvents, districtActor, tamper } from './test-helpers.ts';
import { todayInShanghai } from '../util/dates.ts';

let t: TestApp;
let admin: TestSession;
let auditor: TestSession;
let districtAuditor: TestSession;
let district: TestSession;
before(async () => {
  t = await testApp();
  admin = await t.loginAs('city_admin');
  auditor = await t.loginAs('auditor');
  // Reads are scoped for them, but a verification still covers every district.
  districtAuditor = await t.loginAs('auditor', { level: 'district', districtCode: '310101' });
  district = await t.loginAs('district_admin', { level: 'district', districtCode: '310115' });
  await appendEvents(t.kernel.db, 6); // city-level actor
  await appendEvents(t.kernel.db, 3, districtActor, 100); // district 310115
});
after(() => t.close());

const events = async (s: TestSession, q = '') => {
  const r = await t.call(s, { url: `/api/v1/audit/events${q}` });
  assert.equal(r.statusCode, 200, r.body);
  return r.json() as { items: Record<string, unknown>[]; total: number };
};

test('events are listed newest first with paging and filters', async () => {
  const all = await events(auditor, '?pageSize=100');
  assert.equal(all.total, 9);
  const seqs = all.items.map((i) => i.seq as number);
  assert.deepEqual(
    seqs,
    [...seqs].sort((a, b) => b - a),
  );
  const first = all.items.at(-1)!;
  assert.equal(first.seq, 1);
  assert.equal(first.actorUsername, 'tester');
  assert.equal(first.requestId, 'req-1');
  assert.match(first.hash as string, /^[0-9a-f]{64}$/);

  const page2 = await events(auditor, '?page=2&pageSize=4');
  assert.deepEqual(
    page2.items.map((i) => i.seq),
    [5, 4, 3, 2],
  );
  assert.equal((await events(auditor, '?actor=pudong')).total, 3);
  assert.equal(
    (await events(auditor, '?action=resident.')).items.every((i) => (i.action as string).startsWith('resident.')),
    true,
  );
  assert.equal(
    (await events(auditor, '?action=resident.&kind=read')).items.every((i) => i.kind === 'read'),
    true,
  );
  assert.deepEqual(
    (await events(auditor, '?objectType=person&objectId=3')).items.map((i) => i.seq),
    [3],
  );
  const today = todayInShanghai();
  assert.equal((await events(auditor, `?from=${today}&to=${today}`)).total, 9);
  assert.equal((await events(auditor, '?to=2020-01-01')).total, 0);
  const bad = await t.call(auditor, { url: '/api/v1/audit/events?from=yesterday' });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().details[0].field, 'from');
  assert.equal((await t.call(auditor, { url: '/api/v1/audit/events?kind=other' })).statusCode, 400);
});

test("a district administrator sees only their district's events and cannot verify", async () => {
  const mine = await events(district, '?pageSize=100');
  assert.equal(mine.total, 3);
  assert.ok(mine.items.every((i) => i.districtCode === '310115'));
  assert.equal((await t.call(district, { method: 'POST', url: '/api/v1/audit/verify' })).statusCode, 403);
  assert.equal((await t.call(district, { method: 'POST', url: '/api/v1/audit/checkpoints' })).statusCode, 403);
  assert.equal((await t.call(district, { url: '/api/v1/audit/status' })).statusCode, 200);
});

test('checkpoint, verify and status over the API; a verification is recorded and audited', async () => {
  const cp = await t.call(admin, { method: 'POST', url: '/api/v1/audit/checkpoints' });
  assert.equal(cp.statusCode, 201, cp.body);
  const c = cp.json();
  // It covers everything up to and including its own audit event.
  assert.deepEqual([c.fromSeq, c.toSeq], [1, 10]);
  assert.match(c.keyId, /^sm2-[0-9a-f]{16}$/);

  const v = await t.call(districtAuditor, { method: 'POST', url: '/api/v1/audit/verify' });
  assert.equal(v.statusCode, 200, v.body);
  assert.deepEqual(v.json(), { ok: true, checkedEvents: 10, checkedCheckpoints: 1, checkedAnchors: 0, firstBroken: null });

  const s = (await t.call(auditor, { url: '/api/v1/audit/status' })).json();
  assert.equal(s.head.seq, 11, 'the verification itself was audited');
  assert.equal(s.lastCheckpoint.id, c.id);
  assert.equal(s.uncheckpointed, 1);
  assert.equal(s.lastVerification.ok, true);
  assert.equal(s.lastVerification.checkedEvents, 10);
  assert.equal(s.lastVerification.by, districtAuditor.username);
  assert.equal((await events(districtAuditor)).total, 1, 'their own reads stay scoped: only the verify event of district 310101');
  const e = (await events(auditor, '?action=audit.verify')).items[0]!;
  assert.equal(e.actorUsername, districtAuditor.username);
  assert.equal(e.kind, 'admin');

  await tamper(t.kernel.db, [{ sql: `update audit_event set note = '改过' where seq = 2` }]);
  const broken = (await t.call(auditor, { method: 'POST', url: '/api/v1/audit/verify' })).json();
  assert.equal(broken.ok, false);
  assert.equal(broken.firstBroken.seq, 2);
  const s2 = (await t.call(auditor, { url: '/api/v1/audit/status' })).json();
  assert.deepEqual([s2.lastVerification.ok, s2.lastVerification.firstBrokenSeq], [false, 2]);
  assert.match(s2.lastVerification.reason, /第 2 条事件内容被篡改/);
  await assert.rejects(t.kernel.db.query('delete from audit_verification'), /append-only/);
});
