import { defineCatalog } from '../../../platform/rules/index.ts';

/**
 * The data catalog of hospital treatment and fee data: what compliance rules may read. Every source is
 * a table (or the read-only practitioner view) of hospital-data/migrations/001_hospital_data.sql; the surgeon's
 * authorizations are "to-one" relations through the procedure's generated key columns.
 */
export const ITEM_CODES: Record<string, string> = {
  D001: '普通门诊诊察费',
  D002: '急诊诊察费',
  B001: 'B超检查',
  L001: '血常规',
  L002: '肝功能',
  X001: 'CT检查',
  N001: '一级护理',
  N002: '特级护理',
  W001: '床位费',
  M001: '西药费',
  S001: '手术费',
  T001: '静脉输液',
  C001: '医用耗材',
  M002: '抗菌药物',
};

export const TECH_CODES: Record<string, string> = {
  RT01: '肿瘤消融治疗技术',
  RT02: '心室辅助技术',
  RT03: '人工智能辅助治疗技术',
  RT04: '同种胰岛移植技术',
};

/** 新技术、新项目 (approved per institution, hm_institution_technology kind 'new'). */
export const NEW_TECH_CODES: Record<string, string> = {
  NT01: '经导管主动脉瓣置换术',
  NT02: '机器人辅助腹腔镜手术',
  NT03: '质子重离子放射治疗',
};

