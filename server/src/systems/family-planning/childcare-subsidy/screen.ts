import { createHash } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { AuditBuffer } from '../../../platform/audit/event.ts';
import type { Principal } from '../../../platform/auth/principal.ts';
import type { Queryable } from '../../../platform/db/types.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { enqueueJob } from '../../../platform/jobs/enqueue.ts';
import type { JobContext, JobDef } from '../../../platform/jobs/types.ts';
import { compileRule, describeRule } from '../../../platform/rules/index.ts';
import { todayInShanghai } from '../../../platform/rules/dates.ts';
import { maskName } from '../../../platform/util/resident-id.ts';
import { enumOf } from '../../../platform/http/schema.ts';
import { birthOrdersOf, listChildIds, verificationProblems } from '../birth-verification/service.ts';
import { eligibilityRule, type Policy, verdictRule, subsidyCatalog } from './eligibility.ts';
import { buildDraft, validateDraft } from './prefill.ts';
import * as repo from './repository.ts';
import { ScreeningQueued } from './responses.ts';

export const SCREEN_JOB = 'childcare-subsidy.screen';
export const MODES = ['full', 'incremental'] as const;
const BATCH = 500;

export function actorOf(p: Principal): string {
  return p.username;
}

/** Rebuilds the screening snapshot of every child from the birth records, the resident index and the grants. */
export async function refreshChildren(tx: Queryable): Promise<number> {
  const ids = await listChildIds({ tx });
  const granted = await repo.grantedChildren(tx);
  let changed = 0;
  for (let i = 0; i < ids.length; i += BATCH) changed += await refreshBatch(tx, ids.slice(i, i + BATCH), granted);
  return changed;
}

export type TxRunner = <T>(fn: (tx: Queryable) => Promise<T>) => Promise<T>;

/**
 * The same refresh for the screening job: batches in transactions of their own, `concurrency` at a
 * time (a pooled PostgreSQL runs them in parallel; PGlite one after another). The snapshot only ever
 * holds current facts, so a batch committed before a later failure is still right.
 */
