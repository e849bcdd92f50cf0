import { Type } from '@sinclair/typebox';
import type { Queryable } from '../../../platform/db/types.ts';
import { AppError, type FieldError, unprocessable } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { invalid } from './rules.ts';
import { CardCheckResult } from './responses.ts';

/**
 * 医保卡 rules, checked here for every write of a card (resident create/update, and through them signing,
 * renewal and changes of a contract):
 * - the number's format by the rule configured for its 参保地 (insured place), if any;
 * - a non-local card (异地医保卡, 参保地 other than Shanghai 310000) is identified by 参保地 + 卡号: a second
 *   resident with the same pair is refused;
 * - a Shanghai number shared with another resident is allowed with a warning (the duplicate report lists them);
 * - a card needs its 参保地.
 */

export const SHANGHAI = '310000';
export const InsuredPlace = Type.String({ pattern: '^[0-9]{6}$', maxLength: 6, description: '参保地（6 位行政区划代码，上海为 310000）' });
export const CardNo = Type.String({ pattern: '^[0-9A-Za-z]{4,32}$', maxLength: 32, description: '医保卡号' });

export interface CardRuleRow {
  insured_place: string;
  pattern: string;
  title: string;
  example: string | null;
  updated_by: number | null;
  updated_by_name: string | null;
  updated_at: Date | string;
}

export async function cardRule(tx: Queryable, place: string): Promise<CardRuleRow | null> {
  const [r] = await tx.query<CardRuleRow>('select * from insurance_card_rule where insured_place = $1', [place]);
  return r ?? null;
}

export function listCardRuleRows(tx: Queryable): Promise<CardRuleRow[]> {
  return tx.query<CardRuleRow>('select * from insurance_card_rule order by insured_place');
}

/** Validates and stores a rule (city level only, by the table's policy); returns before and after. */
export async function putCardRuleRow(
  tx: Queryable,
  place: string,
  r: { pattern: string; title: string; example?: string | null },
  by: { id: number | null; name: string },
) {
  let re: RegExp;
  try {
    re = new RegExp(r.pattern);
  } catch {
    throw invalid([{ field: 'pattern', message: '格式规则不是有效的正则表达式' }]);
  }
  if (!r.pattern.startsWith('^') || !r.pattern.endsWith('$')) throw invalid([{ field: 'pattern', message: '格式规则须以 ^ 开头、以 $ 结尾（匹配整个卡号）' }]);
  if (r.example && !re.test(r.example)) throw invalid([{ field: 'example', message: '示例卡号不符合该规则' }]);
  const before = await cardRule(tx, place);
  const after = (
    await tx.query<CardRuleRow>(
      `insert into insurance_card_rule (insured_place, pattern, title, example, updated_by, updated_by_name, updated_at) values ($1, $2, $3, $4, $5, $6, now())
     on conflict (insured_place) do update set pattern = excluded.pattern, title = excluded.title, example = excluded.example,
       updated_by = excluded.updated_by, updated_by_name = excluded.updated_by_name, updated_at = now()
     returning *`,
      [place, r.pattern, r.title, r.example ?? null, by.id, by.name],
    )
  )[0]!;
  return { before, after };
}

export async function deleteCardRuleRow(tx: Queryable, place: string): Promise<CardRuleRow | null> {
  const before = await cardRule(tx, place);
  if (before) await tx.query('delete from insurance_card_rule where insured_place = $1', [place]);
  return before;
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
  /** The resident already holds this card with this insured place. */
  alreadyHeld: boolean;
  warnings: string[];
}

/** The decision on the holders found (pure): refused when a non-local 参保地 + 卡号 belongs to someone else. */
export function cardHolderDecision(
  personId: number | null,
  place: string,
  cardNo: string,
  all: readonly { id: number; place: string | null }[],
): CardCheck & { refusal: string | null } {
  const holders = all.filter((h) => h.id !== personId);
  const alreadyHeld = all.some((h) => h.id === personId && h.place === place);
  const refusal =
    place !== SHANGHAI && holders.some((h) => h.place === place) ? '该参保地与医保卡号已对应另一位居民（异地医保卡以参保地 + 卡号识别唯一居民）' : null;
  const warnings = holders.length ? [`医保卡号 ${cardNo} 与其他 ${holders.length} 位居民重复，已允许办理，请核实（见重复医保卡号报表）`] : [];
  return { sharedWith: holders.map((h) => h.id), alreadyHeld, warnings, refusal };
}

