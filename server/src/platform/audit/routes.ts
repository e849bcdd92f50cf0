import { Type } from '@sinclair/typebox';
import { AppError } from '../http/errors.ts';
import { type AnyRoute, defineRoute } from '../http/route.ts';
import { wakeDispatcher } from '../integration/dispatcher.ts';
import { anchorCheckpoints, anchorPath, configuredAnchors } from './anchor.ts';
import { appendAudit } from './append.ts';
import { createCheckpoint } from './checkpoint.ts';
import { listAuditEvents } from './events.ts';
import { labelCatalog, labelEvents } from './labels.ts';
import { recordVerification } from './record.ts';
import { auditStatus } from './status.ts';
import { verifyAudit } from './verify.ts';
import { AuditEventPage, AuditLabels, AuditStatus, CheckpointCreated, VerifyResult } from './responses.ts';

const tags = ['审计日志'];
const text = (max: number, description?: string) => Type.Optional(Type.String({ minLength: 1, maxLength: max, description }));

const listEvents = defineRoute({
  method: 'GET',
  url: '/audit/events',
  summary: '查询审计事件（按时间倒序）',
  description: '区级用户只能看到本区人员产生的事件（行级安全）。',
  tags,
  auth: 'staff',
  permission: 'audit.read',
  querystring: Type.Object({
    from: text(40, '起始日期 YYYY-MM-DD（含）或 ISO 日期时间'),
    to: text(40, '截止日期 YYYY-MM-DD（含当天）或 ISO 日期时间'),
    actor: text(64, '操作人用户名'),
    action: text(100, '操作（前缀匹配，如 resident.）'),
    kind: Type.Optional(Type.Union([Type.Literal('write'), Type.Literal('read'), Type.Literal('auth'), Type.Literal('admin')])),
    objectType: text(64),
    objectId: text(100),
    page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
    pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  }),
  response: { 200: AuditEventPage },
  handler: async (ctx, { query }) => {
    const { page, pageSize, ...filters } = query;
    const r = await listAuditEvents(ctx.tx, filters, page, pageSize);
    // Chinese labels and people's names beside the stored codes (the console shows the labels).
    return { ...r, items: await labelEvents(ctx.tx, ctx.kernel, r.items) };
  },
});

const labels = defineRoute({
  method: 'GET',
  url: '/audit/labels',
  summary: '审计筛选项：类别、动作、对象类型的代码与中文名称',
  tags,
  auth: 'staff',
  permission: 'audit.read',
  noTransaction: true,
  response: { 200: AuditLabels },
  handler: async () => labelCatalog(),
});

const status = defineRoute({
  method: 'GET',
  url: '/audit/status',
  summary: '审计链状态：链头、最近检查点、最近一次校验、库外锚点',
  tags,
  auth: 'staff',
  permission: 'audit.read',
  response: { 200: AuditStatus },
  handler: (ctx) => auditStatus(ctx.tx, anchorPath(ctx.kernel)),
});

// Verification reads every district's events, which the caller's scoped transaction would hide, and
// may take long: it runs on the owner connection page by page (noTransaction), never inside a handler
// transaction (PGlite has one connection). Result and audit event are written in a transaction of their own.
const verify = defineRoute({
  method: 'POST',
  url: '/audit/verify',
  summary: '校验审计链（哈希链、链头、检查点 Merkle 根与 SM2 签名、库外锚点）',
  tags,
  auth: 'staff',
  permission: 'audit.verify',
  noTransaction: true,
  response: { 200: VerifyResult },
  handler: async (ctx) => {
    const { db, keys } = ctx.kernel;
    const result = await verifyAudit(db, { trustedPublicKeys: [keys.sm2PublicKey], anchors: configuredAnchors(ctx.kernel) });
    await recordVerification(db, result, ctx.principal, { ip: ctx.ip, requestId: ctx.requestId });
    return result;
  },
});

const checkpoint = defineRoute({
  method: 'POST',
  url: '/audit/checkpoints',
  summary: '立即创建审计检查点（SM2 签名 Merkle 根）',
  description:
    '检查点覆盖自上一检查点以来的全部事件，包括本次操作自身的审计事件；随即导出到库外锚点文件并推送见证系统。审计链有断点时返回 409 并指明缺失的事件。',
  tags,
  auth: 'staff',
  permission: 'audit.verify',
  successStatus: 201,
  noTransaction: true,
  response: { 201: CheckpointCreated },
  handler: async (ctx) => {
    const { db, keys } = ctx.kernel;
    // Unscoped (owner) transaction: the Merkle root must cover every district's events.
    const cp = await db.transaction(async (tx) => {
      await appendAudit(tx, ctx.principal, [{ kind: 'admin', action: 'audit.checkpoint', objectType: 'audit_chain', note: '手动创建检查点' }], {
        ip: ctx.ip,
        requestId: ctx.requestId,
      });
      return createCheckpoint(tx, keys, { witness: ctx.kernel.config.auditWitness });
    });
    wakeDispatcher(ctx.kernel);
    try {
      await anchorCheckpoints(ctx.kernel);
    } catch (e) {
      // Committed and queued for the witness; the next checkpoint run exports it once the file is writable.
      ctx.kernel.log.error({ err: e }, 'audit anchor export failed');
      throw new AppError(503, 'ANCHOR_EXPORT_FAILED', `检查点已创建，但未能写入库外锚点文件：${(e as Error).message}`);
    }
    return cp;
  },
});

export const auditRoutes: AnyRoute[] = [listEvents, labels, status, verify, checkpoint];
