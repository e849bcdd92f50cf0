import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AuditBuffer } from '../../../platform/audit/event.ts';
import { type TestApp, type TestSession, testApp } from '../../../test/harness.ts';
import { runFaultScenario } from './fault-scenario.ts';
import { runSync } from './sync.ts';
import { confirm, type Sims, screenedWorld, sendAndCollect, startSims } from './test-flow.ts';

let t: TestApp;
let admin: TestSession;
let sims: Sims;
before(async () => {
  t = await testApp();
  admin = await t.loginAs('city_admin');
  await screenedWorld(t, admin);
  // Short backoff and circuit pause so the outage is ridden out within the test.
  sims = await startSims(
    t,
    { seed: 11, replyFlushMs: 100 },
    { timeoutMs: 3_000, retry: { maxAttempts: 60, baseDelayMs: 50, maxDelayMs: 400 }, circuit: { failureThreshold: 5, openMs: 300 }, concurrency: 8 },
  );
});
after(async () => {
  await sims?.stop();
  await t.close();
});

test('fault injection: national system down, lost acks, 5xx, duplicate and out-of-order replies — every confirmed application reaches it exactly once and ends with its status', async () => {
  const tokens = await sendAndCollect(t, admin, sims, 60);
  assert.ok(tokens.size >= 30, `only ${tokens.size} links`);
  for (const token of tokens.values()) assert.equal(await confirm(t, token), 'approved');
  const sync = () => runSync({ kernel: t.kernel, transaction: (fn) => t.kernel.db.transaction((tx) => fn(tx, new AuditBuffer())) });
  const r = await runFaultScenario(t.kernel, sims.national, sync, {
    downForMs: 1_500,
    loseAck: 4,
    errorRate: 0.2,
    duplicateReplies: 0.5,
    outOfOrderReplies: 5,
    timeoutMs: 90_000,
  });
  assert.equal(r.approved, tokens.size);
  assert.equal(r.missingThere, 0, JSON.stringify(r));
  assert.equal(r.heldTwice, 0, JSON.stringify(r));
  assert.equal(r.heldThere, tokens.size);
  assert.equal(r.deadMessages, 0);
  assert.ok(r.exactlyOnce);
  assert.ok(r.refusedWhileDown, 'deliveries were refused while the national system was down');
  assert.ok(r.duplicateDeliveries >= 4, `redeliveries absorbed: ${r.duplicateDeliveries}`);
  assert.ok(r.duplicateRepliesPublished > 0, 'duplicate replies were published');
  assert.equal(r.statusMismatches, 0, 'every application ends with the national side’s final status, whatever the reply order');
  const n = (
    await t.kernel.db.query<{ paid: number; replies: number }>(
      `select (select count(*)::int from cs_application where national_status = 'paid') as paid, (select count(*)::int from cs_national_reply) as replies`,
    )
  )[0]!;
  assert.equal(n.paid, tokens.size);
  assert.equal(n.replies, tokens.size * 2, 'each reply stored once (accepted and paid per application)');
});