export const complianceCatalog = defineCatalog({
  codeLists: [
    { name: 'hm_item', title: '收费项目', codes: ITEM_CODES },
    { name: 'hm_tech', title: '限制类技术', codes: TECH_CODES },
    { name: 'hm_encounter_kind', title: '就诊类型', codes: { outpatient: '门诊', inpatient: '住院', emergency: '急诊' } },
    { name: 'hm_sex', title: '性别', codes: { M: '男', F: '女', U: '未知' } },
    { name: 'hm_auth_kind', title: '授权类别', codes: { surgery: '手术分级', tech: '限制类技术' } },
    { name: 'hm_new_tech', title: '新技术', codes: NEW_TECH_CODES },
    { name: 'hm_tech_kind', title: '技术类别', codes: { restricted: '限制类技术', new: '新技术' } },
    { name: 'hm_device_class', title: '器械管理类别', codes: { I: '第一类', II: '第二类', III: '第三类' } },
  ],
  sources: [
    {
      name: 'encounter',
      table: 'hm_encounter',
      title: '就诊',
      key: 'id',
      changedAt: 'updated_at',
      fields: [
        { name: 'id', type: 'integer', title: '就诊号' },
        { name: 'institution_id', type: 'integer', title: '医疗机构' },
        { name: 'department_id', type: 'integer', title: '科室' },
        { name: 'practitioner_id', type: 'integer', title: '接诊医师' },
        { name: 'person_id', type: 'integer', title: '患者' },
        { name: 'patient_sex', type: 'code', title: '患者性别', codeList: 'hm_sex' },
        { name: 'kind', type: 'code', title: '就诊类型', codeList: 'hm_encounter_kind' },
        { name: 'admitted_on', type: 'date', title: '就诊（入院）日期' },
        { name: 'discharged_on', type: 'date', title: '出院日期' },
        { name: 'updated_at', type: 'timestamp', title: '更新时间' },
      ],
    },
    {
      name: 'fee_line',
      table: 'hm_fee_line',
      title: '收费明细',
      key: 'id',
      changedAt: 'updated_at',
      fields: [
        { name: 'id', type: 'integer', title: '明细号' },
        { name: 'encounter_id', type: 'integer', title: '就诊号' },
        { name: 'person_id', type: 'integer', title: '患者', sameAs: 'encounter.person_id' },
        { name: 'practitioner_id', type: 'integer', title: '开单医师' },
        { name: 'item_code', type: 'code', title: '收费项目', codeList: 'hm_item' },
        { name: 'item_name', type: 'string', title: '项目名称' },
        { name: 'category', type: 'string', title: '费用类别' },
        { name: 'qty', type: 'number', scale: 2, title: '数量' },
        { name: 'unit_price', type: 'number', scale: 2, title: '单价' },
        { name: 'amount', type: 'number', scale: 2, title: '金额' },
        { name: 'charged_on', type: 'date', title: '收费日期' },
        { name: 'device_id', type: 'integer', title: '使用器械' },
        { name: 'updated_at', type: 'timestamp', title: '更新时间' },
      ],
    },
    {
      name: 'diagnosis',
      table: 'hm_diagnosis',
      title: '诊断',
      key: 'id',
      changedAt: 'updated_at',
      fields: [
        { name: 'id', type: 'integer', title: '诊断号' },
        { name: 'encounter_id', type: 'integer', title: '就诊号' },
        { name: 'icd_code', type: 'string', title: '诊断编码' },
        { name: 'icd_name', type: 'string', title: '诊断名称' },
        { name: 'is_primary', type: 'boolean', title: '主要诊断' },
        { name: 'diagnosed_on', type: 'date', title: '诊断日期' },
        { name: 'updated_at', type: 'timestamp', title: '更新时间' },
      ],
    },
    {
      name: 'procedure',
      table: 'hm_procedure',
      title: '手术操作',
      key: 'id',
      changedAt: 'updated_at',
      fields: [
        { name: 'id', type: 'integer', title: '操作号' },
        { name: 'encounter_id', type: 'integer', title: '就诊号' },
        { name: 'surgeon_id', type: 'integer', title: '术者' },
        { name: 'procedure_code', type: 'string', title: '手术操作编码' },
        { name: 'procedure_name', type: 'string', title: '手术操作名称' },
        { name: 'surgery_grade', type: 'integer', title: '手术级别' },
        { name: 'tech_code', type: 'code', title: '限制类技术', codeList: 'hm_tech' },
        { name: 'performed_on', type: 'date', title: '手术日期' },
        { name: 'grade_auth_key', type: 'string', title: '术者手术分级授权键' },
        { name: 'tech_auth_key', type: 'string', title: '术者限制类技术授权键' },
        { name: 'new_tech_code', type: 'code', title: '新技术', codeList: 'hm_new_tech' },
        { name: 'new_tech_key', type: 'string', title: '机构新技术准入键' },
        { name: 'updated_at', type: 'timestamp', title: '更新时间' },
      ],
    },
    {
      name: 'authorization',
      table: 'hm_practitioner_authorization',
      title: '医师授权',
      key: 'auth_key',
      fields: [
        { name: 'auth_key', type: 'string', title: '授权记录' },
        { name: 'practitioner_id', type: 'integer', title: '医师' },
        { name: 'kind', type: 'code', title: '授权类别', codeList: 'hm_auth_kind' },
        { name: 'tech_code', type: 'code', title: '授权技术', codeList: 'hm_tech' },
        { name: 'max_grade', type: 'integer', title: '最高手术级别' },
        { name: 'valid_from', type: 'date', title: '授权起始日期' },
        { name: 'valid_to', type: 'date', title: '授权截止日期' },
      ],
    },
    {
      name: 'practitioner',
      table: 'hm_practitioner_v',
      title: '医师',
      key: 'id',
      fields: [
        { name: 'id', type: 'integer', title: '医师编号' },
        { name: 'institution_id', type: 'integer', title: '所属机构' },
        { name: 'name', type: 'string', title: '姓名' },
        { name: 'title', type: 'string', title: '职称' },
        { name: 'practice_category', type: 'string', title: '执业类别' },
        { name: 'practice_cert_no', type: 'string', title: '执业证书编码' },
      ],
    },
    {
      name: 'qualification',
      table: 'hm_practitioner_qualification',
      title: '医师执业资质',
      key: 'practitioner_id',
      changedAt: 'updated_at',
      fields: [
        { name: 'practitioner_id', type: 'integer', title: '医师' },
        { name: 'institution_id', type: 'integer', title: '执业注册机构' },
        { name: 'cert_no', type: 'string', title: '执业证书编码' },
        { name: 'practice_category', type: 'string', title: '执业类别' },
        { name: 'practice_scope', type: 'string', title: '执业范围' },
        { name: 'valid_from', type: 'date', title: '执业证书起始日期' },
        { name: 'valid_to', type: 'date', title: '执业证书有效期至' },
        { name: 'updated_at', type: 'timestamp', title: '更新时间' },
      ],
    },
    {
      name: 'device',
      table: 'hm_device',
      title: '医疗器械',
      key: 'id',
      changedAt: 'updated_at',
      fields: [
        { name: 'id', type: 'integer', title: '器械编号' },
        { name: 'institution_id', type: 'integer', title: '使用机构' },
        { name: 'device_code', type: 'string', title: '器械编码' },
        { name: 'name', type: 'string', title: '器械名称' },
        { name: 'device_class', type: 'code', title: '管理类别', codeList: 'hm_device_class' },
        { name: 'registration_no', type: 'string', title: '注册证编号' },
        { name: 'registration_valid_to', type: 'date', title: '注册证有效期至' },
        { name: 'single_use', type: 'boolean', title: '一次性使用' },
        { name: 'max_per_encounter', type: 'integer', title: '单次就诊限用数量' },
        { name: 'updated_at', type: 'timestamp', title: '更新时间' },
      ],
    },
    {
      name: 'technology',
      table: 'hm_institution_technology',
      title: '机构技术准入',
      key: 'tech_key',
      changedAt: 'updated_at',
      fields: [
        { name: 'tech_key', type: 'string', title: '准入记录' },
        { name: 'institution_id', type: 'integer', title: '医疗机构' },
        { name: 'kind', type: 'code', title: '技术类别', codeList: 'hm_tech_kind' },
        { name: 'tech_code', type: 'string', title: '技术代码' },
        { name: 'approved_on', type: 'date', title: '准入日期' },
        { name: 'valid_to', type: 'date', title: '准入有效期至' },
        { name: 'updated_at', type: 'timestamp', title: '更新时间' },
      ],
    },
  ],
  relations: [
    {
      name: 'encounter',
      title: '就诊',
      from: 'fee_line',
      fromField: 'encounter_id',
      to: 'encounter',
      cardinality: 'one',
      inverse: { name: 'fee_lines', title: '收费明细' },
    },
    {
      name: 'encounter',
      title: '就诊',
      from: 'diagnosis',
      fromField: 'encounter_id',
      to: 'encounter',
      cardinality: 'one',
      inverse: { name: 'diagnoses', title: '诊断' },
    },
    {
      name: 'encounter',
      title: '就诊',
      from: 'procedure',
      fromField: 'encounter_id',
      to: 'encounter',
      cardinality: 'one',
      inverse: { name: 'procedures', title: '手术操作' },
    },
    { name: 'practitioner', title: '接诊医师', from: 'encounter', fromField: 'practitioner_id', to: 'practitioner', cardinality: 'one' },
    { name: 'practitioner', title: '开单医师', from: 'fee_line', fromField: 'practitioner_id', to: 'practitioner', cardinality: 'one' },
    { name: 'surgeon', title: '术者', from: 'procedure', fromField: 'surgeon_id', to: 'practitioner', cardinality: 'one' },
    { name: 'grade_auth', title: '术者手术分级授权', from: 'procedure', fromField: 'grade_auth_key', to: 'authorization', cardinality: 'one' },
    { name: 'tech_auth', title: '术者该技术授权', from: 'procedure', fromField: 'tech_auth_key', to: 'authorization', cardinality: 'one' },
    { name: 'authorizations', title: '授权', from: 'practitioner', fromField: 'id', to: 'authorization', toField: 'practitioner_id', cardinality: 'many' },
    { name: 'qualification', title: '接诊医师执业资质', from: 'encounter', fromField: 'practitioner_id', to: 'qualification', cardinality: 'one' },
    { name: 'qualification', title: '开单医师执业资质', from: 'fee_line', fromField: 'practitioner_id', to: 'qualification', cardinality: 'one' },
    { name: 'qualification', title: '执业资质', from: 'practitioner', fromField: 'id', to: 'qualification', cardinality: 'one' },
    { name: 'device', title: '使用器械', from: 'fee_line', fromField: 'device_id', to: 'device', cardinality: 'one' },
    { name: 'new_tech_approval', title: '机构该新技术准入', from: 'procedure', fromField: 'new_tech_key', to: 'technology', cardinality: 'one' },
  ],
});

