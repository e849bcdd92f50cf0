import type { Scope } from '../scope/scope.ts';
import type { RoleCode } from './roles.ts';

/** Who is acting: a signed-in staff user, a partner system with an API key, or the system itself (jobs). */
export interface Principal {
  kind: 'user' | 'partner' | 'system' | 'anonymous';
  userId: number | null;
  username: string;
  displayName: string;
  role: RoleCode | 'partner' | 'system' | 'anonymous';
  scope: Scope;
  permissions: ReadonlySet<string>;
  sessionId?: string;
  /** Password accepted but TOTP not yet verified. */
  mfaPending?: boolean;
  /** An administrator set the password: staff routes wait until the user changes it. */
  mustChangePassword?: boolean;
  /** The session's CSRF token (a second tab of the console reads it from /auth/me). */
  csrfToken?: string;
}

export const SYSTEM_PRINCIPAL: Principal = {
  kind: 'system',
  userId: null,
  username: 'system',
  displayName: '系统',
  role: 'system',
  scope: { level: 'city' },
  permissions: new Set(['*']),
};

export const ANONYMOUS: Principal = {
  kind: 'anonymous',
  userId: null,
  username: 'anonymous',
  displayName: '匿名',
  role: 'anonymous',
  scope: { level: 'city' },
  permissions: new Set(),
};

export function can(p: Principal, permission: string): boolean {
  return p.permissions.has('*') || p.permissions.has(permission);
}
