// Change requests: draft → submitted → approved | rejected → published. The approver is never the
// submitter; publishing writes a new immutable version sealed with an SM3 content hash. Every step is an
// audit event of the request that made it.
import type { ServiceContext } from '../../../platform/service-context.ts';
import { Type } from '@sinclair/typebox';
import { AppError, forbidden, notFound } from '../../../platform/http/errors.ts';
import { type AnyRoute, defineRoute } from '../../../platform/http/route.ts';
import { applyItems, CHANGE_OPS, type ChangeItem, checkItems, refuse } from './changes.ts';
import * as repo from './repository.ts';
import { visibleConcepts } from './service.ts';

type Ctx = ServiceContext;

export const CR_STATUSES = ['draft', 'submitted', 'approved', 'rejected', 'published'] as const;
type CrStatus = (typeof CR_STATUSES)[number];

const enumOf = <T extends string>(values: readonly T[]) => Type.Unsafe<T>({ type: 'string', enum: [...values] });
const Code = Type.String({ minLength: 1, maxLength: 64, pattern: '^[^\\s]+$' });
export const DesignationSchema = Type.Object(
  {
    use: enumOf(['synonym', 'english', 'abbreviation'] as const),
    language: Type.Optional(Type.String({ maxLength: 20 })),
    value: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);
export const ItemSchema = Type.Object(
  {
    op: enumOf(CHANGE_OPS),
    code: Code,
    display: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    parents: Type.Optional(Type.Array(Code, { maxItems: 5 })),
    designations: Type.Optional(Type.Array(DesignationSchema, { maxItems: 50 })),
    properties: Type.Optional(Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 200 }))),
  },
  { additionalProperties: false },
);
const Items = Type.Array(ItemSchema, { minItems: 1, maxItems: 5000 });
const VersionLabel = Type.String({ minLength: 1, maxLength: 40, pattern: '^[0-9A-Za-z._+-]+$' });
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1 }) }, { additionalProperties: false });

export interface ChangeRequest {
  id: number;
  system: string;
  systemTitle: string;
  title: string;
  version: string | null;
  items: ChangeItem[];
  status: CrStatus;
  createdBy: string;
  createdAt: string;
  submittedBy: string | null;
  submittedAt: string | null;
  reviewedBy: string | null;
  reviewedAt: string | null;
  reviewNote: string | null;
  publishedBy: string | null;
  publishedAt: string | null;
  publishedVersion: string | null;
  contentHash: string | null;
}

const SELECT = `select r.id::int as id, s.url as system, s.title as "systemTitle", r.title, r.version, r.items, r.status,
  r.created_by as "createdBy", r.created_at as "createdAt", r.submitted_by as "submittedBy", r.submitted_at as "submittedAt",
  r.reviewed_by as "reviewedBy", r.reviewed_at as "reviewedAt", r.review_note as "reviewNote", r.published_by as "publishedBy",
  r.published_at as "publishedAt", v.version as "publishedVersion", v.content_hash as "contentHash", r.system_id::int as "systemId"
  from term_change_request r join term_system s on s.id = r.system_id left join term_version v on v.id = r.version_id`;

const ts = (v: unknown) => (v ? new Date(v as string).toISOString() : null);

async function load(ctx: Pick<Ctx, 'tx'>, id: number, lock = false): Promise<ChangeRequest & { systemId: number }> {
  const [r] = await ctx.tx.query<ChangeRequest & { systemId: number }>(`${SELECT} where r.id = $1${lock ? ' for update of r' : ''}`, [id]);
  if (!r) throw notFound('变更申请不存在');
  return { ...r, createdAt: ts(r.createdAt) as string, submittedAt: ts(r.submittedAt), reviewedAt: ts(r.reviewedAt), publishedAt: ts(r.publishedAt) };
}

function strip(r: ChangeRequest & { systemId?: number }): ChangeRequest {
  const { systemId: _s, ...rest } = r;
  return rest;
}

function wrongState(r: ChangeRequest, wanted: string): AppError {
  const names: Record<CrStatus, string> = { draft: '草稿', submitted: '已提交', approved: '已批准', rejected: '已驳回', published: '已发布' };
  return new AppError(409, 'CONFLICT', `变更申请当前为“${names[r.status]}”，不能${wanted}`);
}

async function check(ctx: Pick<Ctx, 'tx'>, system: string, items: readonly ChangeItem[]) {
  const s = await repo.systemByUrl(ctx.tx, system);
  // A system created by an import has no version until its first request is published (an extension then sees its base).
  const current = s ? await visibleConcepts(ctx.tx, s) : new Map();
  const errors = checkItems(items, current);
  if (errors.length) throw refuse(errors);
}

