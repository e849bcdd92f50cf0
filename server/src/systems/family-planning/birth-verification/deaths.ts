import { pageOf, Paging } from '../../../platform/http/schema.ts';
import { Type } from '@sinclair/typebox';
import type { AuditBuffer } from '../../../platform/audit/event.ts';
import type { KeyRing } from '../../../platform/crypto/keyring.ts';
import type { Queryable } from '../../../platform/db/types.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { maskResidentId } from '../../../platform/util/resident-id.ts';
import { normalizeIdNumber, queueDeathFollowUp, recordFeedDeath } from '../../common/resident-index/service.ts';
import { normaliseDate } from './clean.ts';
import { DeathReportList } from './responses.ts';

export interface DeathCounts {
  deaths: number;
  deathsRecorded: number;
  deathsRepeated: number;
}

const str = (v: unknown) =>
  v === null || v === undefined
    ? ''
    : String(v)
        .replace(/[\uff10-\uff19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
        .trim();
const mask = (id: string) => (/^\d{17}[\dX]$/.test(id) ? maskResidentId(id) : id ? `${id.slice(0, 2)}****` : '');

/**
 * 市妇幼 death reports of one day, inside the intake's transaction: each new 报告卡编号 is kept (fp_mch_death)
 * and goes to the resident index as a death from 市妇幼 — matched by 证件号码, or for a newborn without one by
 * the 出生医学证明编号 of its birth record, and the name. A report already received is skipped, so a re-pull
 * changes nothing. Deaths recorded → the family-doctor follow-up is queued (the contracted doctor's 死亡核实
 * task and notification).
 */
export async function ingestDeaths(
  c: {
    tx: Queryable;
    keys: KeyRing;
    audit: AuditBuffer;
    batchId: number;
    actor: string /** false in the demo world (it queues no job runs; the first start runs the scan once). */;
    followUp?: boolean;
  },
  records: readonly Record<string, unknown>[],
): Promise<DeathCounts> {
  const out: DeathCounts = { deaths: 0, deathsRecorded: 0, deathsRepeated: 0 };
  for (const raw of records) {
    const no = str(raw.BGKBH);
    if (!no) continue; // a report without its number cannot be told apart from a re-send: the centre re-sends it numbered
    const [seen] = await c.tx.query('select 1 from fp_mch_death where report_no = $1', [no]);
    if (seen) {
      out.deathsRepeated++;
      continue;
    }
    out.deaths++;
    const id = normalizeIdNumber(str(raw.ZJHM));
    const certificate = str(raw.CSYXZMBH);
    const name = str(raw.XM).replace(/\s+/g, '');
    const deathDate = normaliseDate(raw.SWRQ);
    let personId: number | null = null;
    if (!id && certificate) {
      const [b] = await c.tx.query<{ id: number }>('select child_person_id::int as id from fp_birth_record where certificate_no = $1 order by id limit 1', [
        certificate,
      ]);
      personId = b?.id ?? null;
    }
    const r = !deathDate
      ? { outcome: 'invalid' as const, personId: null, districtCode: null, streetCode: null, message: '死亡日期缺失或无效' }
      : !id && !personId && certificate
        ? { outcome: 'not_found' as const, personId: null, districtCode: null, streetCode: null, message: '无证件号码，出生医学证明编号也未对应到出生记录' }
        : await recordFeedDeath(
            { tx: c.tx, kernel: { keys: c.keys }, audit: c.audit },
            { source: 'mch', idNumber: id, personId, name, deathDate, reference: `死亡报告卡 ${no}` },
          );
    if (r.outcome === 'recorded') out.deathsRecorded++;
    await c.tx.query(
      `insert into fp_mch_death (batch_id, report_no, category, name, id_masked, certificate_no, death_date, person_id, outcome, message, district_code, street_code)
       values ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)`,
      [
        c.batchId,
        no,
        str(raw.SWLB) === '2' ? 'maternal' : 'child',
        name,
        mask(id) || null,
        certificate || null,
        deathDate,
        r.personId,
        r.outcome,
        r.message,
        r.districtCode,
        r.streetCode,
      ],
    );
  }
  if (out.deathsRecorded > 0 && c.followUp !== false) await queueDeathFollowUp(c.tx, c.actor);
  return out;
}

const DeathQuery = Type.Object({ ...Paging }, { additionalProperties: false });

/** 市妇幼死亡报告 received (identity numbers masked) and what became of each, under the caller's scope. */
export const listDeathReportsRoute = defineRoute({
  method: 'GET',
  url: '/birth-verification/death-reports',
  summary: '市妇幼死亡报告接收情况（证件号已脱敏；登记入居民主索引的结果）',
  tags: ['计划生育'],
  auth: 'staff',
  permission: 'birth-verification.read',
  querystring: DeathQuery,
  response: { 200: DeathReportList },
  handler: async (ctx, { query }) => {
    const { limit, offset } = pageOf(query);
    const rows = await ctx.tx.query<Record<string, unknown>>(
      `select id::int as id, batch_id::int as batch_id, report_no, category, name, id_masked, certificate_no, death_date, outcome, message, created_at, count(*) over ()::int as total
         from fp_mch_death order by id desc limit $1 offset $2`,
      [limit, offset],
    );
    ctx.audit.read({ action: 'birth-verification.death-reports.list', objectType: 'fp_mch_death', objectId: null, note: `${rows.length} 条` });
    return {
      items: rows.map((r) => ({
        id: r.id,
        batchId: r.batch_id,
        reportNo: r.report_no,
        category: r.category,
        name: r.name,
        idNumberMasked: r.id_masked,
        certificateNo: r.certificate_no,
        deathDate: r.death_date,
        outcome: r.outcome,
        message: r.message,
        receivedAt: r.created_at,
      })),
      total: Number(rows[0]?.total ?? 0),
      page: query.page ?? 1,
      pageSize: limit,
    };
  },
});
