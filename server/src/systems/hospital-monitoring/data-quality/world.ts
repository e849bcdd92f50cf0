import type { WorldContext, WorldStage } from '../../../platform/world/types.ts';

/**
 * Demo-world stage: data-quality defects planted into the hospital data the compliance stage generated,
 * each recorded as ground truth (stage `data-quality`, kind = the built-in rule's `planted`):
 * - missing_discharge (hm_encounter): an outpatient/emergency visit without its 离院 date;
 * - malformed_icd (hm_diagnosis): an ICD-10 code without its dot, with a full-width 。 or a trailing space;
 * - fee_outside_stay (hm_fee_line): a fee dated days before the visit;
 * - unknown_practitioner (hm_fee_line): a fee whose ordering doctor id is in no practitioner register.
 * Defects avoid what compliance rules judge (B超/护理/耗材/抗菌药物 lines, O-chapter diagnoses, encounters
 * with antibiotics) so the compliance ground truth stays exact; each planted encounter carries one defect.
 */
export const STAGE = 'data-quality';
const RATE = 0.002;
const SAFE_ITEMS = ['L001', 'L002', 'X001', 'T001', 'D001', 'D002'];
const UNKNOWN_DOCTOR_BASE = 990_000_000;

export const dataQualityWorld: WorldStage = {
  name: STAGE,
  order: 45,
  title: '数据质量缺陷（植入，用于自检校验）',
  run: plantDefects,
};

function sample<T>(rng: ReturnType<WorldContext['rng']>, items: T[], n: number): T[] {
  const pool = [...items];
  const out: T[] = [];
  while (out.length < n && pool.length) out.push(pool.splice(rng.int(0, pool.length - 1), 1)[0]!);
  return out;
}

async function plantDefects(ctx: WorldContext): Promise<void> {
  const { db } = ctx;
  const rng = ctx.rng(STAGE);
  const { n: encounters } = (await db.query<{ n: number }>('select count(*)::int as n from hm_encounter'))[0]!;
  if (encounters === 0) return;
  const n = Math.max(3, Math.round(encounters * RATE));
  const used = new Set<number>();
  const truths: { kind: string; type: string; id: number }[] = [];

  // Encounters with antibiotics are left alone (a changed diagnosis would change the antibiotic rule's answer).
  const visits = await db.query<{ id: number }>(
    `select e.id::int as id from hm_encounter e where e.kind in ('outpatient', 'emergency') and e.discharged_on is not null
       and not exists (select 1 from hm_fee_line f where f.encounter_id = e.id and f.item_code not in (${SAFE_ITEMS.map((c) => `'${c}'`).join(', ')}))
     order by e.id`,
  );
  for (const v of sample(rng, visits, n)) {
    used.add(v.id);
    await db.query('update hm_encounter set discharged_on = null where id = $1', [v.id]);
    truths.push({ kind: 'missing_discharge', type: 'hm_encounter', id: v.id });
  }

  const dx = await db.query<{ id: number; encounter_id: number; icd_code: string }>(
    `select d.id::int as id, d.encounter_id::int as encounter_id, d.icd_code from hm_diagnosis d
      where d.icd_code ~ '^[A-NP-Z][0-9]{2}\\.[0-9A-Z]{1,4}$'
        and not exists (select 1 from hm_fee_line f where f.encounter_id = d.encounter_id and f.item_code = 'M002')
      order by d.id`,
  );
  for (const d of sample(
    rng,
    dx.filter((x) => !used.has(x.encounter_id)),
    n,
  )) {
    used.add(d.encounter_id);
    const variant = rng.pick(['nodot', 'fullwidth', 'space'] as const);
    const bad = variant === 'nodot' ? d.icd_code.replace('.', '') : variant === 'fullwidth' ? d.icd_code.replace('.', '。') : `${d.icd_code} `;
    await db.query('update hm_diagnosis set icd_code = $2 where id = $1', [d.id, bad]);
    truths.push({ kind: 'malformed_icd', type: 'hm_diagnosis', id: d.id });
  }

  const fees = await db.query<{ id: number; encounter_id: number }>(
    `select f.id::int as id, f.encounter_id::int as encounter_id from hm_fee_line f join hm_encounter e on e.id = f.encounter_id
      where f.item_code = any($1::text[]) and e.discharged_on is not null and f.charged_on = e.admitted_on order by f.id`,
    [SAFE_ITEMS],
  );
  const free = fees.filter((f) => !used.has(f.encounter_id));
  const picked = sample(rng, free, 2 * n);
  for (const [i, f] of picked.entries()) {
    if (used.has(f.encounter_id)) continue;
    used.add(f.encounter_id);
    if (i % 2 === 0) {
      await db.query('update hm_fee_line set charged_on = charged_on - $2::int where id = $1', [f.id, rng.int(3, 30)]);
      truths.push({ kind: 'fee_outside_stay', type: 'hm_fee_line', id: f.id });
    } else {
      await db.query('update hm_fee_line set practitioner_id = $2 where id = $1', [f.id, UNKNOWN_DOCTOR_BASE + i]);
      truths.push({ kind: 'unknown_practitioner', type: 'hm_fee_line', id: f.id });
    }
  }
  for (const t of truths) await ctx.truth(STAGE, t.kind, t.type, String(t.id));
  ctx.progress('数据质量缺陷', truths.length, truths.length);
}
