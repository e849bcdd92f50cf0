import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestApp, type TestSession, testApp } from '../../../test/harness.ts';
import { API_PREFIX } from '../../http/mount.ts';
import { scopeSettings } from '../../scope/scope.ts';
import { enrolAndSignIn, login, makeUser } from '../test-helpers.ts';
import { createUser } from './service.ts';

const HOME = '310101';
const AWAY = '310104';
const INST = { home: 700001, away: 700002 };
const DOC = { home: 700011 };
const GOOD = 'Temp#Password2026';

let t: TestApp;
let city: TestSession;
let district: TestSession;

const call = (s: TestSession, method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown) =>
  t.call(s, {
    method,
    url: API_PREFIX + url,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) }),
  });

const newUser = (over: Record<string, unknown> = {}) => ({
  username: `user_${Math.random().toString(36).slice(2, 10)}`,
  displayName: '新用户',
  role: 'hospital_user',
  scope: { level: 'district', districtCode: HOME },
  password: GOOD,
  ...over,
});

before(async () => {
  t = await testApp();
  await t.kernel.db.exec(`
    insert into region (code, name, level, parent_code, district_code) values ('310000', '上海市', 'city', null, null) on conflict do nothing;
    insert into region (code, name, level, parent_code, district_code) values
      ('${HOME}', '黄浦区', 'district', '310000', '${HOME}'), ('${AWAY}', '徐汇区', 'district', '310000', '${AWAY}') on conflict do nothing;
    insert into region (code, name, level, parent_code, district_code) values
      ('${HOME}002', '南京东路街道', 'street', '${HOME}', '${HOME}') on conflict do nothing;
    insert into institution (id, code, name, kind, district_code, street_code) values
      (${INST.home}, 'T-HOME', '黄浦测试医院', 'district_hospital', '${HOME}', '${HOME}002'),
      (${INST.away}, 'T-AWAY', '徐汇测试医院', 'district_hospital', '${AWAY}', null);
    insert into practitioner (id, institution_id, name, sex, district_code) values (${DOC.home}, ${INST.home}, '测试医生', 'F', '${HOME}');
  `);
  city = await t.loginAs('city_admin');
  district = await t.loginAs('district_admin', { level: 'district', districtCode: HOME });
});
after(() => t.close());

test('a district administrator sees and manages only users of the district', async () => {
  const mine = await call(city, 'POST', '/users', newUser({ displayName: '本区用户' }));
  assert.equal(mine.statusCode, 201, mine.body);
  const theirs = await call(city, 'POST', '/users', newUser({ displayName: '外区用户', scope: { level: 'district', districtCode: AWAY } }));
  assert.equal(theirs.statusCode, 201, theirs.body);
  const list = await call(district, 'GET', '/users?pageSize=100');
  assert.equal(list.statusCode, 200, list.body);
  const names = list.json().items.map((u: { displayName: string }) => u.displayName);
  assert.ok(names.includes('本区用户'));
  assert.ok(!names.includes('外区用户'));
  assert.ok(list.json().items.every((u: { scope: { districtCode: string } }) => u.scope.districtCode === HOME));
  const item = list.json().items.find((u: { displayName: string }) => u.displayName === '本区用户');
  assert.equal(item.scopeLabel, '本区：黄浦区');
  assert.equal(item.totpEnabled, false);
  assert.equal(item.disabled, false);
  assert.equal(item.lockedUntil, null);
  assert.ok(!('password_hash' in item) && !('passwordHash' in item));
  // The city sees both; search and role filters apply.
  const q = await call(city, 'GET', `/users?q=${encodeURIComponent('外区')}&role=hospital_user`);
  assert.deepEqual(
    q.json().items.map((u: { displayName: string }) => u.displayName),
    ['外区用户'],
  );
  assert.equal(q.json().total, 1);
  // Out of scope: not found, not changed.
  const id = theirs.json().id;
  for (const [m, url, body] of [
    ['PATCH', `/users/${id}`, { displayName: '改' }],
    ['POST', `/users/${id}/disable`, undefined],
    ['POST', `/users/${id}/reset-2fa`, undefined],
    ['POST', `/users/${id}/reset-password`, { password: GOOD }],
  ] as const) {
    const r = await call(district, m, url, body);
    assert.equal(r.statusCode, 404, `${m} ${url}: ${r.body}`);
  }
});

