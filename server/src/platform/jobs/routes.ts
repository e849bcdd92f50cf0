import { type Static, Type } from '@sinclair/typebox';
import { AppError } from '../http/errors.ts';
import { type AnyRoute, defineRoute } from '../http/route.ts';
import { bodyAjv, toFieldErrors } from '../http/validation.ts';
import { enqueueJobOnce } from './enqueue.ts';
import { jobType } from './registry.ts';
import { listRuns, getRun } from './runs.ts';
import { listSchedules, updateSchedule } from './schedules.ts';
import { RunDetail, RunPage, RunQueued, ScheduleItem, ScheduleList } from './responses.ts';

const tags = ['任务调度'];

// Validated in the handler, not as the route's body schema: the body may be left out entirely, and
// Fastify validates a missing body against an object schema as an error.
const RunBodySchema = Type.Object({ payload: Type.Optional(Type.Record(Type.String({ maxLength: 100 }), Type.Unknown())) }, { additionalProperties: false });
type RunBody = Static<typeof RunBodySchema>;
const checkRunBody = bodyAjv.compile<RunBody>(RunBodySchema);
const JobName = Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) });

const schedules = defineRoute({
  method: 'GET',
  url: '/jobs/schedules',
  summary: '任务与调度列表（含最近一次运行）',
  tags,
  auth: 'staff',
  permission: 'jobs.read',
  response: { 200: ScheduleList },
  handler: async (ctx) => ({ items: await listSchedules(ctx.tx, ctx.kernel) }),
});

const patchSchedule = defineRoute({
  method: 'PATCH',
  url: '/jobs/schedules/:name',
  summary: '修改调度：cron 表达式（5 段，上海时间）与上线/下线',
  tags,
  auth: 'staff',
  permission: 'jobs.manage',
  params: JobName,
  body: Type.Object(
    {
      cron: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()], { description: '5 段 cron，如 0 2 * * *；null 表示仅手动运行' })),
      enabled: Type.Optional(Type.Boolean()),
    },
    { additionalProperties: false },
  ),
  response: { 200: ScheduleItem },
  handler: async (ctx, { params, body }) => {
    const { before, after } = await updateSchedule(ctx.tx, ctx.kernel, params.name, body, ctx.principal.username);
    ctx.audit.add({
      kind: 'admin',
      action: 'job.schedule.update',
      objectType: 'job_schedule',
      objectId: params.name,
      before: { cron: before.cron, enabled: before.enabled },
      after: { cron: after.cron, enabled: after.enabled },
    });
    return after;
  },
});

const runNow = defineRoute({
  method: 'POST',
  url: '/jobs/schedules/:name/run',
  summary: '立即运行任务',
  tags,
  auth: 'staff',
  permission: 'jobs.manage',
  successStatus: 201,
  params: JobName,
  description: '请求体可省略；`{ payload? }` 为任务参数，缺省时使用调度中保存的参数。',
  response: { 201: RunQueued },
  handler: async (ctx, { params, body }) => {
    jobType(ctx.kernel, params.name);
    const input = (body ?? {}) as RunBody;
    if (!checkRunBody(input)) throw new AppError(400, 'VALIDATION_FAILED', '输入有误，请检查标出的字段', toFieldErrors(checkRunBody.errors, 'body'));
    const [s] = await ctx.tx.query<{ payload: Record<string, unknown> }>('select payload from job_schedule where name = $1', [params.name]);
    const payload = input.payload ?? s?.payload ?? {};
    // The same job with the same parameters still pending: answer with that run, queue no second one.
    const { runId, existing } = await enqueueJobOnce(ctx.tx, params.name, payload, 'manual', ctx.principal.username);
    if (existing) {
      ctx.audit.add({
        kind: 'admin',
        action: 'job.run',
        objectType: 'job_run',
        objectId: runId,
        after: { job: params.name, payload },
        note: '相同参数的任务已在排队或运行，未重复排队',
      });
      return { runId, existing: true };
    }
    ctx.audit.add({ kind: 'admin', action: 'job.run', objectType: 'job_run', objectId: runId, after: { job: params.name, payload } });
    // Start it within milliseconds rather than at the next tick (once this transaction has committed).
    const jobs = ctx.kernel.services.jobs as { wake?: () => void } | undefined;
    if (jobs?.wake) setTimeout(() => jobs.wake?.(), 50).unref();
    return { runId, existing: false };
  },
});

const runs = defineRoute({
  method: 'GET',
  url: '/jobs/runs',
  summary: '运行记录（按时间倒序）',
  tags,
  auth: 'staff',
  permission: 'jobs.read',
  querystring: Type.Object({
    job: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    status: Type.Optional(Type.Union(['queued', 'running', 'succeeded', 'failed', 'retrying', 'cancelled', 'interrupted'].map((s) => Type.Literal(s)))),
    page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
    pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  }),
  response: { 200: RunPage },
  handler: async (ctx, { query }) => {
    const { page, pageSize, job, status } = query;
    return listRuns(ctx.tx, ctx.kernel, { job, status: status as never }, page, pageSize);
  },
});

const run = defineRoute({
  method: 'GET',
  url: '/jobs/runs/:id',
  summary: '运行详情：进度与日志',
  tags,
  auth: 'staff',
  permission: 'jobs.read',
  params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
  response: { 200: RunDetail },
  handler: (ctx, { params }) => getRun(ctx.tx, ctx.kernel, params.id),
});

export const jobRoutes: AnyRoute[] = [schedules, patchSchedule, runNow, runs, run];
