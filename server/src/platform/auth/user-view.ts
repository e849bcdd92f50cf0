import type { Kernel } from '../kernel.ts';
import type { Scope, ScopeLevel } from '../scope/scope.ts';
import type { ManagedUser, User } from './responses.ts';
import { ROLES, type RoleCode } from './roles.ts';

/** The app_user columns a user view is built from (never the password hash or TOTP secret). */
export const USER_COLUMNS = `id, username, display_name, role, scope_level, scope_district, scope_street,
  scope_institution_id, scope_team_id, practitioner_id, disabled, totp_enabled, locked_until, last_login_at, must_change_password`;

export interface UserRow {
  id: number;
  username: string;
  display_name: string;
  role: RoleCode;
  scope_level: ScopeLevel;
  scope_district: string | null;
  scope_street: string | null;
  scope_institution_id: number | null;
  scope_team_id: number | null;
  practitioner_id: number | null;
  disabled: boolean;
  totp_enabled: boolean;
  locked_until: Date | string | null;
  last_login_at: Date | string | null;
  must_change_password: boolean;
}

/** The shapes the console reads (responses.ts): the mappers below are checked against them. */
export type UserView = User;
export type AdminUserView = ManagedUser;

export function scopeOfRow(r: UserRow): Required<Scope> {
  return {
    level: r.scope_level,
    districtCode: r.scope_district,
    streetCode: r.scope_street,
    institutionId: r.scope_institution_id,
    teamId: r.scope_team_id,
    practitionerId: r.practitioner_id,
  };
}

const iso = (v: Date | string | null) => (v == null ? null : new Date(v).toISOString());

export function userView(kernel: Kernel, r: UserRow, scopeLabel: string): UserView {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    roleName: ROLES[r.role] ?? r.role,
    scope: scopeOfRow(r),
    scopeLabel,
    permissions: [...kernel.permissionsOf(r.role)].sort(),
  };
}

export function adminUserView(kernel: Kernel, r: UserRow, scopeLabel: string): AdminUserView {
  const lockedUntil = r.locked_until != null && new Date(r.locked_until).getTime() > Date.now() ? iso(r.locked_until) : null;
  return { ...userView(kernel, r, scopeLabel), disabled: r.disabled, totpEnabled: r.totp_enabled, lockedUntil, lastLoginAt: iso(r.last_login_at) };
}

/** For audit before/after: who the account is and what it may do, nothing secret. */
export function auditUser(r: UserRow) {
  return {
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    scope: scopeOfRow(r),
    disabled: r.disabled,
    totpEnabled: r.totp_enabled,
  };
}
