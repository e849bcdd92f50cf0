import { type Static, Type } from '@sinclair/typebox';
import { DateText, Id, Instant, nullable } from '../../../platform/http/schema.ts';

/** The responses of the key-populations routes (declared once: server serialisation, OpenAPI, console types). */

const Count = Type.Integer({ minimum: 0 });

export const TagRule = Type.Object({
  tag: Type.String(),
  title: Type.String(),
  keyPopulation: Type.Boolean(),
  sentence: Type.String(),
  // The rule tree of the shared rule engine (platform/rules): free-form JSON by design, shown as is.
  rule: Type.Unknown(),
  residents: Count,
});
export type TagRule = Static<typeof TagRule>;

export const LastRefresh = Type.Object({ on_date: DateText, trigger: Type.String(), added: Count, removed: Count, at: Instant });
export const TagRules = Type.Object({ rules: Type.Array(TagRule), lastRefresh: nullable(LastRefresh) });
export type TagRules = Static<typeof TagRules>;

export const Condition = Type.Object({
  id: Id,
  personId: Id,
  kind: Type.String(),
  kindTitle: Type.String(),
  registeredOn: DateText,
  endsOn: nullable(DateText),
  source: Type.String(),
  note: nullable(Type.String()),
});
export type Condition = Static<typeof Condition>;

export const ResidentTags = Type.Object({
  personId: Id,
  tags: Type.Array(Type.Object({ tag: Type.String(), title: Type.String(), since: DateText })),
  conditions: Type.Array(Condition),
});
export type ResidentTags = Static<typeof ResidentTags>;

/** A registration or its closing: the resident's tags after the recomputation, and the condition. */
export const ConditionSaved = Type.Composite([ResidentTags, Type.Object({ condition: Condition })]);
export type ConditionSaved = Static<typeof ConditionSaved>;

/** The queued refresh run (an existing pending run is returned instead of a second one). */
export const RefreshQueued = Type.Object({ runId: Id, existing: Type.Boolean() });
export type RefreshQueued = Static<typeof RefreshQueued>;
