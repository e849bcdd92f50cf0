import type { Database } from '../../../platform/db/types.ts';

/** Two hospitals in two districts with known violations (see the counts below). */
export const FX = {
  instA: 700001, // 徐汇区
  instB: 700002, // 黄浦区
  districtA: '310104',
  districtB: '310101',
  deptA: 700011,
  docA: 700021, // 主治医师: surgery up to grade 2, no technology
  docB: 700022, // 主任医师: grade 4, RT01
} as const;

/** Expected findings of the built-in rules over the fixture, per rule code and institution. */
export const EXPECTED = {
  'fee.ultrasound.daily': { [FX.instA]: 3 },
  'fee.nursing.exclusive': { [FX.instB]: 2 },
  'tech.restricted.unauthorized': { [FX.instB]: 1 },
  'surgery.grade.exceeded': { [FX.instA]: 1 },
  'diagnosis.pregnancy.male': { [FX.instA]: 1 },
  'treatment.inpatient_items.outpatient': { [FX.instA]: 1 },
  'tech.new.unapproved': { [FX.instB]: 1 },
  'staff.daily_encounters': { [FX.instB]: 41 },
  'qualification.expired': { [FX.instA]: 2 },
  'device.registration.invalid': { [FX.instA]: 1 },
  'device.usage.over_limit': { [FX.instB]: 2 },
  'treatment.antibiotic.no_infection': { [FX.instA]: 1 },
} as const;

/** Findings of one full run over the fixture (all built-in rules). */
export const EXPECTED_TOTAL = Object.values(EXPECTED).reduce((n, byInst) => n + Object.values(byInst).reduce((a, b) => a + b, 0), 0);

