import { readFileSync } from 'node:fs';
import { defineRoute } from '../http/route.ts';
import { SystemInfo } from './responses.ts';

const pkg = JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as { version: string };

export const infoRoute = defineRoute({
  method: 'GET',
  url: '/system/info',
  summary: '系统名称、版本与数据库类型',
  tags: ['控制台'],
  auth: 'public',
  noTransaction: true,
  response: { 200: SystemInfo },
  handler: async (ctx) => ({ name: 'weijian 卫健', version: pkg.version, database: ctx.kernel.db.kind }),
});
