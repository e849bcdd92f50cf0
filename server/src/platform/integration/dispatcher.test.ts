import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type TestApp, testApp } from '../../test/harness.ts';
import { KeyRing } from '../crypto/keyring.ts';
import { enqueueJob } from '../jobs/enqueue.ts';
import { runPendingJobs } from '../jobs/scheduler.ts';
import { type Adapter, type AdapterSpec, defineAdapter } from './adapter.ts';
import { loadCircuits } from './circuit.ts';
import { deliverMessage } from './deliver.ts';
import { dispatchPending, dispatchRound, recordAttempt, startDispatcher, wakeDispatcher } from './dispatcher.ts';
import { enqueueMessage, toMessage } from './outbox.ts';
import { defineSimulator, type Simulator, type SimulatorOptions, startSimulator } from './simulators/simulator.ts';
import { genericSimulator } from './simulators/systems/generic.ts';
import { DEFAULT_CLIENT_ID } from './systems.ts';

let t: TestApp;
const sims: Simulator[] = [];
before(async () => {
  t = await testApp();
});
after(async () => {
  for (const s of sims) await s.stop();
  await t.close();
});

const SECRET = 'test-shared-secret';

/** A simulator and an adapter pointed at it, put into the kernel's registry under a system name of the test's own. */
async function pair(system: string, spec: Partial<AdapterSpec> = {}, simOpts: SimulatorOptions = {}): Promise<{ sim: Simulator; adapter: Adapter }> {
  const sim = await startSimulator(defineSimulator({ system, title: `模拟 ${system}`, auth: spec.auth ?? 'hmac-sm3' }), {
    clients: { [DEFAULT_CLIENT_ID]: { secret: SECRET, sm2PublicKey: t.kernel.keys.sm2PublicKey } },
    ...simOpts,
  });
  sims.push(sim);
  const adapter = defineAdapter({
    system,
    title: `测试系统 ${system}`,
    auth: 'hmac-sm3',
    baseUrl: sim.url,
    secret: SECRET,
    // Generous: the machine may be busy; timeouts are tested in the simulator's own tests.
    timeoutMs: 10_000,
    retry: { maxAttempts: 10, baseDelayMs: 1000, maxDelayMs: 8000 },
    circuit: { failureThreshold: 100, openMs: 60_000 },
    ...spec,
  });
  t.kernel.adapters.use(adapter);
  return { sim, adapter };
}

const db = () => t.kernel.db;
const enqueue = (system: string, key: string, payload: Record<string, unknown> = { key }, topic = 'test.message') =>
  db().transaction((tx) => enqueueMessage(tx, { system, topic, key, payload }));
const messages = async (system: string) =>
  (await db().query<Record<string, unknown>>('select * from outbox_message where system = $1 order by id', [system])).map(toMessage);
const makeDue = (system: string) =>
  db().query(`update outbox_message set next_attempt_at = now() where system = $1 and status in ('pending', 'failed')`, [system]);
/** The backoff each failed message got: from the end of its last attempt to its next one. */
const backoffSeconds = async (system: string) =>
  (
    await db().query<{ s: number }>(
      `select extract(epoch from m.next_attempt_at - (a.started_at + a.duration_ms * interval '1 millisecond'))::float8 as s
         from outbox_message m join lateral (select * from outbox_attempt where message_id = m.id order by id desc limit 1) a on true
        where m.system = $1 order by m.id`,
      [system],
    )
  ).map((r) => r.s);
const attempts = (id: number) =>
  db().query<{ attempt: number; outcome: string; http_status: number | null; error: string | null }>(
    'select attempt, outcome, http_status, error from outbox_attempt where message_id = $1 order by id',
    [id],
  );

