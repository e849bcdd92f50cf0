import { Type } from '@sinclair/typebox';
import type { Queryable } from '../../../platform/db/types.ts';
import { type FieldError, notFound, unprocessable } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { Id, Paging, pageOf } from '../../common/master-data/schema.ts';
import { getPeople } from '../../common/resident-index/service.ts';
import { type FdCtx, invalid, operator } from './shapes.ts';

/**
 * 医保卡 rules of the contract platform:
 * - a card number shared with another resident is allowed, with a warning (the duplicate report lists them);
 * - a non-local card (异地医保卡, insured place other than Shanghai 310000) carries its insured place, and
 *   insured place + number identifies one resident: a second resident with the same pair is refused;
 * - the number's format is checked against the rule configured for its insured place (if any).
 */

export const SHANGHAI = '310000';
export const InsuredPlace = Type.String({ pattern: '^[0-9]{6}$', maxLength: 6, description: '参保地（6 位行政区划代码，上海为 310000）' });
export const CardNo = Type.String({ pattern: '^[0-9A-Za-z]{4,32}$', maxLength: 32, description: '医保卡号' });

export interface CardRule {
  insuredPlace: string;
  pattern: string;
  title: string;
  example: string | null;
  updatedByName: string | null;
  updatedAt: string;
}

interface CardRuleRow {
  insured_place: string;
  pattern: string;
  title: string;
  example: string | null;
  updated_by_name: string | null;
  updated_at: Date | string;
}
const ruleDto = (r: CardRuleRow): CardRule => ({
  insuredPlace: r.insured_place, pattern: r.pattern, title: r.title, example: r.example, updatedByName: r.updated_by_name,
  updatedAt: r.updated_at instanceof Date ? r.updated_at.toISOString() : r.updated_at,
});

export async function cardRule(tx: Queryable, place: string): Promise<CardRuleRow | null> {
  const [r] = await tx.query<CardRuleRow>('select * from fd_card_rule where insured_place = $1', [place]);
  return r ?? null;
}

/** Field errors of a card by its insured place's rule (none when the place has no rule). */
export async function cardFormatProblems(tx: Queryable, place: string, cardNo: string, field = 'insuranceCardNo'): Promise<FieldError[]> {
  const rule = await cardRule(tx, place);
  if (!rule) return [];
  return new RegExp(rule.pattern).test(cardNo) ? [] : [{ field, message: `医保卡号格式不符合参保地 ${place} 的规则：${rule.title}` }];
}

export interface CardCheck {
  /** Residents (ids) holding the same number, other than this one. */
  sharedWith: number[];
  /** The resident already holds this card with this insured place in the index. */
  alreadyHeld: boolean;
  warnings: string[];
}

/**
 * Checks a card for a resident: format (400), non-local identity (422), duplicates (warnings). The
 * holders are looked up city-wide (fd_card_holders), returning only ids and places.
 */
export async function checkCard(ctx: Pick<FdCtx, 'tx'>, personId: number | null, place: string | undefined, cardNo: string): Promise<CardCheck> {
  if (!place) throw invalid([{ field: 'insuredPlace', message: '请填写参保地（异地医保卡须填写参保地，本市为 310000）' }]);
  const problems = await cardFormatProblems(ctx.tx, place, cardNo);
  if (problems.length) throw invalid(problems);
  const all = (await ctx.tx.query<{ person_id: number; insured_place: string | null }>('select person_id, insured_place from fd_card_holders($1)', [cardNo]))
    .map((h) => ({ id: Number(h.person_id), place: h.insured_place }));
  const holders = all.filter((h) => h.id !== personId);
  const alreadyHeld = all.some((h) => h.id === personId && h.place === place);
  if (place !== SHANGHAI && holders.some((h) => h.place === place)) {
    throw unprocessable('该参保地与医保卡号已对应另一位居民（异地医保卡以参保地 + 卡号识别唯一居民）', [{ field: 'insuranceCardNo', message: '参保地 + 医保卡号已被其他居民使用' }]);
  }
  const warnings = holders.length ? [`医保卡号 ${cardNo} 与其他 ${holders.length} 位居民重复，已允许办理，请核实（见重复医保卡号报表）`] : [];
  return { sharedWith: holders.map((h) => h.id), alreadyHeld, warnings };
}

