import type { ScopeSettings } from '../db/types.ts';

/** How far a user sees (数据权限). Enforced by row-level security policies, see migrations/001. */
export type ScopeLevel = 'city' | 'district' | 'street' | 'institution' | 'team' | 'own';

export const SCOPE_LEVELS: Record<ScopeLevel, string> = {
  city: '全市',
  district: '本区',
  street: '本街镇',
  institution: '本机构',
  team: '本团队',
  own: '本人签约居民',
};

export interface Scope {
  level: ScopeLevel;
  districtCode?: string | null;
  streetCode?: string | null;
  institutionId?: number | null;
  teamId?: number | null;
  practitionerId?: number | null;
}

export const CITY_SCOPE: Scope = { level: 'city' };

/** The per-transaction settings the policies read (`current_setting('weijian.*')`). */
export function scopeSettings(scope: Scope, userId: number | null): ScopeSettings {
  return {
    'weijian.level': scope.level,
    'weijian.district': scope.districtCode ?? '',
    'weijian.street': scope.streetCode ?? '',
    'weijian.inst': scope.institutionId != null ? String(scope.institutionId) : '',
    'weijian.team': scope.teamId != null ? String(scope.teamId) : '',
    'weijian.doctor': scope.practitionerId != null ? String(scope.practitionerId) : '',
    'weijian.user': userId != null ? String(userId) : '',
  };
}

/** A row's scope columns: the arguments of `wj_scope_ok`. */
export interface ScopeKeys {
  district: string | null;
  street: string | null;
  institution: number | null;
  team: number | null;
  doctor: number | null;
}

/**
 * The same test as `wj_scope_ok` (row-level security), in the application: to refuse a write whose result the
 * caller could not see, before making it. RLS stays the enforcement; this only gives a clear refusal.
 */
export function scopeCovers(s: Scope, k: ScopeKeys): boolean {
  switch (s.level) {
    case 'city':
      return true;
    case 'district':
      return k.district != null && k.district === s.districtCode;
    case 'street':
      return k.street != null && k.street === s.streetCode;
    case 'institution':
      return k.institution != null && k.institution === s.institutionId;
    case 'team':
      return k.team != null && k.team === s.teamId;
    case 'own':
      return k.doctor != null && k.doctor === s.practitionerId;
    default:
      return false;
  }
}

/** Field errors when a scope lacks the key its level needs. */
export function scopeProblems(s: Scope): { field: string; message: string }[] {
  const need: Record<ScopeLevel, [keyof Scope, string] | null> = {
    city: null,
    district: ['districtCode', '区级数据权限需指定区'],
    street: ['streetCode', '街镇级数据权限需指定街镇'],
    institution: ['institutionId', '机构级数据权限需指定机构'],
    team: ['teamId', '团队级数据权限需指定团队'],
    own: ['practitionerId', '本人数据权限需关联医务人员'],
  };
  const n = need[s.level];
  return n && (s[n[0]] == null || s[n[0]] === '') ? [{ field: `scope.${n[0]}`, message: n[1] }] : [];
}

export function describeScope(s: Scope): string {
  return (
    SCOPE_LEVELS[s.level] +
    (s.districtCode ? ` ${s.districtCode}` : '') +
    (s.streetCode ? ` ${s.streetCode}` : '') +
    (s.institutionId ? ` 机构${s.institutionId}` : '') +
    (s.teamId ? ` 团队${s.teamId}` : '')
  );
}
