import { DatePicker, Space, Typography } from 'antd';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { api } from '../../../app/api';
import { useApi } from '../../../app/use-api';
import { echarts } from '../../../components/echarts';
import { type Drill, DrillReport } from './DrillReport';
import { chartLegendBelow } from '../../../components/echarts';
import type { DailyHistory } from '@server/systems/health-network/fd-supervision/responses.ts';

type HistoryDay = DailyHistory['days'][number];

/** 每日红黄绿监测: the chosen day's figures by level, and the kept history of the last 30 days as a trend. */
export function DailyTab() {
  const [date, setDate] = useState<Dayjs | null>(null);
  // The trend follows the table's drill level (全市 → 区 → 社区 → 医生).
  const [drill, setDrill] = useState<Drill | null>(null);
  const history = useApi((signal) => api.get<DailyHistory>('/fd-supervision/daily/history', { ...drill }, signal), [JSON.stringify(drill)], drill !== null);
  const option = useMemo(() => {
    const days = history.data?.days ?? [];
    if (days.length === 0) return null;
    const line = (name: string, key: keyof HistoryDay, color: string) => ({
      name,
      type: 'line',
      stack: 'signed',
      areaStyle: {},
      color,
      data: days.map((d) => d[key]),
    });
    return chartLegendBelow({
      tooltip: { trigger: 'axis' },
      legend: { data: ['绿', '黄', '红', '新签', '解约', '续约'] },
      grid: { left: 60, right: 60, top: 40, bottom: 30 },
      xAxis: { type: 'category', data: days.map((d) => d.date.slice(5)) },
      yAxis: [
        { type: 'value', name: '在约' },
        { type: 'value', name: '当日' },
      ],
      series: [
        line('绿', 'green', '#52c41a'),
        line('黄', 'yellow', '#faad14'),
        line('红', 'red', '#f5222d'),
        { name: '新签', type: 'bar', yAxisIndex: 1, data: days.map((d) => d.signed_new) },
        { name: '解约', type: 'bar', yAxisIndex: 1, data: days.map((d) => d.terminated) },
        { name: '续约', type: 'bar', yAxisIndex: 1, data: days.map((d) => d.renewed) },
      ],
    });
  }, [history.data]);
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space>
        <Typography.Text>监测日期</Typography.Text>
        <DatePicker value={date} onChange={setDate} allowClear placeholder="最近一次生成" disabledDate={(d) => d.isAfter(dayjs())} />
      </Space>
      {option && <ReactEChartsCore echarts={echarts} option={option} notMerge style={{ height: 280 }} />}
      <DrillReport url="/fd-supervision/daily" query={{ date: date?.format('YYYY-MM-DD') }} filename="每日红黄绿监测" onDrill={setDrill} />
    </Space>
  );
}
