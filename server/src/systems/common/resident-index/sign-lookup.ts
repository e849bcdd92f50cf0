import { scopeStatements } from '../../../platform/db/scope-sql.ts';
import { AppError, committed, forbidden, notFound, unprocessable } from '../../../platform/http/errors.ts';
import { type Scope, scopeSettings } from '../../../platform/scope/scope.ts';
import { normalizeIdNumber, type IdType } from './identity.ts';
import * as repo from './repository.ts';
import { type PersonView, type ResidentCtx, toView } from './shapes.ts';

export type SignerCtx = ResidentCtx & { principal: { scope: Scope; userId: number | null } };

/** How long a lookup lets its user act on the resident found (minutes). */
export const SIGN_GRANT_MINUTES = 30;
const NOT_FOUND = '未找到证件号码与姓名一致的居民；如确未建档，请先在居民主索引建档';

/**
 * Who may be found for signing (pure): the resident lives in the district of the caller's scope (a centre,
 * team or doctor signs residents of its own district; city and district users see them anyway) and is alive.
 * Null when allowed, else the zh-CN reason.
 */
export function signLookupRefusal(scope: Scope, p: { residenceDistrict: string; status: 'alive' | 'dead' }): string | null {
  if (scope.level !== 'city' && !scope.districtCode) return '您的数据权限未指定所在区，不能查找签约居民';
  if (scope.level !== 'city' && p.residenceDistrict !== scope.districtCode) return '该居民不在本区居住，请由居住地所在区的社区卫生服务中心办理签约';
  if (p.status === 'dead') return '该居民已死亡，不能签约';
  return null;
}

/** The narrowest scope under which a signer may read a resident it looked up: its own district. */
function lookupScope(scope: Scope): Scope {
  return scope.level === 'city' ? scope : { level: 'district', districtCode: scope.districtCode };
}

async function withScope<T>(ctx: SignerCtx, s: Scope, fn: () => Promise<T>): Promise<T> {
  const set = (x: Scope) => {
    const st = scopeStatements(scopeSettings(x, ctx.principal.userId));
    return ctx.tx.query(st.text, st.params);
  };
  await set(s);
  try {
    return await fn();
  } finally {
    await set(ctx.principal.scope);
  }
}

/**
 * 签约查找: exact identity number and exact name → the resident (masked), for a user holding the sign
 * permission (the route checks it), even before the resident is in the user's scope. Refused outside the
 * rules (signLookupRefusal); a name that does not match answers like a missing resident. Audited as a read
 * and recorded as a grant that lets the same user sign or change this resident for SIGN_GRANT_MINUTES (the
 * user's expired grants go at the same time). `fn` runs at once with the access the grant gives
 * (withSigningAccess) — the caller reads the resident's contract state without asking for the grant again.
 */
export async function lookupForSigning<T>(
  ctx: SignerCtx,
  q: { idType?: IdType; idNumber: string; name: string },
  fn: (person: PersonView) => Promise<T>,
): Promise<T> {
  if (ctx.principal.userId == null) throw forbidden('仅工作人员可查找签约居民');
  const bi = ctx.kernel.keys.blindIndex(normalizeIdNumber(q.idNumber), 'person.id_number');
  // One exact identity, read city-wide so that a resident of another district gets the rule's reason (and no
  // one is sent to register a duplicate); only the rules below decide whether it may be used.
  const row = await withScope(ctx, { level: 'city' }, () => repo.personByIdentity(ctx.tx, q.idType ?? 'resident_id', bi));
  const found = row && row.name === q.name.trim() ? row : null;
  const p = found ? toView(found) : null;
  const refusal = p ? signLookupRefusal(ctx.principal.scope, p) : null;
  ctx.audit.read({
    action: 'resident.sign-lookup',
    objectType: 'person',
    objectId: found?.id ?? null,
    note: !found ? '签约查找：未找到' : refusal ? `签约查找：拒绝（${refusal}）` : '签约查找：证件号码与姓名一致',
  });
  // Refusals are committed (nothing else was written) so that every look-up, found or not, stays in the audit log.
  if (!p) throw committed(notFound(NOT_FOUND));
  if (refusal) throw committed(unprocessable(refusal, [{ field: 'idNumber', message: refusal }]));
  await ctx.tx.query(`delete from person_sign_grant where user_id = $1 and granted_at <= now() - make_interval(mins => $2)`, [
    ctx.principal.userId,
    SIGN_GRANT_MINUTES,
  ]);
  await ctx.tx.query(`insert into person_sign_grant (user_id, person_id) values ($1, $2) on conflict (user_id, person_id) do update set granted_at = now()`, [
    ctx.principal.userId,
    p.id,
  ]);
  return withScope(ctx, lookupScope(ctx.principal.scope), () => fn(p));
}

/**
 * Runs `fn` for a resident the caller looked up for signing within SIGN_GRANT_MINUTES, with the lookup's
 * scope (the caller's district) so that the resident and its current contract can be read and changed;
 * the caller's scope is restored afterwards. 404 without such a lookup.
 */
export async function withSigningAccess<T>(ctx: SignerCtx, personId: number, fn: (person: PersonView) => Promise<T>): Promise<T> {
  const [g] = await ctx.tx.query<{ ok: boolean }>(
    `select true as ok from person_sign_grant where user_id = $1 and person_id = $2 and granted_at > now() - make_interval(mins => $3)`,
    [ctx.principal.userId, personId, SIGN_GRANT_MINUTES],
  );
  if (!g) throw new AppError(404, 'NOT_FOUND', '居民不在您的数据权限范围内；请先按证件号码和姓名查找该居民（签约查找）');
  return withScope(ctx, lookupScope(ctx.principal.scope), async () => {
    const row = await repo.personById(ctx.tx, personId);
    if (!row) throw notFound('居民不存在');
    const p = toView(row);
    const refusal = signLookupRefusal(ctx.principal.scope, p);
    if (refusal) throw unprocessable(refusal, [{ field: 'personId', message: refusal }]);
    return fn(p);
  });
}
