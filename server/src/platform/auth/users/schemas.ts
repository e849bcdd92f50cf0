import { Type } from '@sinclair/typebox';
import { ROLE_CODES, type RoleCode } from '../roles.ts';

export const RoleInput = Type.Unsafe<RoleCode>({ type: 'string', enum: ROLE_CODES, description: '角色代码' });

export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, description: '用户 ID' }) });

export const PageQuery = {
  page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1, description: '页码（从 1 开始）' }),
  pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20, description: '每页条数（≤ 100）' }),
};

/** A LIKE pattern matching `q` anywhere, with its wildcards escaped. */
export function containsPattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, '\\$&')}%`;
}
