import { type Static, Type } from '@sinclair/typebox';
import { enumOf } from '../../../platform/http/schema.ts';

export const BaseCodeEntity = enumOf(['region', 'institution', 'user'] as const);
export type BaseCodeEntity = Static<typeof BaseCodeEntity>;

/** What an export would hold in the caller's scope: per entity its row count and its fields. */
export const BaseCodesSummary = Type.Object({
  /** 全市, or 区 <code>. */
  scope: Type.String(),
  items: Type.Array(
    Type.Object({
      entity: BaseCodeEntity,
      title: Type.String(),
      count: Type.Integer({ minimum: 0 }),
      fields: Type.Array(Type.Object({ code: Type.String(), title: Type.String() })),
    }),
  ),
});
export type BaseCodesSummary = Static<typeof BaseCodesSummary>;
