import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestApp, testApp } from '../../test/harness.ts';

let t: TestApp;
before(async () => {
  t = await testApp();
});
after(() => t.close());

test('the session probe answers 200 without a session (no failed request on the sign-in page)', async () => {
  const none = await t.call(null, { url: '/api/v1/auth/session' });
  assert.equal(none.statusCode, 200);
  assert.deepEqual(none.json(), { signedIn: false });
  const stale = await t.app.inject({ url: '/api/v1/auth/session', headers: { authorization: 'Bearer not-a-session' } });
  assert.equal(stale.statusCode, 200);
  assert.deepEqual(stale.json(), { signedIn: false });
  // /auth/me keeps its 401 for API clients.
  assert.equal((await t.call(null, { url: '/api/v1/auth/me' })).statusCode, 401);
});

test('signed in: the probe carries what /auth/me does', async () => {
  const s = await t.loginAs('district_admin', { level: 'district', districtCode: '310101' });
  const r = await t.call(s, { url: '/api/v1/auth/session' });
  assert.equal(r.statusCode, 200);
  const b = r.json();
  assert.equal(b.signedIn, true);
  assert.equal(b.user.username, s.username);
  assert.equal(b.csrfToken, s.csrf);
  assert.equal(b.mfaPending, false);
});
