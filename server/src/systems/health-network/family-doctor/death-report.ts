import type { ServiceContext } from '../../../platform/service-context.ts';
import { Type } from '@sinclair/typebox';
import { notFound, unprocessable } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import type { JobDef } from '../../../platform/jobs/types.ts';
import { notifyRoles } from '../../../platform/notifications/index.ts';
import { Id } from '../../../platform/http/schema.ts';
import { getPeople } from '../../common/resident-index/service.ts';
import {
  activeContractOfPerson,
  activeContractsWithoutDeathCheck,
  type ContractRow,
  type DeathCheckRow,
  insertDeathCheck,
  pendingDeathCheckOf,
} from './repository.ts';
import { Names, operator, personOr404, today } from './shapes.ts';
import { type DeathCheckDto, toDeathCheckDto } from './death-verify.ts';
import { DeathCheck } from './responses.ts';

export const DeathReportBody = Type.Object(
  {
    personId: Id,
    deathDate: Type.String({ format: 'past-date', maxLength: 10 }),
    reportNo: Type.String({ minLength: 1, maxLength: 40, description: '死亡报告卡编号' }),
    cause: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type DeathReportInput = typeof DeathReportBody.static;

/** Opens the verification task (the reminder in the doctor's 死亡核实 list) unless one is already open. */
export async function openDeathCheck(
  ctx: ServiceContext,
  c: ContractRow,
  d: Pick<DeathCheckRow, 'death_date' | 'source' | 'report_no' | 'cause'>,
): Promise<DeathCheckRow> {
  if (await pendingDeathCheckOf(ctx.tx, c.id)) throw unprocessable('该居民已有待核实的死亡报告');
  const { operator_id, operator_name } = operator(ctx);
  const row = await insertDeathCheck(ctx.tx, c, { ...d, reported_by: operator_id, reported_by_name: operator_name });
  // The contracted doctor (and whoever covers the contract, e.g. the centre's admin) is told at once.
  await notifyRoles(
    ctx.tx,
    ['family_doctor', 'community_admin'],
    { district: c.district_code, street: c.street_code, institutionId: c.institution_id, teamId: c.team_id, practitionerId: c.doctor_id },
    {
      kind: 'fd.death-report',
      title: '签约居民死亡报告待核实',
      body: `收到签约居民的死亡报告（死亡日期 ${d.death_date}），请核实后确认或标记非本人。`,
      link: '/health-network/family-doctor/contracts?tab=deaths',
      key: `fd-death-check-${row.id}`,
    },
  );
  ctx.audit.write({
    action: 'family-doctor.death-report',
    objectType: 'fd_death_check',
    objectId: row.id,
    before: null,
    after: { contractId: c.id, personId: c.person_id, deathDate: d.death_date, source: d.source, reportNo: d.report_no },
  });
  return row;
}

/** 死亡报告卡: a verification task for the resident's contracted family doctor. The contract stays until verified. */
export async function reportDeath(ctx: ServiceContext, b: DeathReportInput): Promise<DeathCheckDto> {
  const person = await personOr404(ctx, b.personId);
  if (b.deathDate > today()) throw unprocessable('死亡日期不能晚于今天');
  if (person.birthDate && b.deathDate < person.birthDate) throw unprocessable('死亡日期不能早于出生日期');
  const c = await activeContractOfPerson(ctx.tx, b.personId, true);
  if (!c) throw notFound('该居民没有在您数据权限范围内的有效签约，无需核实');
  const row = await openDeathCheck(ctx, c, { death_date: b.deathDate, source: 'report_card', report_no: b.reportNo, cause: b.cause ?? null });
  return toDeathCheckDto(row, person, new Names(ctx));
}

export const deathReportRoute = defineRoute({
  method: 'POST',
  url: '/family-doctor/death-reports',
  summary: '登记死亡报告卡',
  description: '为签约家庭医生生成死亡核实任务（提醒）；医生核实确认后签约以“死亡”原因由系统解约。',
  auth: 'staff',
  permission: 'family-doctor.sign',
  body: DeathReportBody,
  successStatus: 201,
  response: { 201: DeathCheck },
  handler: (ctx, { body }) => reportDeath(ctx, body),
});

/**
 * Death scan: residents the resident index records as dead (status = dead) who still have an active
 * contract get a verification task for their doctor. Pages through active contracts without a task.
 */
export const deathScanJob: JobDef = {
  name: 'family-doctor.death-scan',
  title: '签约居民死亡核查（居民主索引）',
  defaultCron: '30 2 * * *',
  defaultEnabled: true,
  retries: 2,
  backoffSeconds: 60,
  async handler(ctx) {
    let after = 0;
    let opened = 0;
    for (;;) {
      const n = await ctx.service(async (fd) => {
        const rows = await activeContractsWithoutDeathCheck(fd.tx, after, 1000);
        if (!rows.length) return 0;
        const people = await getPeople(
          fd,
          rows.map((r) => r.person_id),
        );
        for (const c of rows) {
          const p = people.get(c.person_id);
          if (p?.status === 'dead') {
            await openDeathCheck(fd, c, { death_date: p.deathDate ?? today(), source: 'resident_index', report_no: null, cause: null });
            opened++;
          }
        }
        after = rows[rows.length - 1]!.id;
        return rows.length;
      });
      if (n === 0) break;
    }
    await ctx.log(`生成死亡核实任务 ${opened} 条`);
    return { opened };
  },
};
