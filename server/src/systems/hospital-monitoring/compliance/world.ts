import { maskName } from '../../../platform/util/resident-id.ts';
import { dateOfDay, dayNumber } from '../../../platform/world/identity.ts';
import { WeightedTable } from '../../../platform/world/rng.ts';
import type { WorldContext, WorldStage } from '../../../platform/world/types.ts';
import { DOCTOR_DAILY_LIMIT, INFECTION_PREFIXES } from './builtin.ts';
import { ITEM_CODES, NEW_TECH_CODES, TECH_CODES } from './catalog.ts';

/**
 * Demo-world stage of hospital treatment and fee data for the ~300 hospitals over the 24 months before the
 * world's date: encounters, fee lines, diagnoses, procedures, the practitioners' practice qualifications and
 * surgery-grade / restricted-technology authorizations, medical devices with their registrations and the
 * institutions' technology approvals. Size: one encounter per resident (≈ 2.6 fee lines each) by default;
 * `WEIJIAN_WORLD_FEE_LINES=10000000` (or hospitalDataStage({ feeLines })) generates encounters until that
 * many fee lines exist, whatever the number of residents (patients then come back more often).
 *
 * Planted violations of every monitoring category, each recorded as ground truth (`compliance`, kind,
 * object type, id); clean data never does any of these, so the built-in rules are measured exactly:
 * - 合理收费 ultrasound_over_limit (fee lines): B超 3 times for one patient-day (every B超 line of the day);
 *   exclusive_items (fee lines): 一级护理 and 特级护理 on the same day of one stay (both lines);
 * - 合理诊疗 inpatient_items_outpatient (fee line): bed or inpatient nursing charged to a non-inpatient visit;
 * - 限制类技术 restricted_tech_unauthorized (procedure): a restricted technology by an unauthorised surgeon;
 * - 新技术 new_tech_unapproved (procedure): a new technology in an institution not approved for it;
 * - 手术授权 surgery_over_grade (procedure): an operation above the surgeon's authorised grade;
 * - 人员行为数据 doctor_daily_overload (encounters): a doctor seeing more than DOCTOR_DAILY_LIMIT patients in
 *   one day (every encounter of that doctor-day);
 * - 医师资质违规预警 practitioner_cert_invalid (encounter): seen by a doctor whose certificate had expired;
 * - 器械资质匹配 device_registration_invalid (fee line): a device used after its registration expired (or
 *   without one);
 * - 器械使用情况 device_over_limit (fee lines): a single-use device charged twice in one stay (both lines);
 * - 诊断准确性 pregnancy_diagnosis_male (diagnosis): a pregnancy diagnosis (ICD O*) for a male patient;
 * - 治疗合理性 antibiotic_without_infection (fee line): an antibiotic without an infection diagnosis.
 * Encounters are generated and copied in chunks (COPY): memory stays flat whatever the scale.
 */
export const STAGE = 'compliance';

const ENCOUNTER_COLUMNS = [
  'id',
  'institution_id',
  'district_code',
  'department_id',
  'practitioner_id',
  'person_id',
  'patient_mask',
  'patient_sex',
  'kind',
  'admitted_on',
  'discharged_on',
] as const;
const FEE_COLUMNS = [
  'id',
  'encounter_id',
  'institution_id',
  'district_code',
  'practitioner_id',
  'item_code',
  'item_name',
  'category',
  'qty',
  'unit_price',
  'amount',
  'charged_on',
  'device_id',
] as const;
const DIAGNOSIS_COLUMNS = ['id', 'encounter_id', 'institution_id', 'district_code', 'icd_code', 'icd_name', 'is_primary', 'diagnosed_on'] as const;
const PROCEDURE_COLUMNS = [
  'id',
  'encounter_id',
  'institution_id',
  'district_code',
  'surgeon_id',
  'procedure_code',
  'procedure_name',
  'surgery_grade',
  'tech_code',
  'performed_on',
  'new_tech_code',
] as const;
const AUTH_COLUMNS = ['id', 'practitioner_id', 'institution_id', 'district_code', 'kind', 'tech_code', 'max_grade', 'valid_from', 'valid_to'] as const;
const QUALIFICATION_COLUMNS = [
  'practitioner_id',
  'institution_id',
  'district_code',
  'cert_no',
  'practice_category',
  'practice_scope',
  'valid_from',
  'valid_to',
] as const;
const DEVICE_COLUMNS = [
  'id',
  'institution_id',
  'district_code',
  'device_code',
  'name',
  'device_class',
  'registration_no',
  'registration_valid_to',
  'single_use',
  'max_per_encounter',
] as const;
const TECHNOLOGY_COLUMNS = ['id', 'institution_id', 'district_code', 'kind', 'tech_code', 'approved_on', 'valid_to'] as const;

