import type { Queryable } from '../../../platform/db/types.ts';

export const CITY_CODE = '310000';

/** The 16 districts of Shanghai (国家统计局 codes). Built in: every scope key refers to them. */
export const SHANGHAI_DISTRICTS: readonly { code: string; name: string }[] = [
  { code: '310101', name: '黄浦区' },
  { code: '310104', name: '徐汇区' },
  { code: '310105', name: '长宁区' },
  { code: '310106', name: '静安区' },
  { code: '310107', name: '普陀区' },
  { code: '310109', name: '虹口区' },
  { code: '310110', name: '杨浦区' },
  { code: '310112', name: '闵行区' },
  { code: '310113', name: '宝山区' },
  { code: '310114', name: '嘉定区' },
  { code: '310115', name: '浦东新区' },
  { code: '310116', name: '金山区' },
  { code: '310117', name: '松江区' },
  { code: '310118', name: '青浦区' },
  { code: '310120', name: '奉贤区' },
  { code: '310151', name: '崇明区' },
];

export const DISTRICT_CODES: readonly string[] = SHANGHAI_DISTRICTS.map((d) => d.code);

/** Idempotent: runs on every start as the table owner (outside any request scope). */
export async function seedBuiltinRegions(db: Queryable): Promise<void> {
  const codes = [CITY_CODE, ...DISTRICT_CODES];
  const names = ['上海市', ...SHANGHAI_DISTRICTS.map((d) => d.name)];
  const levels = ['city', ...DISTRICT_CODES.map(() => 'district')];
  const parents = [null, ...DISTRICT_CODES.map(() => CITY_CODE)];
  const districts = [null, ...DISTRICT_CODES];
  // City first in the array: its row must exist before the districts' parent_code references it.
  await db.query(
    `insert into region (code, name, level, parent_code, district_code, source)
     select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) as t(code, name, level, parent_code, district_code)
     cross join (values ('builtin')) s(source)
     on conflict (code) do update set name = excluded.name, level = excluded.level, parent_code = excluded.parent_code,
       district_code = excluded.district_code, source = 'builtin'
     where (region.name, region.level, region.parent_code, region.district_code, region.source)
       is distinct from (excluded.name, excluded.level, excluded.parent_code, excluded.district_code, excluded.source)`,
    [codes, names, levels, parents, districts],
  );
}
