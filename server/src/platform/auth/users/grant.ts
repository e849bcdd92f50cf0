import { ROLE_CODES, type RoleCode } from '../roles.ts';

/**
 * Roles each administrator may grant (and so manage). Nobody grants a role above their own; only the
 * city administrator creates city administrators, auditors and Shenkang administrators.
 */
const GRANTS: Record<string, readonly RoleCode[]> = {
  system: ROLE_CODES,
  city_admin: ROLE_CODES,
  district_admin: ['district_admin', 'hospital_admin', 'hospital_user', 'community_admin', 'family_doctor', 'doctor_assistant', 'expert'],
  shenkang_admin: ['hospital_admin', 'hospital_user', 'expert'],
  hospital_admin: ['hospital_admin', 'hospital_user', 'expert'],
  community_admin: ['community_admin', 'family_doctor', 'doctor_assistant'],
};

export function grantableRoles(actorRole: string): readonly RoleCode[] {
  return GRANTS[actorRole] ?? [];
}

export function canGrant(actorRole: string, role: string): boolean {
  return grantableRoles(actorRole).includes(role as RoleCode);
}
