/** The indicators API's shapes come from the server's declarations. */
import type {
  CatalogField,
  Cell,
  ChartType,
  ComputeResult,
  EditorCatalog,
  Indicator,
  IndicatorDefinition,
  IndicatorDetail,
  IndicatorPart,
  Preview,
  SavedView,
} from '@server/systems/hospital-monitoring/indicators/responses.ts';

export type { CatalogField, Cell, ChartType, ComputeResult, EditorCatalog, Indicator, IndicatorDefinition, IndicatorDetail, IndicatorPart, Preview, SavedView };
