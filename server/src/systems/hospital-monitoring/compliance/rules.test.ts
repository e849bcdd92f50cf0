import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestApp, type TestSession, testApp } from '../../../test/harness.ts';
import { BUILTIN_RULES } from './builtin.ts';

let t: TestApp;
let admin: TestSession;
before(async () => {
  t = await testApp();
  admin = await t.loginAs('city_admin');
});
after(() => t.close());

const api = (s: TestSession, method: 'GET' | 'POST', url: string, payload?: object) => t.call(s, { method, url: `/api/v1${url}`, payload });

const ultrasound = {
  source: 'fee_line',
  when: {
    kind: 'and',
    args: [
      { kind: 'cmp', op: '=', left: { kind: 'field', name: 'item_code' }, right: { kind: 'lit', value: 'B001' } },
      {
        kind: 'cmp',
        op: '>',
        left: {
          kind: 'agg',
          fn: 'count',
          by: [
            { kind: 'field', path: ['encounter'], name: 'person_id' },
            { kind: 'field', name: 'charged_on' },
          ],
        },
        right: { kind: 'lit', value: 4 },
      },
    ],
  },
};

test('built-in rules are seeded once, enabled, each with its Chinese sentence', async () => {
  const r = await api(admin, 'GET', '/compliance/rules?pageSize=100');
  assert.equal(r.statusCode, 200, r.body);
  const items = r.json().items as { code: string; enabled: boolean; sentence: string; builtin: boolean; categoryTitle: string }[];
  assert.deepEqual(items.map((i) => i.code).sort(), BUILTIN_RULES.map((b) => b.code).sort());
  assert.ok(items.every((i) => i.enabled && i.builtin && i.sentence.length > 5 && i.categoryTitle));
  const us = items.find((i) => i.code === 'fee.ultrasound.daily')!;
  assert.equal(us.sentence, '收费项目 等于 「B超检查」，且 同一患者同一天内收费项目 等于 「B超检查」的收费明细条数 大于 2');
  const tech = items.find((i) => i.code === 'tech.restricted.unauthorized')!;
  assert.match(tech.sentence, /^限制类技术 不为空，且 （术者该技术授权的授权记录 为空，或 /);
  const { seedBuiltinRules } = await import('./seed.ts');
  assert.equal(await seedBuiltinRules(t.kernel), 0, 'seeding is idempotent');
});

test('create: an invalid tree is refused with zh-CN problems naming the place; a valid one is stored as version 1', async () => {
  const bad = await api(admin, 'POST', '/compliance/rules', {
    category: 'reasonable_fee',
    title: '坏规则',
    rule: { source: 'fee_line', when: { kind: 'cmp', op: '>', left: { kind: 'field', name: 'no_such_field' }, right: { kind: 'lit', value: 1 } } },
  });
  assert.equal(bad.statusCode, 400, bad.body);
  assert.equal(bad.json().code, 'VALIDATION_FAILED');
  assert.match(bad.json().details[0].field, /^rule\.when/);
  assert.match(bad.json().details[0].message, /[\u4e00-\u9fa5]/);

  const notBool = await api(admin, 'POST', '/compliance/rules', {
    category: 'reasonable_fee',
    title: 'x',
    rule: { source: 'fee_line', when: { kind: 'field', name: 'amount' } },
  });
  assert.equal(notBool.statusCode, 400);
  assert.match(notBool.json().message, /条件/);

  const ok = await api(admin, 'POST', '/compliance/rules', { category: 'reasonable_fee', title: '同日 B超 超过 4 次', rule: ultrasound });
  assert.equal(ok.statusCode, 201, ok.body);
  const rule = ok.json();
  assert.equal(rule.version, 1);
  assert.equal(rule.enabled, false);
  assert.match(rule.sentence, /大于 4$/);
  const audit = await t.kernel.db.query<{ n: number }>(
    "select count(*)::int as n from audit_event where action = 'compliance.rule.create' and object_id = $1",
    [String(rule.id)],
  );
  assert.equal(audit[0]!.n, 1);
});

test('versions, enable/disable, and the SQL only for city administrators', async () => {
  const created = (await api(admin, 'POST', '/compliance/rules', { category: 'reasonable_fee', title: '版本测试', rule: ultrasound })).json();
  const v2 = await api(admin, 'POST', `/compliance/rules/${created.id}/versions`, {
    title: '版本测试（改）',
    rule: { ...ultrasound, when: { kind: 'cmp', op: '>', left: { kind: 'field', name: 'amount' }, right: { kind: 'lit', value: 1000 } } },
  });
  assert.equal(v2.statusCode, 200, v2.body);
  assert.equal(v2.json().version, 2);
  assert.equal(v2.json().sentence, '金额 大于 1000');
  const got = (await api(admin, 'GET', `/compliance/rules/${created.id}`)).json();
  assert.deepEqual(
    got.versions.map((v: { version: number }) => v.version),
    [2, 1],
  );
  assert.match(got.sql, /^SELECT .* FROM "hm_fee_line" t WHERE/);
  assert.equal(got.title, '版本测试（改）');

  assert.equal((await api(admin, 'POST', `/compliance/rules/${created.id}/enable`)).json().enabled, true);
  assert.equal((await api(admin, 'POST', `/compliance/rules/${created.id}/enable`)).statusCode, 409);
  assert.equal((await api(admin, 'POST', `/compliance/rules/${created.id}/disable`)).json().enabled, false);

  const district = await t.loginAs('district_admin', { level: 'district', districtCode: '310104' });
  const seen = await api(district, 'GET', `/compliance/rules/${created.id}`);
  assert.equal(seen.statusCode, 200);
  assert.equal(seen.json().sql, undefined);
  assert.equal((await api(district, 'POST', `/compliance/rules/${created.id}/enable`)).statusCode, 403);
  const scopedAdmin = await t.loginAs('city_admin', { level: 'district', districtCode: '310104' });
  assert.equal((await api(scopedAdmin, 'POST', `/compliance/rules/${created.id}/enable`)).statusCode, 403);
  assert.equal((await api(admin, 'GET', '/compliance/rules/999999')).statusCode, 404);
});

test('the builder catalog lists the finding sources, their fields and code lists', async () => {
  const r = await api(admin, 'GET', '/compliance/catalog');
  assert.equal(r.statusCode, 200);
  const c = r.json();
  assert.equal(c.categories.length, 11);
  const fee = c.sources.find((s: { name: string }) => s.name === 'fee_line');
  assert.ok(fee.fields.find((f: { name: string; codes?: unknown[] }) => f.name === 'item_code' && f.codes && f.codes.length > 5));
});
