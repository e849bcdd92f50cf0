import { Spin, Typography } from 'antd';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { useEffect, useMemo, useState } from 'react';
import { echarts } from '../echarts';
import { loadMapSource, type MapSource } from './map-source';
import { SHANGHAI_DISTRICTS } from './schematic-shanghai';

export interface DistrictValue {
  code: string;
  name: string;
  value: number | null;
}

export interface DistrictMapProps {
  values: DistrictValue[];
  /** Metric name for tooltip and legend, e.g. 医疗机构数. */
  metricLabel: string;
  selected?: string;
  /** Clicking a district selects it; clicking it again clears the selection. */
  onSelect?: (code: string | undefined) => void;
  height?: number;
}

/** Shanghai's 16 districts coloured by a metric (ECharts map). */
export function DistrictMap({ values, metricLabel, selected, onSelect, height = 460 }: DistrictMapProps) {
  const [source, setSource] = useState<MapSource | null>(null);
  useEffect(() => {
    let live = true;
    void loadMapSource().then((s) => live && setSource(s));
    return () => {
      live = false;
    };
  }, []);

  const codeByName = useMemo(() => {
    const m = new Map<string, string>();
    for (const d of SHANGHAI_DISTRICTS) m.set(d.name, d.code);
    for (const v of values) m.set(v.name, v.code);
    return m;
  }, [values]);

  const option = useMemo(() => {
    const nums = values.map((v) => v.value).filter((v): v is number => typeof v === 'number');
    const max = nums.length ? Math.max(...nums) : 1;
    return {
      tooltip: {
        trigger: 'item',
        formatter: (p: { name: string; value: number }) =>
          `${p.name}<br/>${metricLabel}：${Number.isFinite(p.value) ? p.value.toLocaleString('zh-CN') : '暂无数据'}`,
      },
      visualMap: {
        min: 0,
        max: Math.max(max, 1),
        left: 8,
        bottom: 8,
        text: ['高', '低'],
        calculable: true,
        itemHeight: 100,
        inRange: { color: ['#e6f4ff', '#69b1ff', '#1668dc', '#002c8c'] },
      },
      series: [
        {
          type: 'map',
          map: source?.name,
          roam: false,
          // The schematic is a square grid; real lon/lat need the usual latitude correction.
          aspectScale: source?.schematic ? 1 : 0.86,
          layoutCenter: ['52%', '50%'],
          layoutSize: '95%',
          selectedMode: onSelect ? 'single' : false,
          // A white halo keeps names readable on the darkest fills.
          label: { show: true, fontSize: 11, color: '#1f1f1f', textBorderColor: '#ffffff', textBorderWidth: 2 },
          itemStyle: { borderColor: '#ffffff', borderWidth: 1.5, areaColor: '#f0f0f0' },
          emphasis: { label: { show: true, fontWeight: 'bold' }, itemStyle: { areaColor: '#ffd666' } },
          select: { label: { show: true, color: '#1f1f1f', fontWeight: 'bold' }, itemStyle: { areaColor: '#fa8c16' } },
          data: values.map((v) => ({ name: v.name, value: v.value ?? Number.NaN, selected: v.code === selected })),
        },
      ],
    };
  }, [values, metricLabel, selected, source, onSelect]);

  const events = useMemo(
    () => ({
      click: (p: { name: string }) => {
        if (!onSelect) return;
        const code = codeByName.get(p.name);
        onSelect(code && code !== selected ? code : undefined);
      },
    }),
    [onSelect, codeByName, selected],
  );

  if (!source) {
    return (
      <div style={{ height, display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
        <Spin description="正在加载地图…" />
      </div>
    );
  }
  return (
    <div data-testid="district-map">
      <ReactEChartsCore echarts={echarts} option={option} notMerge style={{ height }} onEvents={events} />
      {source.schematic && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          示意图：各区按大致方位排布，不代表真实边界（导入行政区划边界后显示真实地图）。
        </Typography.Text>
      )}
    </div>
  );
}