export const CardCheckQuery = Type.Object({ insuredPlace: Type.Optional(InsuredPlace), insuranceCardNo: CardNo, personId: Type.Optional(Id) }, { additionalProperties: false });

export const cardCheckRoute = defineRoute({
  method: 'GET',
  url: '/family-doctor/insurance-cards/check',
  summary: '核验医保卡号（格式、异地卡唯一、重复提示）',
  auth: 'staff',
  permission: 'family-doctor.sign',
  querystring: CardCheckQuery,
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
  handler: async (ctx) => ({ items: (await ctx.tx.query<CardRuleRow>('select * from fd_card_rule order by insured_place')).map(ruleDto) }),
});

export const CardRuleBody = Type.Object(
  { pattern: Type.String({ minLength: 1, maxLength: 200 }), title: Type.String({ minLength: 2, maxLength: 100 }), example: Type.Optional(Type.String({ maxLength: 32 })) },
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
  handler: async (ctx, { params, body }) => {
    let re: RegExp;
    try {
      re = new RegExp(body.pattern);
    } catch {
      throw invalid([{ field: 'pattern', message: '格式规则不是有效的正则表达式' }]);
    }
    if (!body.pattern.startsWith('^') || !body.pattern.endsWith('$')) throw invalid([{ field: 'pattern', message: '格式规则须以 ^ 开头、以 $ 结尾（匹配整个卡号）' }]);
    if (body.example && !re.test(body.example)) throw invalid([{ field: 'example', message: '示例卡号不符合该规则' }]);
    const before = await cardRule(ctx.tx, params.place);
    const [r] = await ctx.tx.query<CardRuleRow>(
      `insert into fd_card_rule (insured_place, pattern, title, example, updated_by, updated_by_name, updated_at) values ($1, $2, $3, $4, $5, $6, now())
       on conflict (insured_place) do update set pattern = excluded.pattern, title = excluded.title, example = excluded.example,
         updated_by = excluded.updated_by, updated_by_name = excluded.updated_by_name, updated_at = now()
       returning *`,
      [params.place, body.pattern, body.title, body.example ?? null, operator(ctx).operator_id, operator(ctx).operator_name],
    );
    ctx.audit.write({ action: 'family-doctor.card-rule', objectType: 'fd_card_rule', objectId: params.place, before: before ? ruleDto(before) : null, after: ruleDto(r) });
    return ruleDto(r);
  },
});

export const deleteCardRuleRoute = defineRoute({
  method: 'DELETE',
  url: '/family-doctor/card-rules/:place',
  summary: '删除参保地医保卡号格式规则',
  auth: 'staff',
  permission: 'family-doctor.admin',
  params: PlaceParams,
  handler: async (ctx, { params }) => {
    const before = await cardRule(ctx.tx, params.place);
    if (!before) throw notFound('该参保地没有格式规则');
    await ctx.tx.query('delete from fd_card_rule where insured_place = $1', [params.place]);
    ctx.audit.write({ action: 'family-doctor.card-rule-delete', objectType: 'fd_card_rule', objectId: params.place, before: ruleDto(before) });
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
  handler: async (ctx, { query }) => {
    const { limit, offset } = pageOf(query);
    const base = `select insurance_card_no as card, count(*)::int as n, array_agg(id order by id) as ids, array_agg(coalesce(insured_place, '') order by id) as places
                    from person where insurance_card_no is not null group by insurance_card_no having count(*) > 1`;
    const [c] = await ctx.tx.query<{ n: number }>(`select count(*)::int as n from (${base}) x`);
    const rows = await ctx.tx.query<{ card: string; n: number; ids: (number | string)[]; places: string[] }>(`${base} order by n desc, card limit $1 offset $2`, [limit, offset]);
    const people = await getPeople(ctx, rows.flatMap((r) => r.ids.map(Number)));
    ctx.audit.read({ action: 'family-doctor.duplicate-cards', objectType: 'person', note: `查看重复医保卡号报表（${rows.length} 组）` });
    return {
      total: c.n,
      items: rows.map((r) => ({
        insuranceCardNo: r.card,
        count: r.n,
        holders: r.ids.map((id, i) => {
          const p = people.get(Number(id));
          return { personId: Number(id), name: p?.name ?? null, idNumberMasked: p?.idNumberMasked ?? null, insuredPlace: r.places[i] || null, district: p?.residenceDistrict ?? null };
        }),
      })),
    };
  },
});
