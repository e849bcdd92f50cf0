import { defineRoute } from '../http/route.ts';
import { PartnerPing } from './responses.ts';

/** Lets a partner check its key and signing code before calling real interfaces. */
export const partnerPingRoute = defineRoute({
  method: 'GET',
  url: '/partner/ping',
  summary: '合作系统连通性测试（签名校验）',
  tags: ['合作系统接入'],
  auth: 'partner',
  permission: 'system.partner.ping',
  noTransaction: true,
  response: { 200: PartnerPing },
  handler: async (ctx) => ({ ok: true, client: ctx.principal.username, name: ctx.principal.displayName, time: new Date().toISOString() }),
});
