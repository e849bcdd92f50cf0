import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { KeyRing } from '../../crypto/keyring.ts';
import { type HttpResult, sendRequest } from '../http-client.ts';
import { hmacSigner, type Signer, sm2Signer } from '../signing.ts';
import { DEFAULT_CLIENT_ID, devSecret } from '../systems.ts';
import { SIMULATORS } from './catalog.ts';
import { defineSimulator, type Simulator, startSimulator } from './simulator.ts';
import { genericSimulator } from './systems/generic.ts';

const keys = KeyRing.generate();
let sim: Simulator;
const signer = hmacSigner(DEFAULT_CLIENT_ID, devSecret('generic'));

before(async () => {
  sim = await startSimulator(genericSimulator, { seed: 7, replyFlushMs: 60_000 });
});
after(() => sim.stop());
afterEach(() => sim.reset());

const post = (key: string | undefined, body: unknown = { n: 1 }, o: { signer?: Signer; path?: string; timeoutMs?: number; url?: string } = {}) =>
  sendRequest({
    baseUrl: o.url ?? sim.url,
    method: 'POST',
    path: o.path ?? '/inbox/test.topic',
    body,
    idempotencyKey: key,
    timeoutMs: o.timeoutMs ?? 10_000,
    signer: o.signer ?? signer,
  });
const status = (r: HttpResult) => (r.kind === 'response' ? r.status : r.kind);
const body = (r: HttpResult) => (r.kind === 'response' ? (r.body as Record<string, unknown>) : {});

test('a signed write is stored once per Idempotency-Key; a repeat gets the same reply, or 409 when so configured', async () => {
  const first = await post('k-1');
  assert.equal(status(first), 200);
  assert.equal(body(first).system, 'generic');
  const again = await post('k-1');
  assert.equal(status(again), 200);
  assert.deepEqual(body(again), body(first), 'the first reply is replayed');
  assert.equal(sim.received.length, 1);
  assert.equal(sim.received[0]!.deliveries, 2);
  assert.equal(sim.received[0]!.topic, 'test.topic');
  assert.deepEqual(sim.received[0]!.body, { n: 1 });
  assert.equal(sim.stats.duplicates, 1);

  sim.setFaults({ onDuplicate: '409' });
  const dup = await post('k-1');
  assert.equal(status(dup), 409);
  assert.equal(body(dup).receiptId, body(first).receiptId);
  assert.equal(sim.received.length, 1);
});

test('a key reused for a different body is refused (422); a write without a key is refused (400)', async () => {
  assert.equal(status(await post('k-2', { n: 1 })), 200);
  const reused = await post('k-2', { n: 2 });
  assert.equal(status(reused), 422);
  assert.equal(body(reused).code, 'IDEMPOTENCY_KEY_REUSED');
  const noKey = await post(undefined);
  assert.equal(status(noKey), 400);
  assert.equal(sim.received.length, 1);
});

test('signatures: a wrong secret, a replayed nonce and a foreign SM2 key are refused with 401 and a reason', async () => {
  const wrong = await post('k-3', {}, { signer: hmacSigner(DEFAULT_CLIENT_ID, 'not-the-secret') });
  assert.equal(status(wrong), 401);
  assert.deepEqual(body(wrong), { code: 'BAD_SIGNATURE', message: '签名校验失败（HMAC-SM3）' });
  const unknown = await post('k-3', {}, { signer: hmacSigner('somebody-else', devSecret('generic')) });
  assert.match(String(body(unknown).message), /未登记的调用方/);
  // The same signed headers twice: the nonce is spent.
  const fixed = signer('POST', '/inbox/test.topic', '{"n":1}');
  const replay = await post('k-3', { n: 1 }, { signer: () => fixed });
  assert.equal(status(replay), 200);
  const replay2 = await post('k-3', { n: 1 }, { signer: () => fixed });
  assert.equal(status(replay2), 401);
  assert.match(String(body(replay2).message), /nonce/);
  assert.equal(sim.stats.signatureFailures, 3);
  assert.equal(sim.received.length, 1);

  const nat = await startSimulator(defineSimulator({ system: 'national-subsidy' }), { sm2PublicKey: keys.sm2PublicKey });
  try {
    assert.equal(nat.def.auth, 'sm2');
    const ok = await post('s-1', { a: 1 }, { url: nat.url, signer: sm2Signer(DEFAULT_CLIENT_ID, (m) => keys.sm2Sign(m)) });
    assert.equal(status(ok), 200);
    const other = KeyRing.generate();
    const bad = await post('s-2', { a: 1 }, { url: nat.url, signer: sm2Signer(DEFAULT_CLIENT_ID, (m) => other.sm2Sign(m)) });
    assert.equal(status(bad), 401);
    assert.equal(body(bad).message, '签名校验失败（SM2）');
    assert.equal(nat.received.length, 1);
  } finally {
    await nat.stop();
  }
});

