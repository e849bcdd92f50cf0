import { Type } from '@sinclair/typebox';
import { notFound, unprocessable } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { publishEvent } from '../../../platform/events/publish.ts';
import { todayInShanghai } from '../../../platform/util/dates.ts';
import { enumOf, IdParams } from '../../../platform/http/schema.ts';
import { normalizeIdNumber } from './identity.ts';
import * as repo from './repository.ts';
import { type PersonView, type ResidentCtx, toView } from './shapes.ts';
import { PersonView as PersonViewSchema } from './responses.ts';

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

/** A death record an outside system's feed carried (市妇幼 death report, 公安 death deregistration). */
export interface FeedDeath {
  source: Extract<DeathSource, 'mch' | 'police'>;
  /** 居民身份证号码 as the feed sent it (normalised here). */
  idNumber: string;
  /** The resident the feed module already matched by its own records (e.g. a newborn's 出生医学证明编号) when the feed has no identity number. */
  personId?: number | null;
  name: string;
  deathDate: string;
  /** The feed's record number (报告卡编号 / 注销编号): the audit note. */
  reference: string;
}

/** What became of one feed record: recorded now, already recorded, or why it was not (zh-CN message). */
export interface FeedDeathResult {
  outcome: 'recorded' | 'already_dead' | 'not_found' | 'name_mismatch' | 'invalid';
  personId: number | null;
  /** Residence district / street of the matched resident (where the feed module files its log line). */
  districtCode: string | null;
  streetCode: string | null;
  message: string;
}

const sameName = (a: string, b: string) => a.replace(/[\s\u3000·•.]/g, '') === b.replace(/[\s\u3000·•.]/g, '');

/**
 * The entry point for the feeds: finds the resident by 居民身份证 (blind index) and records the death through
 * recordDeath when the name agrees too — an identity number with another name is a data error to look at,
 * never a death to record. Re-sent records find the resident already dead and change nothing.
 */
export async function recordFeedDeath(ctx: ResidentCtx, d: FeedDeath): Promise<FeedDeathResult> {
  const none = { personId: null, districtCode: null, streetCode: null };
  const id = normalizeIdNumber(d.idNumber);
  if (!id && !d.personId) return { ...none, outcome: 'invalid', message: '缺少证件号码，无法对应居民' };
  const row = id
    ? await repo.personByIdentity(ctx.tx, 'resident_id', ctx.kernel.keys.blindIndex(id, 'person.id_number'))
    : await repo.personById(ctx.tx, d.personId as number);
  if (!row) return { ...none, outcome: 'not_found', message: id ? '居民主索引中无此证件号码' : '居民主索引中无此居民' };
  const at = { personId: row.id, districtCode: row.residence_district, streetCode: row.residence_street };
  if (!sameName(row.name, d.name)) return { ...at, outcome: 'name_mismatch', message: `证件号码对应的居民姓名与来源记录不一致，未登记死亡，请人工核对` };
  if (row.status === 'dead') return { ...at, outcome: 'already_dead', message: `已登记死亡（${row.death_date ?? '日期不详'}），保持原记录` };
  const problem = deathRecordProblem(row.birth_date, d.deathDate, todayInShanghai());
  if (problem) return { ...at, outcome: 'invalid', message: problem };
  await recordDeath(ctx, row.id, { deathDate: d.deathDate, source: d.source, reference: d.reference });
  return { ...at, outcome: 'recorded', message: `已登记死亡（死亡日期 ${d.deathDate}，来源 ${DEATH_SOURCE_NAMES[d.source]}）` };
}

/**
 * What acts on a recorded death beyond the index is not this module's business: it publishes
 * `resident.death-recorded` (platform/events) and whoever subscribed acts — the family-doctor module queues
 * its death scan, which opens the contracted doctor's 死亡核实 task and notifies the doctor and the centre. A
 * feed that recorded deaths publishes once, in the feed's transaction, rather than leave the doctor waiting
 * for the night's run; with no subscriber installed nothing is queued. Returns the first queued run.
 */
export const DEATH_RECORDED_EVENT = 'resident.death-recorded';

export async function queueDeathFollowUp(tx: ResidentCtx['tx'], requestedBy: string): Promise<number | null> {
  return (await publishEvent(tx, DEATH_RECORDED_EVENT, requestedBy))[0] ?? null;
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
  permission: 'resident-index.write',
  params: IdParams,
  body: DeathBody,
  response: { 200: PersonViewSchema },
  handler: async (ctx, { params, body }) => {
    const p = await recordDeath(ctx, params.id, body);
    if (!p) throw notFound('居民不存在或不在您的数据权限范围内');
    return p;
  },
});
