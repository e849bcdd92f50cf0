import { type Static, Type } from '@sinclair/typebox';
import { Id, Instant, nullable } from '../http/schema.ts';

export const Notification = Type.Object({
  id: Id,
  kind: Type.String(),
  title: Type.String(),
  body: nullable(Type.String()),
  /** A console path to open (e.g. the record the notice is about). */
  link: nullable(Type.String()),
  createdAt: Instant,
  readAt: nullable(Instant),
});
export type Notification = Static<typeof Notification>;
export const NotificationList = Type.Object({ unread: Type.Integer({ minimum: 0 }), items: Type.Array(Notification) });
export type NotificationList = Static<typeof NotificationList>;
export const NotificationsMarked = Type.Object({ ok: Type.Boolean(), marked: Type.Integer({ minimum: 0 }) });
export type NotificationsMarked = Static<typeof NotificationsMarked>;