test('a district administrator cannot create users outside the district or grant higher roles', async () => {
  const away = await call(district, 'POST', '/users', newUser({ scope: { level: 'district', districtCode: AWAY } }));
  assert.equal(away.statusCode, 403);
  assert.equal(away.json().code, 'FORBIDDEN');
  const cityScope = await call(district, 'POST', '/users', newUser({ scope: { level: 'city' } }));
  assert.equal(cityScope.statusCode, 403);
  const awayInst = await call(district, 'POST', '/users', newUser({ scope: { level: 'institution', institutionId: INST.away } }));
  assert.equal(awayInst.statusCode, 403);
  for (const role of ['city_admin', 'auditor', 'shenkang_admin']) {
    const r = await call(district, 'POST', '/users', newUser({ role }));
    assert.equal(r.statusCode, 403, role);
    assert.match(r.json().message, /无权授予角色/);
  }
  // Inside: an institution of the district and a doctor of it; the scope records where they sit.
  const inst = await call(
    district,
    'POST',
    '/users',
    newUser({ role: 'hospital_admin', scope: { level: 'institution', institutionId: INST.home, districtCode: null } }),
  );
  assert.equal(inst.statusCode, 201, inst.body);
  assert.deepEqual(inst.json().scope, {
    level: 'institution',
    districtCode: HOME,
    streetCode: `${HOME}002`,
    institutionId: INST.home,
    teamId: null,
    practitionerId: null,
  });
  assert.equal(inst.json().scopeLabel, '本机构：黄浦测试医院');
  const doc = await call(district, 'POST', '/users', newUser({ role: 'family_doctor', scope: { level: 'own', practitionerId: DOC.home } }));
  assert.equal(doc.statusCode, 201, doc.body);
  assert.equal(doc.json().scope.institutionId, INST.home);
  // Promoting a visible user above the administrator's own role is refused too.
  const up = await call(district, 'PATCH', `/users/${doc.json().id}`, { role: 'city_admin' });
  assert.equal(up.statusCode, 403);
  const moved = await call(district, 'PATCH', `/users/${doc.json().id}`, { scope: { level: 'district', districtCode: AWAY } });
  assert.equal(moved.statusCode, 403);
  const renamed = await call(district, 'PATCH', `/users/${doc.json().id}`, { displayName: '改名医生', role: 'doctor_assistant' });
  assert.equal(renamed.statusCode, 200, renamed.body);
  assert.equal(renamed.json().displayName, '改名医生');
  assert.equal(renamed.json().role, 'doctor_assistant');
  // An institution administrator manages inside the institution only.
  const hospital = await t.loginAs('hospital_admin', { level: 'institution', districtCode: HOME, institutionId: INST.home });
  const seen = await call(hospital, 'GET', '/users?pageSize=100');
  assert.ok(seen.json().items.every((u: { scope: { institutionId: number } }) => u.scope.institutionId === INST.home));
  assert.equal((await call(hospital, 'POST', '/users', newUser({ scope: { level: 'district', districtCode: HOME } }))).statusCode, 403);
  assert.equal(
    (await call(hospital, 'POST', '/users', newUser({ role: 'district_admin', scope: { level: 'institution', institutionId: INST.home } }))).statusCode,
    403,
  );
  assert.equal((await call(hospital, 'POST', '/users', newUser({ scope: { level: 'institution', institutionId: INST.home } }))).statusCode, 201);
});

test('row-level security refuses an out-of-scope insert even without the friendly check', async () => {
  await assert.rejects(
    t.kernel.db.transaction(
      (tx) =>
        createUser(tx, t.kernel.keys, {
          username: 'rls_probe',
          displayName: '越界',
          role: 'hospital_user',
          scope: { level: 'district', districtCode: AWAY },
          password: GOOD,
        }),
      { scope: scopeSettings({ level: 'district', districtCode: HOME }, null) },
    ),
    (e: { code?: string }) => e.code === '42501',
  );
});

test('invalid input: field-level 400s, duplicate 409', async () => {
  const noKey = await call(city, 'POST', '/users', newUser({ scope: { level: 'district' } }));
  assert.equal(noKey.statusCode, 400);
  assert.deepEqual(noKey.json().details, [{ field: 'scope.districtCode', message: '区级数据权限需指定区' }]);
  const badRole = await call(city, 'POST', '/users', newUser({ role: 'emperor' }));
  assert.equal(badRole.statusCode, 400);
  assert.equal(badRole.json().details[0].field, 'role');
  const badDistrict = await call(city, 'POST', '/users', newUser({ scope: { level: 'district', districtCode: '110101' } }));
  assert.equal(badDistrict.statusCode, 400);
  assert.equal(badDistrict.json().details[0].field, 'scope.districtCode');
  const noInst = await call(city, 'POST', '/users', newUser({ scope: { level: 'institution', institutionId: 999999 } }));
  assert.equal(noInst.statusCode, 400);
  assert.deepEqual(noInst.json().details, [{ field: 'scope.institutionId', message: '机构不存在' }]);
  const weak = await call(city, 'POST', '/users', newUser({ password: 'weakpass' }));
  assert.equal(weak.statusCode, 400);
  assert.ok(weak.json().details.length >= 2);
  assert.ok(weak.json().details.every((d: { field: string }) => d.field === 'password'));
  const badName = await call(city, 'POST', '/users', newUser({ username: 'bad name!' }));
  assert.equal(badName.statusCode, 400);
  assert.equal(badName.json().details[0].field, 'username');
  const long = await call(city, 'POST', '/users', newUser({ displayName: '长'.repeat(65), extra: 1 }));
  assert.equal(long.statusCode, 400);
  assert.deepEqual(
    long
      .json()
      .details.map((d: { field: string }) => d.field)
      .sort(),
    ['displayName', 'extra'],
  );
  const body = newUser();
  assert.equal((await call(city, 'POST', '/users', body)).statusCode, 201);
  const dup = await call(city, 'POST', '/users', { ...body, username: body.username.toUpperCase() });
  assert.equal(dup.statusCode, 409);
  assert.equal(dup.json().details[0].field, 'username');
  const badPage = await call(city, 'GET', '/users?pageSize=500&page=0');
  assert.equal(badPage.statusCode, 400);
  assert.deepEqual(
    badPage
      .json()
      .details.map((d: { field: string }) => d.field)
      .sort(),
    ['page', 'pageSize'],
  );
});

