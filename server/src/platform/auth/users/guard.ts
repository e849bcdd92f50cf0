import type { Principal } from '../principal.ts';
import type { RequestContext } from '../../http/context.ts';
import { forbidden, notFound } from '../../http/errors.ts';
import type { Scope } from '../../scope/scope.ts';
import { ROLES, type RoleCode } from '../roles.ts';
import { loadUserRow } from '../user-load.ts';
import type { UserRow } from '../user-view.ts';
import { canGrant } from './grant.ts';
import { insideScope } from './scope-input.ts';

/**
 * Friendly refusals before row-level security would refuse anyway (a policy violation is a bare 403):
 * an administrator grants no role above their own and places no account outside their own scope.
 */
export function assertMayAssign(p: Principal, role: RoleCode, scope: Scope): void {
  if (!canGrant(p.role, role)) throw forbidden(`无权授予角色「${ROLES[role] ?? role}」`);
  if (!insideScope(p.scope, scope)) throw forbidden('只能在本人的数据权限范围内创建或调整用户');
}

/** A user the caller may manage: visible in their scope (else 404) and of a role they could grant (else 403). */
export async function loadManageable(ctx: RequestContext, id: number): Promise<UserRow> {
  const row = await loadUserRow(ctx.tx, id);
  if (!row) throw notFound('用户不存在或不在您的数据权限范围内');
  if (!canGrant(ctx.principal.role, row.role)) throw forbidden('无权管理该角色的用户');
  return row;
}
