import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { defineAdapter } from '../../../platform/integration/adapter.ts';
import { dispatchPending } from '../../../platform/integration/dispatcher.ts';
import { type Simulator, startSimulator } from '../../../platform/integration/simulators/simulator.ts';
import { fdQcPlatformSimulator } from '../../../platform/integration/simulators/systems/fd-qc-platform.ts';
import { DEFAULT_CLIENT_ID } from '../../../platform/integration/systems.ts';
import { enqueueJob } from '../../../platform/jobs/enqueue.ts';
import { runPendingJobs } from '../../../platform/jobs/scheduler.ts';
import { QC_SYSTEM, qcPushJob } from './qc-push.ts';
import { type Fd, fdApp } from './test-fixture.ts';

let fd: Fd;
let sim: Simulator;
const SECRET = 'qc-test-secret';
before(async () => {
  fd = await fdApp();
  sim = await startSimulator(fdQcPlatformSimulator, { clients: { [DEFAULT_CLIENT_ID]: { secret: SECRET } } });
  // The module's adapter, pointed at this test's simulator with short backoffs.
  fd.t.kernel.adapters.use(
    defineAdapter({
      system: QC_SYSTEM,
      baseUrl: sim.url,
      secret: SECRET,
      timeoutMs: 10_000,
      retry: { maxAttempts: 10, baseDelayMs: 60_000, maxDelayMs: 120_000 },
      circuit: { failureThreshold: 100 },
    }),
  );
});
after(async () => {
  await sim.stop();
  await fd.close();
});

const db = () => fd.t.kernel.db;
const makeDue = () => db().query(`update outbox_message set next_attempt_at = now() where system = $1 and status in ('pending', 'failed')`, [QC_SYSTEM]);
const receivedContracts = () => {
  const seen = new Map<number, number>();
  for (const m of sim.received) {
    const body = m.body as { dataset: string; records: { contractId: number; version: number }[] };
    if (body.dataset !== 'contracts') continue;
    for (const r of body.records) seen.set(r.contractId, Math.max(seen.get(r.contractId) ?? 0, r.version));
  }
  return seen;
};

test('the mirror follows every contract write in the same transaction, and a rolled-back write leaves no trace', async () => {
  const pid = await fd.resident();
  const c = (await fd.sign(pid)).json();
  const [m] = await db().query<{ status: string; version: number; institution_id: number }>(
    'select status, version, institution_id from fd_mirror.contract where contract_id = $1',
    [c.id],
  );
  assert.deepEqual(m, { status: 'active', version: 1, institution_id: c.institutionId });
  await fd.post(`/contracts/${c.id}/terminate`, { initiator: 'resident', reason: '迁出本市', residentInformed: true });
  const [t] = await db().query<{ status: string; termination_reason: string }>(
    'select status, termination_reason from fd_mirror.contract where contract_id = $1',
    [c.id],
  );
  assert.deepEqual(t, { status: 'terminated', termination_reason: '迁出本市' });
  const events = await db().query<{ kind: string }>('select kind from fd_mirror.contract_event where contract_id = $1 order by event_id', [c.id]);
  assert.deepEqual(
    events.map((e) => e.kind),
    ['sign', 'terminate'],
  );
  // A refused signing (rolled back) mirrors nothing.
  const before = await db().query<{ n: number }>('select count(*)::int as n from fd_mirror.contract');
  const bad = await fd.sign(pid, { emergencyContacts: [{ name: '甲', phone: '1', relation: '配偶' }] });
  assert.equal(bad.statusCode, 400);
  assert.deepEqual(await db().query<{ n: number }>('select count(*)::int as n from fd_mirror.contract'), before);
});

test('the scheduled push queues the changed contract data sets; with the QC platform down nothing is lost, and it all arrives when it is back', async () => {
  const ids: number[] = [];
  for (let i = 0; i < 3; i++) ids.push((await fd.sign(await fd.resident())).json().id);
  await sim.down('refuse');
  await enqueueJob(db(), qcPushJob.name, {}, 'manual');
  await runPendingJobs(fd.t.kernel, { untilIdle: true });
  const queued = await db().query<{ status: string }>('select status from outbox_message where system = $1', [QC_SYSTEM]);
  assert.ok(queued.length >= 2, 'contracts and events data sets');
  // (runPendingJobs may already have tried a delivery: make them due again.)
  await makeDue();
  const s1 = await dispatchPending(fd.t.kernel, { systems: [QC_SYSTEM], maxRounds: 1 });
  assert.equal(s1.delivered, 0);
  assert.ok(s1.retried > 0, JSON.stringify(s1));
  assert.equal(sim.received.length, 0);
  // Nothing pending in the mirror: it is all in the outbox, waiting.
  const st = (await db().query<{ pending_contracts: number }>('select pending_contracts from fd_mirror_stats()'))[0]!;
  assert.equal(Number(st.pending_contracts), 0);

  // A change while the receiver is down is queued again with its new state.
  await fd.post(`/contracts/${ids[0]}/terminate`, { initiator: 'doctor', reason: '居民失联', residentInformed: true });
  const again = await fd.post('/outward/qc-push', {});
  assert.equal(again.statusCode, 200, again.body);
  assert.equal(again.json().contracts, 1);

  await sim.up();
  await makeDue();
  await dispatchPending(fd.t.kernel, { systems: [QC_SYSTEM] });
  const statuses = await db().query<{ status: string }>('select distinct status from outbox_message where system = $1', [QC_SYSTEM]);
  assert.deepEqual(
    statuses.map((s) => s.status),
    ['delivered'],
  );
  const seen = receivedContracts();
  const { n } = (await db().query<{ n: number }>('select count(*)::int as n from fd_contract'))[0]!;
  assert.equal(seen.size, n, 'every contract reached the QC platform');
  assert.equal(seen.get(ids[0]!), 2, 'with its latest version');

  const status = (await fd.get('/outward/status')).json();
  assert.equal(status.pending.contracts, 0);
  assert.ok(status.outbox.delivered >= 3);
  const district = await fd.t.loginAs('district_admin', { level: 'district', districtCode: '310104' });
  assert.equal((await fd.post('/outward/qc-push', {}, district)).statusCode, 403);
});
