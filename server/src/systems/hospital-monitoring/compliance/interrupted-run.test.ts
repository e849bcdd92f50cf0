// A server killed (kill -9) in the middle of a compliance run: the next process marks the run interrupted at
// once, retries it, skips the steps that had committed and finishes the rest — no result twice, none lost.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, test } from 'node:test';
import { allModules } from '../../../modules.ts';
import { KeyRing } from '../../../platform/crypto/keyring.ts';
import { openPglite } from '../../../platform/db/pglite.ts';
import type { Database } from '../../../platform/db/types.ts';
import { enqueueJob } from '../../../platform/jobs/enqueue.ts';
import { startScheduler } from '../../../platform/jobs/scheduler.ts';
import { startKernel } from '../../../platform/kernel.ts';
import { openTestDb, PGLITE_TEMPLATE } from '../../../test/db.ts';
import { testConfig } from '../../../test/harness.ts';
import { BUILTIN_RULES } from './builtin.ts';
import * as repo from './repository.ts';
import { RUN_JOB } from './run.ts';
import { EXPECTED, EXPECTED_TOTAL, seedHospitalData } from './test-fixture.ts';

const STEPS_BEFORE_KILL = 2;
const cleanup: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const f of cleanup.reverse()) await f();
});

/** A database the child process can open too: a PGlite directory, or a database on TEST_DATABASE_URL. */
async function sharedDatabase(): Promise<{ open(): Promise<Database>; childEnv: Record<string, string>; close(db: Database): Promise<void> }> {
  const t = await openTestDb();
  if (t.url) {
    cleanup.push(t.drop);
    return { open: async () => t.db, childEnv: { CHILD_DATABASE_URL: t.url }, close: async () => {} };
  }
  await t.drop();
  const dir = mkdtempSync(join(tmpdir(), 'weijian-interrupted-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  let first = true;
  return {
    // The template only the first time; later opens find the directory the child wrote (PGlite recovers
    // after the kill like PostgreSQL after a crash).
    async open() {
      const template = first && existsSync(PGLITE_TEMPLATE) ? new Blob([readFileSync(PGLITE_TEMPLATE)]) : undefined;
      first = false;
      return openPglite(dir, template);
    },
    childEnv: { CHILD_PGLITE_DIR: dir },
    close: (db) => db.close(),
  };
}

function waitForSteps(child: ChildProcess, n: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = 0;
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`child reported ${seen} of ${n} steps in time`)), 180_000);
    child.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      seen += lines.filter((l) => l === 'step').length;
      if (seen >= n) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`child exited (${code}) after ${seen} steps`));
    });
  });
}