export async function createChangeRequest(ctx: Ctx, b: { system: string; title: string; version?: string; items: ChangeItem[] }): Promise<ChangeRequest> {
  const s = await repo.systemByUrl(ctx.tx, b.system);
  if (!s) throw new AppError(400, 'VALIDATION_FAILED', '代码系统不存在', [{ field: 'system', message: '代码系统不存在' }]);
  await check(ctx, b.system, b.items);
  const { id } = (
    await ctx.tx.query<{ id: number }>(
      `insert into term_change_request (system_id, title, version, items, created_by) values ($1, $2, $3, $4::jsonb, $5) returning id::int as id`,
      [s.id, b.title, b.version ?? null, JSON.stringify(b.items), ctx.principal.username],
    )
  )[0]!;
  const r = await load(ctx, id);
  ctx.audit.write({
    action: 'terminology.change-request.create',
    objectType: 'term_change_request',
    objectId: id,
    after: { system: b.system, title: b.title, items: b.items.length },
  });
  return strip(r);
}

export async function editChangeRequest(ctx: Ctx, id: number, b: { title?: string; version?: string; items?: ChangeItem[] }): Promise<ChangeRequest> {
  const r = await load(ctx, id, true);
  if (r.status !== 'draft' && r.status !== 'rejected') throw wrongState(r, '修改');
  if (r.createdBy !== ctx.principal.username) throw forbidden('只能修改自己起草的变更申请');
  if (b.items) await check(ctx, r.system, b.items);
  await ctx.tx.query(
    `update term_change_request set title = coalesce($2, title), version = coalesce($3, version), items = coalesce($4::jsonb, items), status = 'draft' where id = $1`,
    [id, b.title ?? null, b.version ?? null, b.items ? JSON.stringify(b.items) : null],
  );
  ctx.audit.write({
    action: 'terminology.change-request.edit',
    objectType: 'term_change_request',
    objectId: id,
    before: { title: r.title, items: r.items.length },
    after: { title: b.title ?? r.title, items: (b.items ?? r.items).length },
  });
  return strip(await load(ctx, id));
}

export async function submitChangeRequest(ctx: Ctx, id: number): Promise<ChangeRequest> {
  const r = await load(ctx, id, true);
  if (r.status !== 'draft') throw wrongState(r, '提交');
  await check(ctx, r.system, r.items);
  await ctx.tx.query(`update term_change_request set status = 'submitted', submitted_by = $2, submitted_at = now() where id = $1`, [
    id,
    ctx.principal.username,
  ]);
  ctx.audit.write({
    action: 'terminology.change-request.submit',
    objectType: 'term_change_request',
    objectId: id,
    before: { status: r.status },
    after: { status: 'submitted' },
  });
  return strip(await load(ctx, id));
}

export async function reviewChangeRequest(ctx: Ctx, id: number, b: { decision: 'approve' | 'reject'; note?: string }): Promise<ChangeRequest> {
  const r = await load(ctx, id, true);
  if (r.status !== 'submitted') throw wrongState(r, '审核');
  if (r.submittedBy === ctx.principal.username || r.createdBy === ctx.principal.username) throw forbidden('不能审核自己起草或提交的变更申请');
  if (b.decision === 'reject' && !b.note?.trim())
    throw new AppError(400, 'VALIDATION_FAILED', '驳回须填写理由', [{ field: 'note', message: '驳回须填写理由' }]);
  const status = b.decision === 'approve' ? 'approved' : 'rejected';
  await ctx.tx.query(`update term_change_request set status = $2, reviewed_by = $3, reviewed_at = now(), review_note = $4 where id = $1`, [
    id,
    status,
    ctx.principal.username,
    b.note ?? null,
  ]);
  ctx.audit.write({
    action: `terminology.change-request.${b.decision}`,
    objectType: 'term_change_request',
    objectId: id,
    before: { status: r.status },
    after: { status, note: b.note ?? null },
  });
  return strip(await load(ctx, id));
}

export async function publishChangeRequest(ctx: Ctx, id: number, b: { version?: string }): Promise<ChangeRequest> {
  const r = await load(ctx, id, true);
  if (r.status !== 'approved') throw wrongState(r, '发布');
  if (r.submittedBy === ctx.principal.username || r.createdBy === ctx.principal.username) throw forbidden('不能发布自己起草或提交的变更申请');
  await check(ctx, r.system, r.items); // the content may have moved on since the review
  // One publisher at a time per system: the row lock orders concurrent publications.
  await ctx.tx.query('select id from term_system where id = $1 for update', [r.systemId]);
  const latest = await repo.findVersion(ctx.tx, r.systemId);
  const seq = (latest?.seq ?? 0) + 1;
  const label = b.version ?? r.version ?? `${latest?.version ?? '1'}-${seq}`;
  const [dup] = await ctx.tx.query('select 1 from term_version where system_id = $1 and version = $2', [r.systemId, label]);
  if (dup) throw new AppError(409, 'CONFLICT', `版本号 ${label} 已存在`, [{ field: 'version', message: `版本号 ${label} 已存在` }]);
  const { hash, count } = await applyItems(ctx.tx, r.systemId, seq, r.items, r.createdBy, id);
  const v = (
    await ctx.tx.query<{ id: number }>(
      `insert into term_version (system_id, seq, version, published_by, change_request_id, concept_count, content_hash, note) values ($1, $2, $3, $4, $5, $6, $7, $8) returning id::int as id`,
      [r.systemId, seq, label, ctx.principal.username, id, count, hash, r.title],
    )
  )[0]!;
  await ctx.tx.query(`update term_change_request set status = 'published', published_by = $2, published_at = now(), version_id = $3 where id = $1`, [
    id,
    ctx.principal.username,
    v.id,
  ]);
  ctx.audit.write({
    action: 'terminology.change-request.publish',
    objectType: 'term_change_request',
    objectId: id,
    before: { status: r.status },
    after: { status: 'published', version: label, seq, contentHash: hash, concepts: count },
  });
  return strip(await load(ctx, id));
}