/** Fee lines to generate: WEIJIAN_WORLD_FEE_LINES (e.g. 10000000 for the compliance bench), else by residents. */
export function feeLinesFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const v = env.WEIJIAN_WORLD_FEE_LINES?.replaceAll('_', '');
  if (!v) return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error('WEIJIAN_WORLD_FEE_LINES 应为正整数');
  return n;
}

export interface HospitalDataOptions {
  /** Generate encounters until at least this many fee lines exist (default: one encounter per resident). */
  feeLines?: number;
}

export function hospitalDataStage(opts: HospitalDataOptions = {}): WorldStage {
  return {
    name: STAGE,
    order: 40,
    title: '医院诊疗与收费数据（含植入的违规）',
    tables: [
      { table: 'hm_practitioner_qualification', orderBy: 'practitioner_id', columns: QUALIFICATION_COLUMNS },
      { table: 'hm_device', orderBy: 'id', columns: DEVICE_COLUMNS },
      { table: 'hm_institution_technology', orderBy: 'id', columns: TECHNOLOGY_COLUMNS },
      { table: 'hm_practitioner_authorization', orderBy: 'id', columns: AUTH_COLUMNS },
      { table: 'hm_encounter', orderBy: 'id', columns: ENCOUNTER_COLUMNS },
      { table: 'hm_fee_line', orderBy: 'id', columns: FEE_COLUMNS },
      { table: 'hm_diagnosis', orderBy: 'id', columns: DIAGNOSIS_COLUMNS },
      { table: 'hm_procedure', orderBy: 'id', columns: PROCEDURE_COLUMNS },
    ],
    run: (ctx) => generateHospitalData(ctx, opts.feeLines ?? feeLinesFromEnv()),
  };
}

export const complianceWorld: WorldStage = hospitalDataStage();

/** Planting rates (per eligible encounter / procedure / device use / doctor). */
export const PLANT = {
  ultrasound: 0.004,
  exclusive: 0.03,
  tech: 0.05,
  grade: 0.05,
  pregnancy: 0.003,
  outpatientBed: 0.003,
  newTech: 0.05,
  antibiotic: 0.004,
  deviceTwice: 0.02,
  deviceExpired: 0.06,
  certExpired: 0.02,
  /** One overloaded doctor-day per this many encounters (at least 3). */
  overloadEvery: 50_000,
} as const;
/** Encounters planted in one overloaded doctor-day (above DOCTOR_DAILY_LIMIT). */
const OVERLOAD_VISITS = DOCTOR_DAILY_LIMIT + 5;

const GRADE_BY_TITLE: Record<string, number> = { 主任医师: 4, 副主任医师: 3, 主治医师: 2, 医师: 1 };
const PRICE: Record<string, [string, number]> = {
  D001: ['诊察', 25],
  D002: ['诊察', 40],
  B001: ['检查', 150],
  L001: ['化验', 20],
  L002: ['化验', 60],
  X001: ['检查', 300],
  N001: ['护理', 25],
  N002: ['护理', 100],
  W001: ['床位', 60],
  M001: ['药品', 0],
  S001: ['手术', 0],
  T001: ['治疗', 15],
  C001: ['材料', 0],
  M002: ['药品', 0],
};
const EXTRAS = ['L001', 'L002', 'X001', 'M001', 'T001'] as const;
const DIAGNOSES: [string, string][] = [
  ['J06.9', '急性上呼吸道感染'],
  ['I10', '原发性高血压'],
  ['E11.9', '2型糖尿病'],
  ['K29.7', '胃炎'],
  ['M54.5', '腰痛'],
  ['N39.0', '尿路感染'],
  ['J18.9', '肺炎'],
  ['I25.1', '动脉粥样硬化性心脏病'],
];
const PREGNANCY: [string, string] = ['O80.0', '单胎顺产'];
const PROCEDURES: [string, string][] = [
  ['47.0901', '阑尾切除术'],
  ['51.2301', '腹腔镜胆囊切除术'],
  ['81.5101', '全髋关节置换术'],
  ['36.0601', '冠状动脉支架置入术'],
];
/** Device used by each procedure, and by an infusion (T001). */
const DEVICE_KINDS = [
  { code: 'INF', name: '一次性使用输液器', cls: 'II', price: 8 },
  { code: '47.0901', name: '一次性使用切口保护器', cls: 'II', price: 260 },
  { code: '51.2301', name: '一次性使用腔镜吻合器', cls: 'III', price: 3200 },
  { code: '81.5101', name: '人工髋关节假体', cls: 'III', price: 28000 },
  { code: '36.0601', name: '冠状动脉药物洗脱支架', cls: 'III', price: 7500 },
] as const;
const TECHS = Object.keys(TECH_CODES);
const NEW_TECHS = Object.keys(NEW_TECH_CODES);
const isInfection = (icd: string) => INFECTION_PREFIXES.some((p) => icd.startsWith(p));

