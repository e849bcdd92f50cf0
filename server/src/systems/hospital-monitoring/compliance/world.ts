import { maskName } from '../../../platform/util/resident-id.ts';
import { dateOfDay, dayNumber } from '../../../platform/world/identity.ts';
import { WeightedTable } from '../../../platform/world/rng.ts';
import type { WorldContext, WorldStage } from '../../../platform/world/types.ts';
import { ITEM_CODES, TECH_CODES } from './catalog.ts';

/**
 * Demo-world stage of hospital treatment and fee data: encounters (≈ one per resident), their fee lines
 * (≈ 2.5 per encounter: ~50,000 for 20,000 residents; the number of residents is the scale), diagnoses,
 * procedures and the practitioners' surgery-grade and restricted-technology authorizations, over the 24
 * months before the world's date. Planted violations, each recorded as ground truth (`compliance`, kind):
 * - ultrasound_over_limit (hm_fee_line): a patient charged B超 3 times in one day — every B超 line of that
 *   patient-day is a truth row (the window's rows are what the rule reports);
 * - exclusive_items (hm_fee_line): 一级护理 and 特级护理 charged on the same day of one stay (both lines);
 * - restricted_tech_unauthorized (hm_procedure): a restricted technology by a surgeon not authorised for it;
 * - surgery_over_grade (hm_procedure): an operation above the surgeon's authorised grade;
 * - pregnancy_diagnosis_male (hm_diagnosis): a pregnancy diagnosis (ICD O*) for a male patient.
 * Clean data never does any of these, so the built-in rules can be measured against the truth exactly.
 * Encounters are generated and copied in chunks: memory stays flat whatever the scale.
 */
export const STAGE = 'compliance';

const ENCOUNTER_COLUMNS = ['id', 'institution_id', 'district_code', 'department_id', 'practitioner_id', 'person_id', 'patient_mask', 'patient_sex', 'kind', 'admitted_on', 'discharged_on'] as const;
const FEE_COLUMNS = ['id', 'encounter_id', 'institution_id', 'district_code', 'practitioner_id', 'item_code', 'item_name', 'category', 'qty', 'unit_price', 'amount', 'charged_on'] as const;
const DIAGNOSIS_COLUMNS = ['id', 'encounter_id', 'institution_id', 'district_code', 'icd_code', 'icd_name', 'is_primary', 'diagnosed_on'] as const;
const PROCEDURE_COLUMNS = ['id', 'encounter_id', 'institution_id', 'district_code', 'surgeon_id', 'procedure_code', 'procedure_name', 'surgery_grade', 'tech_code', 'performed_on'] as const;
const AUTH_COLUMNS = ['id', 'practitioner_id', 'institution_id', 'district_code', 'kind', 'tech_code', 'max_grade', 'valid_from', 'valid_to'] as const;

export const complianceWorld: WorldStage = {
  name: STAGE,
  order: 40,
  title: '医院诊疗与收费数据（含植入的违规）',
  tables: [
    { table: 'hm_practitioner_authorization', orderBy: 'id', columns: AUTH_COLUMNS },
    { table: 'hm_encounter', orderBy: 'id', columns: ENCOUNTER_COLUMNS },
    { table: 'hm_fee_line', orderBy: 'id', columns: FEE_COLUMNS },
    { table: 'hm_diagnosis', orderBy: 'id', columns: DIAGNOSIS_COLUMNS },
    { table: 'hm_procedure', orderBy: 'id', columns: PROCEDURE_COLUMNS },
  ],
  run: generateHospitalData,
};

/** Planting rates (per eligible encounter / procedure). */
export const PLANT = { ultrasound: 0.004, exclusive: 0.03, tech: 0.05, grade: 0.05, pregnancy: 0.003 } as const;

const GRADE_BY_TITLE: Record<string, number> = { 主任医师: 4, 副主任医师: 3, 主治医师: 2, 医师: 1 };
const PRICE: Record<string, [string, number]> = {
  D001: ['诊察', 25], D002: ['诊察', 40], B001: ['检查', 150], L001: ['化验', 20], L002: ['化验', 60], X001: ['检查', 300],
  N001: ['护理', 25], N002: ['护理', 100], W001: ['床位', 60], M001: ['药品', 0], S001: ['手术', 0], T001: ['治疗', 15],
};
const EXTRAS = ['L001', 'L002', 'X001', 'M001', 'T001'] as const;
const DIAGNOSES: [string, string][] = [
  ['J06.9', '急性上呼吸道感染'], ['I10', '原发性高血压'], ['E11.9', '2型糖尿病'], ['K29.7', '胃炎'], ['M54.5', '腰痛'], ['N39.0', '尿路感染'],
  ['J18.9', '肺炎'], ['I25.1', '动脉粥样硬化性心脏病'],
];
const PREGNANCY: [string, string] = ['O80.0', '单胎顺产'];
const PROCEDURES: [string, string][] = [['47.0901', '阑尾切除术'], ['51.2301', '腹腔镜胆囊切除术'], ['81.5101', '全髋关节置换术'], ['36.0601', '冠状动脉支架置入术']];
const TECHS = Object.keys(TECH_CODES);

