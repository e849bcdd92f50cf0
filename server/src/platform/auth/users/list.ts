import { Type } from '@sinclair/typebox';
import { defineRoute } from '../../http/route.ts';
import { adminViews } from '../user-load.ts';
import { USER_COLUMNS, type UserRow } from '../user-view.ts';
import { containsPattern, PageQuery, RoleInput } from './schemas.ts';
import { ManagedUserPage } from '../responses.ts';

const Query = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 64, description: '用户名或姓名（模糊）' })),
    role: Type.Optional(RoleInput),
    ...PageQuery,
  },
  { additionalProperties: false },
);

export const listUsersRoute = defineRoute({
  method: 'GET',
  url: '/users',
  summary: '用户列表',
  description: '只列出本人数据权限范围内的用户（行级安全）。',
  tags: ['用户与角色'],
  auth: 'staff',
  permission: 'auth.users.manage',
  querystring: Query,
  response: { 200: ManagedUserPage },
  handler: async (ctx, { query }) => {
    const where = `($1::text is null or username ilike $1 or display_name ilike $1) and ($2::text is null or role = $2)`;
    const args = [query.q?.trim() ? containsPattern(query.q.trim()) : null, query.role ?? null];
    const { total } = (await ctx.tx.query<{ total: number }>(`select count(*)::int as total from app_user where ${where}`, args))[0]!;
    const rows = await ctx.tx.query<UserRow>(`select ${USER_COLUMNS} from app_user where ${where} order by id limit $3 offset $4`, [
      ...args,
      query.pageSize,
      (query.page - 1) * query.pageSize,
    ]);
    return { items: await adminViews(ctx.tx, ctx.kernel, rows), total };
  },
});