test('delivery to a healthy system: signed, with the Idempotency-Key, recorded as delivered with the reply', async () => {
  const { sim } = await pair('d-healthy');
  const ids = [];
  for (const k of ['a', 'b', 'c']) ids.push((await enqueue('d-healthy', `key-${k}`, { k, 姓名: '王小明' }, 'subsidy.application')).id);
  const s = await dispatchPending(t.kernel, { systems: ['d-healthy'] });
  assert.deepEqual([s.claimed, s.delivered, s.retried, s.dead], [3, 3, 0, 0]);
  const ms = await messages('d-healthy');
  assert.deepEqual(
    ms.map((m) => [m.status, m.attempts]),
    [
      ['delivered', 1],
      ['delivered', 1],
      ['delivered', 1],
    ],
  );
  assert.ok(ms.every((m) => m.deliveredAt && m.lastError === null));
  assert.deepEqual((ms[0]!.response as { status: number; body: { ok: boolean } }).status, 200);
  assert.deepEqual(sim.received.map((r) => [r.key, r.topic, r.path, r.clientId]).sort(), [
    ['key-a', 'subsidy.application', '/inbox/subsidy.application', DEFAULT_CLIENT_ID],
    ['key-b', 'subsidy.application', '/inbox/subsidy.application', DEFAULT_CLIENT_ID],
    ['key-c', 'subsidy.application', '/inbox/subsidy.application', DEFAULT_CLIENT_ID],
  ]);
  assert.deepEqual(sim.received.find((r) => r.key === 'key-a')?.body, { k: 'a', 姓名: '王小明' });
  assert.deepEqual(await attempts(ids[0]!), [{ attempt: 1, outcome: 'delivered', http_status: 200, error: null }]);
  assert.equal((await dispatchPending(t.kernel, { systems: ['d-healthy'] })).claimed, 0, 'nothing left');
});

test('down for a while: retried with growing backoff, then delivered exactly once even when acks are lost and a worker dies mid-delivery', async () => {
  const { sim, adapter } = await pair('d-down', {}, {});
  const keys = ['m1', 'm2', 'm3', 'm4', 'm5'];
  for (const k of keys) await enqueue('d-down', k);
  await sim.down('refuse');

  let s = await dispatchRound(t.kernel, { systems: ['d-down'] });
  assert.deepEqual([s.claimed, s.retried], [5, 5]);
  let ms = await messages('d-down');
  assert.ok(ms.every((m) => m.status === 'failed' && m.attempts === 1));
  assert.match(ms[0]!.lastError ?? '', /网络错误/);
  for (const w of await backoffSeconds('d-down')) assert.ok(w >= 0.5 && w <= 1.1, `first retry after 0.5–1 s, got ${w}`);

  await makeDue('d-down');
  s = await dispatchRound(t.kernel, { systems: ['d-down'] });
  assert.equal(s.retried, 5);
  for (const w of await backoffSeconds('d-down')) assert.ok(w >= 1 && w <= 2.1, `second retry after 1–2 s, got ${w}`);
  await makeDue('d-down');
  await dispatchRound(t.kernel, { systems: ['d-down'] });
  for (const w of await backoffSeconds('d-down')) assert.ok(w >= 2 && w <= 4.1, `third retry after 2–4 s, got ${w}`);

  // Back up, but the first two new messages are stored and their acknowledgement is lost (503).
  await sim.up();
  sim.setFaults({ loseAck: 2 });
  await makeDue('d-down');
  s = await dispatchRound(t.kernel, { systems: ['d-down'] });
  assert.deepEqual([s.delivered, s.retried], [3, 2]);
  assert.equal(sim.received.length, 5, 'all five arrived, two without an ack');

  // A worker claims a message, sends it, and dies before recording: its lease runs out.
  const [m6] = [await enqueue('d-down', 'm6')];
  const [claimed] = (
    await db().query<Record<string, unknown>>(
      `update outbox_message set status = 'delivering', attempts = attempts + 1, next_attempt_at = now() + interval '1 hour' where id = $1 returning *`,
      [m6.id],
    )
  ).map(toMessage);
  assert.equal((await deliverMessage(t.kernel, adapter, claimed!)).result, 'delivered');
  assert.equal((await dispatchRound(t.kernel, { systems: ['d-down'] })).claimed, 0, 'a live lease is not taken over');
  await db().query(`update outbox_message set next_attempt_at = now() - interval '1 second' where id = $1`, [m6.id]);
  await makeDue('d-down');
  s = await dispatchRound(t.kernel, { systems: ['d-down'] });
  assert.deepEqual([s.claimed, s.delivered], [3, 3], 'the two unacknowledged ones and the abandoned one');

  // Nothing lost, nothing duplicated.
  ms = await messages('d-down');
  assert.ok(
    ms.every((m) => m.status === 'delivered'),
    JSON.stringify(ms.map((m) => m.status)),
  );
  assert.deepEqual(sim.received.map((r) => r.key).sort(), [...keys, 'm6'].sort());
  assert.equal(new Set(sim.received.map((r) => r.key)).size, sim.received.length);
  assert.equal(sim.received.filter((r) => r.deliveries > 1).length, 3, 'three were delivered twice and deduplicated');
  const h = await attempts(ms[0]!.id);
  assert.deepEqual(
    h.slice(0, 3).map((a) => a.outcome),
    ['retry', 'retry', 'retry'],
  );
  assert.equal(h.at(-1)?.outcome, 'delivered');
});

