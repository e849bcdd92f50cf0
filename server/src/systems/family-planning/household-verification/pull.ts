import { Type } from '@sinclair/typebox';
import type { AuditBuffer } from '../../../platform/audit/event.ts';
import type { Queryable, Tx } from '../../../platform/db/types.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { enqueueJobOnce } from '../../../platform/jobs/enqueue.ts';
import type { JobDef } from '../../../platform/jobs/types.ts';
import type { Kernel } from '../../../platform/kernel.ts';
import { todayInShanghai } from '../../../platform/rules/dates.ts';
import { maskResidentId } from '../../../platform/util/resident-id.ts';
import { normalizeIdNumber } from '../../common/resident-index/service.ts';
import { type PullOptions, pullAll } from '../../../platform/integration/data-platform-source.ts';
import { compare, type Newborn, parseNewborn, parseRegistration } from './compare.ts';
import { ingestDeaths } from './deaths.ts';
import { loadMapper } from './mapping.ts';
import { PullRequested } from './responses.ts';

export const PULL_JOB = 'household-verification.monthly-pull';

export interface PullDeps {
  kernel: Pick<Kernel, 'keys' | 'config'>;
  transaction<T>(fn: (tx: Tx, audit: AuditBuffer) => Promise<T>): Promise<T>;
  log?: (m: string) => Promise<void>;
}

export async function writeLog(
  tx: Queryable,
  l: {
    batchId?: number | null;
    registrationId?: number | null;
    regNo?: string | null;
    kind: string;
    status: string;
    message: string;
    actor: string;
    district?: string | null;
    street?: string | null;
  },
) {
  await tx.query(
    'insert into fp_hv_log (batch_id, registration_id, reg_no, kind, status, message, actor, district_code, street_code) values ($1,$2,$3,$4,$5,$6,$7,$8,$9)',
    [l.batchId ?? null, l.registrationId ?? null, l.regNo ?? null, l.kind, l.status, l.message, l.actor, l.district ?? null, l.street ?? null],
  );
}

const mask = (id: string | null) => (id ? (/^\d{17}[\dX]$/.test(id) ? maskResidentId(id) : `${id.slice(0, 2)}****`) : null);
const previousMonth = (today: string) => {
  const [y, m] = today.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
};

/**
 * One month of 公安 birth registrations and the newborn library: pull both (outside any transaction), then
 * in ONE transaction map each 派出所 code to a street, distribute, compare with the library and log —
 * registrations already known are skipped (the platform re-sends). A failed pull is a failed batch.
 */
