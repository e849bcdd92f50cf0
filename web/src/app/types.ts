/** Shapes from docs/api.md, as the console reads them. */

export type ScopeLevel = 'city' | 'district' | 'street' | 'institution' | 'team' | 'own';

export interface Scope {
  level: ScopeLevel;
  districtCode?: string | null;
  streetCode?: string | null;
  institutionId?: number | null;
  teamId?: number | null;
  practitionerId?: number | null;
}

export interface User {
  id: number;
  username: string;
  displayName: string;
  role: string;
  roleName: string;
  scope: Scope;
  scopeLabel: string;
  permissions: string[];
}

export interface ManagedUser extends User {
  disabled: boolean;
  totpEnabled: boolean;
  lockedUntil: string | null;
  lastLoginAt: string | null;
}

export interface LoginResult {
  token: string;
  csrfToken: string;
  mfa: 'enroll' | 'verify';
  /** New accounts and administrator resets: a new password is due right after sign-in. */
  mustChangePassword?: boolean;
  /** Why: reset by an administrator, expired (password age), or no longer allowed by the policy. */
  passwordChangeReason?: PasswordChangeReason | null;
  user: User;
}

export type PasswordChangeReason = 'reset' | 'expired' | 'weak';

export interface MenuItem {
  path: string;
  title: string;
  icon?: string;
}

export interface MenuSystem {
  code: string;
  title: string;
  items: MenuItem[];
}

export interface Page<T> {
  items: T[];
  total: number;
}

export interface Region {
  code: string;
  name: string;
  level: 'city' | 'district' | 'street' | 'community';
  parentCode: string | null;
  districtCode: string | null;
  kind?: string | null;
}
