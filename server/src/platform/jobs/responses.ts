import { type Static, Type } from '@sinclair/typebox';
import { enumOf, Id, Instant, nullable, PageOf } from '../http/schema.ts';

export const RunStatus = enumOf(['queued', 'running', 'succeeded', 'failed', 'retrying', 'cancelled', 'interrupted'] as const);
export type RunStatus = Static<typeof RunStatus>;

/** A job's parameters: free-form JSON, each job type reads its own keys. */
const Payload = Type.Record(Type.String(), Type.Unknown());

export const RunSummary = Type.Object({
  id: Id,
  status: RunStatus,
  trigger: Type.String(),
  attempt: Type.Integer(),
  startedAt: nullable(Instant),
  finishedAt: nullable(Instant),
  error: nullable(Type.String()),
});
export type RunSummary = Static<typeof RunSummary>;

export const ScheduleItem = Type.Object({
  name: Type.String(),
  title: Type.String(),
  /** Module name, e.g. 'platform.audit'; moduleTitle is its display name. */
  module: Type.String(),
  moduleTitle: Type.String(),
  cron: nullable(Type.String()),
  enabled: Type.Boolean(),
  payload: Payload,
  maxAttempts: Type.Integer(),
  nextRunAt: nullable(Instant),
  lastRunAt: nullable(Instant),
  lastRun: Type.Union([RunSummary, Type.Null()]),
  updatedBy: nullable(Type.String()),
  updatedAt: Instant,
});
export type ScheduleItem = Static<typeof ScheduleItem>;
export const ScheduleList = Type.Object({ items: Type.Array(ScheduleItem) });
export type ScheduleList = Static<typeof ScheduleList>;

export const RunItem = Type.Object({
  id: Id,
  job: Type.String(),
  title: Type.String(),
  status: RunStatus,
  trigger: Type.String(),
  payload: Payload,
  attempt: Type.Integer(),
  maxAttempts: Type.Integer(),
  runAfter: Instant,
  startedAt: nullable(Instant),
  finishedAt: nullable(Instant),
  heartbeatAt: nullable(Instant),
  progress: Type.Union([Type.Object({ done: Type.Integer(), total: Type.Integer() }), Type.Null()]),
  error: nullable(Type.String()),
  requestedBy: nullable(Type.String()),
  createdAt: Instant,
});
export type RunItem = Static<typeof RunItem>;
export const RunPage = PageOf(RunItem);
export type RunPage = Static<typeof RunPage>;

export const RunDetail = Type.Object({
  ...RunItem.properties,
  progress: Type.Object({ done: Type.Integer(), total: Type.Integer() }),
  /** What the job returned: free-form JSON (null until it finishes). */
  result: Type.Unknown(),
  logs: Type.Array(Type.Object({ ts: Instant, message: Type.String() })),
});
export type RunDetail = Static<typeof RunDetail>;

/** POST …/run: the run queued, or the same job with the same parameters already pending (existing). */
export const RunQueued = Type.Object({ runId: Id, existing: Type.Boolean() });
export type RunQueued = Static<typeof RunQueued>;
