import type { ServiceContext } from '../../../platform/service-context.ts';
import { Type } from '@sinclair/typebox';
import { fieldError, notFound } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { todayInShanghai } from '../../../platform/rules/dates.ts';
import { enumOf, Id, IdParams, Text } from '../../../platform/http/schema.ts';
import { conditionById, type ConditionRow, conditionsOf, endCondition, insertCondition, tagsOf } from './repository.ts';
import { CONDITION_KINDS, CONDITION_TITLE, TAG_TITLE } from './rules.ts';
import { refreshTags } from './service.ts';
import { type Condition, ConditionSaved, ResidentTags } from './responses.ts';

const DateStr = (description: string) => Type.String({ format: 'date', maxLength: 10, description });

export const ConditionBody = Type.Object(
  {
    personId: Id,
    kind: enumOf(CONDITION_KINDS, { description: '登记类别' }),
    registeredOn: DateStr('登记日期'),
    endsOn: Type.Optional(DateStr('结案日期（孕期：预产期；产后：分娩后 42 天）')),
    note: Type.Optional(Text(200)),
  },
  { additionalProperties: false },
);

export type ConditionDto = Condition;

const toDto = (r: ConditionRow): ConditionDto => ({
  id: Number(r.id),
  personId: Number(r.person_id),
  kind: r.kind,
  kindTitle: CONDITION_TITLE[r.kind],
  registeredOn: r.registered_on,
  endsOn: r.ends_on,
  source: r.source,
  note: r.note,
});

async function residentTags(ctx: ServiceContext, personId: number): Promise<ResidentTags> {
  const tags = (await tagsOf(ctx.tx, [personId])).get(personId) ?? [];
  return { personId, tags: tags.map((t) => ({ ...t, title: TAG_TITLE[t.tag] })), conditions: (await conditionsOf(ctx.tx, personId)).map(toDto) };
}

/** Registers a condition and recomputes that resident's tags in the same transaction (tags follow on change). */
export async function registerCondition(ctx: ServiceContext, b: typeof ConditionBody.static): Promise<ResidentTags & { condition: ConditionDto }> {
  const today = todayInShanghai();
  if (b.registeredOn > today) throw fieldError('registeredOn', '登记日期不能晚于今天');
  if (b.endsOn !== undefined && b.endsOn < b.registeredOn) throw fieldError('endsOn', '结案日期不能早于登记日期');
  const row = await insertCondition(ctx.tx, {
    person_id: b.personId,
    kind: b.kind,
    registered_on: b.registeredOn,
    ends_on: b.endsOn ?? null,
    note: b.note ?? null,
    created_by: ctx.principal.displayName || ctx.principal.username,
  });
  if (!row) throw notFound('居民不存在或不在您的数据权限范围内');
  await refreshTags(ctx.tx, { today, personId: b.personId });
  ctx.audit.write({
    action: 'key-populations.condition.register',
    objectType: 'kp_condition',
    objectId: Number(row.id),
    after: toDto(row),
    note: `登记${CONDITION_TITLE[b.kind]}`,
  });
  return { ...(await residentTags(ctx, b.personId)), condition: toDto(row) };
}

export const EndBody = Type.Object({ endsOn: DateStr('结案日期') }, { additionalProperties: false });

/** Closes a condition (cured, delivered, moved out of the register …) and recomputes the resident's tags. */
export async function closeCondition(ctx: ServiceContext, id: number, b: typeof EndBody.static): Promise<ResidentTags & { condition: ConditionDto }> {
  const before = await conditionById(ctx.tx, id);
  if (!before) throw notFound('登记记录不存在或不在您的数据权限范围内');
  if (b.endsOn < before.registered_on) throw fieldError('endsOn', '结案日期不能早于登记日期');
  const row = await endCondition(ctx.tx, id, b.endsOn);
  if (!row) throw notFound('登记记录不存在或不在您的数据权限范围内');
  const personId = Number(row.person_id);
  await refreshTags(ctx.tx, { personId });
  ctx.audit.write({
    action: 'key-populations.condition.end',
    objectType: 'kp_condition',
    objectId: id,
    before: toDto(before),
    after: toDto(row),
    note: '登记结案',
  });
  return { ...(await residentTags(ctx, personId)), condition: toDto(row) };
}

export async function viewResidentTags(ctx: ServiceContext, personId: number): Promise<ResidentTags> {
  const r = await residentTags(ctx, personId);
  ctx.audit.read({ action: 'key-populations.view', objectType: 'person', objectId: personId, note: '查看重点人群标识及登记信息' });
  return r;
}

export const registerConditionRoute = defineRoute({
  method: 'POST',
  url: '/key-populations/conditions',
  summary: '登记重点人群信息',
  description: '登记慢病、残疾、孕产、计划生育特殊家庭等信息；该居民的标签随即重算。',
  auth: 'staff',
  permission: 'key-populations.write',
  body: ConditionBody,
  successStatus: 201,
  response: { 201: ConditionSaved },
  handler: (ctx, { body }) => registerCondition(ctx, body),
});

export const endConditionRoute = defineRoute({
  method: 'POST',
  url: '/key-populations/conditions/:id/end',
  summary: '登记结案',
  auth: 'staff',
  permission: 'key-populations.write',
  params: IdParams,
  body: EndBody,
  response: { 200: ConditionSaved },
  handler: (ctx, { params, body }) => closeCondition(ctx, params.id, body),
});

export const residentTagsRoute = defineRoute({
  method: 'GET',
  url: '/key-populations/residents/:id',
  summary: '居民的重点人群标识及登记信息',
  auth: 'staff',
  permission: 'key-populations.read',
  params: IdParams,
  response: { 200: ResidentTags },
  handler: (ctx, { params }) => viewResidentTags(ctx, params.id),
});
