export interface CatalogField {
  name: string;
  title: string;
  type: string;
  typeTitle: string;
  codes?: { code: string; label: string }[];
}

export interface EditorCatalog {
  sources: { name: string; title: string; dateField: string; fields: CatalogField[] }[];
  dimensions: { code: string; title: string }[];
  measures: { code: string; title: string }[];
}

export interface IndicatorPart {
  source: string;
  fn: 'count' | 'countDistinct' | 'sum';
  of?: string;
  where?: unknown;
}

export interface IndicatorDefinition {
  numerator: IndicatorPart;
  denominator?: IndicatorPart;
  multiplier: number;
  unit: string;
  precision: number;
}

export interface Indicator {
  id: number;
  code: string | null;
  title: string;
  description: string | null;
  version: number;
  builtin: boolean;
  definition: IndicatorDefinition;
  sentence: string;
  createdBy: string;
  updatedAt: string;
}

export interface Cell {
  value: number | null;
  numerator: number | null;
  denominator: number | null;
}

export interface ComputeResult {
  dimensions: { code: string; title: string }[];
  indicators: { id: number; title: string; unit: string; version: number; sentence: string }[];
  rows: { keys: (string | number | null)[]; labels: string[]; cells: Cell[] }[];
  truncated: boolean;
  period: { from: string; to: string };
}

export type ChartType = 'bar' | 'line' | 'pie';

export interface SavedView {
  id: number;
  name: string;
  ownerName: string;
  mine: boolean;
  shared: boolean;
  config: { indicatorIds: number[]; dimensions: string[]; chartType: ChartType; from?: string; to?: string };
  updatedAt: string;
}
