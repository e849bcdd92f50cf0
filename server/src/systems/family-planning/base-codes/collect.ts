import type { Queryable } from '../../../platform/db/types.ts';
import { ROLES } from '../../../platform/auth/roles.ts';
import type { Scope } from '../../../platform/scope/scope.ts';
// master-data exports no bulk institution list in its service; its repository read is city-wide by design.
import { listInstitutions } from '../../common/master-data/repository.ts';
import { listRegions } from '../../common/master-data/service.ts';
import { type Entity, LEVEL_CODE, region12 } from './format.ts';

/** Only a district's own part for a district administrator; everything for the city. */
const districtOf = (scope: Scope) => (scope.level === 'city' ? null : (scope.districtCode ?? '__none__'));

export async function regionRows(tx: Queryable, scope: Scope): Promise<Record<string, unknown>[]> {
  const d = districtOf(scope);
  const all = await listRegions({ tx }, {});
  return all
    .filter((r) => d === null || r.code.startsWith(d))
    .sort((a, b) => region12(a.code).localeCompare(region12(b.code)))
    .map((r) => ({
      XZQHDM: region12(r.code),
      XZQHMC: r.name,
      XZQHJB: LEVEL_CODE[r.level] ?? '',
      SJXZQHDM: region12(r.parentCode),
      GBDM: r.level === 'city' || r.level === 'district' ? r.code.slice(0, 6).padEnd(6, '0') : '',
      YXBZ: '1',
    }));
}

export async function institutionRows(tx: Queryable, scope: Scope): Promise<Record<string, unknown>[]> {
  const d = districtOf(scope);
  const { items } = await listInstitutions(tx, { district: d ?? undefined, limit: 100_000, offset: 0 });
  const codeById = new Map(items.map((i) => [i.id, i.code]));
  // A parent in another district (rare) is still named by its code.
  const missing = [...new Set(items.map((i) => i.parentId).filter((p): p is number => p !== null && !codeById.has(p)))];
  if (missing.length)
    for (const r of await tx.query<{ id: number; code: string }>('select id::int as id, code from institution where id = any($1::bigint[])', [missing]))
      codeById.set(r.id, r.code);
  return items.map((i) => ({
    JGDM: i.code,
    JGMC: i.name,
    JGJC: i.shortName ?? '',
    JGLB: i.kind,
    JGFL: i.category,
    JGJB: i.level ?? '',
    JGDJ: i.grade ?? '',
    SYZXS: i.ownership,
    SJJGDM: i.parentId ? (codeById.get(i.parentId) ?? '') : '',
    XZQHDM: region12(i.streetCode ?? i.districtCode),
    DZ: i.address ?? '',
    LXDH: i.phone ?? '',
    JD: i.lng ?? '',
    WD: i.lat ?? '',
    YXBZ: i.active ? '1' : '0',
  }));
}

/**
 * Staff accounts inside the caller's scope (row-level security on app_user). Only identity and
 * placement: never the password hash, second-factor secret, lock state or sessions.
 */
export async function userRows(tx: Queryable, scope: Scope): Promise<Record<string, unknown>[]> {
  const d = districtOf(scope);
  const rows = await tx.query<Record<string, string | boolean | null>>(
    `select u.username, u.display_name, u.role, u.scope_level, coalesce(u.scope_street, u.scope_district) as region, u.disabled, u.created_at,
            coalesce(i.code, pi.code) as inst_code
       from app_user u
       left join institution i on i.id = u.scope_institution_id
       left join practitioner p on p.id = u.practitioner_id
       left join institution pi on pi.id = p.institution_id
      where ($1::text is null or u.scope_district = $1)
      order by u.username`,
    [d],
  );
  return rows.map((u) => ({
    YHZH: u.username,
    YHXM: u.display_name,
    JSDM: u.role,
    JSMC: ROLES[u.role as keyof typeof ROLES] ?? u.role,
    SJFWJB: u.scope_level,
    XZQHDM: region12(u.region as string | null),
    JGDM: u.inst_code ?? '',
    YXBZ: u.disabled ? '0' : '1',
    CJSJ: new Date(String(u.created_at)).toISOString().replace('T', ' ').slice(0, 19),
  }));
}

export function rowsOf(entity: Entity, tx: Queryable, scope: Scope): Promise<Record<string, unknown>[]> {
  return entity === 'region' ? regionRows(tx, scope) : entity === 'institution' ? institutionRows(tx, scope) : userRows(tx, scope);
}
