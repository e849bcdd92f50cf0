import type { Queryable } from '../../../platform/db/types.ts';

/**
 * The 市妇幼 daily interface's columns and the fields they fill here. Declared once: the defaults
 * below seed fp_mch_field_map, city administrators may rename a source column there (the interface
 * renamed columns before), and the intake reads the table on every run. How a field is cleaned is
 * fixed per target field (clean.ts), only where it comes from is configurable.
 */
export const TARGET_FIELDS = [
  'certificateNo',
  'childName',
  'childSex',
  'birthDate',
  'birthWeight',
  'hospital',
  'claimedBirthOrder',
  'motherName',
  'motherIdNumber',
  'fatherName',
  'fatherIdNumber',
  'address',
  'streetCode',
  'motherIdType',
  'fatherIdType',
] as const;
export type TargetField = (typeof TARGET_FIELDS)[number];

export interface FieldMapping {
  targetField: TargetField;
  sourceField: string;
  title: string;
  required: boolean;
}

export const DEFAULT_FIELD_MAP: readonly FieldMapping[] = [
  { targetField: 'certificateNo', sourceField: 'CSYXZMBH', title: '出生医学证明编号', required: true },
  { targetField: 'childName', sourceField: 'XSEXM', title: '新生儿姓名', required: true },
  { targetField: 'childSex', sourceField: 'XSEXB', title: '新生儿性别', required: true },
  { targetField: 'birthDate', sourceField: 'CSRQ', title: '出生日期', required: true },
  { targetField: 'birthWeight', sourceField: 'CSTZ', title: '出生体重（克）', required: false },
  { targetField: 'hospital', sourceField: 'JSJGMC', title: '接生机构', required: false },
  { targetField: 'claimedBirthOrder', sourceField: 'HC', title: '孩次', required: false },
  { targetField: 'motherName', sourceField: 'MQXM', title: '母亲姓名', required: true },
  { targetField: 'motherIdNumber', sourceField: 'MQZJHM', title: '母亲身份证号', required: true },
  { targetField: 'fatherName', sourceField: 'FQXM', title: '父亲姓名', required: false },
  { targetField: 'fatherIdNumber', sourceField: 'FQZJHM', title: '父亲身份证号', required: false },
  { targetField: 'address', sourceField: 'JZDZ', title: '居住地址', required: false },
  { targetField: 'streetCode', sourceField: 'JZJDDM', title: '居住地街道（乡镇）代码', required: false },
  // 证件类型: optional, the number's format shows most types; a passport must be declared.
  { targetField: 'motherIdType', sourceField: 'MQZJLX', title: '母亲证件类型', required: false },
  { targetField: 'fatherIdType', sourceField: 'FQZJLX', title: '父亲证件类型', required: false },
];

export const FIELD_TITLE: Record<TargetField, string> = Object.fromEntries(DEFAULT_FIELD_MAP.map((f) => [f.targetField, f.title])) as Record<
  TargetField,
  string
>;

/** Fills the table with the defaults for fields it lacks (module start; idempotent). */
export async function seedFieldMap(tx: Queryable): Promise<void> {
  for (const [i, f] of DEFAULT_FIELD_MAP.entries()) {
    await tx.query(
      'insert into fp_mch_field_map (target_field, source_field, title, required, position) values ($1, $2, $3, $4, $5) on conflict (target_field) do nothing',
      [f.targetField, f.sourceField, f.title, f.required, i],
    );
  }
}

export async function loadFieldMap(tx: Queryable): Promise<FieldMapping[]> {
  const rows = await tx.query<{ target_field: TargetField; source_field: string; title: string; required: boolean }>(
    'select target_field, source_field, title, required from fp_mch_field_map order by position, target_field',
  );
  // A table not seeded yet (tests building their own kernel) falls back to the declared defaults.
  if (rows.length === 0) return DEFAULT_FIELD_MAP.map((f) => ({ ...f }));
  const map = rows.map((r) => ({ targetField: r.target_field, sourceField: r.source_field, title: r.title, required: r.required }));
  // Fields declared after the table was seeded read from their default column until the next start seeds them.
  for (const f of DEFAULT_FIELD_MAP) if (!map.some((m) => m.targetField === f.targetField)) map.push({ ...f });
  return map;
}

/** Renames source columns; the target fields, titles and required flags stay as declared. */
export async function updateFieldMap(tx: Queryable, changes: { targetField: TargetField; sourceField: string }[], actor: string): Promise<FieldMapping[]> {
  await seedFieldMap(tx);
  for (const c of changes) {
    await tx.query('update fp_mch_field_map set source_field = $2, updated_by = $3, updated_at = now() where target_field = $1', [
      c.targetField,
      c.sourceField,
      actor,
    ]);
  }
  return loadFieldMap(tx);
}

/** Source record → our field names (values untouched; clean.ts cleans them). */
export function applyFieldMap(raw: Record<string, unknown>, map: readonly FieldMapping[]): Partial<Record<TargetField, unknown>> {
  const out: Partial<Record<TargetField, unknown>> = {};
  for (const f of map) if (f.sourceField in raw) out[f.targetField] = raw[f.sourceField];
  return out;
}