export async function refreshChildrenConcurrently(run: TxRunner, concurrency = 3, batchSize = 2_000): Promise<number> {
  const ids = await run((tx) => listChildIds({ tx }));
  const granted = await run((tx) => repo.grantedChildren(tx));
  let next = 0;
  let changed = 0;
  const worker = async () => {
    while (next < ids.length) {
      const batch = ids.slice(next, next + batchSize);
      next += batchSize;
      const n = await run(async (tx) => {
        let k = 0;
        for (let i = 0; i < batch.length; i += BATCH) k += await refreshBatch(tx, batch.slice(i, i + BATCH), granted);
        return k;
      });
      changed += n;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return changed;
}

async function refreshBatch(tx: Queryable, batch: number[], granted: Set<number>): Promise<number> {
  const orders = await birthOrdersOf({ tx }, batch);
  const parentIds = [...orders.values()].flatMap((o) => (o.fatherPersonId === null ? [o.motherPersonId] : [o.motherPersonId, o.fatherPersonId]));
  const people = await repo.personFacts(tx, [...batch, ...parentIds]);
  const rows: repo.ChildRow[] = [];
  for (const id of batch) {
    const o = orders.get(id);
    const p = people.get(id);
    if (!o || !p) continue;
    const mother = people.get(o.motherPersonId);
    const father = o.fatherPersonId === null ? undefined : people.get(o.fatherPersonId);
    const problems = verificationProblems(o).map((c) => c.kind as string);
    if (!mother) problems.push('mother_missing');
    const applicant: [repo.PersonFacts, string] | null =
      mother?.status === 'alive' ? [mother, 'mother'] : father?.status === 'alive' ? [father, 'father'] : null;
    const district = p.hukou_district ?? p.residence_district;
    const facts = {
      person_id: id,
      district_code: district,
      street_code: district === p.residence_district ? p.residence_street : null,
      name_mask: maskName(p.name),
      id_mask: p.id_number_mask,
      birth_date: p.birth_date,
      hukou_district: p.hukou_district,
      status: p.status,
      already_granted: granted.has(id),
      parents_verified: problems.length === 0,
      problems,
      conflicts: o.conflicts.map((c) => c.kind as string),
      mother_person_id: o.motherPersonId,
      father_person_id: o.fatherPersonId,
      birth_order: o.birthOrder,
      birth_order_review: o.needsReview,
      applicant_person_id: applicant?.[0].id ?? null,
      applicant_relation: applicant?.[1] ?? null,
      applicant_name_mask: applicant ? maskName(applicant[0].name) : null,
      applicant_id_mask: applicant?.[0].id_number_mask ?? null,
      applicant_phone: applicant?.[0].phone_mask != null,
    };
    rows.push({ ...facts, facts_hash: createHash('sha256').update(JSON.stringify(facts)).digest('hex') });
  }
  return repo.upsertChildren(tx, rows);
}

function configHash(policy: Policy, reqs: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify({ s: policy.startDate, a: policy.maxAgeYears, reqs }))
    .digest('hex');
}

/**
 * The screening: refresh the snapshot, then judge with the compiled rule inside the database. An
 * incremental run judges only children whose facts changed since the base run (or who passed the age
 * limit since its date) and carries the others over; a changed policy or field list makes it full.
 * Eligible judged children get their pre-filled draft. Each run is a new version of the result list.
 */
export async function screen(
  tx: Queryable,
  audit: AuditBuffer,
  runId: number,
  jobRunId: number | null,
  opts: { refreshed?: number } = {},
): Promise<Record<string, unknown>> {
  const run = await repo.findRun(tx, runId);
  if (!run) throw new Error(`筛选批次 ${runId} 不存在`);
  const asOf = run.as_of ?? todayInShanghai();
  await repo.updateRun(tx, runId, { status: 'running', started_at: new Date(), as_of: asOf, ...(jobRunId ? { job_run_id: jobRunId } : {}) });
  const policy = await repo.getPolicy(tx);
  const reqs = await repo.fieldRequirements(tx);
  const hash = configHash(policy, reqs);
  const base = await repo.lastSucceeded(tx, runId);
  const incremental = run.mode === 'incremental' && base !== null && base.config_hash === hash && base.as_of !== null && base.as_of <= asOf;

  const refreshed = opts.refreshed ?? (await refreshChildren(tx));
  if (incremental && base.as_of !== asOf) await repo.touchAgedOut(tx, base.as_of as string, asOf, policy.maxAgeYears);
  const compiled = compileRule(subsidyCatalog, verdictRule(policy), { today: asOf, ...(incremental ? { changedSince: base.finished_at as Date } : {}) });
  const judged = await repo.insertVerdicts(tx, runId, compiled, policy);
  const carried = incremental ? await repo.carryOver(tx, runId, base.id) : 0;

  const facts = await repo.judgedEligibleFacts(tx, runId);
  const drafts = facts.map((f) => {
    const draft = buildDraft(f);
    const missing = validateDraft(draft, reqs);
    return { id: f.person_id, complete: missing.length === 0, missing, draft };
  });
  await repo.savePrefills(tx, runId, drafts);

  const rule = eligibilityRule(policy);
  const counts = await repo.runCounts(tx, runId);
  await repo.updateRun(tx, runId, {
    status: 'succeeded',
    mode: incremental ? 'incremental' : 'full',
    base_run_id: incremental ? base.id : null,
    config_hash: hash,
    rule,
    rule_text: describeRule(subsidyCatalog, rule),
    judged,
    carried,
    refreshed,
    finished_at: new Date(),
  });
  audit.write({
    action: 'childcare-subsidy.screen',
    objectType: 'cs_screening_run',
    objectId: runId,
    after: { asOf, incremental, judged, carried, refreshed, eligible: counts.eligible },
  });
  return { runId, incremental, judged, carried, refreshed, ...counts };
}

export async function runScreenJob(ctx: JobContext, payload: Record<string, unknown>) {
  let runId = Number(payload.runId);
  if (!Number.isSafeInteger(runId) || runId < 1) runId = await ctx.transaction((tx) => repo.insertRun(tx, 'incremental', null, 'system'));
  try {
    await ctx.transaction((tx) => repo.updateRun(tx, runId, { status: 'running', started_at: new Date(), job_run_id: ctx.runId }));
    const refreshed = await refreshChildrenConcurrently((fn) => ctx.transaction((tx) => fn(tx)));
    const result = await ctx.transaction((tx, audit) => screen(tx, audit, runId, ctx.runId, { refreshed }));
    await ctx.log(`育儿补贴筛选 #${runId}：判定 ${result.judged}，沿用 ${result.carried}，符合条件 ${result.eligible}`);
    return result;
  } catch (e) {
    await ctx.transaction((tx) =>
      repo.updateRun(tx, runId, { status: 'failed', error: String(e instanceof Error ? e.message : e).slice(0, 500), finished_at: new Date() }),
    );
    throw e;
  }
}

export const screenJob: JobDef = {
  name: SCREEN_JOB,
  title: '育儿补贴人群筛选（免申即享）',
  defaultCron: '0 3 * * *',
  defaultEnabled: true,
  handler: runScreenJob,
};

export const ScreenBody = Type.Object(
  { mode: Type.Optional(enumOf(MODES)), asOf: Type.Optional(Type.String({ format: 'date', maxLength: 10, description: '筛选基准日期（默认今天）' })) },
  { additionalProperties: false },
);

export const screenNowRoute = defineRoute({
  method: 'POST',
  url: '/childcare-subsidy/screenings',
  summary: '立即筛选育儿补贴对象（全量或增量）',
  tags: ['计划生育'],
  auth: 'staff',
  permission: 'childcare-subsidy.screen',
  scope: 'city',
  body: ScreenBody,
  successStatus: 201,
  response: { 201: ScreeningQueued },
  handler: async (ctx, { body }) => {
    const mode = body.mode ?? 'incremental';
    // The same screening (mode, base date) still queued or running: answer with it, queue no second one.
    await ctx.tx.query(`select pg_advisory_xact_lock(hashtext('job_run:' || $1::text))`, [SCREEN_JOB]);
    const [pending] = await ctx.tx.query<{ id: number; run_id: number }>(
      `select j.id, r.id as run_id from job_run j join cs_screening_run r on r.id = (j.payload->>'runId')::bigint
        where j.job = $1 and j.status in ('queued', 'running', 'retrying') and r.mode = $2 and r.as_of is not distinct from $3::date
        order by j.id limit 1`,
      [SCREEN_JOB, mode, body.asOf ?? null],
    );
    if (pending) {
      ctx.audit.write({
        action: 'childcare-subsidy.screen.request',
        objectType: 'cs_screening_run',
        objectId: Number(pending.run_id),
        note: '相同的筛选已在排队或运行，未重复排队',
      });
      return { runId: Number(pending.run_id), jobRunId: Number(pending.id), existing: true };
    }
    const runId = await repo.insertRun(ctx.tx, mode, body.asOf ?? null, actorOf(ctx.principal));
    const jobRunId = await enqueueJob(ctx.tx, SCREEN_JOB, { runId }, 'manual', actorOf(ctx.principal));
    await repo.setRunJob(ctx.tx, runId, jobRunId);
    ctx.audit.write({ action: 'childcare-subsidy.screen.request', objectType: 'cs_screening_run', objectId: runId, after: { mode, asOf: body.asOf ?? null } });
    return { runId, jobRunId, existing: false };
  },
});
