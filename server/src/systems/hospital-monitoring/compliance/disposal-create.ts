import type { ServiceContext } from '../../../platform/service-context.ts';
import { Type } from '@sinclair/typebox';
import { conflict, notFound, unprocessable } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { Id } from '../../../platform/http/schema.ts';
import * as repo from './disposal-repository.ts';
import { getDisposal } from './disposal-read.ts';
import { DisposalDetail } from './responses.ts';

export const CreateDisposalBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 100 }),
    dueOn: Type.String({ format: 'date', maxLength: 10 }),
    findingIds: Type.Array(Id, { minItems: 1, maxItems: 500, uniqueItems: true }),
  },
  { additionalProperties: false },
);

/**
 * Creates a draft disposal order over selected findings: all of one institution (one order per institution),
 * none already in an open order, the due date not in the past.
 */
export async function createDisposal(ctx: ServiceContext, b: typeof CreateDisposalBody.static) {
  const title = b.title.trim();
  if (!title) throw unprocessable('请填写处置单标题');
  if (b.dueOn < (await repo.today(ctx.tx))) throw unprocessable('处置期限不能早于今天');
  const ids = [...new Set(b.findingIds)];
  const found = await repo.findingsForOrder(ctx.tx, ids);
  if (found.length !== ids.length) throw notFound('部分监测结果不存在或不在您的数据权限范围内');
  const institutions = new Set(found.map((f) => f.institution_id));
  if (institutions.size > 1) throw unprocessable('一张处置单只能针对一家机构，请按机构分别生成处置单');
  const taken = found.filter((f) => f.open_in !== null);
  if (taken.length > 0) {
    throw conflict(
      `所选监测结果中有 ${taken.length} 条已在未归档的处置单中`,
      taken.map((f) => ({ field: 'findingIds', message: `监测结果 ${f.id} 已在处置单 ${f.open_in} 中` })),
    );
  }
  const { institution_id: institutionId, district_code: districtCode } = found[0]!; // findingIds has minItems 1 and all were found
  const id = await repo.insertDisposal(ctx.tx, { institutionId, districtCode, title, dueOn: b.dueOn, createdBy: ctx.principal.username, findingIds: ids });
  await repo.insertEvent(ctx.tx, {
    disposalId: id,
    institutionId,
    districtCode,
    action: 'create',
    from: null,
    to: 'draft',
    actor: ctx.principal.username,
    actorName: ctx.principal.displayName,
    actorRole: ctx.principal.role,
    note: null,
  });
  ctx.audit.write({
    action: 'compliance.disposal.create',
    objectType: 'cm_disposal',
    objectId: id,
    after: { status: 'draft', title, dueOn: b.dueOn, institutionId, findingIds: ids },
  });
  return getDisposal(ctx, id);
}

export const createDisposalRoute = defineRoute({
  method: 'POST',
  url: '/compliance/disposals',
  summary: '由所选监测结果生成处置单（一家机构一张，草稿）',
  auth: 'staff',
  permission: 'compliance.disposal.manage',
  body: CreateDisposalBody,
  successStatus: 201,
  response: { 201: DisposalDetail },
  handler: (ctx, { body }) => createDisposal(ctx, body),
});
