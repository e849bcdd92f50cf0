import { defineCatalog, type Expr } from '../../../platform/rules/index.ts';
import { ref, trunc } from '../../../platform/rules/build.ts';
import { complianceCatalog } from '../compliance/catalog.ts';

/**
 * The analytics catalog: the compliance module's hospital data catalog plus the master data the
 * dimensions need — the institution (and its district, as a region) and the department of an encounter.
 * Extending (not copying) the compliance catalog keeps one meaning for every field; indicators and
 * data-quality checks both read through it.
 */
export const analyticsCatalog = defineCatalog(...complianceCatalog.parts, {
  sources: [
    {
      name: 'institution',
      table: 'institution',
      title: '医疗机构',
      key: 'id',
      fields: [
        { name: 'id', type: 'integer', title: '机构编号' },
        { name: 'name', type: 'string', title: '机构名称' },
        { name: 'district_code', type: 'string', title: '所在区' },
      ],
    },
    {
      name: 'department',
      table: 'department',
      title: '科室',
      key: 'id',
      fields: [
        { name: 'id', type: 'integer', title: '科室编号' },
        { name: 'institution_id', type: 'integer', title: '所属机构' },
        { name: 'name', type: 'string', title: '科室名称' },
      ],
    },
    {
      name: 'region',
      table: 'region',
      title: '行政区划',
      key: 'code',
      fields: [
        { name: 'code', type: 'string', title: '区划代码' },
        { name: 'name', type: 'string', title: '区划名称' },
      ],
    },
  ],
  relations: [
    { name: 'institution', title: '医疗机构', from: 'encounter', fromField: 'institution_id', to: 'institution', cardinality: 'one' },
    { name: 'department', title: '科室', from: 'encounter', fromField: 'department_id', to: 'department', cardinality: 'one' },
    { name: 'district', title: '所在区', from: 'institution', fromField: 'district_code', to: 'region', cardinality: 'one' },
  ],
});

/** Sources an indicator may count, with the date that places a row in a period and the path to its encounter. */
export const INDICATOR_SOURCES = {
  encounter: { title: '就诊', dateField: 'admitted_on', toEncounter: '' },
  fee_line: { title: '收费明细', dateField: 'charged_on', toEncounter: 'encounter.' },
  diagnosis: { title: '诊断', dateField: 'diagnosed_on', toEncounter: 'encounter.' },
  procedure: { title: '手术操作', dateField: 'performed_on', toEncounter: 'encounter.' },
} as const;
export type IndicatorSource = keyof typeof INDICATOR_SOURCES;
export const INDICATOR_SOURCE_NAMES = Object.keys(INDICATOR_SOURCES) as IndicatorSource[];

export const DIMENSIONS = [
  ['institution', '医疗机构'],
  ['department', '科室'],
  ['district', '区'],
  ['month', '月份'],
] as const;
export type DimensionCode = (typeof DIMENSIONS)[number][0];
export const DIMENSION_CODES = DIMENSIONS.map((d) => d[0]) as DimensionCode[];
export const DIMENSION_TITLE = Object.fromEntries(DIMENSIONS) as Record<DimensionCode, string>;

/** A dimension read on a source: the grouping key and (except months) a label grouped with it. */
export function dimensionExprs(source: IndicatorSource, d: DimensionCode): { key: Expr; label?: Expr } {
  const s = INDICATOR_SOURCES[source];
  const e = s.toEncounter;
  switch (d) {
    case 'institution':
      return { key: ref(`${e}institution_id`), label: ref(`${e}institution.name`) };
    case 'department':
      return { key: ref(`${e}department_id`), label: ref(`${e}department.name`) };
    case 'district':
      return { key: ref(`${e}institution.district_code`), label: ref(`${e}institution.district.name`) };
    case 'month':
      return { key: trunc(ref(s.dateField), 'month') };
  }
}