/** Sources a finding can come from, with the SQL (fixed text, no input) that places a hit in context. */
export const FINDING_SOURCES = ['fee_line', 'procedure', 'diagnosis', 'encounter'] as const;
export type FindingSource = (typeof FINDING_SOURCES)[number];

/** The date field of each finding source: previews read the last 90 days of it. */
export const DATE_FIELD: Record<FindingSource, string> = {
  fee_line: 'charged_on',
  procedure: 'performed_on',
  diagnosis: 'diagnosed_on',
  encounter: 'admitted_on',
};

export const CATEGORIES = [
  ['reasonable_treatment', '合理诊疗'],
  ['reasonable_fee', '合理收费'],
  ['restricted_tech', '限制类技术'],
  ['new_tech', '新技术'],
  ['surgery_authorization', '手术授权'],
  ['staff_behavior', '人员行为数据'],
  ['practitioner_qualification', '医师资质违规预警'],
  ['device_qualification', '器械资质匹配'],
  ['device_usage', '器械使用情况'],
  ['diagnosis_accuracy', '诊断准确性'],
  ['treatment_rationality', '治疗合理性'],
] as const;
export type Category = (typeof CATEGORIES)[number][0];
export const CATEGORY_CODES = CATEGORIES.map((c) => c[0]) as Category[];
export const CATEGORY_TITLE = Object.fromEntries(CATEGORIES) as Record<Category, string>;