export async function runPull(deps: PullDeps, month: string, actor: string, fetch: Partial<PullOptions> = {}) {
  let regs: Record<string, unknown>[];
  let newborns: Record<string, unknown>[];
  let deaths: Record<string, unknown>[];
  const opts = { production: deps.kernel.config.env === 'production', ...fetch };
  try {
    regs = (await pullAll(deps.kernel.keys, `/api/v1/police/birth-registrations?month=${month}`, '公安报出生户口数据', opts)).records;
    newborns = (await pullAll(deps.kernel.keys, `/api/v1/population/newborns?month=${month}`, '新生儿人口库数据', opts)).records;
    deaths = (await pullAll(deps.kernel.keys, `/api/v1/police/death-deregistrations?month=${month}`, '公安死亡注销户口数据', opts)).records;
  } catch (e) {
    const message = (e instanceof Error ? e.message : String(e)).slice(0, 1000);
    await deps.transaction(async (tx, audit) => {
      const b = (
        await tx.query<{ id: number }>(
          `insert into fp_hv_batch (month, status, error, requested_by, finished_at) values ($1, 'failed', $2, $3, now()) returning id::int as id`,
          [month, message, actor],
        )
      )[0]!;
      await writeLog(tx, { batchId: b.id, kind: 'pull', status: 'failed', message, actor });
      audit.write({ action: 'household-verification.pull.failed', objectType: 'fp_hv_batch', objectId: b.id, note: message.slice(0, 200) });
    });
    await deps.log?.(message);
    throw e;
  }
  const out = await deps.transaction(async (tx, audit) => {
    const b = (await tx.query<{ id: number }>('insert into fp_hv_batch (month, requested_by) values ($1, $2) returning id::int as id', [month, actor]))[0]!;
    const c = { fetched: regs.length, created: 0, duplicates: 0, distributed: 0, unmapped: 0, matched: 0, mismatched: 0, missing: 0, rejected: 0 };
    const library = new Map<string, Newborn>();
    for (const r of newborns) {
      const nb = parseNewborn(r);
      if (nb) library.set(nb.regNo, nb);
    }
    const mapper = await loadMapper(tx);
    for (const raw of regs) {
      const parsed = parseRegistration(raw);
      if ('errors' in parsed) {
        c.rejected++;
        await writeLog(tx, {
          batchId: b.id,
          regNo: String(raw.CSDJH ?? '') || null,
          kind: 'exception',
          status: 'rejected',
          message: parsed.errors.map((e) => e.message).join('；'),
          actor,
        });
        continue;
      }
      const reg = parsed.reg;
      const [dup] = await tx.query('select 1 from fp_hv_registration where reg_no = $1', [reg.regNo]);
      if (dup) {
        c.duplicates++;
        continue;
      }
      const m = mapper.map(reg.policeCode, reg.policeName);
      const cmp = compare(reg, library.get(reg.regNo));
      const district = m?.districtCode ?? reg.policeCode.slice(0, 6);
      const street = m?.streetCode ?? null;
      const row = (
        await tx.query<{ id: number }>(
          `insert into fp_hv_registration (batch_id, month, reg_no, child_name, sex, birth_date, child_id_bi, child_id_masked, police_code, police_name, mother_name, mother_id_masked,
            father_name, father_id_masked, registered_on, map_method, distribution, distributed_at, newborn, match_status, differences, district_code, street_code, child_id_bi_key)
         values ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24) returning id::int as id`,
          [
            b.id,
            month,
            reg.regNo,
            reg.name,
            reg.sex,
            reg.birthDate,
            reg.childId ? deps.kernel.keys.blindIndex(normalizeIdNumber(reg.childId), 'person.id_number') : null,
            mask(reg.childId),
            reg.policeCode,
            reg.policeName,
            reg.motherName,
            mask(reg.motherId),
            reg.fatherName,
            mask(reg.fatherId),
            reg.registeredOn,
            m?.method ?? null,
            m ? 'distributed' : 'unmapped',
            m ? new Date().toISOString() : null,
            library.has(reg.regNo) ? JSON.stringify(library.get(reg.regNo)) : null,
            cmp.status,
            JSON.stringify(cmp.differences),
            district,
            street,
            // The key the index was made under: it is never rebuilt (no sealed source), so it keeps that key.
            reg.childId ? deps.kernel.keys.blindIndexKeyId : null,
          ],
        )
      )[0]!;
      c.created++;
      if (m) {
        c.distributed++;
        await writeLog(tx, {
          batchId: b.id,
          registrationId: row.id,
          regNo: reg.regNo,
          kind: 'distribute',
          status: 'distributed',
          message: `按${m.method === 'code' ? '代码' : m.method === 'name' ? '名称' : '人工映射'}分发至街道 ${m.streetCode}`,
          actor,
          district,
          street,
        });
      } else {
        c.unmapped++;
        await writeLog(tx, {
          batchId: b.id,
          registrationId: row.id,
          regNo: reg.regNo,
          kind: 'exception',
          status: 'unmapped',
          message: `派出所代码 ${reg.policeCode}（${reg.policeName}）未能对应街道，待维护映射`,
          actor,
          district,
        });
      }
      if (cmp.status === 'matched') c.matched++;
      else if (cmp.status === 'mismatch') c.mismatched++;
      else c.missing++;
      await writeLog(tx, {
        batchId: b.id,
        registrationId: row.id,
        regNo: reg.regNo,
        kind: 'match',
        status: cmp.status,
        actor,
        district,
        street,
        message:
          cmp.status === 'matched'
            ? '与新生儿人口库一致'
            : cmp.status === 'missing'
              ? '新生儿人口库中无此出生登记号'
              : `与新生儿人口库不一致：${cmp.differences.map((d) => `${d.title}（公安 ${d.police}，人口库 ${d.newborn}）`).join('；')}`,
      });
    }
    const d = await ingestDeaths(
      {
        tx,
        keys: deps.kernel.keys,
        audit,
        batchId: b.id,
        actor,
        log: (l) =>
          writeLog(tx, { batchId: b.id, regNo: l.regNo, kind: 'death', status: l.status, message: l.message, actor, district: l.district, street: l.street }),
      },
      deaths,
    );
    await tx.query(
      `update fp_hv_batch set status = 'done', fetched = $2, created = $3, duplicates = $4, distributed = $5, unmapped = $6, matched = $7, mismatched = $8, missing = $9, rejected = $10,
              deaths = $11, deaths_recorded = $12, finished_at = now() where id = $1`,
      [b.id, c.fetched, c.created, c.duplicates, c.distributed, c.unmapped, c.matched, c.mismatched, c.missing, c.rejected, d.deaths, d.deathsRecorded],
    );
    const matchRate = c.created ? c.matched / c.created : 0;
    await writeLog(tx, {
      batchId: b.id,
      kind: 'pull',
      status: 'done',
      actor,
      message: `${month}：拉取 ${c.fetched} 条，新增 ${c.created}，分发 ${c.distributed}，未映射 ${c.unmapped}，匹配率 ${(matchRate * 100).toFixed(1)}%；死亡注销新收 ${d.deaths} 条，登记死亡 ${d.deathsRecorded}`,
    });
    audit.write({ action: 'household-verification.pull', objectType: 'fp_hv_batch', objectId: b.id, after: { month, ...c, ...d } });
    return { batchId: b.id, ...c, ...d };
  });
  await deps.log?.(`公安报出生户口 ${month}：新增 ${out.created}，分发 ${out.distributed}，未映射 ${out.unmapped}`);
  return out;
}

