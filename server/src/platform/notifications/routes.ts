import { Type } from '@sinclair/typebox';
import { notFound } from '../http/errors.ts';
import { defineRoute } from '../http/route.ts';
import { Ok } from '../http/schema.ts';
import { NotificationList, NotificationsMarked } from './responses.ts';

interface Row {
  id: number;
  kind: string;
  title: string;
  body: string | null;
  link: string | null;
  created_at: Date;
  read_at: Date | null;
}

// Row-level security keeps every statement to the caller's own notifications.
export const listNotificationsRoute = defineRoute({
  method: 'GET',
  url: '/notifications',
  summary: '我的通知与提醒',
  tags: ['通知'],
  auth: 'staff',
  querystring: Type.Object({
    unread: Type.Optional(Type.Boolean({ description: '只看未读' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  }),
  response: { 200: NotificationList },
  handler: async (ctx, { query }) => {
    const rows = await ctx.tx.query<Row>(
      `select id, kind, title, body, link, created_at, read_at from notification
       where ($1::boolean is not true or read_at is null) order by created_at desc, id desc limit $2`,
      [query.unread ?? null, query.limit ?? 50],
    );
    const [c] = await ctx.tx.query<{ n: number }>('select count(*)::int as n from notification where read_at is null');
    return {
      unread: Number(c?.n ?? 0),
      items: rows.map((r) => ({
        id: Number(r.id),
        kind: r.kind,
        title: r.title,
        body: r.body,
        link: r.link,
        createdAt: new Date(r.created_at).toISOString(),
        readAt: r.read_at ? new Date(r.read_at).toISOString() : null,
      })),
    };
  },
});

export const readNotificationRoute = defineRoute({
  method: 'POST',
  url: '/notifications/:id/read',
  summary: '标记为已读',
  tags: ['通知'],
  auth: 'staff',
  action: 'notification.read',
  params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
  response: { 200: Ok },
  handler: async (ctx, { params }) => {
    const rows = await ctx.tx.query('update notification set read_at = coalesce(read_at, now()) where id = $1 returning id', [params.id]);
    if (rows.length === 0) throw notFound('通知不存在');
    return { ok: true };
  },
});

export const readAllNotificationsRoute = defineRoute({
  method: 'POST',
  url: '/notifications/read-all',
  summary: '全部标记为已读',
  tags: ['通知'],
  auth: 'staff',
  action: 'notification.read-all',
  response: { 200: NotificationsMarked },
  handler: async (ctx) => {
    const rows = await ctx.tx.query('update notification set read_at = now() where read_at is null returning id');
    return { ok: true, marked: rows.length };
  },
});
