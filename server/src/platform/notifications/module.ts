import { defineModule } from '../module.ts';
import { listNotificationsRoute, readAllNotificationsRoute, readNotificationRoute } from './routes.ts';

/** In-app notifications: any module notifies users (notify.ts); each user reads their own (bell in the header). */
export const notificationsModule = defineModule({
  name: 'platform.notifications',
  title: '通知',
  system: 'platform',
  migrations: new URL('./migrations', import.meta.url).pathname,
  routes: [listNotificationsRoute, readNotificationRoute, readAllNotificationsRoute],
});
