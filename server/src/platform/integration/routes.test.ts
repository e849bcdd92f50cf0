import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestApp, type TestSession, testApp } from '../../test/harness.ts';
import { API_PREFIX } from '../http/mount.ts';
import { allModules } from '../../modules.ts';
import { defineModule } from '../module.ts';
import { defineAdapter } from './adapter.ts';
import { dispatchPending } from './dispatcher.ts';
import { enqueueMessage } from './outbox.ts';
import { defineSimulator, type Simulator, startSimulator } from './simulators/simulator.ts';
import { DEFAULT_CLIENT_ID } from './systems.ts';

let t: TestApp;
let sim: Simulator;
let city: TestSession;
let district: TestSession;
let auditor: TestSession;
const ids: Record<string, number> = {};

before(async () => {
  sim = await startSimulator(defineSimulator({ system: 'r-sys', title: '路由测试系统' }), { clients: { [DEFAULT_CLIENT_ID]: { secret: 's' } } });
  // The test's outside system is declared as a module declares its adapters; the kernel's registry has it from boot.
  const rSys = defineAdapter({
    system: 'r-sys',
    title: '路由测试系统',
    baseUrl: sim.url,
    secret: 's',
    retry: { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 1000 },
  });
  t = await testApp({ modules: [...allModules, defineModule({ name: 'test.r-sys', title: '路由测试', system: 'platform', adapters: [rSys] })] });
  const q = (system: string, key: string, topic: string, districtCode: string | null) =>
    t.kernel.db.transaction((tx) => enqueueMessage(tx, { system, topic, key, payload: { key, 身份证号: '310101199001011234' }, districtCode }));
  ids.a = (await q('r-sys', 'a', 'topic.one', '310101')).id;
  ids.b = (await q('r-sys', 'b', 'topic.two', '310104')).id;
  ids.c = (await q('r-sys', 'c', 'topic.one', null)).id;
  ids.d = (await q('r-other', 'd', 'topic.one', '310101')).id;
  await t.kernel.db.query(`update outbox_message set status = 'dead', attempts = 5, last_error = '对方返回 HTTP 422' where id = $1`, [ids.c]);
  city = await t.loginAs('city_admin');
  district = await t.loginAs('district_admin', { level: 'district', districtCode: '310101' });
  auditor = await t.loginAs('auditor');
});
after(async () => {
  await sim.stop();
  await t.close();
});

const get = (s: TestSession, url: string) => t.call(s, { method: 'GET', url: API_PREFIX + url });
const post = (s: TestSession, url: string) => t.call(s, { method: 'POST', url: API_PREFIX + url });

test('the list filters by system, status and topic, pages, and hides payloads', async () => {
  let r = await get(city, '/integration/messages');
  assert.equal(r.statusCode, 200, r.body);
  let b = r.json();
  assert.equal(b.total, 4);
  assert.deepEqual(
    b.items.map((i: { id: number }) => i.id),
    [ids.d, ids.c, ids.b, ids.a],
    'newest first',
  );
  assert.equal(b.items[0].payload, undefined);
  assert.equal(b.items[1].systemTitle, '路由测试系统');
  assert.equal(b.items[1].statusTitle, '死信');
  assert.equal(b.items[1].maxAttempts, 5);

  b = (await get(city, '/integration/messages?system=r-sys&topic=topic.one')).json();
  assert.deepEqual(
    b.items.map((i: { key: string }) => i.key),
    ['c', 'a'],
  );
  b = (await get(city, '/integration/messages?status=dead')).json();
  assert.deepEqual(
    b.items.map((i: { key: string }) => i.key),
    ['c'],
  );
  b = (await get(city, '/integration/messages?page=2&pageSize=3')).json();
  assert.deepEqual([b.total, b.page, b.pageSize, b.items.length], [4, 2, 3, 1]);

  r = await get(city, '/integration/messages?status=lost');
  assert.equal(r.statusCode, 400);
  assert.equal((await get(city, '/integration/messages?pageSize=1000')).statusCode, 400);
});

test('a district user sees the district’s messages only; city-level ones are out of scope', async () => {
  const b = (await get(district, '/integration/messages')).json();
  assert.deepEqual(b.items.map((i: { key: string }) => i.key).sort(), ['a', 'd']);
  assert.equal((await get(district, `/integration/messages/${ids.c}`)).statusCode, 404);
  assert.equal((await get(district, `/integration/messages/${ids.a}`)).statusCode, 200);
  assert.equal((await get(auditor, '/integration/messages')).json().total, 4);
});

test('the detail shows payload and history, and reading it is audited', async () => {
  const r = await get(city, `/integration/messages/${ids.a}`);
  assert.equal(r.statusCode, 200, r.body);
  const m = r.json();
  assert.deepEqual(m.payload, { key: 'a', 身份证号: '310101199001011234' });
  assert.deepEqual(m.history, []);
  const [e] = await t.kernel.db.query<{ kind: string; actor_username: string; district_code: string }>(
    `select kind, actor_username, district_code from audit_event where action = 'integration.message.read' and object_id = $1 and actor_username = $2`,
    [String(ids.a), city.username],
  );
  assert.deepEqual(e, { kind: 'read', actor_username: city.username, district_code: '310101' });
  assert.equal((await get(city, '/integration/messages/999999')).statusCode, 404);
});

