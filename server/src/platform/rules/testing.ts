/**
 * Test helpers: a small catalog (people, practitioners and their qualifications, encounters, fee
 * lines) and loading an in-memory dataset into real tables, so both back ends judge the same rows.
 */
import type { Queryable } from '../db/types.ts';
import { type Catalog, defineCatalog, quoteIdent, type Source, type ValueType } from './catalog.ts';
import type { Dataset } from './evaluate.ts';

export const TEST_SCHEMA = 'rules_test';

export const testCatalog: Catalog = defineCatalog({
  codeLists: [
    { name: 'fee_item', title: '收费项目', codes: { '001': 'B超', '002': '心电图', '003': '血常规', X01: '限制类技术甲' } },
    { name: 'hukou', title: '户籍', codes: { sh: '上海', other: '外省市' } },
    { name: 'visit_kind', title: '就诊类型', codes: { op: '门诊', ip: '住院' } },
    { name: 'pract_title', title: '职称', codes: { junior: '初级', middle: '中级', senior: '高级' } },
    { name: 'qual_kind', title: '资质类别', codes: { license: '执业资格', X01: '限制类技术甲授权' } },
  ],
  sources: [
    {
      name: 'person',
      table: `${TEST_SCHEMA}.person`,
      title: '人员',
      key: 'id',
      fields: [
        { name: 'id', type: 'integer', title: '人员编号' },
        { name: 'name', type: 'string', title: '姓名' },
        { name: 'birth_date', type: 'date', title: '出生日期' },
        { name: 'hukou', type: 'code', title: '户籍', codeList: 'hukou' },
        { name: 'alive', type: 'boolean', title: '在世' },
        { name: 'height', type: 'number', title: '身高', scale: 1 },
      ],
    },
    {
      name: 'practitioner',
      table: `${TEST_SCHEMA}.practitioner`,
      title: '医师',
      key: 'id',
      fields: [
        { name: 'id', type: 'integer', title: '医师编号' },
        { name: 'name', type: 'string', title: '医师姓名' },
        { name: 'title', type: 'code', title: '职称', codeList: 'pract_title' },
        { name: 'licensed', type: 'boolean', title: '具备执业资格' },
        { name: 'licensed_on', type: 'date', title: '执业注册日期' },
      ],
    },
    {
      name: 'qualification',
      table: `${TEST_SCHEMA}.qualification`,
      title: '医师资质',
      key: 'id',
      fields: [
        { name: 'id', type: 'integer', title: '资质编号' },
        { name: 'practitioner_id', type: 'integer', title: '医师' },
        { name: 'kind', type: 'code', title: '资质类别', codeList: 'qual_kind' },
        { name: 'valid_to', type: 'date', title: '有效期至' },
      ],
    },
    {
      name: 'encounter',
      table: `${TEST_SCHEMA}.encounter`,
      title: '就诊',
      key: 'id',
      changedAt: 'updated_at',
      fields: [
        { name: 'id', type: 'integer', title: '就诊编号' },
        { name: 'person_id', type: 'integer', title: '患者' },
        { name: 'practitioner_id', type: 'integer', title: '医师' },
        { name: 'kind', type: 'code', title: '就诊类型', codeList: 'visit_kind' },
        { name: 'visit_date', type: 'date', title: '就诊日期' },
        { name: 'discharge_date', type: 'date', title: '出院日期' },
        { name: 'total', type: 'number', title: '总费用', scale: 2 },
        { name: 'updated_at', type: 'timestamp', title: '更新时间' },
      ],
    },
    {
      name: 'fee_line',
      table: `${TEST_SCHEMA}.fee_line`,
      title: '收费明细',
      key: 'id',
      fields: [
        { name: 'id', type: 'integer', title: '明细编号' },
        { name: 'encounter_id', type: 'integer', title: '就诊' },
        { name: 'item_code', type: 'code', title: '收费项目', codeList: 'fee_item' },
        { name: 'qty', type: 'integer', title: '数量' },
        { name: 'price', type: 'number', title: '单价', scale: 2 },
        { name: 'amount', type: 'number', title: '金额', scale: 2 },
        { name: 'fee_date', type: 'date', title: '收费日期' },
        { name: 'charged_at', type: 'timestamp', title: '收费时间' },
        { name: 'note', type: 'string', title: '备注' },
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
      name: 'person',
      title: '患者',
      from: 'encounter',
      fromField: 'person_id',
      to: 'person',
      cardinality: 'one',
      inverse: { name: 'encounters', title: '就诊记录' },
    },
    {
      name: 'practitioner',
      title: '医师',
      from: 'encounter',
      fromField: 'practitioner_id',
      to: 'practitioner',
      cardinality: 'one',
      inverse: { name: 'encounters', title: '接诊记录' },
    },
    {
      name: 'practitioner',
      title: '医师',
      from: 'qualification',
      fromField: 'practitioner_id',
      to: 'practitioner',
      cardinality: 'one',
      inverse: { name: 'qualifications', title: '资质' },
    },
  ],
});

const PG_COLUMN: Record<ValueType, (scale: number) => string> = {
  string: () => 'text',
  code: () => 'text',
  integer: () => 'int8',
  number: (s) => `numeric(18, ${s})`,
  boolean: () => 'boolean',
  date: () => 'date',
  timestamp: () => 'timestamptz',
};

/** CREATE TABLE for a source as the catalog describes it (tests and benchmarks). */
export function createTableSql(src: Source): string {
  const cols = [...src.fields.values()].map((f) => `${quoteIdent(f.column)} ${PG_COLUMN[f.type](f.scale)}${f === src.key ? ' PRIMARY KEY' : ''}`);
  return `CREATE TABLE ${quoteIdent(src.table)} (${cols.join(', ')})`;
}

export async function createTables(q: Queryable, catalog: Catalog): Promise<void> {
  const schemas = new Set([...catalog.sources.values()].filter((s) => s.table.includes('.')).map((s) => s.table.split('.')[0]));
  for (const s of schemas) await q.exec(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(s!)}`);
  for (const s of catalog.sources.values()) await q.exec(createTableSql(s));
}

/** Replaces the tables' rows with the dataset's (COPY). */
export async function loadDataset(q: Queryable, catalog: Catalog, data: Dataset): Promise<void> {
  await q.exec(`TRUNCATE ${[...catalog.sources.values()].map((s) => quoteIdent(s.table)).join(', ')}`);
  for (const s of catalog.sources.values()) {
    const fields = [...s.fields.values()];
    await q.copyRows(
      s.table,
      fields.map((f) => f.column),
      (data[s.name] ?? []).map((r) => fields.map((f) => r[f.name] ?? null)),
    );
  }
}