export const pullJob: JobDef = {
  name: PULL_JOB,
  title: '公安报出生户口信息每月拉取、映射与分发',
  defaultCron: '0 6 2 * *',
  defaultEnabled: true,
  retries: 3,
  backoffSeconds: 600,
  handler: async (ctx, payload) => {
    const month = typeof payload.month === 'string' ? payload.month : previousMonth(todayInShanghai());
    return runPull(
      { kernel: ctx.kernel, transaction: (fn) => ctx.transaction(fn), log: (m) => ctx.log(m) },
      month,
      typeof payload.requestedBy === 'string' ? payload.requestedBy : 'system',
    );
  },
};

export const runPullRoute = defineRoute({
  method: 'POST',
  url: '/household-verification/pull-runs',
  summary: '立即拉取指定月份的公安报出生户口数据（排入后台任务）',
  tags: ['计划生育'],
  auth: 'staff',
  permission: 'household-verification.pull',
  scope: 'city',
  body: Type.Object(
    { month: Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', maxLength: 7, description: '月份 YYYY-MM' }) },
    { additionalProperties: false },
  ),
  successStatus: 201,
  response: { 201: PullRequested },
  handler: async (ctx, { body }) => {
    const { runId: jobRunId, existing } = await enqueueJobOnce(
      ctx.tx,
      PULL_JOB,
      { month: body.month, requestedBy: ctx.principal.username },
      'manual',
      ctx.principal.username,
    );
    ctx.audit.write({ action: 'household-verification.pull.request', objectType: 'job_run', objectId: jobRunId, after: { month: body.month, existing } });
    return { jobRunId, existing };
  },
});
