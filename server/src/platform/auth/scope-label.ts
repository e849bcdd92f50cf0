import type { Tx } from '../db/types.ts';
import { type Scope, SCOPE_LEVELS } from '../scope/scope.ts';

/** The names of the scope keys a list of scopes refers to. */
export interface ScopeNames {
  regions: Map<string, string>;
  institutions: Map<number, string>;
  teams: Map<number, string>;
  practitioners: Map<number, string>;
}

export interface ScopeNameKeys {
  regions: string[];
  institutions: number[];
  teams: number[];
  practitioners: number[];
}

/** Where names come from: the module owning regions, institutions, teams and doctors declares it (`scopeNames`). */
export type ScopeNameSource = (tx: Tx, keys: ScopeNameKeys) => Promise<ScopeNames>;

let source: ScopeNameSource | null = null;

/** Set on start from the registry (auth module's onStart): the kernel does not know which module names scopes. */
export function useScopeNames(s: ScopeNameSource | null): void {
  source = s;
}

/**
 * Human labels for scopes ("本区：黄浦区"). Names come from the module that declares `scopeNames` (master
 * data); the kernel names none of its tables, so without such a module codes and ids are the fallback.
 */
export async function scopeLabels(tx: Tx, scopes: readonly Scope[]): Promise<string[]> {
  const codes = [
    ...new Set(
      scopes.flatMap((s) => [s.level === 'district' ? s.districtCode : null, s.level === 'street' ? s.streetCode : null]).filter((c): c is string => !!c),
    ),
  ];
  const ids = (level: Scope['level'], key: 'institutionId' | 'teamId' | 'practitionerId') => [
    ...new Set(scopes.filter((s) => s.level === level && s[key] != null).map((s) => Number(s[key]))),
  ];
  const keys: ScopeNameKeys = {
    regions: codes,
    institutions: ids('institution', 'institutionId'),
    teams: ids('team', 'teamId'),
    practitioners: ids('own', 'practitionerId'),
  };
  const empty: ScopeNames = { regions: new Map(), institutions: new Map(), teams: new Map(), practitioners: new Map() };
  const any = keys.regions.length + keys.institutions.length + keys.teams.length + keys.practitioners.length > 0;
  const names = source && any ? await source(tx, keys) : empty;
  return scopes.map((s) => scopeLabel(s, names));
}

function scopeLabel(s: Scope, n: ScopeNames): string {
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