/**
 * Checks a card for a resident (null: a new one): 参保地 required and format (400), non-local identity (422),
 * duplicates (warnings). The holders are looked up city-wide (person_card_holders), ids and places only.
 */
export async function checkInsuranceCard(
  ctx: { tx: Queryable },
  personId: number | null,
  place: string | null | undefined,
  cardNo: string,
): Promise<CardCheck> {
  if (!place) throw invalid([{ field: 'insuredPlace', message: '请填写参保地（异地医保卡须填写参保地，本市为 310000）' }]);
  const problems = await cardFormatProblems(ctx.tx, place, cardNo);
  if (problems.length) throw invalid(problems);
  const all = (
    await ctx.tx.query<{ person_id: number; insured_place: string | null }>('select person_id, insured_place from person_card_holders($1)', [cardNo])
  ).map((h) => ({ id: Number(h.person_id), place: h.insured_place }));
  const d = cardHolderDecision(personId, place, cardNo, all);
  if (d.refusal) throw unprocessable(d.refusal, [{ field: 'insuranceCardNo', message: '参保地 + 医保卡号已被其他居民使用' }]);
  return { sharedWith: d.sharedWith, alreadyHeld: d.alreadyHeld, warnings: d.warnings };
}

/**
 * The same rules for the card a resident already holds (a write that moves the resident without touching the
 * card, e.g. a 转签 accepted by another centre, must not carry a card the rules refuse): null when it passes
 * or there is none, else the zh-CN reasons. Resident outside the caller's scope: null (the caller's own check).
 */
export async function cardOnRecordProblem(ctx: { tx: Queryable }, personId: number): Promise<string | null> {
  const [p] = await ctx.tx.query<{ insured_place: string | null; insurance_card_no: string | null }>(
    'select insured_place, insurance_card_no from person where id = $1',
    [personId],
  );
  if (!p?.insurance_card_no) return null;
  try {
    await checkInsuranceCard(ctx, personId, p.insured_place, p.insurance_card_no);
    return null;
  } catch (e) {
    if (!(e instanceof AppError) || (e.status !== 400 && e.status !== 422)) throw e;
    return [...new Set([e.message, ...e.details.map((d) => d.message)].filter(Boolean))].join('；');
  }
}

export const CardCheckQuery = Type.Object(
  { insuredPlace: Type.Optional(InsuredPlace), insuranceCardNo: CardNo, personId: Type.Optional(Type.Integer({ minimum: 1 })) },
  { additionalProperties: false },
);

/** The card check for other systems' staff — district and city hospitals registering a patient — as for the index's own writes. */
export const insuranceCardCheckRoute = defineRoute({
  method: 'GET',
  url: '/residents/insurance-cards/check',
  summary: '核验医保卡号（参保地格式规则、异地卡参保地 + 卡号唯一、重复提示）',
  description: '供区级、市级医院等调用：与居民建档、修改、签约、续约、变更时的核验相同。违反规则返回 400（格式、缺参保地）或 422（异地卡已对应其他居民）。',
  auth: 'staff',
  permission: 'resident-index.read',
  querystring: CardCheckQuery,
  response: { 200: CardCheckResult },
  handler: async (ctx, { query }) => {
    const r = await checkInsuranceCard(ctx, query.personId ?? null, query.insuredPlace, query.insuranceCardNo);
    ctx.audit.read({
      action: 'resident.card-check',
      objectType: 'person',
      objectId: query.personId ?? null,
      note: `医保卡核验（重复 ${r.sharedWith.length}）`,
    });
    return { ok: true, warnings: r.warnings, duplicates: r.sharedWith.length };
  },
});