test('a 409 "already have it" counts as delivered', async () => {
  const { sim } = await pair('d-409');
  sim.setFaults({ loseAck: 1, onDuplicate: '409' });
  const { id } = await enqueue('d-409', 'once');
  await dispatchPending(t.kernel, { systems: ['d-409'] });
  await makeDue('d-409');
  await dispatchPending(t.kernel, { systems: ['d-409'] });
  const m = (await messages('d-409'))[0]!;
  assert.equal(m.status, 'delivered');
  assert.equal((m.response as { status: number }).status, 409);
  assert.deepEqual(
    (await attempts(id)).map((a) => [a.outcome, a.http_status]),
    [
      ['retry', 503],
      ['delivered', 409],
    ],
  );
  assert.equal(sim.received.length, 1);
});

test('a permanent 4xx goes dead at once; the circuit does not count it', async () => {
  const { sim } = await pair('d-4xx');
  sim.setFaults({ reject: { status: 422, count: 1 } });
  const { id } = await enqueue('d-4xx', 'rejected');
  const s = await dispatchPending(t.kernel, { systems: ['d-4xx'] });
  assert.deepEqual([s.claimed, s.dead], [1, 1]);
  const m = (await messages('d-4xx'))[0]!;
  assert.equal(m.status, 'dead');
  assert.match(m.lastError ?? '', /HTTP 422：REJECTED .*重试无效/);
  assert.deepEqual(
    (await attempts(id)).map((a) => [a.outcome, a.http_status]),
    [['dead', 422]],
  );
  assert.equal((await dispatchPending(t.kernel, { systems: ['d-4xx'] })).claimed, 0, 'dead stays dead');
  assert.equal(sim.received.length, 0);
});

test('a signature the other side refuses ends dead with a clear error; SM2 with the platform key is accepted', async () => {
  const { sim } = await pair('d-badsig', { secret: 'not-the-shared-secret' });
  await enqueue('d-badsig', 'sig-1');
  await dispatchPending(t.kernel, { systems: ['d-badsig'] });
  const m = (await messages('d-badsig'))[0]!;
  assert.equal(m.status, 'dead');
  assert.equal(m.lastError, '对方拒绝了请求的身份或签名（HTTP 401：BAD_SIGNATURE 签名校验失败（HMAC-SM3）），请检查密钥与签名方式配置');
  assert.equal(sim.stats.signatureFailures, 1);

  const sm2 = await pair('d-sm2', { auth: 'sm2' });
  await enqueue('d-sm2', 'sm2-1');
  await dispatchPending(t.kernel, { systems: ['d-sm2'] });
  assert.equal((await messages('d-sm2'))[0]!.status, 'delivered');
  assert.equal(sm2.sim.received.length, 1);

  const foreign = await pair('d-sm2-foreign', { auth: 'sm2' }, { clients: { [DEFAULT_CLIENT_ID]: { sm2PublicKey: KeyRing.generate().sm2PublicKey } } });
  await enqueue('d-sm2-foreign', 'sm2-2');
  await dispatchPending(t.kernel, { systems: ['d-sm2-foreign'] });
  const f = (await messages('d-sm2-foreign'))[0]!;
  assert.equal(f.status, 'dead');
  assert.match(f.lastError ?? '', /签名校验失败（SM2）/);
  assert.equal(foreign.sim.received.length, 0);
});