export async function seedHospitalData(db: Database): Promise<void> {
  await db.exec(`
    insert into institution (id, code, name, kind, level, district_code) values
      (${FX.instA}, 'FX-A', '测试甲医院', 'district_hospital', 2, '${FX.districtA}'),
      (${FX.instB}, 'FX-B', '测试乙医院', 'city_hospital', 3, '${FX.districtB}');
    insert into department (id, institution_id, code, name, district_code) values (${FX.deptA}, ${FX.instA}, 'US', '超声科', '${FX.districtA}');
    insert into practitioner (id, institution_id, department_id, name, sex, title, district_code) values
      (${FX.docA}, ${FX.instA}, ${FX.deptA}, '甲医生', 'M', '主治医师', '${FX.districtA}'),
      (${FX.docB}, ${FX.instB}, null, '乙医生', 'F', '主任医师', '${FX.districtB}');
    insert into hm_practitioner_authorization (practitioner_id, institution_id, district_code, kind, tech_code, max_grade, valid_from, valid_to) values
      (${FX.docA}, ${FX.instA}, '${FX.districtA}', 'surgery', null, 2, '2020-01-01', '2030-12-31'),
      (${FX.docB}, ${FX.instB}, '${FX.districtB}', 'surgery', null, 4, '2020-01-01', '2030-12-31'),
      (${FX.docB}, ${FX.instB}, '${FX.districtB}', 'tech', 'RT01', null, '2020-01-01', '2030-12-31');
    insert into hm_encounter (id, institution_id, district_code, department_id, practitioner_id, person_id, patient_mask, patient_sex, kind, admitted_on, discharged_on) values
      (1, ${FX.instA}, '${FX.districtA}', ${FX.deptA}, ${FX.docA}, 1, '王**', 'F', 'outpatient', '2026-09-10', '2026-09-10'),
      (2, ${FX.instA}, '${FX.districtA}', ${FX.deptA}, ${FX.docA}, 2, '李*', 'F', 'outpatient', '2026-09-10', '2026-09-10'),
      (3, ${FX.instB}, '${FX.districtB}', null, ${FX.docB}, 3, '张**', 'F', 'inpatient', '2026-08-05', '2026-08-09'),
      (4, ${FX.instA}, '${FX.districtA}', ${FX.deptA}, ${FX.docA}, 4, '赵*', 'M', 'inpatient', '2026-09-01', '2026-09-05');
    insert into hm_fee_line (id, encounter_id, institution_id, district_code, practitioner_id, item_code, item_name, category, qty, unit_price, amount, charged_on) values
      (1, 1, ${FX.instA}, '${FX.districtA}', ${FX.docA}, 'B001', 'B超检查', '检查', 1, 150, 150, '2026-09-10'),
      (2, 1, ${FX.instA}, '${FX.districtA}', ${FX.docA}, 'B001', 'B超检查', '检查', 1, 150, 150, '2026-09-10'),
      (3, 1, ${FX.instA}, '${FX.districtA}', ${FX.docA}, 'B001', 'B超检查', '检查', 1, 150, 150, '2026-09-10'),
      (4, 2, ${FX.instA}, '${FX.districtA}', ${FX.docA}, 'B001', 'B超检查', '检查', 1, 150, 150, '2026-09-10'),
      (5, 2, ${FX.instA}, '${FX.districtA}', ${FX.docA}, 'B001', 'B超检查', '检查', 1, 150, 150, '2026-09-10'),
      (6, 3, ${FX.instB}, '${FX.districtB}', ${FX.docB}, 'N001', '一级护理', '护理', 4, 25, 100, '2026-08-05'),
      (7, 3, ${FX.instB}, '${FX.districtB}', ${FX.docB}, 'N002', '特级护理', '护理', 1, 100, 100, '2026-08-05'),
      (8, 4, ${FX.instA}, '${FX.districtA}', ${FX.docA}, 'N001', '一级护理', '护理', 4, 25, 100, '2026-09-01');
    insert into hm_procedure (id, encounter_id, institution_id, district_code, surgeon_id, procedure_code, procedure_name, surgery_grade, tech_code, performed_on) values
      (1, 3, ${FX.instB}, '${FX.districtB}', ${FX.docB}, '50.0001', '肝肿瘤消融术', 4, 'RT01', '2026-08-06'),
      (2, 3, ${FX.instB}, '${FX.districtB}', ${FX.docB}, '37.6601', '心室辅助装置植入术', 4, 'RT02', '2026-08-07'),
      (3, 4, ${FX.instA}, '${FX.districtA}', ${FX.docA}, '81.5101', '全髋关节置换术', 3, null, '2026-09-02');
    insert into hm_diagnosis (id, encounter_id, institution_id, district_code, icd_code, icd_name, is_primary, diagnosed_on) values
      (1, 4, ${FX.instA}, '${FX.districtA}', 'O80.0', '单胎顺产', true, '2026-09-01'),
      (2, 3, ${FX.instB}, '${FX.districtB}', 'O80.0', '单胎顺产', true, '2026-08-05');
    -- docA's certificate ended on 2026-09-05: encounters 1 and 2 (2026-09-10) were seen without one.
    insert into hm_practitioner_qualification (practitioner_id, institution_id, district_code, cert_no, practice_category, practice_scope, valid_from, valid_to) values
      (${FX.docA}, ${FX.instA}, '${FX.districtA}', 'P-A', '临床', '内科专业', '2018-01-01', '2026-09-05'),
      (${FX.docB}, ${FX.instB}, '${FX.districtB}', 'P-B', '临床', '外科专业', '2018-01-01', '2031-12-31');
    insert into hm_device (id, institution_id, district_code, device_code, name, device_class, registration_no, registration_valid_to, single_use, max_per_encounter) values
      (1, ${FX.instA}, '${FX.districtA}', 'HIP-A', '人工髋关节假体', 'III', '国械注准20203000001', '2026-01-01', true, 1),
      (2, ${FX.instB}, '${FX.districtB}', 'STENT-B', '冠状动脉药物洗脱支架', 'III', '国械注准20203000002', '2031-06-30', true, 1);
    insert into hm_institution_technology (institution_id, district_code, kind, tech_code, approved_on, valid_to) values
      (${FX.instB}, '${FX.districtB}', 'new', 'NT02', '2021-01-01', '2030-12-31');
    insert into hm_fee_line (id, encounter_id, institution_id, district_code, practitioner_id, item_code, item_name, category, qty, unit_price, amount, charged_on, device_id) values
      (10, 1, ${FX.instA}, '${FX.districtA}', ${FX.docA}, 'W001', '床位费', '床位', 1, 60, 60, '2026-09-10', null),
      (11, 4, ${FX.instA}, '${FX.districtA}', ${FX.docA}, 'C001', '医用耗材', '材料', 1, 28000, 28000, '2026-09-02', 1),
      (12, 3, ${FX.instB}, '${FX.districtB}', ${FX.docB}, 'C001', '医用耗材', '材料', 1, 7500, 7500, '2026-08-06', 2),
      (13, 3, ${FX.instB}, '${FX.districtB}', ${FX.docB}, 'C001', '医用耗材', '材料', 1, 7500, 7500, '2026-08-06', 2),
      (14, 4, ${FX.instA}, '${FX.districtA}', ${FX.docA}, 'M002', '抗菌药物', '药品', 1, 120, 120, '2026-09-01', null);
    insert into hm_procedure (id, encounter_id, institution_id, district_code, surgeon_id, procedure_code, procedure_name, surgery_grade, tech_code, performed_on, new_tech_code) values
      (4, 3, ${FX.instB}, '${FX.districtB}', ${FX.docB}, '35.0501', '经导管主动脉瓣置换术', 4, null, '2026-08-07', 'NT01'),
      (5, 3, ${FX.instB}, '${FX.districtB}', ${FX.docB}, '68.4101', '机器人辅助腹腔镜子宫切除术', 3, null, '2026-08-08', 'NT02');
    -- docB saw 41 patients on 2026-07-01 (人员行为: more than 40 a day).
    insert into hm_encounter (id, institution_id, district_code, department_id, practitioner_id, person_id, patient_mask, patient_sex, kind, admitted_on, discharged_on)
      select 100 + g, ${FX.instB}, '${FX.districtB}', null, ${FX.docB}, null, '患*', 'F', 'outpatient', '2026-07-01', '2026-07-01' from generate_series(0, 40) g;
    select setval(pg_get_serial_sequence('hm_encounter', 'id'), 200);
    select setval(pg_get_serial_sequence('hm_fee_line', 'id'), 100);
    select setval(pg_get_serial_sequence('hm_procedure', 'id'), 100);
    select setval(pg_get_serial_sequence('hm_diagnosis', 'id'), 100);
    select setval(pg_get_serial_sequence('hm_device', 'id'), 100);
  `);
}
