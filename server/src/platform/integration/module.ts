// platform.integration: outbox, adapters, dispatcher, dead-letter view (README.md in this folder).
import { defineModule } from '../module.ts';
import { dispatchJob, startDispatcher } from './dispatcher.ts';
import { integrationRoutes } from './routes.ts';
import { useSealingKeys } from './sealed.ts';

export const integrationModule = defineModule({
  name: 'platform.integration',
  title: '外部系统对接',
  system: 'platform',
  migrations: new URL('./migrations', import.meta.url).pathname,
  exports: ['outbox_message'],
  permissions: [
    { code: 'integration.read', title: '查看外部系统对接与消息', roles: ['city_admin', 'district_admin', 'auditor'] },
    { code: 'integration.manage', title: '管理外部系统消息（死信重投）', roles: ['city_admin'] },
  ],
  routes: integrationRoutes,
  jobs: [dispatchJob],
  menu: [{ path: '/platform/integration', title: '外部系统对接', permission: 'integration.read', icon: 'ApiOutlined', order: 45 }],
  // The every-minute job always delivers; WEIJIAN_INTEGRATION_LOOP_MS (e.g. 1000) adds the faster
  // in-process loop where jobs run, for delivery within about a second.
  onStart: async (kernel) => {
    // Sealed payload fields (phones, identity numbers, bank accounts) are opened by the adapters when sending.
    useSealingKeys(kernel.keys);
    const ms = Number(process.env.WEIJIAN_INTEGRATION_LOOP_MS);
    if (kernel.config.jobs && Number.isFinite(ms) && ms > 0) startDispatcher(kernel, { intervalMs: ms });
  },
});
