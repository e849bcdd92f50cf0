import { one, type Sql, sql, where } from '../../../platform/db/index.ts';
import type { Queryable } from '../../../platform/db/types.ts';
import type { Department, Institution, Practitioner, Region, Team } from './responses.ts';

/** The master-data module's SQL, in one place. Reads are city-wide; writes pass the RLS write policies. */

// ---------- shapes ----------

// The API shapes are declared in responses.ts; the mappers below are checked against them.
export type RegionDto = Region;
export type DepartmentDto = Department;
export type InstitutionDto = Institution;
export type PractitionerDto = Practitioner;
export type TeamDto = Team;

type R = Record<string, unknown>;
const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : (v as string));

function toRegion(r: R): RegionDto {
  return {
    code: r.code as string,
    name: r.name as string,
    level: r.level as RegionDto['level'],
    parentCode: (r.parent_code as string) ?? null,
    districtCode: (r.district_code as string) ?? null,
    streetCode: (r.street_code as string) ?? null,
    kind: (r.kind as string) ?? null,
  };
}

function toInstitution(r: R): InstitutionDto {
  return {
    id: r.id as number,
    code: r.code as string,
    name: r.name as string,
    shortName: (r.short_name as string) ?? null,
    kind: r.kind as string,
    level: (r.level as number) ?? null,
    grade: (r.grade as string) ?? null,
    category: r.category as string,
    ownership: r.ownership as string,
    parentId: (r.parent_id as number) ?? null,
    parentName: (r.parent_name as string) ?? null,
    districtCode: r.district_code as string,
    districtName: r.district_name as string,
    streetCode: (r.street_code as string) ?? null,
    streetName: (r.street_name as string) ?? null,
    address: (r.address as string) ?? null,
    phone: (r.phone as string) ?? null,
    lng: (r.lng as number) ?? null,
    lat: (r.lat as number) ?? null,
    active: r.active as boolean,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

function toPractitioner(r: R): PractitionerDto {
  return {
    id: r.id as number,
    institutionId: r.institution_id as number,
    institutionName: r.institution_name as string,
    departmentId: (r.department_id as number) ?? null,
    departmentName: (r.department_name as string) ?? null,
    name: r.name as string,
    sex: r.sex as 'M' | 'F',
    birthDate: (r.birth_date as string) ?? null,
    idNumberMasked: (r.id_number_mask as string) ?? null,
    qualificationNo: (r.qualification_no as string) ?? null,
    practiceCertNo: (r.practice_cert_no as string) ?? null,
    practiceCategory: (r.practice_category as string) ?? null,
    practiceScope: (r.practice_scope as string) ?? null,
    title: (r.title as string) ?? null,
    isFamilyDoctor: r.is_family_doctor as boolean,
    phoneMasked: (r.phone_mask as string) ?? null,
    districtCode: r.district_code as string,
    streetCode: (r.street_code as string) ?? null,
    active: r.active as boolean,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

/** The given columns with their values (undefined values are skipped); column names are checked. */
function columnsOf(values: Record<string, unknown>): [Sql, unknown][] {
  return Object.entries(values)
    .filter(([, v]) => v !== undefined)
    .map(([col, v]) => {
      if (!/^[a-z_]+$/.test(col)) throw new Error(`bad column ${col}`);
      return [sql.raw(col), v];
    });
}

/** `col = value, …` for the given columns. */
function setList(values: Record<string, unknown>): Sql[] {
  return columnsOf(values).map(([col, v]) => sql`${col} = ${v}`);
}

/** `(col, …) values (value, …)` for the given columns. */
function insertList(values: Record<string, unknown>): Sql {
  const cols = columnsOf(values);
  return sql`(${sql.join(cols.map(([c]) => c))}) values (${sql.join(cols.map(([, v]) => sql`${v}`))})`;
}

/** LIKE pattern text with its wildcards escaped (default escape character is backslash). */
export function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

// ---------- regions ----------

export async function listRegions(tx: Queryable, f: { level?: string; parent?: string }): Promise<RegionDto[]> {
  const rows = await tx.query<R>(
    sql`select code, name, level, parent_code, district_code, street_code, kind from region
     ${where([f.level && sql`level = ${f.level}`, f.parent && sql`parent_code = ${f.parent}`])} order by code`,
  );
  return rows.map(toRegion);
}

export async function getRegions(tx: Queryable, codes: readonly string[]): Promise<Map<string, RegionDto>> {
  if (codes.length === 0) return new Map();
  const rows = await tx.query<R>('select code, name, level, parent_code, district_code, street_code, kind from region where code = any($1::text[])', [
    [...new Set(codes)],
  ]);
  return new Map(rows.map((r) => [r.code as string, toRegion(r)]));
}

/** Districts and streets: what an import validates against (a few hundred rows). */
export async function regionLevels(tx: Queryable): Promise<Map<string, string>> {
  const rows = await tx.query<{ code: string; level: string }>("select code, level from region where level in ('district', 'street')");
  return new Map(rows.map((r) => [r.code, r.level]));
}

export async function countStreetsOf(tx: Queryable, district: string): Promise<number> {
  const r = await one<{ n: number }>(tx, sql`select count(*)::int as n from region where level = 'street' and district_code = ${district}`);
  return r.n;
}

export async function countCommunitiesOf(tx: Queryable, street: string): Promise<number> {
  const r = await one<{ n: number }>(tx, sql`select count(*)::int as n from region where level = 'community' and street_code = ${street}`);
  return r.n;
}

export interface RegionStageRow {
  code: string;
  name: string;
  level: 'street' | 'community';
  parentCode: string;
  districtCode: string;
  streetCode: string;
  kind: string;
}

const REGION_STAGE_COLS = ['code', 'name', 'level', 'parent_code', 'district_code', 'street_code', 'kind'] as const;

/** COPY into a transaction-local staging table, then one insert … on conflict: fast for 10k+ rows. */
export async function upsertRegions(tx: Queryable, rows: readonly RegionStageRow[]): Promise<{ inserted: number; updated: number }> {
  await tx.exec(`drop table if exists region_stage;
    create temp table region_stage (code text, name text, level text, parent_code text, district_code text, street_code text, kind text) on commit drop;`);
  await tx.copyRows(
    'region_stage',
    REGION_STAGE_COLS,
    rows.map((r) => [r.code, r.name, r.level, r.parentCode, r.districtCode, r.streetCode, r.kind]),
  );
  // Streets before communities; the foreign key on parent_code is checked at the end of the statement anyway.
  return one<{ inserted: number; updated: number }>(
    tx,
    sql`with up as (
       insert into region (code, name, level, parent_code, district_code, street_code, kind, source)
       select code, name, level, parent_code, district_code, street_code, kind, 'import' from region_stage
       order by level = 'community', code
       on conflict (code) do update set name = excluded.name, level = excluded.level, parent_code = excluded.parent_code,
         district_code = excluded.district_code, street_code = excluded.street_code, kind = excluded.kind, source = 'import'
       where region.source <> 'builtin'
         and (region.name, region.level, region.parent_code, region.district_code, region.street_code, region.kind, region.source)
           is distinct from (excluded.name, excluded.level, excluded.parent_code, excluded.district_code, excluded.street_code, excluded.kind, 'import')
       returning (xmax = 0) as ins)
     select (count(*) filter (where ins))::int as inserted, (count(*) filter (where not ins))::int as updated from up`,
  );
}

// ---------- institutions ----------

const INSTITUTION_SELECT = `
  select i.*, d.name as district_name, s.name as street_name, p.name as parent_name
  from institution i
  join region d on d.code = i.district_code
  left join region s on s.code = i.street_code
  left join institution p on p.id = i.parent_id`;

export interface InstitutionFilter {
  district?: string;
  kind?: string;
  q?: string;
  parentId?: number;
  limit: number;
  offset: number;
}

export async function listInstitutions(tx: Queryable, f: InstitutionFilter): Promise<{ items: InstitutionDto[]; total: number }> {
  const q = f.q ? likeEscape(f.q) : undefined;
  const w = where([
    f.district && sql`i.district_code = ${f.district}`,
    f.kind && sql`i.kind = ${f.kind}`,
    f.parentId && sql`i.parent_id = ${f.parentId}`,
    q !== undefined && sql`(i.name like '%' || ${q} || '%' or i.short_name like '%' || ${q} || '%' or i.code = ${q})`,
  ]);
  const c = await one<{ n: number }>(tx, sql`select count(*)::int as n from institution i ${w}`);
  const rows = await tx.query<R>(sql`${sql.raw(INSTITUTION_SELECT)} ${w} order by i.district_code, i.kind, i.code limit ${f.limit} offset ${f.offset}`);
  return { items: rows.map(toInstitution), total: c.n };
}

export async function getInstitution(tx: Queryable, id: number, forUpdate = false): Promise<InstitutionDto | null> {
  const [r] = await tx.query<R>(`${INSTITUTION_SELECT} where i.id = $1${forUpdate ? ' for update of i' : ''}`, [id]);
  return r ? toInstitution(r) : null;
}

export async function institutionIdByCode(tx: Queryable, code: string): Promise<number | null> {
  const [r] = await tx.query<{ id: number }>('select id from institution where code = $1', [code]);
  return r?.id ?? null;
}

export async function institutionsByCodes(
  tx: Queryable,
  codes: readonly string[],
): Promise<Map<string, { id: number; parentId: number | null; hasBranches: boolean }>> {
  if (codes.length === 0) return new Map();
  const rows = await tx.query<{ code: string; id: number; parent_id: number | null; has_branches: boolean }>(
    `select i.code, i.id, i.parent_id, exists (select 1 from institution b where b.parent_id = i.id) as has_branches
     from institution i where i.code = any($1::text[])`,
    [[...new Set(codes)]],
  );
  return new Map(rows.map((r) => [r.code, { id: r.id, parentId: r.parent_id, hasBranches: r.has_branches }]));
}

export async function hasBranches(tx: Queryable, id: number): Promise<boolean> {
  const r = await one<{ n: number }>(tx, sql`select count(*)::int as n from institution where parent_id = ${id}`);
  return r.n > 0;
}

export interface InstitutionColumns {
  code?: string;
  name?: string;
  short_name?: string | null;
  kind?: string;
  level?: number | null;
  grade?: string | null;
  category?: string;
  ownership?: string;
  parent_id?: number | null;
  district_code?: string;
  street_code?: string | null;
  address?: string | null;
  phone?: string | null;
  lng?: number | null;
  lat?: number | null;
  active?: boolean;
}

export async function insertInstitution(tx: Queryable, cols: InstitutionColumns): Promise<number> {
  const r = await one<{ id: number }>(tx, sql`insert into institution ${insertList(cols as Record<string, unknown>)} returning id`);
  return r.id;
}

/** Returns false when row-level security hides the row from the writer (outside their scope). */
export async function updateInstitution(tx: Queryable, id: number, cols: InstitutionColumns): Promise<boolean> {
  const sets = setList(cols as Record<string, unknown>);
  const rows = await tx.query(sql`update institution set ${sql.join([...sets, sql`updated_at = now()`])} where id = ${id} returning id`);
  return rows.length === 1;
}

/** Departments, practitioners and teams carry the institution's district/street as their scope key. */
export async function recopyScopeKeys(tx: Queryable, institutionId: number, district: string, street: string | null): Promise<void> {
  await tx.query('update department set district_code = $2 where institution_id = $1 and district_code <> $2', [institutionId, district]);
  await tx.query(
    'update practitioner set district_code = $2, street_code = $3, updated_at = now() where institution_id = $1 and (district_code, street_code) is distinct from ($2, $3)',
    [institutionId, district, street],
  );
  await tx.query('update team set district_code = $2, street_code = $3 where institution_id = $1 and (district_code, street_code) is distinct from ($2, $3)', [
    institutionId,
    district,
    street,
  ]);
}

export async function listDepartments(tx: Queryable, institutionId: number): Promise<DepartmentDto[]> {
  return tx.query<DepartmentDto>('select id, code, name from department where institution_id = $1 order by code', [institutionId]);
}

export async function upsertDepartments(
  tx: Queryable,
  institutionId: number,
  district: string,
  deps: readonly { code: string; name: string }[],
): Promise<void> {
  if (deps.length === 0) return;
  await tx.query(
    `insert into department (institution_id, code, name, district_code)
     select $1, code, name, $2 from unnest($3::text[], $4::text[]) as t(code, name)
     on conflict (institution_id, code) do update set name = excluded.name`,
    [institutionId, district, deps.map((d) => d.code), deps.map((d) => d.name)],
  );
}

export async function departmentOf(tx: Queryable, departmentId: number): Promise<{ id: number; institutionId: number } | null> {
  const [r] = await tx.query<{ id: number; institution_id: number }>('select id, institution_id from department where id = $1', [departmentId]);
  return r ? { id: r.id, institutionId: r.institution_id } : null;
}

export async function listBranches(tx: Queryable, id: number): Promise<InstitutionDto[]> {
  const rows = await tx.query<R>(`${INSTITUTION_SELECT} where i.parent_id = $1 order by i.code`, [id]);
  return rows.map(toInstitution);
}

/** The community health centre (社区卫生服务中心) serving a street: the 总院 before its branches. */
export async function chcOfStreet(tx: Queryable, street: string): Promise<number | null> {
  const [r] = await tx.query<{ id: number }>(
    "select id from institution where kind = 'chc' and street_code = $1 and active order by parent_id nulls first, id limit 1",
    [street],
  );
  return r?.id ?? null;
}

export interface InstitutionStageRow {
  code: string;
  name: string;
  kind: string;
  level: number | null;
  grade: string | null;
  category: string;
  districtCode: string;
  streetCode: string | null;
  parentCode: string | null;
  address: string | null;
  phone: string | null;
}

export async function upsertInstitutions(tx: Queryable, rows: readonly InstitutionStageRow[]): Promise<{ inserted: number; updated: number }> {
  await tx.exec(`drop table if exists institution_stage;
    create temp table institution_stage (code text, name text, kind text, level int, grade text, category text,
      district_code text, street_code text, parent_code text, address text, phone text) on commit drop;`);
  await tx.copyRows(
    'institution_stage',
    ['code', 'name', 'kind', 'level', 'grade', 'category', 'district_code', 'street_code', 'parent_code', 'address', 'phone'],
    rows.map((r) => [r.code, r.name, r.kind, r.level, r.grade, r.category, r.districtCode, r.streetCode, r.parentCode, r.address, r.phone]),
  );
  const c = await one<{ inserted: number; updated: number }>(
    tx,
    sql`with up as (
       insert into institution (code, name, kind, level, grade, category, district_code, street_code, address, phone)
       select code, name, kind, level, grade, category, district_code, street_code, address, phone from institution_stage
       on conflict (code) do update set name = excluded.name, kind = excluded.kind, level = excluded.level, grade = excluded.grade,
         category = excluded.category, district_code = excluded.district_code, street_code = excluded.street_code,
         address = excluded.address, phone = excluded.phone, updated_at = now()
       where (institution.name, institution.kind, institution.level, institution.grade, institution.category, institution.district_code,
              institution.street_code, institution.address, institution.phone)
         is distinct from (excluded.name, excluded.kind, excluded.level, excluded.grade, excluded.category, excluded.district_code,
              excluded.street_code, excluded.address, excluded.phone)
       returning (xmax = 0) as ins)
     select (count(*) filter (where ins))::int as inserted, (count(*) filter (where not ins))::int as updated from up`,
  );
  // Parents last: a branch may come before its 总院 in the file.
  await tx.query(
    `update institution i set parent_id = p.id, updated_at = now()
     from institution_stage s left join institution p on p.code = s.parent_code
     where i.code = s.code and i.parent_id is distinct from p.id`,
  );
  // Staff and teams follow their institution's district/street.
  await tx.query(
    `update practitioner pr set district_code = i.district_code, street_code = i.street_code, updated_at = now()
     from institution i join institution_stage s on s.code = i.code
     where pr.institution_id = i.id and (pr.district_code, pr.street_code) is distinct from (i.district_code, i.street_code)`,
  );
  return c;
}

// ---------- practitioners ----------

const PRACTITIONER_SELECT = `
  select p.*, i.name as institution_name, d.name as department_name
  from practitioner p
  join institution i on i.id = p.institution_id
  left join department d on d.id = p.department_id`;

export interface PractitionerFilter {
  institutionId?: number;
  district?: string;
  q?: string;
  familyDoctor?: boolean;
  limit: number;
  offset: number;
}

export async function listPractitioners(tx: Queryable, f: PractitionerFilter): Promise<{ items: PractitionerDto[]; total: number }> {
  const q = f.q ? likeEscape(f.q) : undefined;
  const w = where([
    f.institutionId && sql`p.institution_id = ${f.institutionId}`,
    f.district && sql`p.district_code = ${f.district}`,
    f.familyDoctor !== undefined && sql`p.is_family_doctor = ${f.familyDoctor}`,
    q !== undefined && sql`(p.name like ${q} || '%' or p.practice_cert_no = ${q} or p.qualification_no = ${q})`,
  ]);
  const c = await one<{ n: number }>(tx, sql`select count(*)::int as n from practitioner p ${w}`);
  const rows = await tx.query<R>(sql`${sql.raw(PRACTITIONER_SELECT)} ${w} order by p.institution_id, p.id limit ${f.limit} offset ${f.offset}`);
  return { items: rows.map(toPractitioner), total: c.n };
}

export async function getPractitioner(tx: Queryable, id: number): Promise<PractitionerDto | null> {
  const [r] = await tx.query<R>(`${PRACTITIONER_SELECT} where p.id = $1`, [id]);
  return r ? toPractitioner(r) : null;
}

export async function practitionerIdByBlindIndex(tx: Queryable, bi: string): Promise<number | null> {
  const [r] = await tx.query<{ id: number }>('select id from practitioner where id_number_bi = $1', [bi]);
  return r?.id ?? null;
}

export async function practitionerIdNumberEnc(tx: Queryable, id: number): Promise<string | null> {
  const [r] = await tx.query<{ id_number_enc: string | null }>('select id_number_enc from practitioner where id = $1', [id]);
  return r?.id_number_enc ?? null;
}

export interface PractitionerColumns {
  institution_id?: number;
  department_id?: number | null;
  name?: string;
  sex?: string;
  birth_date?: string | null;
  id_number_enc?: string | null;
  id_number_bi?: string | null;
  id_number_mask?: string | null;
  qualification_no?: string | null;
  practice_cert_no?: string | null;
  practice_category?: string | null;
  practice_scope?: string | null;
  title?: string | null;
  is_family_doctor?: boolean;
  phone_enc?: string | null;
  phone_mask?: string | null;
  district_code?: string;
  street_code?: string | null;
  active?: boolean;
}

export async function insertPractitioner(tx: Queryable, cols: PractitionerColumns): Promise<number> {
  const r = await one<{ id: number }>(tx, sql`insert into practitioner ${insertList(cols as Record<string, unknown>)} returning id`);
  return r.id;
}

export async function updatePractitioner(tx: Queryable, id: number, cols: PractitionerColumns): Promise<boolean> {
  const sets = setList(cols as Record<string, unknown>);
  const rows = await tx.query(sql`update practitioner set ${sql.join([...sets, sql`updated_at = now()`])} where id = ${id} returning id`);
  return rows.length === 1;
}

export async function practitionersByIds(
  tx: Queryable,
  ids: readonly number[],
): Promise<Map<number, { id: number; institutionId: number; name: string; title: string | null; isFamilyDoctor: boolean; active: boolean }>> {
  if (ids.length === 0) return new Map();
  const rows = await tx.query<{ id: number; institution_id: number; name: string; title: string | null; is_family_doctor: boolean; active: boolean }>(
    'select id, institution_id, name, title, is_family_doctor, active from practitioner where id = any($1::bigint[])',
    [[...new Set(ids)]],
  );
  return new Map(
    rows.map((r) => [r.id, { id: r.id, institutionId: r.institution_id, name: r.name, title: r.title, isFamilyDoctor: r.is_family_doctor, active: r.active }]),
  );
}

/** Names of institutions, teams and practitioners by id, in one round trip (list pages). */
export async function namesOf(
  tx: Queryable,
  ids: { institutions?: readonly (number | null)[]; teams?: readonly (number | null)[]; practitioners?: readonly (number | null)[] },
): Promise<{ institutions: Map<number, string>; teams: Map<number, string>; practitioners: Map<number, string> }> {
  const distinct = (list: readonly (number | null)[] | undefined) => [...new Set((list ?? []).filter((v): v is number => v != null))];
  const lists = [distinct(ids.institutions), distinct(ids.teams), distinct(ids.practitioners)];
  const out = { institutions: new Map<number, string>(), teams: new Map<number, string>(), practitioners: new Map<number, string>() };
  if (lists.every((l) => l.length === 0)) return out;
  const rows = await tx.query<{ k: 'i' | 't' | 'p'; id: number | string; name: string }>(
    `select 'i' as k, id, name from institution where id = any($1::bigint[])
     union all select 't', id, name from team where id = any($2::bigint[])
     union all select 'p', id, name from practitioner where id = any($3::bigint[])`,
    lists,
  );
  const into = { i: out.institutions, t: out.teams, p: out.practitioners };
  for (const r of rows) into[r.k].set(Number(r.id), r.name);
  return out;
}

// ---------- teams ----------

export async function insertTeam(
  tx: Queryable,
  t: { institutionId: number; name: string; leaderId: number | null; districtCode: string; streetCode: string | null },
): Promise<number> {
  const r = await one<{ id: number }>(
    tx,
    sql`insert into team (institution_id, name, leader_id, district_code, street_code) values (${t.institutionId}, ${t.name}, ${t.leaderId}, ${t.districtCode}, ${t.streetCode}) returning id`,
  );
  return r.id;
}

export async function insertTeamMembers(tx: Queryable, teamId: number, members: readonly { practitionerId: number; role: string }[]): Promise<void> {
  if (members.length === 0) return;
  await tx.query('insert into team_member (team_id, practitioner_id, member_role) select $1, * from unnest($2::bigint[], $3::text[])', [
    teamId,
    members.map((m) => m.practitionerId),
    members.map((m) => m.role),
  ]);
}

export async function insertTeamCommunities(tx: Queryable, teamId: number, codes: readonly string[]): Promise<void> {
  if (codes.length === 0) return;
  await tx.query('insert into team_community (team_id, community_code) select $1, unnest($2::text[])', [teamId, codes]);
}

export async function listTeams(
  tx: Queryable,
  f: { institutionId?: number; id?: number; limit: number; offset: number },
): Promise<{ items: TeamDto[]; total: number }> {
  const w = where([f.institutionId && sql`t.institution_id = ${f.institutionId}`, f.id && sql`t.id = ${f.id}`]);
  const c = await one<{ n: number }>(tx, sql`select count(*)::int as n from team t ${w}`);
  const rows = await tx.query<R>(
    sql`select t.*, i.name as institution_name, l.name as leader_name,
       coalesce((select json_agg(json_build_object('practitionerId', m.practitioner_id, 'name', p.name, 'role', m.member_role)
                                 order by m.member_role <> 'leader', p.id)
                 from team_member m join practitioner p on p.id = m.practitioner_id where m.team_id = t.id), '[]') as members,
       coalesce((select json_agg(json_build_object('code', c.community_code, 'name', r.name) order by c.community_code)
                 from team_community c join region r on r.code = c.community_code where c.team_id = t.id), '[]') as communities
     from team t join institution i on i.id = t.institution_id left join practitioner l on l.id = t.leader_id
     ${w} order by t.institution_id, t.id limit ${f.limit} offset ${f.offset}`,
  );
  const items = rows.map((r): TeamDto => {
    const communities = (typeof r.communities === 'string' ? JSON.parse(r.communities) : r.communities) as TeamDto['communities'];
    return {
      id: r.id as number,
      institutionId: r.institution_id as number,
      institutionName: r.institution_name as string,
      name: r.name as string,
      leaderId: (r.leader_id as number) ?? null,
      leaderName: (r.leader_name as string) ?? null,
      districtCode: r.district_code as string,
      streetCode: (r.street_code as string) ?? null,
      active: r.active as boolean,
      members: (typeof r.members === 'string' ? JSON.parse(r.members) : r.members) as TeamDto['members'],
      communityCodes: communities.map((c) => c.code),
      communities,
      createdAt: iso(r.created_at),
    };
  });
  return { items, total: c.n };
}

// ---------- statistics ----------

export async function districtCounts(tx: Queryable): Promise<{ code: string; name: string; institutions: number; practitioners: number }[]> {
  return tx.query(
    `select r.code, r.name,
       coalesce(i.n, 0)::int as institutions, coalesce(p.n, 0)::int as practitioners
     from region r
     left join (select district_code, count(*) as n from institution where active group by district_code) i on i.district_code = r.code
     left join (select district_code, count(*) as n from practitioner where active group by district_code) p on p.district_code = r.code
     where r.level = 'district' order by r.code`,
  );
}
