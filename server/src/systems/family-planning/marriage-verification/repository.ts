import type { Queryable } from '../../../platform/db/types.ts';
import type { Finding } from './rules.ts';
import type { CaseStatus } from './responses.ts';

export interface CaseRow {
  id: number;
  record_no: string;
  kind: 'marriage' | 'divorce';
  registered_on: string;
  husband_name: string;
  husband_birth: string | null;
  husband_id_masked: string | null;
  husband_hukou: string | null;
  wife_name: string;
  wife_birth: string | null;
  wife_id_masked: string | null;
  wife_hukou: string | null;
  husband_person_id: number | null;
  wife_person_id: number | null;
  match_detail: Record<string, unknown>;
  status: CaseStatus;
  findings: Finding[];
  manual: boolean;
  note: string | null;
  handled_by: string | null;
  handled_at: string | null;
  district_code: string;
  created_at: string;
  updated_at: string;
  marriage_id: number | null;
  marriage_own: boolean;
  written_back_at: string | null;
}

const COLS = `id::int as id, record_no, kind, registered_on::text as registered_on, husband_name, husband_birth::text as husband_birth, husband_id_masked, husband_hukou,
  wife_name, wife_birth::text as wife_birth, wife_id_masked, wife_hukou, husband_person_id::int as husband_person_id, wife_person_id::int as wife_person_id,
  match_detail, status, findings, manual, note, handled_by, handled_at, district_code, created_at, updated_at,
  marriage_id::int as marriage_id, marriage_own, written_back_at`;

export async function caseById(tx: Queryable, id: number, lock = false): Promise<CaseRow | null> {
  const [r] = await tx.query<CaseRow>(`select ${COLS} from fp_mv_case where id = $1${lock ? ' for update' : ''}`, [id]);
  return r ?? null;
}

export interface CaseFilter {
  status: string | null;
  district: string | null;
  recordNo: string | null;
  from: string | null;
  to: string | null;
  /** A party's ID number as its blind index under every blind-index key (platform/crypto unsourcedIndexMatch). */
  idNumber: { indexes: string[]; pairs: string[] } | null;
  limit: number;
  offset: number;
}

/** One page of cases (row-level security narrows it to the caller's scope). */
export async function listCases(tx: Queryable, f: CaseFilter): Promise<{ rows: CaseRow[]; total: number }> {
  const rows = await tx.query<CaseRow & { total: number }>(
    `select ${COLS}, count(*) over ()::int as total from fp_mv_case
      where ($1::text is null or status = $1) and ($2::text is null or district_code = $2) and ($3::text is null or record_no = $3)
        and ($4::date is null or registered_on >= $4) and ($5::date is null or registered_on <= $5)
        and ($8::text[] is null
          -- Each case keeps the blind-index key it was made under (id_bi_key): the index must be the value's under that key.
          or (husband_id_bi = any($8) and id_bi_key || '.' || husband_id_bi = any($9::text[]))
          or (wife_id_bi = any($8) and id_bi_key || '.' || wife_id_bi = any($9::text[])))
      order by registered_on desc, id desc limit $6 offset $7`,
    [f.status, f.district, f.recordNo, f.from, f.to, f.limit, f.offset, f.idNumber?.indexes ?? null, f.idNumber?.pairs ?? null],
  );
  return { rows, total: Number(rows[0]?.total ?? 0) };
}

export async function caseIdByRecordNo(tx: Queryable, recordNo: string): Promise<number | null> {
  const [r] = await tx.query<{ id: number }>('select id::int as id from fp_mv_case where record_no = $1', [recordNo]);
  return r?.id ?? null;
}

export interface NewCase {
  recordNo: string;
  batchId: number | null;
  kind: string;
  registeredOn: string;
  husband: { name: string; birth: string | null; idBi: string | null; idMasked: string | null; hukou: string | null; personId: number | null };
  wife: { name: string; birth: string | null; idBi: string | null; idMasked: string | null; hukou: string | null; personId: number | null };
  matchDetail: Record<string, unknown>;
  status: string;
  findings: Finding[];
  district: string;
  /** The blind-index key both idBi were made under (null when neither is set). */
  idBiKey: string | null;
}

