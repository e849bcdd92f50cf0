// The route option scope: 'city': callers below the city level get 403 before the handler runs, whatever
// permission their role holds; the API description says so, like the permission.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { allModules } from '../../modules.ts';
import { type TestApp, testApp } from '../../test/harness.ts';
import { defineModule } from '../module.ts';
import { API_PREFIX, CITY_ONLY_NOTE } from './mount.ts';
import { defineRoute } from './route.ts';

let calls = 0;
const cityOnly = defineRoute({
  method: 'POST',
  url: '/test/city-only',
  summary: '测试：全市配置（仅市级）',
  auth: 'staff',
  permission: 'test.city',
  scope: 'city',
  handler: async () => {
    calls++;
    return { ok: true };
  },
});

const testModule = defineModule({
  name: 'test.city-scope',
  title: '测试',
  system: 'platform',
  permissions: [{ code: 'test.city', title: '测试：全市配置', roles: ['city_admin', 'district_admin'] }],
  routes: [cityOnly],
});

let t: TestApp;
before(async () => {
  t = await testApp({ modules: [...allModules, testModule] });
});
after(() => t.close());

const call = (s: Awaited<ReturnType<TestApp['loginAs']>>) => t.call(s, { method: 'POST', url: `${API_PREFIX}/test/city-only` });

test('a caller with the permission but a district (or lower) scope gets 403 and the handler never runs', async () => {
  for (const [role, scope] of [
    ['district_admin', { level: 'district', districtCode: '310101' }],
    ['city_admin', { level: 'district', districtCode: '310104' }],
    ['district_admin', { level: 'street', districtCode: '310101', streetCode: '310101001' }],
  ] as const) {
    const r = await call(await t.loginAs(role, scope));
    assert.equal(r.statusCode, 403, `${role}@${scope.level}: ${r.body}`);
    assert.equal(r.json().code, 'FORBIDDEN');
    assert.equal(r.json().message, '测试：全市配置：仅限市级用户');
  }
  assert.equal(calls, 0);
});

test('a city-level caller passes (the scope decides, not the role); without the permission still 403', async () => {
  assert.equal((await call(await t.loginAs('city_admin'))).statusCode, 200);
  assert.equal((await call(await t.loginAs('district_admin', { level: 'city' }))).statusCode, 200);
  assert.equal(calls, 2);
  const r = await call(await t.loginAs('auditor'));
  assert.equal(r.statusCode, 403);
  assert.equal(r.json().message, '无权执行此操作');
  assert.equal(calls, 2);
});

test('the OpenAPI description names the permission and the city-only scope; module routes use the option', async () => {
  const doc = (await t.app.inject({ url: '/api/openapi.json' })).json();
  const d = doc.paths[`${API_PREFIX}/test/city-only`].post.description as string;
  assert.ok(d.includes('权限：`test.city`') && d.includes(CITY_ONLY_NOTE), d);
  const screening = doc.paths[`${API_PREFIX}/childcare-subsidy/screenings`].post.description as string;
  assert.ok(screening.includes(CITY_ONLY_NOTE), screening);
  // The hand-written checks it replaced, one per city-wide action: at least these many routes declare it.
  assert.ok(t.kernel.routes.filter(({ route }) => route.scope === 'city').length >= 25);
});
