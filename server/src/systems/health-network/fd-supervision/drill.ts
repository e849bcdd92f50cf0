import type { ServiceContext } from '../../../platform/service-context.ts';
import { type TSchema, Type } from '@sinclair/typebox';
import { type Sql, sql } from '../../../platform/db/sql.ts';
import { enumOf, Id } from '../../../platform/http/schema.ts';
import { DistrictCode } from '../../common/master-data/schema.ts';
import { getInstitution, getPractitioner, SHANGHAI_DISTRICTS } from '../../common/master-data/service.ts';

/**
 * Drill-down shared by every supervision report: no filter → one row per district (全市); a district →
 * one row per community health service centre; a centre → one row per family doctor; a doctor → that
 * doctor. The caller's data scope still applies underneath (row-level security), so a district admin
 * asking for the whole city sees their own district only.
 */
export type Level = 'district' | 'institution' | 'doctor';
export const LEVEL_TITLE: Record<Level, string> = { district: '区', institution: '社区卫生服务中心', doctor: '家庭医生' };

export const DrillFields = {
  district: Type.Optional(DistrictCode),
  institutionId: Type.Optional(Id),
  doctorId: Type.Optional(Id),
  format: Type.Optional(enumOf(['json', 'xlsx'] as const, { description: 'xlsx: 导出 Excel' })),
};

export const drillQuery = <P extends Record<string, TSchema>>(extra: P) => Type.Object({ ...DrillFields, ...extra }, { additionalProperties: false });

export interface DrillInput {
  district?: string;
  institutionId?: number;
  doctorId?: number;
}

export interface Drill {
  level: Level;
  /** SQL of the group key (text) on a row with district_code / institution_id / doctor_id columns. */
  key: (alias?: string) => Sql;
  /** The drill filter's conditions (none at the city level); the caller ANDs them with its own. */
  filter: (alias?: string) => Sql[];
}

export function drillOf(q: DrillInput): Drill {
  const level: Level = q.doctorId !== undefined || q.institutionId !== undefined ? 'doctor' : q.district !== undefined ? 'institution' : 'district';
  const col = (a: string | undefined, c: string) => (a ? `${a}.${c}` : c);
  return {
    level,
    key: (a) =>
      sql.raw(level === 'district' ? col(a, 'district_code') : level === 'institution' ? `${col(a, 'institution_id')}::text` : `${col(a, 'doctor_id')}::text`),
    filter(a) {
      const eq = (c: string, v: unknown) => (v === undefined ? [] : [sql`${sql.raw(col(a, c))} = ${v}`]);
      return [...eq('district_code', q.district), ...eq('institution_id', q.institutionId), ...eq('doctor_id', q.doctorId)];
    },
  };
}

/** Display names of the group keys (districts from the built-in list, centres and doctors from master data). */
export async function groupNames(ctx: ServiceContext, level: Level, keys: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const k of keys) {
    if (level === 'district') out.set(k, SHANGHAI_DISTRICTS.find((d) => d.code === k)?.name ?? k);
    else if (level === 'institution') out.set(k, (await getInstitution(ctx, Number(k)))?.name ?? `机构 ${k}`);
    else out.set(k, (await getPractitioner(ctx, Number(k)))?.name ?? `医生 ${k}`);
  }
  return out;
}

/** The next drill step from a row of this level (what the page passes back to drill further). */
export function nextDrill(q: DrillInput, level: Level, key: string): DrillInput | null {
  if (level === 'district') return { district: key };
  if (level === 'institution') return { district: q.district, institutionId: Number(key) };
  return null;
}
