import type { ChartType, ComputeResult } from './types';

/** The ECharts option for a computed table: x axis = first dimension, series = indicator (× second dimension). */
export function chartOption(res: ComputeResult, type: ChartType): Record<string, unknown> {
  const unitOf = (i: number) => res.indicators[i]?.unit ?? '';
  const tooltip = { trigger: type === 'pie' ? 'item' : 'axis' };
  if (type === 'pie') {
    const data = res.rows.map((r) => ({ name: r.labels[0] ?? res.indicators[0]?.title, value: r.cells[0]?.value ?? 0 }));
    return {
      tooltip: { trigger: 'item', formatter: `{b}：{c}${unitOf(0)}（{d}%）` },
      legend: { type: 'scroll', bottom: 0 },
      series: [{ type: 'pie', name: res.indicators[0]?.title, radius: ['30%', '65%'], data }],
    };
  }
  if (res.dimensions.length === 0) {
    return {
      tooltip,
      grid: { left: 60, right: 20, top: 30, bottom: 60 },
      xAxis: { type: 'category', data: res.indicators.map((i) => (i.unit ? `${i.title}（${i.unit}）` : i.title)), axisLabel: { interval: 0, rotate: 20 } },
      yAxis: { type: 'value' },
      series: [{ type, name: '数值', data: res.rows[0]?.cells.map((c) => c.value) ?? [] }],
    };
  }
  const categories: string[] = [];
  const seen = new Map<string, number>();
  for (const r of res.rows) {
    if (!seen.has(r.labels[0] ?? '')) {
      seen.set(r.labels[0] ?? '', categories.length);
      categories.push(r.labels[0] ?? '');
    }
  }
  const series = new Map<string, (number | null)[]>();
  for (const r of res.rows) {
    res.indicators.forEach((ind, i) => {
      const name = `${ind.title}${ind.unit ? `（${ind.unit}）` : ''}${res.dimensions.length > 1 ? ` · ${r.labels[1]}` : ''}`;
      let data = series.get(name);
      if (!data) series.set(name, (data = categories.map(() => null)));
      data[seen.get(r.labels[0] ?? '') as number] = r.cells[i]?.value ?? null;
    });
  }
  return {
    tooltip,
    legend: { type: 'scroll', top: 0 },
    grid: { left: 60, right: 20, top: 40, bottom: 80 },
    // Many institutions: let ECharts thin out the labels rather than print hundreds on top of each other.
    xAxis: {
      type: 'category',
      data: categories,
      axisLabel: { interval: categories.length > 30 ? 'auto' : 0, rotate: categories.length > 8 ? 40 : 0, width: 120, overflow: 'truncate' },
    },
    yAxis: { type: 'value' },
    series: [...series].map(([name, data]) => ({ type, name, data, connectNulls: type === 'line' })),
  };
}