export async function listChangeRequests(ctx: Pick<Ctx, 'tx'>, q: { system?: string; status?: CrStatus }) {
  const rows = await ctx.tx.query<ChangeRequest & { systemId: number }>(
    `${SELECT} where ($1::text is null or s.url = $1) and ($2::text is null or r.status = $2) order by r.id desc limit 200`,
    [q.system ?? null, q.status ?? null],
  );
  return {
    items: rows.map((r) =>
      strip({ ...r, createdAt: ts(r.createdAt) as string, submittedAt: ts(r.submittedAt), reviewedAt: ts(r.reviewedAt), publishedAt: ts(r.publishedAt) }),
    ),
  };
}

const CrOut = Type.Object({ id: Type.Integer(), status: Type.String() }, { additionalProperties: true });

export const changeRequestRoutes: AnyRoute[] = [
  defineRoute({
    method: 'GET',
    url: '/terminology/change-requests',
    summary: '代码变更申请列表',
    auth: 'staff',
    permission: 'terminology.read',
    querystring: Type.Object({ system: Type.Optional(Type.String({ maxLength: 300 })), status: Type.Optional(enumOf(CR_STATUSES)) }),
    response: { 200: Type.Object({ items: Type.Array(CrOut) }) },
    handler: (ctx, { query }) => listChangeRequests(ctx, query),
  }),
  defineRoute({
    method: 'GET',
    url: '/terminology/change-requests/:id',
    summary: '代码变更申请详情',
    auth: 'staff',
    permission: 'terminology.read',
    params: IdParams,
    response: { 200: CrOut },
    handler: async (ctx, { params }) => strip(await load(ctx, params.id)),
  }),
  defineRoute({
    method: 'POST',
    url: '/terminology/change-requests',
    summary: '起草代码变更申请（新增、停用、改名、移动、同义词、属性）',
    auth: 'staff',
    permission: 'terminology.edit',
    body: Type.Object(
      {
        system: Type.String({ minLength: 1, maxLength: 300 }),
        title: Type.String({ minLength: 1, maxLength: 200 }),
        version: Type.Optional(VersionLabel),
        items: Items,
      },
      { additionalProperties: false },
    ),
    successStatus: 201,
    response: { 201: CrOut },
    handler: (ctx, { body }) => createChangeRequest(ctx, body as never),
  }),
  defineRoute({
    method: 'PATCH',
    url: '/terminology/change-requests/:id',
    summary: '修改草稿或被驳回的变更申请（回到草稿）',
    auth: 'staff',
    permission: 'terminology.edit',
    params: IdParams,
    body: Type.Object(
      { title: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), version: Type.Optional(VersionLabel), items: Type.Optional(Items) },
      { additionalProperties: false, minProperties: 1 },
    ),
    response: { 200: CrOut },
    handler: (ctx, { params, body }) => editChangeRequest(ctx, params.id, body as never),
  }),
  defineRoute({
    method: 'POST',
    url: '/terminology/change-requests/:id/submit',
    summary: '提交变更申请待审核',
    auth: 'staff',
    permission: 'terminology.edit',
    params: IdParams,
    response: { 200: CrOut },
    handler: (ctx, { params }) => submitChangeRequest(ctx, params.id),
  }),
  defineRoute({
    method: 'POST',
    url: '/terminology/change-requests/:id/review',
    summary: '审核变更申请（批准或驳回；审核人不得是提交人）',
    auth: 'staff',
    permission: 'terminology.review',
    params: IdParams,
    body: Type.Object(
      { decision: enumOf(['approve', 'reject'] as const), note: Type.Optional(Type.String({ maxLength: 500 })) },
      { additionalProperties: false },
    ),
    response: { 200: CrOut },
    handler: (ctx, { params, body }) => reviewChangeRequest(ctx, params.id, body),
  }),
  defineRoute({
    method: 'POST',
    url: '/terminology/change-requests/:id/publish',
    summary: '发布已批准的变更为新版本（不可再改，附 SM3 内容摘要）',
    auth: 'staff',
    permission: 'terminology.review',
    params: IdParams,
    body: Type.Object({ version: Type.Optional(VersionLabel) }, { additionalProperties: false }),
    response: { 200: CrOut },
    handler: (ctx, { params, body }) => publishChangeRequest(ctx, params.id, body),
  }),
];