test('out of attempts: dead, saying so', async () => {
  const { sim } = await pair('d-exhaust', { retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 } });
  await sim.down('503');
  await enqueue('d-exhaust', 'x');
  await dispatchPending(t.kernel, { systems: ['d-exhaust'] });
  await sleep(5);
  await dispatchPending(t.kernel, { systems: ['d-exhaust'] });
  const m = (await messages('d-exhaust'))[0]!;
  assert.deepEqual([m.status, m.attempts], ['dead', 2]);
  assert.match(m.lastError ?? '', /HTTP 503.*已尝试 2 次，达到上限，转入死信/);
});

test('the circuit opens after N consecutive failures, pauses the system, probes once when half-open, and closes', async () => {
  const { sim } = await pair('d-circuit', { concurrency: 1, circuit: { failureThreshold: 3, openMs: 60_000 } });
  await sim.down('503');
  for (const k of ['c1', 'c2', 'c3', 'c4', 'c5']) await enqueue('d-circuit', k);
  const state = async () => (await loadCircuits(db(), new Map([['d-circuit', { failureThreshold: 3, openMs: 60_000 }]]))).get('d-circuit')!;

  for (let i = 1; i <= 3; i++) {
    assert.equal((await state()).state, 'closed');
    const s = await dispatchRound(t.kernel, { systems: ['d-circuit'] });
    assert.equal(s.claimed, 1, 'concurrency 1: one at a time');
    await makeDue('d-circuit');
  }
  let c = await state();
  assert.deepEqual([c.state, c.consecutiveFailures], ['open', 3]);
  assert.match(c.lastError ?? '', /HTTP 503/);
  const s = await dispatchRound(t.kernel, { systems: ['d-circuit'] });
  assert.deepEqual([s.claimed, s.paused], [0, ['d-circuit']], 'paused: due messages are not attempted');
  const before = (await messages('d-circuit')).map((m) => m.attempts);

  // Open period over, still down: one probe, which fails and opens the circuit again.
  await db().query(`update integration_circuit set open_until = now() - interval '1 second' where system = 'd-circuit'`);
  assert.equal((await state()).state, 'half-open');
  assert.equal((await dispatchRound(t.kernel, { systems: ['d-circuit'] })).claimed, 1);
  c = await state();
  assert.deepEqual([c.state, c.consecutiveFailures], ['open', 4]);

  // Back up: the probe succeeds, the circuit closes, the rest follow.
  await sim.up();
  await db().query(`update integration_circuit set open_until = now() - interval '1 second' where system = 'd-circuit'`);
  await makeDue('d-circuit');
  const probe = await dispatchRound(t.kernel, { systems: ['d-circuit'] });
  assert.deepEqual([probe.claimed, probe.delivered], [1, 1]);
  c = await state();
  assert.deepEqual([c.state, c.consecutiveFailures, c.openUntil], ['closed', 0, null]);
  await dispatchPending(t.kernel, { systems: ['d-circuit'] });
  const ms = await messages('d-circuit');
  assert.ok(ms.every((m) => m.status === 'delivered'));
  assert.equal(sim.received.length, 5);
  assert.equal(
    before.reduce((a, b) => a + b, 0),
    3,
    'only three attempts were spent while failing, then paused',
  );
});

test('a stale worker cannot overwrite the outcome after its lease was taken over', async () => {
  const { adapter } = await pair('d-fence');
  const { id } = await enqueue('d-fence', 'f1');
  const [stale] = (
    await db().query<Record<string, unknown>>(
      `update outbox_message set status = 'delivering', attempts = 1, next_attempt_at = now() - interval '1 second' where id = $1 returning *`,
      [id],
    )
  ).map(toMessage);
  // Its lease ran out: attempt 2 is claimed by another round and delivers.
  await dispatchPending(t.kernel, { systems: ['d-fence'] });
  let m = (await messages('d-fence'))[0]!;
  assert.deepEqual([m.status, m.attempts], ['delivered', 2]);
  // The old worker (attempt 1) now records its timeout: the message keeps the newer outcome.
  await recordAttempt(t.kernel, adapter, stale!, { result: 'retry', httpStatus: null, error: '请求超时' }, new Date(), 1000);
  m = (await messages('d-fence'))[0]!;
  assert.deepEqual([m.status, m.attempts, m.lastError], ['delivered', 2, null]);
  assert.deepEqual(
    (await attempts(id)).map((a) => [a.attempt, a.outcome]),
    [
      [2, 'delivered'],
      [1, 'retry'],
    ],
    'both attempts are in the history',
  );
});