interface Doctor {
  id: number;
  department: number | null;
  maxGrade: number;
  techs: string[];
  certNo: string;
  category: string;
  /** Day number after which the practice certificate is no longer valid (planted), else null. */
  certEndDay: number | null;
}
interface Device {
  id: number;
  /** Day number after which the registration is invalid (planted), else null. */
  invalidAfter: number | null;
  price: number;
}
interface Hospital {
  id: number;
  district: string;
  departments: number[];
  doctors: Doctor[];
  devices: Map<string, Device>;
  newTechs: string[];
}
interface Patient {
  id: number;
  mask: string;
  sex: 'M' | 'F' | 'U';
}

async function generateHospitalData(ctx: WorldContext, targetFeeLines: number | undefined): Promise<void> {
  const { db } = ctx;
  const rng = ctx.rng(STAGE);
  const hospitals = await loadHospitals(ctx);
  if (hospitals.length === 0) return;
  const patients = (await db.query<{ id: number; name: string; sex: 'M' | 'F' | 'U' }>('select id::int as id, name, sex from person order by id')).map(
    (p): Patient => ({ id: p.id, mask: maskName(p.name), sex: p.sex }),
  );
  const asOfDay = dayNumber(ctx.asOf);
  const firstDay = asOfDay - 729;
  // Licences and approvals run from some years before "today" to some years after it (2018–2031 when the
  // world's today is in 2026), whatever day the world is generated for: only the planted ones lapse.
  const year = Number(ctx.asOf.slice(0, 4));
  const since = (back: number) => `${year - back}-01-01`;
  const until = `${year + 4}-12-31`;

  // Qualifications, authorizations, devices and technology approvals.
  const auths: unknown[][] = [];
  const quals: unknown[][] = [];
  const devices: unknown[][] = [];
  const approvals: unknown[][] = [];
  for (const h of hospitals) {
    for (const d of h.doctors) {
      if (rng.chance(PLANT.certExpired)) d.certEndDay = firstDay + rng.int(30, 700);
      quals.push([d.id, h.id, h.district, d.certNo, d.category, '内科专业', since(8), d.certEndDay === null ? `${year + 5}-12-31` : dateOfDay(d.certEndDay)]);
      auths.push([auths.length + 1, d.id, h.id, h.district, 'surgery', null, d.maxGrade, since(6), until]);
      if (d.maxGrade >= 3 && rng.chance(0.33)) {
        const t = rng.pick(TECHS);
        d.techs.push(t);
        auths.push([auths.length + 1, d.id, h.id, h.district, 'tech', t, null, since(6), until]);
      }
    }
    for (const t of new Set(h.doctors.flatMap((d) => d.techs))) approvals.push([approvals.length + 1, h.id, h.district, 'restricted', t, since(6), until]);
    for (const t of NEW_TECHS) {
      if (rng.chance(0.3)) {
        h.newTechs.push(t);
        approvals.push([approvals.length + 1, h.id, h.district, 'new', t, since(5), until]);
      }
    }
    for (const k of DEVICE_KINDS) {
      const id = devices.length + 1;
      const expired = rng.chance(PLANT.deviceExpired);
      const unregistered = !expired && rng.chance(0.01);
      const invalidAfter = expired ? firstDay + rng.int(60, 650) : unregistered ? firstDay - 1 : null;
      h.devices.set(k.code, { id, invalidAfter, price: k.price });
      devices.push([
        id,
        h.id,
        h.district,
        `${k.code}-${h.id}`,
        k.name,
        k.cls,
        unregistered ? null : `国械注准2020${String(3000000 + id).padStart(7, '0')}`,
        unregistered ? null : expired ? dateOfDay(invalidAfter as number) : `${year + 5}-06-30`,
        true,
        1,
      ]);
    }
  }
  await db.copyRows('hm_practitioner_qualification', QUALIFICATION_COLUMNS, quals);
  await db.copyRows('hm_practitioner_authorization', AUTH_COLUMNS, auths);
  await db.copyRows('hm_device', DEVICE_COLUMNS, devices);
  await db.copyRows('hm_institution_technology', TECHNOLOGY_COLUMNS, approvals);

  const hospitalTable = new WeightedTable(hospitals.map((h) => [h, h.doctors.length] as const));
  const pickHospital = () => hospitalTable.draw(rng);

  const residentsTotal = Math.max(1, ctx.residents);
  const ids = { encounter: 0, fee: 0, diagnosis: 0, procedure: 0 };
  const estimate = targetFeeLines ? Math.ceil(targetFeeLines / 2.6) : residentsTotal;
  const overloads = Math.max(3, Math.round(estimate / PLANT.overloadEvery));

  // B超 lines per patient-day (to keep clean data at ≤ 2 and to report whole planted windows).
  const ultrasound = new Map<string, number[]>();
  const plantedDays = new Set<string>();
  const truths: { kind: string; type: string; id: number }[] = [];
  const truth = (kind: string, type: string, id: number) => truths.push({ kind, type, id });

  let enc: unknown[][] = [];
  let fees: unknown[][] = [];
  let dx: unknown[][] = [];
  let procs: unknown[][] = [];

  /** One encounter with its fee lines, diagnosis and procedure; `forced` pins doctor, day and kind (overload days). */
  const encounter = (forced?: { h: Hospital; doc: Doctor; day: number }) => {
    const h = forced?.h ?? pickHospital();
    const doc = forced?.doc ?? rng.pick(h.doctors);
    const dept = doc.department ?? (h.departments.length ? rng.pick(h.departments) : null);
    const patient = rng.chance(0.03) ? null : rng.pick(patients);
    const r = rng.next();
    const kind = forced ? 'outpatient' : r < 0.82 ? 'outpatient' : r < 0.9 ? 'emergency' : 'inpatient';
    const day = forced?.day ?? firstDay + rng.int(0, 729);
    const los = kind === 'inpatient' ? rng.int(2, 12) : 0;
    const date = dateOfDay(day);
    const encId = ++ids.encounter;
    enc.push([
      encId,
      h.id,
      h.district,
      dept,
      doc.id,
      patient?.id ?? null,
      patient?.mask ?? null,
      patient?.sex ?? null,
      kind,
      date,
      dateOfDay(Math.min(day + los, asOfDay + 30)),
    ]);
    if (doc.certEndDay !== null && day > doc.certEndDay) truth('practitioner_cert_invalid', 'hm_encounter', encId);

    // The diagnosis first: treatments follow it.
    let diagnosis = rng.pick(DIAGNOSES);
    if (patient?.sex === 'F' && kind === 'inpatient' && rng.chance(0.1)) diagnosis = PREGNANCY;
    const did = ++ids.diagnosis;
    if (patient?.sex === 'M' && rng.chance(PLANT.pregnancy)) {
      diagnosis = PREGNANCY;
      truth('pregnancy_diagnosis_male', 'hm_diagnosis', did);
    }
    dx.push([did, encId, h.id, h.district, diagnosis[0], diagnosis[1], true, date]);
    const infection = isInfection(diagnosis[0]);

    const fee = (code: string, qty: number, price?: number, deviceId: number | null = null) => {
      const [category, base] = PRICE[code]!;
      const unit = price ?? base;
      const id = ++ids.fee;
      fees.push([
        id,
        encId,
        h.id,
        h.district,
        doc.id,
        code,
        ITEM_CODES[code],
        category,
        qty.toFixed(2),
        unit.toFixed(2),
        (qty * unit).toFixed(2),
        date,
        deviceId,
      ]);
      return id;
    };
    /** A device charged once (twice when planted); truth for expired registrations and over-limit use. */
    const usedDevices = new Set<string>();
    const chargeDevice = (kindCode: string) => {
      const d = h.devices.get(kindCode);
      // Clean data charges a device at most once per encounter (its limit is 1).
      if (!d || usedDevices.has(kindCode)) return;
      usedDevices.add(kindCode);
      const lines = [fee('C001', 1, d.price, d.id)];
      if (rng.chance(PLANT.deviceTwice)) {
        lines.push(fee('C001', 1, d.price, d.id));
        for (const id of lines) truth('device_over_limit', 'hm_fee_line', id);
      }
      if (d.invalidAfter !== null && day > d.invalidAfter) for (const id of lines) truth('device_registration_invalid', 'hm_fee_line', id);
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
        for (const id of [...(nursingLine ? [nursingLine] : []), ...added]) truth('exclusive_items', 'hm_fee_line', id);
      }
      if (rng.chance(0.35)) {
        const [code, name] = rng.pick(PROCEDURES);
        let grade = rng.int(1, doc.maxGrade);
        let tech: string | null = doc.techs.length && rng.chance(0.3) ? rng.pick(doc.techs) : null;
        let newTech: string | null = h.newTechs.length && rng.chance(0.1) ? rng.pick(h.newTechs) : null;
        let planted: string | null = null;
        if (doc.maxGrade < 4 && rng.chance(PLANT.grade)) {
          grade = doc.maxGrade + 1;
          tech = null;
          planted = 'surgery_over_grade';
        } else if (rng.chance(PLANT.tech)) {
          tech = rng.pick(TECHS.filter((t) => !doc.techs.includes(t)));
          planted = 'restricted_tech_unauthorized';
        } else if (h.newTechs.length < NEW_TECHS.length && rng.chance(PLANT.newTech)) {
          newTech = rng.pick(NEW_TECHS.filter((t) => !h.newTechs.includes(t)));
          planted = 'new_tech_unapproved';
        }
        const pid = ++ids.procedure;
        const label = [tech ? TECH_CODES[tech] : null, newTech ? NEW_TECH_CODES[newTech] : null].filter(Boolean).join('、');
        procs.push([pid, encId, h.id, h.district, doc.id, code, label ? `${name}（${label}）` : name, grade, tech, date, newTech]);
        fee('S001', 1, 500 * grade + (tech ? 3000 : 0) + (newTech ? 5000 : 0));
        chargeDevice(code);
        if (planted) truth(planted, 'hm_procedure', pid);
      }
    } else {
      fee(kind === 'emergency' ? 'D002' : 'D001', 1);
      for (let k = rng.int(0, 2); k > 0; k--) {
        const code = rng.pick(EXTRAS);
        fee(code, 1, code === 'M001' ? rng.int(10, 300) : undefined);
        if (code === 'T001') chargeDevice('INF');
      }
      const pd = patient ? `${patient.id}|${day}` : null;
      const lines = pd ? (ultrasound.get(pd) ?? []) : [];
      if (pd && kind === 'outpatient' && !forced && rng.chance(PLANT.ultrasound)) {
        for (let k = 0; k < 3; k++) lines.push(fee('B001', 1));
        plantedDays.add(pd);
        ultrasound.set(pd, lines);
      } else if (rng.chance(0.12) && (!pd || (lines.length < 2 && !plantedDays.has(pd)))) {
        const id = fee('B001', 1);
        if (pd) ultrasound.set(pd, [...lines, id]);
      }
      if (rng.chance(PLANT.outpatientBed)) truth('inpatient_items_outpatient', 'hm_fee_line', fee('W001', 1));
    }
    if (infection && rng.chance(0.4)) fee('M002', 1, rng.int(20, 400));
    else if (!infection && rng.chance(PLANT.antibiotic)) truth('antibiotic_without_infection', 'hm_fee_line', fee('M002', 1, rng.int(20, 400)));
  };

  const flush = async () => {
    await db.copyRows('hm_encounter', ENCOUNTER_COLUMNS, enc);
    await db.copyRows('hm_fee_line', FEE_COLUMNS, fees);
    await db.copyRows('hm_diagnosis', DIAGNOSIS_COLUMNS, dx);
    await db.copyRows('hm_procedure', PROCEDURE_COLUMNS, procs);
    enc = [];
    fees = [];
    dx = [];
    procs = [];
  };

  // Overloaded doctor-days (人员行为): doctors with a valid certificate, on days no other plant uses.
  const overloadDays: { doc: number; day: number }[] = [];
  for (let k = 0; k < overloads; k++) {
    const h = pickHospital();
    const doc = rng.pick(h.doctors);
    if (doc.certEndDay !== null) continue;
    const day = firstDay + rng.int(0, 729);
    overloadDays.push({ doc: doc.id, day });
    for (let v = 0; v < OVERLOAD_VISITS; v++) encounter({ h, doc, day });
  }
  await flush();

  const CHUNK = 5000;
  const more = () => (targetFeeLines ? ids.fee < targetFeeLines : ids.encounter - overloadDays.length * OVERLOAD_VISITS < residentsTotal);
  while (more()) {
    for (let i = 0; i < CHUNK && more(); i++) encounter();
    await flush();
    if (targetFeeLines) ctx.progress('收费明细', Math.min(ids.fee, targetFeeLines), targetFeeLines);
    else ctx.progress('就诊', ids.encounter - overloadDays.length * OVERLOAD_VISITS, residentsTotal);
  }
  for (const t of ['hm_practitioner_authorization', 'hm_device', 'hm_institution_technology', 'hm_encounter', 'hm_fee_line', 'hm_diagnosis', 'hm_procedure']) {
    await db.query(`select setval(pg_get_serial_sequence('${t}', 'id'), greatest((select max(id) from ${t}), 1))`);
  }
  for (const pd of [...plantedDays].sort()) {
    for (const id of ultrasound.get(pd) ?? []) truth('ultrasound_over_limit', 'hm_fee_line', id);
  }
  // Every encounter of an overloaded doctor-day is a truth row (including ordinary visits that fell on it).
  if (overloadDays.length) {
    const rows = await db.query<{ id: number }>(
      `select e.id::int as id from hm_encounter e join unnest($1::int8[], $2::date[]) as o(doc, day) on e.practitioner_id = o.doc and e.admitted_on = o.day order by e.id`,
      [overloadDays.map((o) => o.doc), overloadDays.map((o) => dateOfDay(o.day))],
    );
    for (const r of new Set(rows.map((x) => x.id))) truth('doctor_daily_overload', 'hm_encounter', r);
  }
  for (const t of truths) await ctx.truth(STAGE, t.kind, t.type, String(t.id));
}

