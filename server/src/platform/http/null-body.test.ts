import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestApp, type TestSession, testApp } from '../../test/harness.ts';
import { API_PREFIX } from './mount.ts';

let t: TestApp;
let admin: TestSession;
before(async () => {
  t = await testApp();
  admin = await t.loginAs('city_admin');
});
after(() => t.close());

const auditCount = async () => (await t.kernel.db.query<{ n: number }>('select count(*)::int as n from audit_event'))[0]!.n;
const send = (method: 'PATCH' | 'POST', url: string, payload: string) =>
  t.call(admin, { method, url: API_PREFIX + url, headers: { 'content-type': 'application/json' }, payload });

test('a JSON null body is a 400 on `body`: no update, no audit event', async () => {
  const target = await t.loginAs('district_admin', { level: 'district', districtCode: '310115' });
  const before = (await t.kernel.db.query<{ updated_at: Date }>('select updated_at from app_user where id = $1', [target.userId]))[0]!;
  const events = await auditCount();
  const r = await send('PATCH', `/users/${target.userId}`, 'null');
  assert.equal(r.statusCode, 400, r.body);
  assert.equal(r.json().code, 'VALIDATION_FAILED');
  assert.equal(r.json().details[0].field, 'body');
  assert.match(r.json().details[0].message, /JSON 对象/);
  const after = (await t.kernel.db.query<{ updated_at: Date }>('select updated_at from app_user where id = $1', [target.userId]))[0]!;
  assert.equal(new Date(after.updated_at).getTime(), new Date(before.updated_at).getTime());
  assert.equal(await auditCount(), events, 'no audit event for a refused body');
  // A route whose body may be left out entirely still refuses an explicit null.
  const runs = (await t.kernel.db.query<{ n: number }>('select count(*)::int as n from job_run'))[0]!.n;
  const j = await send('POST', '/jobs/schedules/platform.sample-report/run', 'null');
  assert.equal(j.statusCode, 400);
  assert.equal((await t.kernel.db.query<{ n: number }>('select count(*)::int as n from job_run'))[0]!.n, runs);
  // Leaving the body out is still allowed where the route says so.
  const empty = await t.call(admin, { method: 'POST', url: `${API_PREFIX}/jobs/schedules/platform.sample-report/run` });
  assert.equal(empty.statusCode, 201, empty.body);
});
