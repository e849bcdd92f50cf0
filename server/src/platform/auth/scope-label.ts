import type { Tx } from '../db/types.ts';
import { type Scope, SCOPE_LEVELS } from '../scope/scope.ts';

interface Names {
  regions: Map<string, string>;
  institutions: Map<number, string>;
  teams: Map<number, string>;
  practitioners: Map<number, string>;
}

/**
 * Human labels for scopes ("本区：黄浦区"). Names come from master data when its tables exist;
 * the kernel does not depend on that module, so codes and ids are the fallback.
 */
export async function scopeLabels(tx: Tx, scopes: readonly Scope[]): Promise<string[]> {
  const names: Names = { regions: new Map(), institutions: new Map(), teams: new Map(), practitioners: new Map() };
  const codes = [...new Set(scopes.flatMap((s) => [s.level === 'district' ? s.districtCode : null, s.level === 'street' ? s.streetCode : null]).filter((c): c is string => !!c))];
  const ids = (level: Scope['level'], key: 'institutionId' | 'teamId' | 'practitionerId') =>
    [...new Set(scopes.filter((s) => s.level === level && s[key] != null).map((s) => Number(s[key])))];
  const inst = ids('institution', 'institutionId');
  const teams = ids('team', 'teamId');
  const docs = ids('own', 'practitionerId');
  if (codes.length + inst.length + teams.length + docs.length > 0) {
    const [t] = await tx.query<{ ok: boolean }>(`select to_regclass('region') is not null and to_regclass('institution') is not null
      and to_regclass('team') is not null and to_regclass('practitioner') is not null as ok`);
    if (t?.ok) {
      const load = async <K>(sql: string, keys: K[], into: Map<K, string>) => {
        if (keys.length === 0) return;
        for (const r of await tx.query<{ k: K; name: string }>(sql, [keys])) into.set(r.k, r.name);
      };
      await load('select code as k, name from region where code = any($1)', codes, names.regions);
      await load('select id::int as k, name from institution where id = any($1)', inst, names.institutions);
      await load('select id::int as k, name from team where id = any($1)', teams, names.teams);
      await load('select id::int as k, name from practitioner where id = any($1)', docs, names.practitioners);
    }
  }
  return scopes.map((s) => scopeLabel(s, names));
}

function scopeLabel(s: Scope, n: Names): string {
  const title = SCOPE_LEVELS[s.level];
  switch (s.level) {
    case 'city':
      return title;
    case 'district':
      return `${title}：${n.regions.get(s.districtCode ?? '') ?? s.districtCode ?? ''}`;
    case 'street':
      return `${title}：${n.regions.get(s.streetCode ?? '') ?? s.streetCode ?? ''}`;
    case 'institution':
      return `${title}：${n.institutions.get(Number(s.institutionId)) ?? `机构 #${s.institutionId}`}`;
    case 'team':
      return `${title}：${n.teams.get(Number(s.teamId)) ?? `团队 #${s.teamId}`}`;
    case 'own':
      return `${title}：${n.practitioners.get(Number(s.practitionerId)) ?? `医务人员 #${s.practitionerId}`}`;
  }
}
