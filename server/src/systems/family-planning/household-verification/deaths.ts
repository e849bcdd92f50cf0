import type { AuditBuffer } from '../../../platform/audit/event.ts';
import type { KeyRing } from '../../../platform/crypto/keyring.ts';
import type { Queryable } from '../../../platform/db/types.ts';
import { maskResidentId } from '../../../platform/util/resident-id.ts';
import { normalizeIdNumber, queueDeathFollowUp, recordFeedDeath } from '../../common/resident-index/service.ts';

/** 'YYYYMMDD' or 'YYYY-MM-DD' (the platform sends both) → a real calendar date, else null. */
export function feedDate(v: unknown): string | null {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(String(v ?? '').trim());
  if (!m) return null;
  const d = `${m[1]}-${m[2]}-${m[3]}`;
  return new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d ? d : null;
}

const str = (v: unknown) => (v === null || v === undefined ? '' : String(v).trim());
const mask = (id: string) => (/^\d{17}[\dX]$/.test(id) ? maskResidentId(id) : id ? `${id.slice(0, 2)}****` : '');

export interface DeathCounts {
  deaths: number;
  deathsRecorded: number;
  deathsRepeated: number;
}

/**
 * 公安死亡注销户口 of one pull, inside the pull's transaction: each new 注销编号 is kept (fp_hv_death) and
 * goes to the resident index as a death from 公安 (matched by 公民身份号码 and name); one already received
 * is skipped, so a re-pull changes nothing. Deaths recorded → the family-doctor follow-up is queued (the
 * contracted doctor's 死亡核实 task and notification).
 */
export async function ingestDeaths(
  c: {
    tx: Queryable;
    keys: KeyRing;
    audit: AuditBuffer;
    batchId: number;
    actor: string /** false in the demo world: a world queues no job runs (its first start runs the scan once). */;
    followUp?: boolean;
    log: (l: { regNo: string | null; status: string; message: string; district?: string | null; street?: string | null }) => Promise<void>;
  },
  records: readonly Record<string, unknown>[],
): Promise<DeathCounts> {
  const out: DeathCounts = { deaths: 0, deathsRecorded: 0, deathsRepeated: 0 };
  for (const raw of records) {
    const no = str(raw.ZXBH);
    const reason = str(raw.ZXYY);
    if (reason && reason !== '死亡') continue; // other deregistrations (迁出, 参军…) are not deaths
    if (!no) {
      await c.log({ regNo: null, status: 'rejected', message: '公安死亡注销记录缺少户口注销编号，未处理' });
      continue;
    }
    const [seen] = await c.tx.query('select 1 from fp_hv_death where dereg_no = $1', [no]);
    if (seen) {
      out.deathsRepeated++;
      continue;
    }
    out.deaths++;
    const id = normalizeIdNumber(str(raw.GMSFHM));
    const name = str(raw.XM);
    const deathDate = feedDate(raw.SWRQ);
    const r = deathDate
      ? await recordFeedDeath(
          { tx: c.tx, kernel: { keys: c.keys }, audit: c.audit },
          { source: 'police', idNumber: id, name, deathDate, reference: `户口注销 ${no}` },
        )
      : { outcome: 'invalid' as const, personId: null, districtCode: null, streetCode: null, message: '死亡日期缺失或无效' };
    if (r.outcome === 'recorded') out.deathsRecorded++;
    await c.tx.query(
      `insert into fp_hv_death (batch_id, dereg_no, name, id_masked, death_date, police_code, person_id, outcome, message, district_code, street_code)
       values ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)`,
      [c.batchId, no, name, mask(id) || null, deathDate, str(raw.SSPCSDM) || null, r.personId, r.outcome, r.message, r.districtCode, r.streetCode],
    );
    await c.log({
      regNo: no,
      status: r.outcome,
      message: `公安死亡注销 ${no}（${mask(id) || '无证件号'}）：${r.message}`,
      district: r.districtCode,
      street: r.streetCode,
    });
  }
  if (out.deathsRecorded > 0 && c.followUp !== false) await queueDeathFollowUp(c.tx, c.actor);
  return out;
}
