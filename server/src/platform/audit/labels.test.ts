import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Principal } from '../auth/principal.ts';
import { type TestApp, type TestSession, testApp } from '../../test/harness.ts';
import { appendAudit } from './append.ts';
import { labelsFor } from './labels.ts';

let t: TestApp;
let auditor: TestSession;
let admin: TestSession;
before(async () => {
  t = await testApp();
  auditor = await t.loginAs('auditor');
  admin = await t.loginAs('city_admin');
});
after(() => t.close());

test('audit events carry Chinese labels and people’s names beside the codes', async () => {
  const actor: Principal = {
    kind: 'user',
    userId: admin.userId,
    username: admin.username,
    displayName: '测试city_admin',
    role: 'city_admin',
    scope: { level: 'city' },
    permissions: new Set(),
  };
  await t.kernel.db.transaction((tx) =>
    appendAudit(
      tx,
      actor,
      [
        { kind: 'read', action: 'fd-supervision.report', objectType: 'report', note: '每日红黄绿监测' },
        { kind: 'read', action: 'family-doctor.duplicate-cards', objectType: 'person', objectId: 7 },
        { kind: 'admin', action: 'user.update', objectType: 'user', objectId: auditor.userId },
        { kind: 'read', action: 'birth-verification.tasks.search', objectType: 'fp_verify_task' },
      ],
      { ip: null, requestId: null },
    ),
  );
  const r = await t.call(auditor, { url: '/api/v1/audit/events?pageSize=4' });
  assert.equal(r.statusCode, 200, r.body);
  const items = (r.json().items as Record<string, string>[]).reverse();
  const view = items.map((e) => [e.actorName, e.kindLabel, e.actionLabel, e.objectLabel]);
  assert.deepEqual(view, [
    ['测试city_admin', '读取 / 调阅', '签约服务监管：查看报表', '报表'],
    ['测试city_admin', '读取 / 调阅', '家庭医生签约：重复建档', '居民'],
    ['测试city_admin', '管理操作', '修改用户', '用户：测试auditor'],
    ['测试city_admin', '读取 / 调阅', '出生信息核实与孩次库：查询', '出生信息核实与孩次库记录'],
  ]);
  // No label is a raw code.
  for (const [, , action, object] of view) assert.doesNotMatch(`${action}${object}`.replace('测试auditor', ''), /[a-z_]{3,}/);
});

test('every permission code of every module has a Chinese label (the registry is the modules’ own titles)', () => {
  const labels = labelsFor(t.kernel);
  for (const m of t.kernel.modules) for (const p of m.permissions ?? []) assert.equal(labels.action(p.code), p.title);
  assert.equal(labels.action('POST /x/:id'), '提交');
});

test('GET /audit/labels gives the console its filter choices: the same labels the event list uses', async () => {
  const r = await t.call(auditor, { url: '/api/v1/audit/labels' });
  assert.equal(r.statusCode, 200, r.body);
  const body = r.json() as Record<'kinds' | 'actions' | 'objectTypes', { value: string; label: string }[]>;
  const labels = labelsFor(t.kernel);
  assert.deepEqual(
    body.kinds.map((k) => k.value),
    ['write', 'read', 'auth', 'admin'],
  );
  assert.ok(body.actions.some((a) => a.value === 'resident.reveal' && a.label === '调阅居民完整信息'));
  for (const a of body.actions) assert.equal(a.label, labels.action(a.value));
  for (const o of body.objectTypes) assert.equal(o.label, labels.objectType(o.value));
  // One choice per label: 居民 is person (resident is a synonym), 用户 is user (app_user too).
  const objectLabels = body.objectTypes.map((o) => o.label);
  assert.equal(new Set(objectLabels).size, objectLabels.length);
  assert.equal(body.objectTypes.find((o) => o.label === '居民')?.value, 'person');
  assert.equal(body.objectTypes.find((o) => o.label === '用户')?.value, 'user');
  // Only for those who may read the log.
  assert.equal((await t.call(await t.loginAs('family_doctor'), { url: '/api/v1/audit/labels' })).statusCode, 403);
});