test('down: 503 mode answers 503; refuse mode closes the port (connection refused) and comes back', async () => {
  await sim.down('503');
  const r503 = await post('d-1');
  assert.equal(status(r503), 503);
  await sim.up();
  assert.equal(status(await post('d-1')), 200);

  await sim.down('refuse');
  // The first request may still meet a kept-alive socket being torn down; the next finds the port closed.
  assert.equal((await post('d-2')).kind, 'network');
  const refused = await post('d-2');
  assert.equal(refused.kind, 'network');
  // Said in Chinese for the people who read it (dead-letter view, job logs): never the raw ECONNREFUSED.
  assert.equal(refused.kind === 'network' ? refused.message : '', '网络错误：连接被拒绝（对方服务未启动或端口未开放）');
  await sim.up();
  assert.equal(status(await post('d-2')), 200);

  await sim.down('refuse', 300);
  assert.equal((await post('d-3')).kind, 'network');
  let back = 0;
  for (let i = 0; i < 100 && back !== 200; i++) {
    await sleep(50);
    back = status(await post('d-3')) as number;
  }
  assert.equal(back, 200, 'back up by itself after forMs');
  assert.deepEqual(
    sim.received.map((m) => m.key),
    ['d-1', 'd-2', 'd-3'],
  );
});

test('slow: the client times out although the message was processed; the retry is answered from the store', async () => {
  sim.setFaults({ slowMs: 3000 });
  const r = await post('s-1', { x: 1 }, { timeoutMs: 1000 });
  assert.equal(r.kind, 'timeout');
  for (let i = 0; i < 100 && sim.received.length === 0; i++) await sleep(50);
  assert.equal(sim.received.length, 1, 'processed, only the reply is late');
  sim.setFaults({ slowMs: 0 });
  assert.equal(status(await post('s-1', { x: 1 })), 200);
  assert.equal(sim.received.length, 1);
  assert.equal(sim.received[0]!.deliveries, 2);
});

test('random 5xx are not processed; a lost ack is processed and then answered 503; reject refuses with a 4xx', async () => {
  sim.setFaults({ errorRate: 1 });
  const e = await post('e-1');
  assert.ok([500, 502, 503].includes(status(e) as number));
  assert.equal(sim.received.length, 0);
  sim.setFaults({ errorRate: 0, loseAck: 1 });
  assert.equal(status(await post('e-1')), 503);
  assert.equal(sim.received.length, 1, 'stored before the ack was lost');
  assert.equal(status(await post('e-1')), 200);
  assert.equal(sim.received[0]!.deliveries, 2);
  sim.setFaults({ reject: { status: 422, count: 1 } });
  const rej = await post('e-2');
  assert.equal(status(rej), 422);
  assert.equal(body(rej).code, 'REJECTED');
  assert.equal(status(await post('e-2')), 200, 'only the next N writes are refused');
  assert.equal(sim.received.length, 2);
});

test('with an error rate of one half, every message still arrives exactly once after enough retries', async () => {
  sim.setFaults({ errorRate: 0.5, loseAck: 3, onDuplicate: '409' });
  const keysSent = Array.from({ length: 20 }, (_, i) => `r-${i}`);
  for (const k of keysSent) {
    let done = false;
    for (let i = 0; i < 50 && !done; i++) {
      const s = status(await post(k, { k }));
      done = s === 200 || s === 409;
    }
    assert.ok(done, k);
  }
  assert.deepEqual(sim.received.map((m) => m.key).sort(), [...keysSent].sort());
});

