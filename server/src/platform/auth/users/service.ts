import type { KeyRing } from '../../crypto/keyring.ts';
import type { Tx } from '../../db/types.ts';
import { conflict, notFound } from '../../http/errors.ts';
import type { Scope } from '../../scope/scope.ts';
import { invalidInput } from '../invalid.ts';
import { clearThrottle } from '../login-throttle.ts';
import { checkPasswordPolicy, hashPassword } from '../password.ts';
import { rememberPassword } from '../password-history.ts';
import { ROLES, type RoleCode } from '../roles.ts';
import { bumpAuthGeneration } from '../session-cache.ts';
import { revokeUserSessions } from '../session.ts';
import { base32Decode } from '../totp.ts';
import { USER_COLUMNS, type UserRow } from '../user-view.ts';
import { resolveScope } from './scope-input.ts';

export interface CreateUserInput {
  username: string;
  displayName: string;
  role: RoleCode;
  scope: Scope;
  /** A plain password, checked against the policy … */
  password?: string;
  /** … or a ready argon2id hash (demo users may share one; no policy check then). */
  passwordHash?: string;
  /** Ask for a new password at the first sign-in. */
  mustChangePassword?: boolean;
  /** Base32 TOTP secret: the account starts enrolled (demo accounts only). */
  totpSecret?: string;
  demo?: boolean;
}

const USERNAME = /^[a-z0-9][a-z0-9._-]{2,31}$/;

export function normalizeUsername(u: string): string {
  return u.trim().toLowerCase();
}

/**
 * Creates a staff account inside the caller's transaction. Row-level security on app_user applies: in a
 * scoped transaction only users inside that scope can be created. Throws 400 (field details) / 409.
 * The caller checks who may grant what (users/guard.ts) and records the audit event.
 */
export async function createUser(tx: Tx, keys: KeyRing, input: CreateUserInput): Promise<UserRow> {
  const username = normalizeUsername(input.username);
  const displayName = input.displayName.trim();
  const details = [];
  if (!USERNAME.test(username)) details.push({ field: 'username', message: '用户名为 3–32 位字母、数字、点、下划线或连字符，以字母或数字开头' });
  if (!displayName || displayName.length > 64) details.push({ field: 'displayName', message: '姓名不能为空且不超过 64 个字符' });
  if (!(input.role in ROLES)) details.push({ field: 'role', message: `取值应为：${Object.keys(ROLES).join('、')}` });
  if (input.password !== undefined) details.push(...checkPasswordPolicy(input.password, username).map((message) => ({ field: 'password', message })));
  else if (!input.passwordHash) details.push({ field: 'password', message: '必填' });
  if (input.totpSecret !== undefined) {
    let ok = false;
    try {
      ok = base32Decode(input.totpSecret).length >= 10;
    } catch {}
    if (!ok) details.push({ field: 'totpSecret', message: '动态口令密钥应为至少 16 位 base32 字符' });
  }
  if (details.length) throw invalidInput('输入有误，请检查标出的字段', details);
  const s = await resolveScope(tx, input.scope);
  const hash = input.passwordHash ?? (await hashPassword(input.password as string));
  const rows = await tx.query<UserRow>(
    `insert into app_user (username, display_name, role, scope_level, scope_district, scope_street, scope_institution_id, scope_team_id,
       practitioner_id, password_hash, must_change_password, totp_secret, totp_enabled, demo)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
     on conflict (username) do nothing returning ${USER_COLUMNS}`,
    [
      username,
      displayName,
      input.role,
      s.level,
      s.districtCode,
      s.streetCode,
      s.institutionId,
      s.teamId,
      s.practitionerId,
      hash,
      input.mustChangePassword ?? false,
      input.totpSecret ? keys.encryptField(input.totpSecret) : null,
      !!input.totpSecret,
      input.demo ?? false,
    ],
  );
  if (!rows[0]) throw conflict('用户名已存在', [{ field: 'username', message: '用户名已存在' }]);
  return rows[0];
}