async function loadHospitals(ctx: WorldContext): Promise<Hospital[]> {
  const insts = await ctx.db.query<{ id: number; district_code: string }>(
    `select id::int as id, district_code from institution where kind <> 'chc' and active order by id`,
  );
  const depts = await ctx.db.query<{ id: number; institution_id: number }>(
    'select id::int as id, institution_id::int as institution_id from department order by id',
  );
  const docs = await ctx.db.query<{
    id: number;
    institution_id: number;
    department_id: number | null;
    title: string | null;
    cert: string | null;
    category: string | null;
  }>(
    `select id::int as id, institution_id::int as institution_id, department_id::int as department_id, title,
            practice_cert_no as cert, practice_category as category from practitioner
      where active and title = any($1::text[]) order by id`,
    [Object.keys(GRADE_BY_TITLE)],
  );
  const byId = new Map<number, Hospital>(
    insts.map((i) => [i.id, { id: i.id, district: i.district_code, departments: [], doctors: [], devices: new Map(), newTechs: [] }]),
  );
  for (const d of depts) byId.get(d.institution_id)?.departments.push(d.id);
  for (const d of docs)
    byId.get(d.institution_id)?.doctors.push({
      id: d.id,
      department: d.department_id,
      maxGrade: GRADE_BY_TITLE[d.title ?? '医师'] ?? 1,
      techs: [],
      certNo: d.cert ?? `P${String(d.id).padStart(9, '0')}`,
      category: d.category ?? '临床',
      certEndDay: null,
    });
  return [...byId.values()].filter((h) => h.doctors.length > 0);
}
