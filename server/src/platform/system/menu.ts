import { can, type Principal } from '../auth/principal.ts';
import { defineRoute } from '../http/route.ts';
import type { Kernel } from '../kernel.ts';
import { type SystemCode, SYSTEMS } from '../module.ts';
import { Menu } from './responses.ts';

export const SYSTEM_ORDER: readonly SystemCode[] = ['platform', 'hospital-monitoring', 'health-network', 'family-planning'];

/** The console's navigation: every module's menu items the principal may open, grouped by system. */
export function buildMenu(kernel: Kernel, principal: Principal): Menu {
  const systems = SYSTEM_ORDER.map((code) => {
    const items = kernel.modules
      .filter((m) => m.system === code)
      .flatMap((m) => m.menu ?? [])
      .filter((i) => can(principal, i.permission))
      .sort((a, b) => (a.order ?? 1000) - (b.order ?? 1000))
      .map((i) => ({ path: i.path, title: i.title, icon: i.icon ?? null }));
    return { code, title: SYSTEMS[code], items };
  });
  return { systems: systems.filter((s) => s.items.length > 0) };
}

export const menuRoute = defineRoute({
  method: 'GET',
  url: '/system/menu',
  summary: '导航菜单（按权限过滤）',
  tags: ['控制台'],
  auth: 'staff',
  noTransaction: true,
  response: { 200: Menu },
  handler: async (ctx) => buildMenu(ctx.kernel, ctx.principal),
});