test('no adapter registered: the message waits; a system without a URL in production is retried with the reason', async () => {
  await enqueue('d-nobody', 'n1');
  const s = await dispatchPending(t.kernel);
  assert.equal((await messages('d-nobody'))[0]!.status, 'pending');
  assert.ok(s.claimed >= 0);
  const a = defineAdapter({ system: 'd-unconfigured' });
  const out = await deliverMessage({ config: { ...t.kernel.config, env: 'production' }, keys: t.kernel.keys }, a, {
    id: 1,
    topic: 't',
    key: 'k',
    payload: {},
  } as never);
  assert.deepEqual(out, { result: 'retry', httpStatus: null, error: '未配置对接地址（环境变量 WEIJIAN_D_UNCONFIGURED_URL）' });
  const noSecret = await deliverMessage(
    { config: { ...t.kernel.config, env: 'production' }, keys: t.kernel.keys },
    defineAdapter({ system: 'd-unconfigured', baseUrl: 'http://127.0.0.1:1' }),
    { id: 1, topic: 't', key: 'k', payload: {} } as never,
  );
  assert.match(noSecret.result === 'retry' ? noSecret.error : '', /未配置 HMAC-SM3 共享密钥（环境变量 WEIJIAN_D_UNCONFIGURED_SECRET）/);
  const broken = defineAdapter({
    system: 'd-broken',
    baseUrl: 'http://127.0.0.1:1',
    secret: 's',
    request: () => {
      throw new Error('缺少字段 applicationId');
    },
  });
  const b = await deliverMessage(t.kernel, broken, { id: 1, topic: 't', key: 'k', payload: {} } as never);
  assert.deepEqual(b, { result: 'retry', httpStatus: null, error: '适配器处理出错：缺少字段 applicationId' });
});

test('the integration.dispatch job runs every minute by default and delivers', async () => {
  const [sched] = await db().query<{ cron: string; enabled: boolean }>(`select cron, enabled from job_schedule where name = 'integration.dispatch'`);
  assert.deepEqual(sched, { cron: '* * * * *', enabled: true });
  const { sim } = await pair('d-job');
  await enqueue('d-job', 'j1');
  const runId = await db().transaction((tx) => enqueueJob(tx, 'integration.dispatch'));
  await runPendingJobs(t.kernel);
  const run = (await db().query<{ status: string; result: { delivered: number } }>('select status, result from job_run where id = $1', [runId]))[0]!;
  assert.equal(run.status, 'succeeded');
  assert.ok(run.result.delivered >= 1);
  assert.equal(sim.received.length, 1);
});

test('the in-process loop delivers within moments of a wake-up and stops cleanly', async () => {
  const { sim, adapter } = await pair('d-loop');
  const d = startDispatcher(t.kernel, { intervalMs: 60_000, systems: ['d-loop'] });
  try {
    await enqueue('d-loop', 'l1');
    wakeDispatcher(t.kernel);
    for (let i = 0; i < 500 && sim.received.length === 0; i++) await sleep(20);
    assert.equal(sim.received.length, 1);
    for (let i = 0; i < 500 && (await messages('d-loop'))[0]!.status !== 'delivered'; i++) await sleep(20);
    assert.equal((await messages('d-loop'))[0]!.status, 'delivered');
    assert.equal(t.kernel.services.integration, d);
  } finally {
    await d.stop();
  }
  assert.equal(t.kernel.services.integration, undefined);
  assert.equal(t.kernel.adapters.get('d-loop'), adapter);
});

test('the generic simulator works with a default adapter (POST /inbox/<topic>)', async () => {
  const sim = await startSimulator(genericSimulator, { clients: { [DEFAULT_CLIENT_ID]: { secret: 'g' } } });
  sims.push(sim);
  t.kernel.adapters.use(defineAdapter({ system: 'd-generic', baseUrl: sim.url, secret: 'g' }));
  await enqueue('d-generic', 'g1', { hello: '世界' }, 'demo.hello');
  await dispatchPending(t.kernel, { systems: ['d-generic'] });
  assert.deepEqual(
    sim.received.map((r) => [r.path, r.body]),
    [['/inbox/demo.hello', { hello: '世界' }]],
  );
});
