import { type Static, Type } from '@sinclair/typebox';
import { DateText, enumOf, Id, Instant, nullable } from '../../../platform/http/schema.ts';

/** Responses of 指标管理与组合分析 (indicators.ts, compute.ts, views.ts). */

export const CatalogField = Type.Object({
  name: Type.String(),
  title: Type.String(),
  type: Type.String(),
  typeTitle: Type.String(),
  codes: Type.Optional(Type.Array(Type.Object({ code: Type.String(), label: Type.String() }))),
});
export type CatalogField = Static<typeof CatalogField>;
const CodeTitle = Type.Object({ code: Type.String(), title: Type.String() });
export const EditorCatalog = Type.Object({
  sources: Type.Array(Type.Object({ name: Type.String(), title: Type.String(), dateField: Type.String(), fields: Type.Array(CatalogField) })),
  dimensions: Type.Array(CodeTitle),
  measures: Type.Array(CodeTitle),
});
export type EditorCatalog = Static<typeof EditorCatalog>;

export const IndicatorPart = Type.Object({
  /** A source of the editor catalog (EditorCatalog.sources[].name). */
  source: Type.String(),
  fn: enumOf(['count', 'countDistinct', 'sum'] as const),
  of: Type.Optional(Type.String()),
  /** A rule-engine expression tree (platform/rules Expr), as the editor built it: open JSON here. */
  where: Type.Optional(Type.Unknown()),
});
export type IndicatorPart = Static<typeof IndicatorPart>;
export const IndicatorDefinition = Type.Object({
  numerator: IndicatorPart,
  denominator: Type.Optional(IndicatorPart),
  multiplier: Type.Integer(),
  unit: Type.String(),
  precision: Type.Integer(),
});
export type IndicatorDefinition = Static<typeof IndicatorDefinition>;

export const Indicator = Type.Object({
  id: Id,
  code: nullable(Type.String()),
  title: Type.String(),
  description: nullable(Type.String()),
  version: Type.Integer(),
  builtin: Type.Boolean(),
  definition: IndicatorDefinition,
  /** The definition as a Chinese sentence (口径). */
  sentence: Type.String(),
  createdBy: Type.String(),
  updatedAt: Instant,
});
export type Indicator = Static<typeof Indicator>;
export const IndicatorList = Type.Object({ items: Type.Array(Indicator) });
export const IndicatorDetail = Type.Object({
  ...Indicator.properties,
  versions: Type.Array(Type.Object({ version: Type.Integer(), sentence: Type.String(), createdBy: Type.String(), createdAt: Instant })),
});
export type IndicatorDetail = Static<typeof IndicatorDetail>;
export const Archived = Type.Object({ id: Id, archived: Type.Literal(true) });

/** One indicator's value in one group: value null when the denominator is zero. */
export const Cell = Type.Object({ value: nullable(Type.Number()), numerator: nullable(Type.Number()), denominator: nullable(Type.Number()) });
export type Cell = Static<typeof Cell>;
const Period = Type.Object({ from: DateText, to: DateText });
export const ComputeResult = Type.Object({
  dimensions: Type.Array(CodeTitle),
  indicators: Type.Array(Type.Object({ id: Id, title: Type.String(), unit: Type.String(), version: Type.Integer(), sentence: Type.String() })),
  rows: Type.Array(
    Type.Object({ keys: Type.Array(Type.Union([Type.String(), Type.Number(), Type.Null()])), labels: Type.Array(Type.String()), cells: Type.Array(Cell) }),
  ),
  truncated: Type.Boolean(),
  period: Period,
});
export type ComputeResult = Static<typeof ComputeResult>;
export const Preview = Type.Object({ sentence: Type.String(), period: Period, result: Cell });
export type Preview = Static<typeof Preview>;

export const ChartType = enumOf(['bar', 'line', 'pie'] as const);
export type ChartType = Static<typeof ChartType>;
export const SavedView = Type.Object({
  id: Id,
  name: Type.String(),
  ownerName: Type.String(),
  mine: Type.Boolean(),
  shared: Type.Boolean(),
  config: Type.Object({
    indicatorIds: Type.Array(Id),
    dimensions: Type.Array(Type.String()),
    chartType: ChartType,
    from: Type.Optional(DateText),
    to: Type.Optional(DateText),
  }),
  updatedAt: Instant,
});
export type SavedView = Static<typeof SavedView>;
export const SavedViewList = Type.Object({ items: Type.Array(SavedView) });
export const ViewDeleted = Type.Object({ id: Id, deleted: Type.Literal(true) });
export type IndicatorList = Static<typeof IndicatorList>;
export type SavedViewList = Static<typeof SavedViewList>;
