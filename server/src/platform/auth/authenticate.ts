import type { Kernel } from '../kernel.ts';
import type { Principal } from './principal.ts';
import type { RoleCode } from './roles.ts';
import { sessionIdOf } from './session-token.ts';

interface SessionRow {
  session_id: string;
  csrf_token: string;
  mfa_passed: boolean;
  expires_at: Date;
  last_seen_at: Date;
  user_id: number;
  username: string;
  display_name: string;
  role: RoleCode;
  scope_level: Principal['scope']['level'];
  scope_district: string | null;
  scope_street: string | null;
  scope_institution_id: number | null;
  scope_team_id: number | null;
  practitioner_id: number | null;
  must_change_password: boolean;
}

export interface SessionAuth {
  principal: Principal;
  csrfToken: string;
}

/** Resolves a session token to its principal; null when unknown, expired, revoked or the user is disabled. */
export async function authenticateSession(kernel: Kernel, token: string): Promise<SessionAuth | null> {
  const id = sessionIdOf(token);
  const rows = await kernel.db.query<SessionRow>(
    `select s.id as session_id, s.csrf_token, s.mfa_passed, s.expires_at, s.last_seen_at,
            u.id as user_id, u.username, u.display_name, u.role, u.scope_level, u.scope_district, u.scope_street,
            u.scope_institution_id, u.scope_team_id, u.practitioner_id, u.must_change_password
       from app_session s join app_user u on u.id = s.user_id
      where s.id = $1 and s.revoked_at is null and s.expires_at > now() and not u.disabled`,
    [id],
  );
  const r = rows[0];
  if (!r) return null;
  const idleMs = kernel.config.sessionIdleMinutes * 60_000;
  const lastSeen = new Date(r.last_seen_at).getTime();
  if (Date.now() - lastSeen > idleMs) return null;
  // Sliding idle window; written at most once a minute to keep reads cheap.
  if (Date.now() - lastSeen > 60_000) {
    await kernel.db.query('update app_session set last_seen_at = now() where id = $1', [id]);
  }
  return {
    csrfToken: r.csrf_token,
    principal: {
      kind: 'user',
      userId: r.user_id,
      username: r.username,
      displayName: r.display_name,
      role: r.role,
      scope: {
        level: r.scope_level,
        districtCode: r.scope_district,
        streetCode: r.scope_street,
        institutionId: r.scope_institution_id,
        teamId: r.scope_team_id,
        practitionerId: r.practitioner_id,
      },
      permissions: kernel.permissionsOf(r.role),
      sessionId: r.session_id,
      mfaPending: !r.mfa_passed,
      mustChangePassword: r.must_change_password,
      csrfToken: r.csrf_token,
    },
  };
}