test('reset-2fa forces a new enrolment and ends sessions', async () => {
  const u = await makeUser(t, 'hospital_user', { level: 'district', districtCode: HOME });
  const { token } = await enrolAndSignIn(t, u.username);
  const r = await call(district, 'POST', `/users/${u.id}/reset-2fa`);
  assert.equal(r.statusCode, 200, r.body);
  assert.equal(r.json().totpEnabled, false);
  assert.equal((await t.call({ token } as TestSession, { url: `${API_PREFIX}/auth/me` })).statusCode, 401);
  const l = await login(t, u.username);
  assert.equal(l.json().mfa, 'enroll');
  const row = (await t.kernel.db.query<{ totp_secret: string | null }>('select totp_secret from app_user where id = $1', [u.id]))[0]!;
  assert.equal(row.totp_secret, null);
});

test('disable ends sessions and refuses sign-in; enable restores and lifts a lock', async () => {
  const u = await makeUser(t, 'hospital_user', { level: 'district', districtCode: HOME });
  const { token } = await enrolAndSignIn(t, u.username);
  const d = await call(district, 'POST', `/users/${u.id}/disable`);
  assert.equal(d.statusCode, 200);
  assert.equal(d.json().disabled, true);
  assert.equal((await t.call({ token } as TestSession, { url: `${API_PREFIX}/auth/me` })).statusCode, 401);
  assert.equal((await login(t, u.username)).statusCode, 403);
  await t.kernel.db.query("update app_user set locked_until = now() + interval '1 hour' where id = $1", [u.id]);
  const e = await call(district, 'POST', `/users/${u.id}/enable`);
  assert.equal(e.json().disabled, false);
  assert.equal(e.json().lockedUntil, null);
  assert.equal((await login(t, u.username)).statusCode, 200);
  // Nobody disables their own account.
  assert.equal((await call(district, 'POST', `/users/${district.userId}/disable`)).statusCode, 422);
});

test('reset-password: policy-checked, must change at next sign-in, audit holds no secrets', async () => {
  const u = await makeUser(t, 'hospital_user', { level: 'district', districtCode: HOME });
  const weak = await call(district, 'POST', `/users/${u.id}/reset-password`, { password: 'abc' });
  assert.equal(weak.statusCode, 400);
  assert.equal(weak.json().details[0].field, 'password');
  const r = await call(district, 'POST', `/users/${u.id}/reset-password`, { password: GOOD });
  assert.deepEqual(r.json(), { ok: true });
  const l = await login(t, u.username, GOOD);
  assert.equal(l.statusCode, 200);
  assert.equal(l.json().mustChangePassword, true);
  const events = await t.kernel.db.query<{ text: string }>(
    "select coalesce(before::text, '') || coalesce(after::text, '') || coalesce(note, '') as text from audit_event where object_type = 'user'",
  );
  assert.ok(events.length > 5);
  for (const e of events) {
    assert.ok(!/argon2|password_hash|passwordHash|totp_secret|Temp#Password/.test(e.text), e.text);
  }
});

test('API clients: secret returned once, never listed; only city administrators manage them', async () => {
  const c = await call(city, 'POST', '/api-clients', { name: '医保平台', permissions: ['system.partner.ping'], scope: { level: 'city' } });
  assert.equal(c.statusCode, 201, c.body);
  const { clientId, secret } = c.json();
  assert.match(clientId, /^wjp_/);
  assert.ok(secret.length >= 40);
  const row = (await t.kernel.db.query<{ secret: string }>('select secret from api_client where client_id = $1', [clientId]))[0]!;
  assert.notEqual(row.secret, secret);
  assert.equal(t.kernel.keys.decryptField(row.secret), secret);
  const list = await call(city, 'GET', '/api-clients');
  assert.equal(list.statusCode, 200);
  assert.ok(!list.body.includes(secret));
  assert.ok(!('secret' in list.json().items[0]));
  const unknown = await call(city, 'POST', '/api-clients', { name: 'x', permissions: ['system.partner.ping', 'no.such'], scope: { level: 'city' } });
  assert.equal(unknown.statusCode, 400);
  assert.deepEqual(unknown.json().details, [{ field: 'permissions.1', message: '未知的权限：no.such' }]);
  assert.equal((await call(district, 'GET', '/api-clients')).statusCode, 403);
  const off = await call(city, 'POST', `/api-clients/${clientId}/disable`);
  assert.equal(off.json().disabled, true);
  assert.equal((await call(city, 'POST', '/api-clients/nope/disable')).statusCode, 404);
});