interface Doctor {
  id: number;
  department: number | null;
  maxGrade: number;
  techs: string[];
}
interface Hospital {
  id: number;
  district: string;
  departments: number[];
  doctors: Doctor[];
}
interface Patient {
  id: number;
  mask: string;
  sex: 'M' | 'F' | 'U';
}

async function generateHospitalData(ctx: WorldContext): Promise<void> {
  const { db } = ctx;
  const rng = ctx.rng(STAGE);
  const hospitals = await loadHospitals(ctx);
  if (hospitals.length === 0) return;
  const patients = (await db.query<{ id: number; name: string; sex: 'M' | 'F' | 'U' }>('select id::int as id, name, sex from person order by id')).map(
    (p): Patient => ({ id: p.id, mask: maskName(p.name), sex: p.sex }),
  );

  // Authorizations: every doctor's surgery grade (by title); a third of senior doctors one restricted technology.
  const auths: unknown[][] = [];
  for (const h of hospitals) {
    for (const d of h.doctors) {
      auths.push([auths.length + 1, d.id, h.id, h.district, 'surgery', null, d.maxGrade, '2020-01-01', '2030-12-31']);
      if (d.maxGrade >= 3 && rng.chance(0.33)) {
        const t = rng.pick(TECHS);
        d.techs.push(t);
        auths.push([auths.length + 1, d.id, h.id, h.district, 'tech', t, null, '2020-01-01', '2030-12-31']);
      }
    }
  }
  await db.copyRows('hm_practitioner_authorization', AUTH_COLUMNS, auths);

  const hospitalTable = new WeightedTable(hospitals.map((h) => [h, h.doctors.length] as const));
  const pickHospital = () => hospitalTable.draw(rng);

  const asOfDay = dayNumber(ctx.asOf);
  const firstDay = asOfDay - 729;
  const total = Math.max(1, ctx.residents);
  const ids = { encounter: 0, fee: 0, diagnosis: 0, procedure: 0 };

  // B超 lines per patient-day (to keep clean data at ≤ 2 and to report whole planted windows).
  const ultrasound = new Map<string, number[]>();
  const plantedDays = new Set<string>();
  const truths: { kind: string; type: string; id: number }[] = [];

  const CHUNK = 5000;
  for (let start = 0; start < total; start += CHUNK) {
    const enc: unknown[][] = [];
    const fees: unknown[][] = [];
    const dx: unknown[][] = [];
    const procs: unknown[][] = [];
    for (let i = start; i < Math.min(total, start + CHUNK); i++) {
      const h = pickHospital();
      const doc = rng.pick(h.doctors);
      const dept = doc.department ?? (h.departments.length ? rng.pick(h.departments) : null);
      const patient = rng.chance(0.03) ? null : rng.pick(patients);
      const r = rng.next();
      const kind = r < 0.82 ? 'outpatient' : r < 0.9 ? 'emergency' : 'inpatient';
      const day = firstDay + rng.int(0, 729);
      const los = kind === 'inpatient' ? rng.int(2, 12) : 0;
      const date = dateOfDay(day);
      const encId = ++ids.encounter;
      enc.push([encId, h.id, h.district, dept, doc.id, patient?.id ?? null, patient?.mask ?? null, patient?.sex ?? null, kind, date, dateOfDay(Math.min(day + los, asOfDay + 30))]);

      const fee = (code: string, qty: number, price?: number) => {
        const [category, base] = PRICE[code];
        const unit = price ?? base;
        const id = ++ids.fee;
        fees.push([id, encId, h.id, h.district, doc.id, code, ITEM_CODES[code], category, qty.toFixed(2), unit.toFixed(2), (qty * unit).toFixed(2), date]);
        return id;
      };

      if (kind === 'inpatient') {
        fee('W001', los);
        fee('M001', 1, rng.int(50, 2000));
        const n = rng.next();
        const nursing = n < 0.7 ? 'N001' : n < 0.8 ? 'N002' : null;
        const nursingLine = nursing ? fee(nursing, los) : null;
        if (rng.chance(PLANT.exclusive)) {
          const other = nursing === 'N001' ? 'N002' : 'N001';
          const added = [fee(other, 1)];
          if (!nursing) added.push(fee('N002', 1));
          for (const id of [...(nursingLine ? [nursingLine] : []), ...added]) truths.push({ kind: 'exclusive_items', type: 'hm_fee_line', id });
        }
        if (rng.chance(0.35)) {
          const [code, name] = rng.pick(PROCEDURES);
          let grade = rng.int(1, doc.maxGrade);
          let tech: string | null = doc.techs.length && rng.chance(0.3) ? rng.pick(doc.techs) : null;
          let planted: string | null = null;
          if (doc.maxGrade < 4 && rng.chance(PLANT.grade)) {
            grade = doc.maxGrade + 1;
            tech = null;
            planted = 'surgery_over_grade';
          } else if (rng.chance(PLANT.tech)) {
            tech = rng.pick(TECHS.filter((t) => !doc.techs.includes(t)));
            planted = 'restricted_tech_unauthorized';
          }
          const pid = ++ids.procedure;
          procs.push([pid, encId, h.id, h.district, doc.id, code, tech ? `${name}（${TECH_CODES[tech]}）` : name, grade, tech, date]);
          fee('S001', 1, 500 * grade + (tech ? 3000 : 0));
          if (planted) truths.push({ kind: planted, type: 'hm_procedure', id: pid });
        }
      } else {
        fee(kind === 'emergency' ? 'D002' : 'D001', 1);
        for (let k = rng.int(0, 2); k > 0; k--) {
          const code = rng.pick(EXTRAS);
          fee(code, 1, code === 'M001' ? rng.int(10, 300) : undefined);
        }
        const pd = patient ? `${patient.id}|${day}` : null;
        const lines = pd ? (ultrasound.get(pd) ?? []) : [];
        if (pd && kind === 'outpatient' && rng.chance(PLANT.ultrasound)) {
          for (let k = 0; k < 3; k++) lines.push(fee('B001', 1));
          plantedDays.add(pd);
          ultrasound.set(pd, lines);
        } else if (rng.chance(0.12) && (!pd || (lines.length < 2 && !plantedDays.has(pd)))) {
          const id = fee('B001', 1);
          if (pd) ultrasound.set(pd, [...lines, id]);
        }
      }

      let diagnosis = rng.pick(DIAGNOSES);
      if (patient?.sex === 'F' && kind === 'inpatient' && rng.chance(0.1)) diagnosis = PREGNANCY;
      const did = ++ids.diagnosis;
      if (patient?.sex === 'M' && rng.chance(PLANT.pregnancy)) {
        diagnosis = PREGNANCY;
        truths.push({ kind: 'pregnancy_diagnosis_male', type: 'hm_diagnosis', id: did });
      }
      dx.push([did, encId, h.id, h.district, diagnosis[0], diagnosis[1], true, date]);
    }
    await db.copyRows('hm_encounter', ENCOUNTER_COLUMNS, enc);
    await db.copyRows('hm_fee_line', FEE_COLUMNS, fees);
    await db.copyRows('hm_diagnosis', DIAGNOSIS_COLUMNS, dx);
    await db.copyRows('hm_procedure', PROCEDURE_COLUMNS, procs);
    ctx.progress('就诊', Math.min(total, start + CHUNK), total);
  }
  for (const t of ['hm_practitioner_authorization', 'hm_encounter', 'hm_fee_line', 'hm_diagnosis', 'hm_procedure']) {
    await db.query(`select setval(pg_get_serial_sequence('${t}', 'id'), greatest((select max(id) from ${t}), 1))`);
  }
  for (const pd of [...plantedDays].sort()) {
    for (const id of ultrasound.get(pd) ?? []) truths.push({ kind: 'ultrasound_over_limit', type: 'hm_fee_line', id });
  }
  for (const t of truths) await ctx.truth(STAGE, t.kind, t.type, String(t.id));
}

async function loadHospitals(ctx: WorldContext): Promise<Hospital[]> {
  const insts = await ctx.db.query<{ id: number; district_code: string }>(
    `select id::int as id, district_code from institution where kind <> 'chc' and active order by id`,
  );
  const depts = await ctx.db.query<{ id: number; institution_id: number }>('select id::int as id, institution_id::int as institution_id from department order by id');
  const docs = await ctx.db.query<{ id: number; institution_id: number; department_id: number | null; title: string | null }>(
    `select id::int as id, institution_id::int as institution_id, department_id::int as department_id, title from practitioner
      where active and title = any($1::text[]) order by id`,
    [Object.keys(GRADE_BY_TITLE)],
  );
  const byId = new Map<number, Hospital>(insts.map((i) => [i.id, { id: i.id, district: i.district_code, departments: [], doctors: [] }]));
  for (const d of depts) byId.get(d.institution_id)?.departments.push(d.id);
  for (const d of docs) byId.get(d.institution_id)?.doctors.push({ id: d.id, department: d.department_id, maxGrade: GRADE_BY_TITLE[d.title ?? '医师'] ?? 1, techs: [] });
  return [...byId.values()].filter((h) => h.doctors.length > 0);
}
