import { defineModule } from '../module.ts';
import { syncSubscriptions } from './subscriptions.ts';

/**
 * Events between modules: a module declares what it `publishes`, another `subscribes` with one of its own
 * jobs; publishEvent (publish.ts) queues the subscribed jobs in the publisher's transaction. So a module never
 * names another module's job, and the subscriber decides what an event means to it.
 */
export const eventsModule = defineModule({
  name: 'platform.events',
  title: '模块事件',
  system: 'platform',
  migrations: new URL('./migrations', import.meta.url).pathname,
  onStart: async (kernel) => {
    await syncSubscriptions(kernel.db, kernel.modules);
  },
});
