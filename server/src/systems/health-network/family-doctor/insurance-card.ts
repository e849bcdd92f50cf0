import type { ServiceContext } from '../../../platform/service-context.ts';
import { Type } from '@sinclair/typebox';
import { notFound } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { Id, Paging, pageOf } from '../../../platform/http/schema.ts';
import {
  type CardCheck,
  CardNo,
  type CardRuleRow,
  checkInsuranceCard,
  deleteCardRuleRow,
  getPeople,
  InsuredPlace,
  listCardRuleRows,
  putCardRuleRow,
  SHANGHAI,
  updateResident,
} from '../../common/resident-index/service.ts';
import { operator } from './shapes.ts';
import { CardCheckResult, CardRule, CardRules, Deleted, DuplicateCardPage } from './responses.ts';

/**
 * 医保卡 in the contract platform. The rules themselves (format per 参保地, 参保地 + 卡号 unique for non-local
 * cards, duplicates allowed with a warning) live in the resident index, which checks them on every write of a
 * card; this module keeps the screens: the check before signing, the rule settings and the duplicate report.
 */
export { CardNo, InsuredPlace, SHANGHAI };

const ruleDto = (r: CardRuleRow): CardRule => ({
  insuredPlace: r.insured_place,
  pattern: r.pattern,
  title: r.title,
  example: r.example,
  updatedByName: r.updated_by_name,
  updatedAt: r.updated_at instanceof Date ? r.updated_at.toISOString() : r.updated_at,
});

/** The resident index's card check (kept under its old name for the signing paths). */
export function checkCard(ctx: ServiceContext, personId: number | null, place: string | undefined, cardNo: string): Promise<CardCheck> {
  return checkInsuranceCard(ctx, personId, place, cardNo);
}

/** The 参保地 / card fields of the renewal and change forms (tender row 5). */
export const CardFields = { insuredPlace: Type.Optional(InsuredPlace), insuranceCardNo: Type.Optional(CardNo) };

/**
 * Writes a card given on a renewal or change form to the resident index, which checks the rules (400 / 422)
 * exactly as for any other write of a card. Returns the duplicate warnings.
 */
export async function applyCard(ctx: ServiceContext, personId: number, b: { insuredPlace?: string; insuranceCardNo?: string }): Promise<string[]> {
  if (b.insuranceCardNo === undefined && b.insuredPlace === undefined) return [];
  const r = await updateResident(ctx, personId, { insuranceCardNo: b.insuranceCardNo, insuredPlace: b.insuredPlace });
  return r.warnings ?? [];
}

export const CardCheckQuery = Type.Object(
  { insuredPlace: Type.Optional(InsuredPlace), insuranceCardNo: CardNo, personId: Type.Optional(Id) },
  { additionalProperties: false },
);

export const cardCheckRoute = defineRoute({
  method: 'GET',
  url: '/family-doctor/insurance-cards/check',
  summary: '核验医保卡号（格式、异地卡唯一、重复提示）',
  auth: 'staff',
  permission: 'family-doctor.sign',
  querystring: CardCheckQuery,
  response: { 200: CardCheckResult },
  handler: async (ctx, { query }) => {
    const r = await checkCard(ctx, query.personId ?? null, query.insuredPlace, query.insuranceCardNo);
    return { ok: true, warnings: r.warnings, duplicates: r.sharedWith.length };
  },
});

// ———————————————————————————————————————— format rules (admin) ————————————————————————————————————————

export const listCardRulesRoute = defineRoute({
  method: 'GET',
  url: '/family-doctor/card-rules',
  summary: '各参保地医保卡号格式规则',
  auth: 'staff',
  permission: 'family-doctor.read',
  response: { 200: CardRules },
  handler: async (ctx) => ({ items: (await listCardRuleRows(ctx.tx)).map(ruleDto) }),
});

