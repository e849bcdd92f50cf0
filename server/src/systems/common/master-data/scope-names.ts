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
