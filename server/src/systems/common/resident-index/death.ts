import { Type } from '@sinclair/typebox';
import { notFound, unprocessable } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { todayInShanghai } from '../../../platform/util/dates.ts';
import { enumOf, IdParams } from '../master-data/schema.ts';
import * as repo from './repository.ts';
import { type PersonView, type ResidentCtx, toView } from './shapes.ts';

export const DEATH_SOURCES = ['manual', 'fd_death_check', 'mch', 'police'] as const;
export type DeathSource = (typeof DEATH_SOURCES)[number];
export const DEATH_SOURCE_NAMES: Record<DeathSource, string> = { manual: '人工登记', fd_death_check: '家庭医生死亡核实', mch: '市妇幼', police: '公安' };

export interface DeathInput {
  deathDate: string;
  source: DeathSource;
  /** e.g. the death-report card number or the source's record id (audit note only). */
  reference?: string | null;
}

/** Why a death cannot be recorded (pure): a date before birth or in the future. */
export function deathRecordProblem(birthDate: string, deathDate: string, today: string): string | null {
  if (deathDate > today) return '死亡日期不能晚于今天';
  if (deathDate < birthDate) return '死亡日期不能早于出生日期';
  return null;
}

/**
 * Marks a resident deceased with date and source (the one way modules record a death; screening, signing
 * and booking read status = dead). Already dead: kept as recorded (the first source wins), returned
 * unchanged. Audited; null when the resident is outside the caller's scope.
 */
export async function recordDeath(ctx: ResidentCtx, personId: number, d: DeathInput): Promise<PersonView | null> {
  const before = await repo.personById(ctx.tx, personId, true);
  if (!before) return null;
  if (before.status === 'dead') return toView(before);
  const problem = deathRecordProblem(before.birth_date, d.deathDate, todayInShanghai());
  if (problem) throw unprocessable(problem, [{ field: 'deathDate', message: problem }]);
  const after = await repo.updatePerson(ctx.tx, personId, { status: 'dead', death_date: d.deathDate, death_source: d.source });
  if (!after) return null;
  ctx.audit.write({
    action: 'resident.death',
    objectType: 'person',
    objectId: personId,
    before: { status: before.status, deathDate: before.death_date },
    after: { status: after.status, deathDate: after.death_date, deathSource: d.source },
    note: `${DEATH_SOURCE_NAMES[d.source]}${d.reference ? `：${d.reference}` : ''}`,
  });
  return toView(after);
}

const DeathBody = Type.Object(
  {
    deathDate: Type.String({ format: 'past-date', maxLength: 10 }),
    source: enumOf(DEATH_SOURCES),
    reference: Type.Optional(Type.String({ maxLength: 60 })),
  },
  { additionalProperties: false },
);

/** The interface for the sources (市妇幼, 公安 adapters, or a person entering a death by hand). */
export const recordDeathRoute = defineRoute({
  method: 'POST',
  url: '/residents/:id/death',
  summary: '登记居民死亡（日期与来源）',
  description: '来源：manual 人工登记、fd_death_check 家庭医生死亡核实、mch 市妇幼、police 公安。已登记死亡的居民保持原记录。',
  auth: 'staff',
  permission: 'residents.write',
  params: IdParams,
  body: DeathBody,
  handler: async (ctx, { params, body }) => {
    const p = await recordDeath(ctx, params.id, body);
    if (!p) throw notFound('居民不存在或不在您的数据权限范围内');
    return p;
  },
});