test('permanent 4xx → dead → manual retry (city admin only, audited) → delivered', async () => {
  sim.setFaults({ reject: { status: 422, count: 1 } });
  const s1 = await dispatchPending(t.kernel, { systems: ['r-sys'] });
  assert.ok(s1.dead >= 1);
  const a = (await t.kernel.db.query<{ status: string; last_error: string }>('select status, last_error from outbox_message where id = $1', [ids.a]))[0]!;
  const deadId = a.status === 'dead' ? ids.a : ids.b;
  const dead = (await get(city, `/integration/messages/${deadId}`)).json();
  assert.equal(dead.status, 'dead');
  assert.match(dead.lastError, /HTTP 422/);
  assert.deepEqual(
    dead.history.map((h: { outcome: string; httpStatus: number }) => [h.outcome, h.httpStatus]),
    [['dead', 422]],
  );

  assert.equal((await post(district, `/integration/messages/${deadId}/retry`)).statusCode, 403);
  assert.equal((await post(auditor, `/integration/messages/${deadId}/retry`)).statusCode, 403);
  const r = await post(city, `/integration/messages/${deadId}/retry`);
  assert.equal(r.statusCode, 200, r.body);
  assert.deepEqual([r.json().status, r.json().attempts, r.json().lastError], ['pending', 0, null]);
  const e = (
    await t.kernel.db.query<{ kind: string; before: { status: string }; after: { status: string } }>(
      `select kind, before, after from audit_event where action = 'integration.message.retry' and object_id = $1`,
      [String(deadId)],
    )
  )[0]!;
  assert.deepEqual([e.kind, e.before.status, e.after.status], ['admin', 'dead', 'pending']);
  const again = await post(city, `/integration/messages/${deadId}/retry`);
  assert.equal(again.statusCode, 409);
  assert.match(again.json().message, /只有死信消息可以重新投递（当前状态：待投递）/);

  await dispatchPending(t.kernel, { systems: ['r-sys'] });
  const done = (await get(city, `/integration/messages/${deadId}`)).json();
  assert.equal(done.status, 'delivered');
  assert.deepEqual(
    done.history.map((h: { outcome: string }) => h.outcome),
    ['dead', 'delivered'],
  );
  // The declared response schema keeps instants as ISO date-times (nullable ones too).
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
  assert.match(done.createdAt, iso);
  assert.match(done.deliveredAt, iso);
  assert.equal(done.nextAttemptAt, null);
  assert.ok(done.history.every((h: { startedAt: string }) => iso.test(h.startedAt)));
  assert.ok(sim.received.some((m) => m.key === (deadId === ids.a ? 'a' : 'b')));
});

test('systems: each adapter with counts by status and its circuit; never the secret', async () => {
  const r = await get(city, '/integration/systems');
  assert.equal(r.statusCode, 200, r.body);
  assert.doesNotMatch(r.body, /"secret"/);
  const items = r.json().items as {
    system: string;
    registered: boolean;
    counts: Record<string, number>;
    circuit: { state: string; stateTitle: string };
    baseUrl: string;
    secretConfigured: boolean;
  }[];
  const mine = items.find((i) => i.system === 'r-sys')!;
  assert.equal(mine.registered, true);
  assert.equal(mine.baseUrl, sim.url);
  assert.equal(mine.secretConfigured, true);
  assert.deepEqual([mine.circuit.state, mine.circuit.stateTitle], ['closed', '正常']);
  assert.equal(
    Object.values(mine.counts).reduce((a, b) => a + b, 0),
    3,
  );
  const other = items.find((i) => i.system === 'r-other')!;
  assert.deepEqual([other.registered, other.counts.pending], [false, 1]);

  await t.kernel.db.query(
    `insert into integration_circuit (system, consecutive_failures, open_until, opened_at) values ('r-other', 5, now() + interval '1 minute', now())`,
  );
  const after = (await get(district, '/integration/systems')).json().items as typeof items;
  const open = after.find((i) => i.system === 'r-other')!.circuit as unknown as {
    state: string;
    openUntil: string;
    openedAt: string;
    consecutiveFailures: number;
  };
  assert.equal(open.state, 'open');
  assert.ok(Date.parse(open.openUntil) > Date.now() && Date.parse(open.openedAt) <= Date.now() + 1000, JSON.stringify(open));
  assert.equal(open.consecutiveFailures, 5);
  assert.equal(
    Object.values(after.find((i) => i.system === 'r-sys')!.counts).reduce((a, b) => a + b, 0),
    1,
    'counts in the district’s scope',
  );
});

test('permissions and menu: read for city, district and auditor; nothing for other roles', async () => {
  const doctor = await t.loginAs('family_doctor', { level: 'own', districtCode: '310101', institutionId: 1, practitionerId: 1 });
  assert.equal((await get(doctor, '/integration/messages')).statusCode, 403);
  assert.equal((await get(doctor, '/integration/systems')).statusCode, 403);
  const menu = (await get(district, '/system/menu')).json();
  const items = menu.systems.flatMap((s: { items: { path: string; title: string }[] }) => s.items);
  assert.ok(items.some((i: { path: string; title: string }) => i.path === '/platform/integration' && i.title === '外部系统对接'));
  const dm = (await get(doctor, '/system/menu')).json();
  assert.ok(!JSON.stringify(dm).includes('/platform/integration'));
});