test('replies: one receipt per new message in the signed feed; duplicates and out-of-order on demand', async () => {
  const feed = async (after = 0) => {
    const r = await sendRequest({ baseUrl: sim.url, method: 'GET', path: `/replies?after=${after}`, timeoutMs: 10_000, signer });
    return body(r) as { items: { seq: number; idempotencyKey: string; replyId: string }[]; last: number };
  };
  await post('f-1');
  await post('f-1');
  await post('f-2');
  let f = await feed();
  assert.deepEqual(
    f.items.map((i) => [i.seq, i.idempotencyKey]),
    [
      [1, 'f-1'],
      [2, 'f-2'],
    ],
  );
  assert.equal((await feed(f.last)).items.length, 0);
  const unsigned = await sendRequest({ baseUrl: sim.url, method: 'GET', path: '/replies', timeoutMs: 10_000 });
  assert.equal(status(unsigned), 401);

  sim.setFaults({ duplicateReplies: 1 });
  await post('f-3');
  f = await feed(2);
  assert.equal(f.items.length, 2);
  assert.equal(f.items[0]!.replyId, f.items[1]!.replyId, 'the same reply twice');

  // Groups of 5 are published shuffled; the rest waits for the flush (timer, or flushReplies()).
  sim.setFaults({ duplicateReplies: 0, outOfOrderReplies: 5 });
  const sent = Array.from({ length: 8 }, (_, i) => `o-${i}`);
  for (const k of sent) await post(k);
  const firstGroup = (await feed(4)).items.map((i) => i.idempotencyKey);
  assert.deepEqual([...firstGroup].sort(), sent.slice(0, 5));
  assert.notDeepEqual(firstGroup, sent.slice(0, 5), 'published in another order');
  sim.flushReplies();
  const got = (await feed(4)).items.map((i) => i.idempotencyKey);
  assert.deepEqual([...got].sort(), [...sent].sort());
});

test('replies are pushed to a callback, signed like a partner system', async () => {
  const receiver = await startSimulator(defineSimulator({ system: 'generic', reply: null }), { clients: { 'sim-client': { secret: 'cb-secret' } } });
  const pusher = await startSimulator(genericSimulator, { callback: { url: `${receiver.url}/callback/replies`, clientId: 'sim-client', secret: 'cb-secret' } });
  try {
    await post('c-1', { c: 1 }, { url: pusher.url });
    await post('c-2', { c: 2 }, { url: pusher.url });
    for (let i = 0; i < 400 && receiver.received.length < 2; i++) await sleep(25);
    assert.deepEqual(
      receiver.received.map((m) => (m.body as { idempotencyKey: string }).idempotencyKey),
      ['c-1', 'c-2'],
    );
    assert.equal(receiver.stats.signatureFailures, 0);
  } finally {
    await pusher.stop();
    await receiver.stop();
  }
});

test('admin endpoints: state, received, faults (refuse needs forMs), reset', async () => {
  const admin = (method: 'GET' | 'PUT' | 'POST', path: string, b?: unknown) => sendRequest({ baseUrl: sim.url, method, path, body: b, timeoutMs: 10_000 });
  await post('a-1');
  const st = body(await admin('GET', '/__sim/state'));
  assert.equal(st.received, 1);
  assert.equal((body(await admin('GET', '/__sim/received')).items as unknown[]).length, 1);
  assert.equal(status(await admin('PUT', '/__sim/faults', { down: { mode: 'refuse' } })), 400);
  const f = body(await admin('PUT', '/__sim/faults', { errorRate: 0.25, down: { mode: '503' } }));
  assert.equal(f.errorRate, 0.25);
  assert.equal(sim.faults.down?.mode, '503');
  assert.equal(status(await admin('PUT', '/__sim/faults', { down: null, errorRate: 0 })), 200);
  assert.equal(sim.faults.down, null);
  await admin('POST', '/__sim/reset');
  assert.equal(sim.received.length, 0);
});

test('the catalog has the generic simulator and one per outside system, with distinct names', () => {
  const names = SIMULATORS.map((s) => s.system);
  assert.equal(names[0], 'generic');
  assert.deepEqual(names.slice(1), [
    'national-subsidy',
    'one-net',
    'birth-one-thing',
    'data-platform',
    'maternal-child',
    'community-cloud',
    'sms-gateway',
    'fd-qc-platform',
    'health-cloud',
    'audit-witness',
  ]);
  assert.equal(new Set(names).size, names.length);
  assert.ok(SIMULATORS.every((s) => s.title && s.title !== s.system));
});
