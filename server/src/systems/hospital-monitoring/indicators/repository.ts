import type { Queryable } from '../../../platform/db/types.ts';
import type { IndicatorDefinition } from './definition.ts';

export interface IndicatorRow {
  id: number;
  code: string | null;
  title: string;
  description: string | null;
  current_version: number;
  builtin: boolean;
  definition: IndicatorDefinition;
  sentence: string;
  created_by: string;
  updated_at: Date;
}

const SELECT = `select i.id::int as id, i.code, i.title, i.description, i.current_version, i.builtin, v.definition, v.sentence, i.created_by, i.updated_at
  from ind_indicator i join ind_indicator_version v on v.indicator_id = i.id and v.version = i.current_version`;

export async function listIndicators(tx: Queryable, ids?: readonly number[]): Promise<IndicatorRow[]> {
  if (ids) return tx.query<IndicatorRow>(`${SELECT} where not i.archived and i.id = any($1::int8[]) order by i.id`, [ids]);
  return tx.query<IndicatorRow>(`${SELECT} where not i.archived order by i.builtin desc, i.id`);
}

export async function findIndicator(tx: Queryable, id: number, forUpdate = false): Promise<IndicatorRow | null> {
  const [r] = await tx.query<IndicatorRow>(`${SELECT} where i.id = $1 and not i.archived${forUpdate ? ' for update of i' : ''}`, [id]);
  return r ?? null;
}

export async function insertIndicator(
  tx: Queryable,
  r: { code: string | null; title: string; description: string | null; builtin: boolean; createdBy: string },
): Promise<number> {
  const row = (
    await tx.query<{ id: number }>(
      'insert into ind_indicator (code, title, description, builtin, created_by) values ($1, $2, $3, $4, $5) returning id::int as id',
      [r.code, r.title, r.description, r.builtin, r.createdBy],
    )
  )[0]!;
  return row.id;
}

export async function insertVersion(tx: Queryable, id: number, version: number, d: IndicatorDefinition, sentence: string, by: string): Promise<void> {
  await tx.query('insert into ind_indicator_version (indicator_id, version, definition, sentence, created_by) values ($1, $2, $3, $4, $5)', [
    id,
    version,
    JSON.stringify(d),
    sentence,
    by,
  ]);
}

export async function setCurrent(tx: Queryable, id: number, version: number, title: string, description: string | null): Promise<void> {
  await tx.query('update ind_indicator set current_version = $2, title = $3, description = $4, updated_at = now() where id = $1', [
    id,
    version,
    title,
    description,
  ]);
}

export async function archive(tx: Queryable, id: number): Promise<void> {
  await tx.query('update ind_indicator set archived = true, updated_at = now() where id = $1', [id]);
}

export async function listVersions(tx: Queryable, id: number) {
  return tx.query<{ version: number; sentence: string; created_by: string; created_at: Date }>(
    'select version, sentence, created_by, created_at from ind_indicator_version where indicator_id = $1 order by version desc',
    [id],
  );
}

export async function codeExists(tx: Queryable, code: string): Promise<boolean> {
  const r = await tx.query('select 1 from ind_indicator where code = $1', [code]);
  return r.length > 0;
}

// ——— saved views ———

export interface ViewConfig {
  indicatorIds: number[];
  dimensions: string[];
  chartType: 'bar' | 'line' | 'pie';
  from?: string;
  to?: string;
}

export interface ViewRow {
  id: number;
  name: string;
  owner_user_id: number;
  owner_name: string;
  shared: boolean;
  config: ViewConfig;
  updated_at: Date;
}

const VIEW = 'select id::int as id, name, owner_user_id::int as owner_user_id, owner_name, shared, config, updated_at from ind_view';

export async function listViews(tx: Queryable): Promise<ViewRow[]> {
  return tx.query<ViewRow>(`${VIEW} order by updated_at desc, id desc limit 500`);
}

export async function findView(tx: Queryable, id: number): Promise<ViewRow | null> {
  const [r] = await tx.query<ViewRow>(`${VIEW} where id = $1`, [id]);
  return r ?? null;
}

export async function insertView(
  tx: Queryable,
  v: { name: string; ownerId: number; ownerName: string; shared: boolean; district: string | null; institution: number | null; config: ViewConfig },
): Promise<number> {
  const r = (
    await tx.query<{ id: number }>(
      `insert into ind_view (name, owner_user_id, owner_name, shared, audience_district, audience_institution, config)
     values ($1, $2, $3, $4, $5, $6, $7) returning id::int as id`,
      [v.name, v.ownerId, v.ownerName, v.shared, v.district, v.institution, JSON.stringify(v.config)],
    )
  )[0]!;
  return r.id;
}

export async function updateView(tx: Queryable, id: number, v: { name: string; shared: boolean; config: ViewConfig }): Promise<void> {
  await tx.query('update ind_view set name = $2, shared = $3, config = $4, updated_at = now() where id = $1', [id, v.name, v.shared, JSON.stringify(v.config)]);
}

export async function deleteView(tx: Queryable, id: number): Promise<void> {
  await tx.query('delete from ind_view where id = $1', [id]);
}