export async function insertCase(tx: Queryable, c: NewCase): Promise<number> {
  const r = (
    await tx.query<{ id: number }>(
      `insert into fp_mv_case (record_no, batch_id, kind, registered_on, husband_name, husband_birth, husband_id_bi, husband_id_masked, husband_hukou,
        wife_name, wife_birth, wife_id_bi, wife_id_masked, wife_hukou, husband_person_id, wife_person_id, match_detail, status, findings, district_code, id_bi_key)
     values ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21) returning id::int as id`,
      [
        c.recordNo,
        c.batchId,
        c.kind,
        c.registeredOn,
        c.husband.name,
        c.husband.birth,
        c.husband.idBi,
        c.husband.idMasked,
        c.husband.hukou,
        c.wife.name,
        c.wife.birth,
        c.wife.idBi,
        c.wife.idMasked,
        c.wife.hukou,
        c.husband.personId,
        c.wife.personId,
        JSON.stringify(c.matchDetail),
        c.status,
        JSON.stringify(c.findings),
        c.district,
        c.idBiKey,
      ],
    )
  )[0]!;
  return r.id;
}

export async function updateCase(
  tx: Queryable,
  id: number,
  set: {
    status: string;
    note: string | null;
    handledBy: string;
    husbandPersonId?: number | null;
    wifePersonId?: number | null;
    matchDetail?: Record<string, unknown>;
  },
): Promise<void> {
  await tx.query(
    `update fp_mv_case set status = $2, note = $3, handled_by = $4, handled_at = now(), manual = true, updated_at = now(),
        husband_person_id = coalesce($5, husband_person_id), wife_person_id = coalesce($6, wife_person_id), match_detail = coalesce($7::jsonb, match_detail)
      where id = $1`,
    [id, set.status, set.note, set.handledBy, set.husbandPersonId ?? null, set.wifePersonId ?? null, set.matchDetail ? JSON.stringify(set.matchDetail) : null],
  );
}

export async function insertLog(
  tx: Queryable,
  l: { caseId: number; recordNo: string; kind: 'match' | 'audit' | 'manual'; status: string; detail: unknown; actor: string; district: string },
): Promise<void> {
  await tx.query('insert into fp_mv_log (case_id, record_no, kind, status, detail, actor, district_code) values ($1,$2,$3,$4,$5,$6,$7)', [
    l.caseId,
    l.recordNo,
    l.kind,
    l.status,
    JSON.stringify(l.detail),
    l.actor,
    l.district,
  ]);
}

/**
 * Active marriages of either person with someone else on `on`: matched/confirmed 民政 cases not followed
 * by a divorce case of that pair, and the marriages of the birth-verification module (fp_marriage; read
 * directly because that module exports no marriage query — a conflict check only, no identities leave).
 */
export async function conflictingMarriages(tx: Queryable, husbandId: number, wifeId: number, on: string, exceptCase: number | null): Promise<number> {
  const r = (
    await tx.query<{ n: number }>(
      `select (
       (select count(*) from fp_mv_case c
         where c.kind = 'marriage' and c.status in ('matched', 'confirmed') and c.id <> coalesce($4, 0) and c.registered_on <= $3
           and (c.husband_person_id = $1 or c.wife_person_id = $2 or c.husband_person_id = $2 or c.wife_person_id = $1)
           and not (c.husband_person_id = $1 and c.wife_person_id = $2)
           and not exists (select 1 from fp_mv_case d where d.kind = 'divorce' and d.status in ('matched', 'confirmed') and d.registered_on >= c.registered_on and d.registered_on <= $3
                            and d.husband_person_id = c.husband_person_id and d.wife_person_id = c.wife_person_id))
       + (select count(*) from fp_marriage m
           where (m.husband_person_id = $1 or m.wife_person_id = $2) and not (m.husband_person_id = $1 and m.wife_person_id = $2)
             and m.registered_on <= $3 and (m.dissolved_on is null or m.dissolved_on > $3))
     )::int as n`,
      [husbandId, wifeId, on, exceptCase],
    )
  )[0]!;
  return r.n;
}

/** Whether a marriage of the pair is known (for a divorce). */
export async function marriageOfPairKnown(tx: Queryable, husbandId: number, wifeId: number, on: string): Promise<boolean> {
  const r = (
    await tx.query<{ ok: boolean }>(
      `select exists (select 1 from fp_mv_case where kind = 'marriage' and status in ('matched', 'confirmed') and husband_person_id = $1 and wife_person_id = $2 and registered_on <= $3)
         or exists (select 1 from fp_marriage where husband_person_id = $1 and wife_person_id = $2 and registered_on <= $3) as ok`,
      [husbandId, wifeId, on],
    )
  )[0]!;
  return r.ok;
}