test('kill -9 during a compliance run: interrupted at once, retried, finished with no result twice or lost', { timeout: 300_000 }, async () => {
  const shared = await sharedDatabase();
  let db = await shared.open();
  let kernel = await startKernel(testConfig(), allModules, { db, keys: KeyRing.generate() });
  await seedHospitalData(db);
  const { runId, jobRunId } = await db.transaction(async (tx) => {
    const runId = await repo.insertRun(tx, { mode: 'full', ruleIds: null, requestedBy: 'tester', ruleSetId: null, trigger: 'manual' });
    const jobRunId = await enqueueJob(tx, RUN_JOB, { cmRunId: runId }, 'manual', 'tester');
    await repo.setRunJob(tx, runId, jobRunId);
    return { runId, jobRunId };
  });
  await shared.close(db);

  // A real server process takes the run; it is killed once two of its rules have committed.
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('./interrupted-run-child.ts', import.meta.url).pathname], {
    env: { ...process.env, ...shared.childEnv, STOP_AFTER_STEPS: String(STEPS_BEFORE_KILL) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((r) => child.once('exit', r));
  cleanup.push(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  await waitForSteps(child, STEPS_BEFORE_KILL);
  child.kill('SIGKILL');
  await exited;

  db = await shared.open();
  kernel = await startKernel(testConfig(), allModules, { db, keys: KeyRing.generate() });
  const q = <T>(sql: string, params: unknown[] = []) => db.query<T>(sql, params);

  // What the kill left: the run "running" on the dead worker, two steps committed with their findings.
  const left = (await q<{ status: string; worker_id: string | null }>('select status, worker_id from job_run where id = $1', [jobRunId]))[0]!;
  assert.equal(left.status, 'running');
  assert.ok(left.worker_id, 'the run records the worker executing it');
  const steps = (
    await q<{ n: number; inserted: number }>('select count(*)::int as n, coalesce(sum(inserted), 0)::int as inserted from cm_run_rule where run_id = $1', [
      runId,
    ])
  )[0]!;
  assert.equal(steps.n, STEPS_BEFORE_KILL);
  const partial = (await q<{ n: number }>('select count(*)::int as n from cm_finding where run_id = $1', [runId]))[0]!;
  assert.equal(partial.n, steps.inserted, 'every committed finding belongs to a committed step');

  // A new process starts: the run is taken over at once (not after five minutes) and finishes.
  const started = Date.now();
  const scheduler = startScheduler(kernel, { tickMs: 20 });
  let status = '';
  while (Date.now() - started < 120_000) {
    ({ status } = (await q<{ status: string }>('select status from job_run where id = $1', [jobRunId]))[0]!);
    if (status === 'succeeded' || status === 'failed') break;
    await sleep(50);
  }
  await scheduler.stop();
  assert.equal(status, 'succeeded');
  assert.ok(Date.now() - started < 60_000, 'taken over without waiting for the five-minute stale check');

  const run = (
    await q<{ interruptions: number; worker_id: string; attempt: number }>('select interruptions, worker_id, attempt from job_run where id = $1', [jobRunId])
  )[0]!;
  assert.equal(run.interruptions, 1);
  assert.equal(run.attempt, 1, 'an interruption is not a failed attempt');
  assert.notEqual(run.worker_id, left.worker_id);
  const dead = (await q<{ stopped: boolean }>('select stopped_at is not null as stopped from job_worker where id = $1', [left.worker_id]))[0]!;
  assert.equal(dead.stopped, true);
  const logs = (await q<{ message: string }>('select message from job_log where run_id = $1 order by id', [jobRunId])).map((l) => l.message);
  const at = (re: RegExp) => logs.findIndex((l) => re.test(l));
  assert.ok(at(/已退出，运行中断（第 1 次），立即重新执行$/) >= 0, logs.join('\n'));
  assert.ok(at(/^中断后重新执行（第 1 次中断）$/) > at(/运行中断/), logs.join('\n'));
  assert.ok(at(new RegExp(`^已完成的 ${STEPS_BEFORE_KILL} 条规则`)) > at(/^中断后重新执行/), logs.join('\n'));
  assert.match(logs.at(-1) ?? '', /^执行成功/);

  // The results: every rule exactly once, every finding exactly once, the counts add up.
  const [cm] = await q<{ status: string; inserted: number; hits: number }>('select status, inserted, hits from cm_run where id = $1', [runId]);
  assert.deepEqual(cm, { status: 'succeeded', inserted: EXPECTED_TOTAL, hits: EXPECTED_TOTAL });
  const perRule = await q<{ n: number; errors: number }>('select count(*)::int as n, count(error)::int as errors from cm_run_rule where run_id = $1', [runId]);
  assert.deepEqual(perRule[0], { n: BUILTIN_RULES.length, errors: 0 });
  const [found] = await q<{ n: number; distinct: number }>(
    `select count(*)::int as n, count(distinct (rule_id, object_key))::int as distinct from cm_finding where run_id = $1`,
    [runId],
  );
  assert.deepEqual(found, { n: EXPECTED_TOTAL, distinct: EXPECTED_TOTAL });
  const byRule = await q<{ code: string; n: number }>('select r.code, count(*)::int as n from cm_finding f join cm_rule r on r.id = f.rule_id group by 1');
  const expected = Object.fromEntries(
    Object.entries(EXPECTED).map(([code, m]) => [code, Object.values(m as Record<number, number>).reduce((a, b) => a + b, 0)]),
  );
  assert.deepEqual(Object.fromEntries(byRule.map((r) => [r.code, r.n])), expected);
  await shared.close(db);
});
