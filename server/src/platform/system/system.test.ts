import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestApp, testApp } from '../../test/harness.ts';
import { signPartnerRequest } from '../auth/partner.ts';
import { API_PREFIX } from '../http/mount.ts';

let t: TestApp;
before(async () => {
  t = await testApp();
});
after(() => t.close());

const get = (token: string | null, url: string) => t.app.inject({ url: API_PREFIX + url, headers: token ? { authorization: `Bearer ${token}` } : {} });

test('/system/menu lists only what the role may open, grouped by system in order', async () => {
  const admin = await t.loginAs('city_admin');
  const doctor = await t.loginAs('family_doctor', { level: 'own', practitionerId: 1 });
  const a = (await get(admin.token, '/system/menu')).json();
  const d = (await get(doctor.token, '/system/menu')).json();
  const paths = (m: { systems: { items: { path: string }[] }[] }) => m.systems.flatMap((s) => s.items.map((i) => i.path));
  assert.ok(paths(a).includes('/platform/users'));
  assert.ok(paths(a).includes('/platform/api-clients'));
  assert.ok(!paths(d).includes('/platform/users'));
  assert.ok(!paths(d).includes('/platform/api-clients'));
  assert.equal(a.systems[0].code, 'platform');
  assert.equal(a.systems[0].title, '系统管理');
  const order = ['platform', 'hospital-monitoring', 'health-network', 'family-planning'];
  const codes = a.systems.map((s: { code: string }) => s.code);
  assert.deepEqual(
    codes,
    order.filter((c) => codes.includes(c)),
  );
  // Items inside a system follow their declared order; every item carries its icon field.
  const expected = t.kernel.modules
    .filter((m) => m.system === 'platform')
    .flatMap((m) => m.menu ?? [])
    .sort((x, y) => (x.order ?? 1000) - (y.order ?? 1000))
    .map((i) => i.path);
  assert.deepEqual(
    a.systems[0].items.map((i: { path: string }) => i.path),
    expected,
  );
  assert.ok(a.systems[0].items.every((i: object) => 'icon' in i && 'title' in i));
  assert.equal((await get(null, '/system/menu')).statusCode, 401);
});

test('/system/roles and the public /system/info', async () => {
  const s = await t.loginAs('district_admin', { level: 'district', districtCode: '310101' });
  const r = (await get(s.token, '/system/roles')).json();
  assert.ok(r.roles.some((x: { code: string; name: string }) => x.code === 'family_doctor' && x.name === '家庭医生'));
  assert.ok(r.scopeLevels.some((x: { code: string; name: string }) => x.code === 'district' && x.name === '本区'));
  const info = await get(null, '/system/info');
  assert.equal(info.statusCode, 200);
  assert.equal(info.json().name, 'weijian 卫健');
  assert.match(info.json().version, /^\d+\.\d+\.\d+/);
  assert.equal(info.json().database, t.kernel.db.kind);
});

test('partner API: a signed request passes; replayed nonce, stale time, bad signature, wrong client are 401', async () => {
  const admin = await t.loginAs('city_admin');
  const c = await t.call(admin, {
    method: 'POST',
    url: `${API_PREFIX}/api-clients`,
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ name: '测试合作方', permissions: ['system.partner.ping'], scope: { level: 'city' } }),
  });
  assert.equal(c.statusCode, 201, c.body);
  const { clientId, secret } = c.json();
  const url = `${API_PREFIX}/partner/ping`;
  const ping = (headers: Record<string, string>) => t.app.inject({ method: 'GET', url, headers: { 'x-wj-client': clientId, ...headers } });

  const signed = signPartnerRequest(secret, 'GET', url, '');
  const ok = await ping(signed);
  assert.equal(ok.statusCode, 200, ok.body);
  assert.equal(ok.json().client, `partner:${clientId}`);

  const replay = await ping(signed);
  assert.equal(replay.statusCode, 401);
  assert.equal(replay.json().code, 'BAD_SIGNATURE');
  assert.equal((await ping(signPartnerRequest(secret, 'GET', url, '', Date.now() - 10 * 60_000))).statusCode, 401);
  assert.equal((await ping(signPartnerRequest('not-the-secret', 'GET', url, ''))).statusCode, 401);
  assert.equal((await ping(signPartnerRequest(secret, 'GET', `${url}?x=1`, ''))).statusCode, 401, 'signature covers the path');
  assert.equal((await t.app.inject({ method: 'GET', url, headers: signPartnerRequest(secret, 'GET', url, '') })).statusCode, 401, 'no client id');
  // A staff session is not a partner signature.
  assert.equal((await get(admin.token, '/partner/ping')).statusCode, 401);

  // Without the permission: 403; disabled client: 401.
  const other = await t.call(admin, {
    method: 'POST',
    url: `${API_PREFIX}/api-clients`,
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ name: '无权限合作方', permissions: [], scope: { level: 'district', districtCode: '310101' } }),
  });
  const o = other.json();
  assert.equal(
    (await t.app.inject({ method: 'GET', url, headers: { 'x-wj-client': o.clientId, ...signPartnerRequest(o.secret, 'GET', url, '') } })).statusCode,
    403,
  );
  await t.call(admin, { method: 'POST', url: `${API_PREFIX}/api-clients/${clientId}/disable` });
  assert.equal((await ping(signPartnerRequest(secret, 'GET', url, ''))).statusCode, 401);
});
