import { type Static, Type } from '@sinclair/typebox';
import { Id, Instant } from '../../../platform/http/schema.ts';

/** The responses of the fd-people routes (declared once: server serialisation, OpenAPI, console types). */

const Count = Type.Integer({ minimum: 0 });

/** A new account: the initial password is shown once (it must be changed at first sign-in). */
export const AssistantCreated = Type.Object({
  userId: Id,
  username: Type.String(),
  password: Type.String(),
  teamId: Id,
  teamName: Type.String(),
  dataRange: Type.String(),
});
export type AssistantCreated = Static<typeof AssistantCreated>;

export const ViewAccountCreated = Type.Object({
  userId: Id,
  username: Type.String(),
  role: Type.Union([Type.Literal('auditor'), Type.Literal('hospital_user')]),
  password: Type.String(),
  scope: Type.Object({
    level: Type.Union([Type.Literal('district'), Type.Literal('institution')]),
    districtCode: Type.String(),
    institutionId: Type.Optional(Id),
  }),
});
export type ViewAccountCreated = Static<typeof ViewAccountCreated>;

/** A team as master data answers it after 团队维护: master data's own declaration. */
export { Team } from '../../common/master-data/responses.ts';

/** The queued sync (an existing pending run is returned instead of a second one). */
export const SyncQueued = Type.Object({ runId: Id, existing: Type.Boolean() });
export type SyncQueued = Static<typeof SyncQueued>;

export const SyncRun = Type.Object({
  id: Id,
  startedAt: Instant,
  triggeredBy: Type.String(),
  fetched: Count,
  created: Count,
  updated: Count,
  unchanged: Count,
  accountsCreated: Count,
  errors: Type.Array(Type.Object({ qcId: Type.String(), message: Type.String() })),
});
export type SyncRun = Static<typeof SyncRun>;
export const SyncRuns = Type.Object({ items: Type.Array(SyncRun) });

export const SealSaved = Type.Object({ sealId: Id, sha256: Type.String() });
export type SyncRuns = Static<typeof SyncRuns>;