export const CardRuleBody = Type.Object(
  {
    pattern: Type.String({ minLength: 1, maxLength: 200 }),
    title: Type.String({ minLength: 2, maxLength: 100 }),
    example: Type.Optional(Type.String({ maxLength: 32 })),
  },
  { additionalProperties: false },
);
export const PlaceParams = Type.Object({ place: InsuredPlace }, { additionalProperties: false });

export const putCardRuleRoute = defineRoute({
  method: 'PUT',
  url: '/family-doctor/card-rules/:place',
  summary: '设置参保地医保卡号格式规则（正则表达式）',
  auth: 'staff',
  permission: 'family-doctor.admin',
  params: PlaceParams,
  body: CardRuleBody,
  response: { 200: CardRule },
  handler: async (ctx, { params, body }) => {
    const { operator_id, operator_name } = operator(ctx);
    const { before, after } = await putCardRuleRow(ctx.tx, params.place, body, { id: operator_id, name: operator_name });
    ctx.audit.write({
      action: 'family-doctor.card-rule',
      objectType: 'insurance_card_rule',
      objectId: params.place,
      before: before ? ruleDto(before) : null,
      after: ruleDto(after),
    });
    return ruleDto(after);
  },
});

export const deleteCardRuleRoute = defineRoute({
  method: 'DELETE',
  url: '/family-doctor/card-rules/:place',
  summary: '删除参保地医保卡号格式规则',
  auth: 'staff',
  permission: 'family-doctor.admin',
  params: PlaceParams,
  response: { 200: Deleted },
  handler: async (ctx, { params }) => {
    const before = await deleteCardRuleRow(ctx.tx, params.place);
    if (!before) throw notFound('该参保地没有格式规则');
    ctx.audit.write({ action: 'family-doctor.card-rule-delete', objectType: 'insurance_card_rule', objectId: params.place, before: ruleDto(before) });
    return { deleted: true };
  },
});

// ———————————————————————————————————————— duplicate-card report ————————————————————————————————————————

/**
 * 重复医保卡号报表: card numbers held by more than one resident in the caller's scope (the resident index's
 * person rows under row-level security), with the holders masked. Reading `person` here is a report over
 * the resident index; nothing is written to it.
 */
export const duplicateCardsRoute = defineRoute({
  method: 'GET',
  url: '/family-doctor/reports/duplicate-cards',
  summary: '重复医保卡号报表',
  auth: 'staff',
  permission: 'family-doctor.read',
  querystring: Type.Object({ ...Paging }, { additionalProperties: false }),
  response: { 200: DuplicateCardPage },
  handler: async (ctx, { query }) => {
    const { limit, offset } = pageOf(query);
    const base = `select insurance_card_no as card, count(*)::int as n, array_agg(id order by id) as ids, array_agg(coalesce(insured_place, '') order by id) as places
                    from person where insurance_card_no is not null group by insurance_card_no having count(*) > 1`;
    const c = (await ctx.tx.query<{ n: number }>(`select count(*)::int as n from (${base}) x`))[0]!;
    const rows = await ctx.tx.query<{ card: string; n: number; ids: (number | string)[]; places: string[] }>(
      `${base} order by n desc, card limit $1 offset $2`,
      [limit, offset],
    );
    const people = await getPeople(
      ctx,
      rows.flatMap((r) => r.ids.map(Number)),
    );
    ctx.audit.read({ action: 'family-doctor.duplicate-cards', objectType: 'person', note: `查看重复医保卡号报表（${rows.length} 组）` });
    return {
      total: c.n,
      items: rows.map((r) => ({
        insuranceCardNo: r.card,
        count: r.n,
        holders: r.ids.map((id, i) => {
          const p = people.get(Number(id));
          return {
            personId: Number(id),
            name: p?.name ?? null,
            idNumberMasked: p?.idNumberMasked ?? null,
            insuredPlace: r.places[i] || null,
            district: p?.residenceDistrict ?? null,
          };
        }),
      })),
    };
  },
});
