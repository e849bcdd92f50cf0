import type { ScopeKeyKind, ScopeKeyPlace } from '../../../platform/auth/scope-directory.ts';
import type { ScopeNameKeys, ScopeNames } from '../../../platform/auth/scope-label.ts';
import type { Tx } from '../../../platform/db/types.ts';

/** Names for scope labels ("本区：黄浦区", "本团队：…"): this module's answer to the kernel's `scopeNames` hook. */
export async function loadScopeNames(tx: Tx, keys: ScopeNameKeys): Promise<ScopeNames> {
  const names: ScopeNames = { regions: new Map(), institutions: new Map(), teams: new Map(), practitioners: new Map() };
  const load = async <K>(sql: string, list: K[], into: Map<K, string>) => {
    if (list.length === 0) return;
    for (const r of await tx.query<{ k: K; name: string }>(sql, [list])) into.set(r.k, r.name);
  };
  await load('select code as k, name from region where code = any($1)', keys.regions, names.regions);
  await load('select id::int as k, name from institution where id = any($1)', keys.institutions, names.institutions);
  await load('select id::int as k, name from team where id = any($1)', keys.teams, names.teams);
  await load('select id::int as k, name from practitioner where id = any($1)', keys.practitioners, names.practitioners);
  return names;
}

const PLACE_SQL: Record<ScopeKeyKind, string> = {
  institution: 'select district_code, street_code, id::int as institution_id from institution where id = $1',
  team: 'select district_code, street_code, institution_id::int as institution_id from team where id = $1',
  practitioner: 'select district_code, street_code, institution_id::int as institution_id from practitioner where id = $1',
};

/** Where an institution, team or doctor sits, for a user's scope (the kernel's `scopeLocator` hook). */
export async function locateScopeKey(tx: Tx, kind: ScopeKeyKind, id: number): Promise<ScopeKeyPlace | null> {
  const [r] = await tx.query<{ district_code: string; street_code: string | null; institution_id: number }>(PLACE_SQL[kind], [id]);
  return r ? { districtCode: r.district_code, streetCode: r.street_code, institutionId: r.institution_id } : null;
}
