import { BarChart, LineChart, MapChart, PieChart } from 'echarts/charts';
import { GeoComponent, GridComponent, LegendComponent, TitleComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

// Only the parts the console draws, so the echarts chunk stays small.
echarts.use([
  MapChart,
  BarChart,
  LineChart,
  PieChart,
  GeoComponent,
  GridComponent,
  LegendComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
  CanvasRenderer,
]);

export { echarts };

/**
 * Legend below the plot, with room kept for it and for the axis labels: a legend at the top sat on the
 * axis names ("在约", "当日") and on the first labels of a tall bar. Long legends scroll instead of wrapping.
 */
export function chartLegendBelow<O extends { legend?: object; grid?: object }>(option: O): O {
  const grid = (option.grid ?? {}) as Record<string, unknown>;
  return {
    ...option,
    legend: { ...(option.legend ?? {}), type: 'scroll', top: undefined, bottom: 0 },
    grid: { ...grid, top: Math.max(Number(grid.top ?? 0), 40), bottom: Math.max(Number(grid.bottom ?? 0), 48), containLabel: true },
  };
}
