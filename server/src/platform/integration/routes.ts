import { Type } from '@sinclair/typebox';
import { type AnyRoute, defineRoute } from '../http/route.ts';
import { getMessage, listMessages, retryMessage } from './messages.ts';
import { MESSAGE_STATUSES, type MessageStatus } from './outbox.ts';
import { MessageDetailSchema, MessageItemSchema, MessagePageSchema, SystemsSchema } from './schemas.ts';
import { listSystems } from './systems-view.ts';
import { wakeDispatcher } from './dispatcher.ts';

const tags = ['外部系统对接'];
const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });

const list = defineRoute({
  method: 'GET',
  url: '/integration/messages',
  summary: '外部系统消息列表（可按系统、状态、主题筛选；按时间倒序）',
  tags,
  auth: 'staff',
  permission: 'integration.read',
  querystring: Type.Object(
    {
      system: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
      status: Type.Optional(Type.Union(MESSAGE_STATUSES.map((s) => Type.Literal(s)))),
      topic: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
      page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
      pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    },
    { additionalProperties: false },
  ),
  response: { 200: MessagePageSchema },
  handler: (ctx, { query }) =>
    listMessages(
      ctx.tx,
      ctx.kernel.adapters,
      { system: query.system, status: query.status as MessageStatus | undefined, topic: query.topic },
      query.page,
      query.pageSize,
    ),
});

const detail = defineRoute({
  method: 'GET',
  url: '/integration/messages/:id',
  summary: '消息详情：内容、对方回执与每次投递记录',
  description: '消息内容可能含个人信息，查看记入审计日志。',
  tags,
  auth: 'staff',
  permission: 'integration.read',
  params: Id,
  response: { 200: MessageDetailSchema },
  handler: async (ctx, { params }) => {
    const m = await getMessage(ctx.tx, ctx.kernel.adapters, params.id);
    ctx.audit.read({
      action: 'integration.message.read',
      objectType: 'outbox_message',
      objectId: m.id,
      note: `查看发往${m.systemTitle}的消息内容`,
      districtCode: m.districtCode,
    });
    return m;
  },
});

const retry = defineRoute({
  method: 'POST',
  url: '/integration/messages/:id/retry',
  summary: '死信消息重新投递',
  description: '将死信消息恢复为待投递，重新计算尝试次数；接收方按 Idempotency-Key 去重，重复投递不会产生重复效果。',
  tags,
  auth: 'staff',
  permission: 'integration.manage',
  params: Id,
  response: { 200: MessageItemSchema },
  handler: async (ctx, { params }) => {
    const { before, after } = await retryMessage(ctx.tx, ctx.kernel.adapters, params.id);
    ctx.audit.add({
      kind: 'admin',
      action: 'integration.message.retry',
      objectType: 'outbox_message',
      objectId: params.id,
      before: { status: before.status, attempts: before.attempts, lastError: before.lastError },
      after: { status: after.status, attempts: after.attempts },
      note: `${before.systemTitle} ${before.topic}`,
      districtCode: before.districtCode,
    });
    // Once this transaction has committed, deliver at once if the in-process loop runs here.
    setTimeout(() => wakeDispatcher(ctx.kernel), 50).unref();
    return after;
  },
});

const systems = defineRoute({
  method: 'GET',
  url: '/integration/systems',
  summary: '外部系统列表：对接配置、各状态消息数与熔断状态',
  tags,
  auth: 'staff',
  permission: 'integration.read',
  response: { 200: SystemsSchema },
  handler: async (ctx) => ({ items: await listSystems(ctx.tx, ctx.kernel.adapters, ctx.kernel.config.env === 'production') }),
});

export const integrationRoutes: AnyRoute[] = [list, detail, retry, systems];
