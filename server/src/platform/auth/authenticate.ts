import type { Kernel } from '../kernel.ts';
import type { Principal } from './principal.ts';
import type { RoleCode } from './roles.ts';
import { LAST_SEEN_WRITE_MS, sessionCacheOf } from './session-cache.ts';
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
  generation: number;
}

export interface SessionAuth {
  principal: Principal;
  csrfToken: string;
}

/**
 * Resolves a session token to its principal; null when unknown, expired, revoked or the user is disabled.
 * A look-up is cached for at most 30 s (session-cache.ts); a cached session costs no query unless its
 * last_seen_at is due (at most once a minute), and any auth change to its user drops it at once.
 */
export async function authenticateSession(kernel: Kernel, token: string): Promise<SessionAuth | null> {
  const id = sessionIdOf(token);
  const cache = sessionCacheOf(kernel);
  const idleMs = kernel.config.sessionIdleMinutes * 60_000;
  const now = Date.now();
  const hit = cache.get(id, now);
  // Idle by this process's last sight: ask the database, another process may have seen it since.
  if (hit && now - hit.lastSeenAt <= idleMs) {
    cache.stats.hits++;
    if (now - hit.lastSeenAt > LAST_SEEN_WRITE_MS) {
      hit.lastSeenAt = now;
      cache.stats.lastSeenWrites++;
      await kernel.db.query('update app_session set last_seen_at = now() where id = $1', [id]);
    }
    return hit.auth;
  }
  if (hit) cache.delete(id);
  cache.stats.queries++;
  const rows = await kernel.db.query<SessionRow>(
    `select s.id as session_id, s.csrf_token, s.mfa_passed, s.expires_at, s.last_seen_at,
            u.id as user_id, u.username, u.display_name, u.role, u.scope_level, u.scope_district, u.scope_street,
            u.scope_institution_id, u.scope_team_id, u.practitioner_id, u.must_change_password,
            coalesce(g.generation, 0) as generation
       from app_session s join app_user u on u.id = s.user_id
       left join auth_generation g on g.user_id = u.id
      where s.id = $1 and s.revoked_at is null and s.expires_at > now() and not u.disabled`,
    [id],
  );
  const r = rows[0];
  if (!r) return null;
  let lastSeen = new Date(r.last_seen_at).getTime();
  if (now - lastSeen > idleMs) return null;
  // Sliding idle window; written at most once a minute to keep reads cheap.
  if (now - lastSeen > LAST_SEEN_WRITE_MS) {
    await kernel.db.query('update app_session set last_seen_at = now() where id = $1', [id]);
    cache.stats.lastSeenWrites++;
    lastSeen = now;
  }
  const auth = sessionAuth(kernel, r);
  cache.set(id, {
    auth,
    userId: Number(r.user_id),
    generation: Number(r.generation),
    builtAt: now,
    expiresAt: new Date(r.expires_at).getTime(),
    lastSeenAt: lastSeen,
  });
  return auth;
}

function sessionAuth(kernel: Kernel, r: SessionRow): SessionAuth {
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
