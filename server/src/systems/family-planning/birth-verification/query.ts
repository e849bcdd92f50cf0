import { Type } from '@sinclair/typebox';
import type { AuditBuffer } from '../../../platform/audit/event.ts';
import type { KeyRing } from '../../../platform/crypto/keyring.ts';
import type { Queryable } from '../../../platform/db/types.ts';
import { fieldError, notFound } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { maskName } from '../../../platform/util/resident-id.ts';
import { Id } from '../../../platform/http/schema.ts';
import { findPersonByIdNumber, getPerson } from '../../common/resident-index/service.ts';
import { SOURCE_TITLE } from './birth-order.ts';
import { birthOrderOf } from './service.ts';
import { BirthOrderAnswer } from './responses.ts';

interface Ctx {
  tx: Queryable;
  kernel: { keys: KeyRing };
  audit: AuditBuffer;
}

export const BIRTH_ORDER_RULE =
  '孩次按父母双方的出生记录计算：子女包括母亲或父亲任一方的全部子女（含前次婚姻所生），按出生日期排序，同日出生的多胞胎按出生医学证明编号依次排序；各来源不一致时以市妇幼、出生"一件事"、公安的顺序取值并标记需人工核定。';

export async function answerBirthOrder(ctx: Ctx, by: { personId?: number; idNumber?: string }, action: string): Promise<BirthOrderAnswer> {
  let personId = by.personId;
  if (personId === undefined) {
    if (!by.idNumber) throw fieldError('idNumber', '请提供儿童证件号码或人员编号');
    const p = await findPersonByIdNumber(ctx, 'resident_id', by.idNumber);
    if (!p) throw notFound('未找到该儿童或不在您的数据权限范围内');
    personId = p.id;
  }
  const r = await birthOrderOf(ctx, personId);
  if (!r) throw notFound('未找到该儿童的出生记录或不在您的数据权限范围内');
  const person = await getPerson(ctx, personId);
  ctx.audit.read({ action, objectType: 'person', objectId: personId, note: `孩次查询：第 ${r.birthOrder} 孩${r.needsReview ? '（需人工核定）' : ''}` });
  return {
    child: {
      personId,
      nameMasked: maskName(person?.name ?? r.sources[0]!.childName),
      idNumberMasked: person?.idNumberMasked ?? null,
      birthDate: r.birthDate,
    },
    birthOrder: r.birthOrder,
    totalChildren: r.totalChildren,
    needsReview: r.needsReview,
    conflicts: r.conflicts,
    explanation: r.explanation,
    siblings: r.siblings.map((s) => ({ order: s.order, birthDate: s.birthDate, shared: s.shared, sameDay: s.sameDay, self: s.shared === 'self' })),
    sources: r.sources.map((s) => ({
      source: s.source,
      sourceTitle: SOURCE_TITLE[s.source],
      certificateNo: s.certificateNo,
      claimedBirthOrder: s.claimedBirthOrder,
    })),
    rule: BIRTH_ORDER_RULE,
  };
}

export const BirthOrderQuery = Type.Object(
  {
    idNumber: Type.Optional(Type.String({ minLength: 15, maxLength: 18, pattern: '^[0-9]{15}([0-9]{2}[0-9Xx])?$' })),
    personId: Type.Optional(Id),
  },
  { additionalProperties: false },
);

export const birthOrderRoute = defineRoute({
  method: 'GET',
  url: '/family-planning/birth-order',
  summary: '孩次查询（按证件号码或人员编号）',
  tags: ['计划生育'],
  auth: 'staff',
  permission: 'birth-verification.birth-order.read',
  querystring: BirthOrderQuery,
  response: { 200: BirthOrderAnswer },
  handler: (ctx, { query }) => answerBirthOrder(ctx, query, 'fp.birth-order.view'),
});

export const PartnerBirthOrderQuery = Type.Object(
  { idNumber: Type.String({ minLength: 15, maxLength: 18, pattern: '^[0-9]{15}([0-9]{2}[0-9Xx])?$' }) },
  { additionalProperties: false },
);

/** For the national 育儿补贴信息管理系统: signed requests (auth/partner.ts), scope of its API key. */
export const partnerBirthOrderRoute = defineRoute({
  method: 'GET',
  url: '/partner/family-planning/birth-order',
  summary: '孩次查询接口（合作系统，国家育儿补贴信息管理系统）',
  tags: ['合作系统接入'],
  auth: 'partner',
  permission: 'birth-verification.birth-order.query',
  querystring: PartnerBirthOrderQuery,
  response: { 200: BirthOrderAnswer },
  handler: (ctx, { query }) => answerBirthOrder(ctx, query, 'fp.birth-order.partner-query'),
});