export interface UpdateUserInput {
  displayName?: string;
  role?: RoleCode;
  /** Already resolved (resolveScope). */
  scope?: Required<Scope>;
}

export async function updateUser(tx: Tx, id: number, patch: UpdateUserInput): Promise<UserRow> {
  const s = patch.scope;
  const [r] = await tx.query<UserRow>(
    `update app_user set
       display_name = coalesce($2, display_name),
       role = coalesce($3, role),
       scope_level = case when $4::boolean then $5 else scope_level end,
       scope_district = case when $4::boolean then $6 else scope_district end,
       scope_street = case when $4::boolean then $7 else scope_street end,
       scope_institution_id = case when $4::boolean then $8::bigint else scope_institution_id end,
       scope_team_id = case when $4::boolean then $9::bigint else scope_team_id end,
       practitioner_id = case when $4::boolean then $10::bigint else practitioner_id end,
       updated_at = now()
     where id = $1 returning ${USER_COLUMNS}`,
    [
      id,
      patch.displayName?.trim() ?? null,
      patch.role ?? null,
      !!s,
      s?.level ?? null,
      s?.districtCode ?? null,
      s?.streetCode ?? null,
      s?.institutionId ?? null,
      s?.teamId ?? null,
      s?.practitionerId ?? null,
    ],
  );
  if (!r) throw notFound();
  // Role, scope and name ride in cached sessions: they take effect on the user's next request.
  await bumpAuthGeneration(tx, id);
  return r;
}

/** Forgets the TOTP secret: the next sign-in enrols again. Live sessions end. */
export async function resetTotp(tx: Tx, id: number): Promise<UserRow> {
  const [r] = await tx.query<UserRow>(
    `update app_user set totp_secret = null, totp_enabled = false, totp_last_step = null, updated_at = now() where id = $1 returning ${USER_COLUMNS}`,
    [id],
  );
  if (!r) throw notFound();
  await revokeUserSessions(tx, id);
  return r;
}

/** Disabling ends live sessions; enabling also lifts every sign-in lock (see unlockUser). */
export async function setDisabled(tx: Tx, id: number, disabled: boolean): Promise<UserRow> {
  const [r] = await tx.query<UserRow>(`update app_user set disabled = $2, updated_at = now() where id = $1 returning ${USER_COLUMNS}`, [id, disabled]);
  if (!r) throw notFound();
  if (disabled) await revokeUserSessions(tx, id);
  else return unlockUser(tx, id);
  return r;
}

/**
 * An administrator's unlock: the account lock (too many wrong TOTP codes), the wrong-code count, and
 * every address's sign-in lock and delay for this user name.
 */
export async function unlockUser(tx: Tx, id: number): Promise<UserRow> {
  const [r] = await tx.query<UserRow>(
    `update app_user set failed_logins = 0, locked_until = null, totp_failures = 0, totp_last_failure_at = null, updated_at = now()
      where id = $1 returning ${USER_COLUMNS}`,
    [id],
  );
  if (!r) throw notFound();
  await clearThrottle(tx, r.username);
  return r;
}

/** An administrator's reset: policy-checked, must be changed at the next sign-in, sessions end, locks lifted. */
export async function resetPassword(tx: Tx, id: number, username: string, password: string, history = 0): Promise<void> {
  const problems = checkPasswordPolicy(password, username);
  if (problems.length)
    throw invalidInput(
      '密码不符合要求',
      problems.map((message) => ({ field: 'password', message })),
    );
  const [old] = await tx.query<{ password_hash: string }>('select password_hash from app_user where id = $1', [id]);
  if (!old) throw notFound();
  // The replaced password joins the history: the user cannot change back to it after the reset.
  await rememberPassword(tx, id, old.password_hash, history);
  await tx.query(`update app_user set password_hash = $2, password_changed_at = now(), must_change_password = true, updated_at = now() where id = $1`, [
    id,
    await hashPassword(password),
  ]);
  await unlockUser(tx, id);
  await revokeUserSessions(tx, id);
}
