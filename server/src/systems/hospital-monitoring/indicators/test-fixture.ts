import type { Database } from '../../../platform/db/types.ts';

/** Two hospitals in two districts with a handful of visits, fees and operations (figures in indicators.test.ts). */
export const IX = {
  instA: 710001, // 徐汇区
  instB: 710002, // 黄浦区
  districtA: '310104',
  districtB: '310101',
  deptA: 710011,
  docA: 710021,
  docB: 710022,
} as const;

export async function seedIndicatorData(db: Database): Promise<void> {
  const { instA: A, instB: B, districtA: dA, districtB: dB, deptA, docA, docB } = IX;
  await db.exec(`
    insert into institution (id, code, name, kind, level, district_code) values
      (${A}, 'IX-A', '指标甲医院', 'district_hospital', 2, '${dA}'),
      (${B}, 'IX-B', '指标乙医院', 'city_hospital', 3, '${dB}');
    insert into department (id, institution_id, code, name, district_code) values (${deptA}, ${A}, 'NK', '内科', '${dA}');
    insert into practitioner (id, institution_id, department_id, name, sex, title, district_code) values
      (${docA}, ${A}, ${deptA}, '甲医生', 'M', '主任医师', '${dA}'),
      (${docB}, ${B}, null, '乙医生', 'F', '主治医师', '${dB}');
    insert into hm_encounter (id, institution_id, district_code, department_id, practitioner_id, person_id, patient_mask, patient_sex, kind, admitted_on, discharged_on) values
      (1, ${A}, '${dA}', ${deptA}, ${docA}, null, '王*', 'F', 'outpatient', '2026-09-10', '2026-09-10'),
      (2, ${A}, '${dA}', ${deptA}, ${docA}, null, '李*', 'M', 'emergency', '2026-10-02', '2026-10-02'),
      (3, ${A}, '${dA}', null, ${docA}, null, '张*', 'F', 'inpatient', '2026-10-05', '2026-10-09'),
      (4, ${B}, '${dB}', null, ${docB}, null, '赵*', 'M', 'outpatient', '2026-09-20', '2026-09-20'),
      (5, ${B}, '${dB}', null, ${docB}, null, '钱*', 'F', 'inpatient', '2026-09-21', '2026-09-25'),
      (6, ${B}, '${dB}', null, ${docB}, null, '孙*', 'F', 'outpatient', '2025-01-05', '2025-01-05');
    insert into hm_fee_line (id, encounter_id, institution_id, district_code, practitioner_id, item_code, item_name, category, qty, unit_price, amount, charged_on) values
      (1, 1, ${A}, '${dA}', ${docA}, 'B001', 'B超检查', '检查', 1, 150, 150, '2026-09-10'),
      (2, 1, ${A}, '${dA}', ${docA}, 'M001', '西药费', '药品', 1, 50.10, 50.10, '2026-09-10'),
      (3, 2, ${A}, '${dA}', ${docA}, 'D002', '急诊诊察费', '诊察', 1, 40, 40, '2026-10-02'),
      (4, 3, ${A}, '${dA}', ${docA}, 'M001', '西药费', '药品', 1, 200.20, 200.20, '2026-10-05'),
      (5, 3, ${A}, '${dA}', ${docA}, 'W001', '床位费', '床位', 4, 60, 240, '2026-10-05'),
      (6, 4, ${B}, '${dB}', ${docB}, 'L001', '血常规', '化验', 1, 20, 20, '2026-09-20'),
      (7, 5, ${B}, '${dB}', ${docB}, 'M001', '西药费', '药品', 1, 100, 100, '2026-09-21'),
      (8, 6, ${B}, '${dB}', ${docB}, 'M001', '西药费', '药品', 1, 999, 999, '2025-01-05');
    insert into hm_procedure (id, encounter_id, institution_id, district_code, surgeon_id, procedure_code, procedure_name, surgery_grade, tech_code, performed_on) values
      (1, 3, ${A}, '${dA}', ${docA}, '47.0901', '阑尾切除术', 4, null, '2026-10-06'),
      (2, 5, ${B}, '${dB}', ${docB}, '47.0901', '阑尾切除术', 2, null, '2026-09-22');
  `);
}
