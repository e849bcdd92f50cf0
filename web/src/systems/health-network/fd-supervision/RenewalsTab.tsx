import { DatePicker, Space, Typography } from 'antd';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { chartLegendBelow, echarts } from '../../../components/echarts';
import { DrillReport, type Report } from './DrillReport';

/** 续约统计 (by level, with renewal rate) and 续约动态 (month by month). */
export function RenewalsTab() {
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [dyn, setDyn] = useState<Report>();
  const option = useMemo(() => {
    const rows = dyn?.rows ?? [];
    if (rows.length === 0) return null;
    const bar = (name: string, key: string) => ({ name, type: 'bar', data: rows.map((r) => r[key]) });
    return chartLegendBelow({
      tooltip: { trigger: 'axis' },
      legend: { data: ['续约', '弹性续约', '新签', '解约'] },
      grid: { left: 60, right: 20, top: 40, bottom: 30 },
      xAxis: { type: 'category', data: rows.map((r) => r.name) },
      yAxis: { type: 'value' },
      series: [
        bar('续约', 'renewed'),
        bar('弹性续约', 'flexible'),
        { name: '新签', type: 'line', data: rows.map((r) => r.signed_new) },
        { name: '解约', type: 'line', data: rows.map((r) => r.terminated) },
      ],
    });
  }, [dyn]);
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={16}>
      <Space>
        <Typography.Text>续约期间</Typography.Text>
        <DatePicker.RangePicker value={range} onChange={(v) => setRange(v)} placeholder={['近一年', '今天']} />
      </Space>
      <DrillReport
        url="/fd-supervision/renewals"
        query={{ from: range?.[0]?.format('YYYY-MM-DD'), to: range?.[1]?.format('YYYY-MM-DD') }}
        filename="续约统计"
      />
      <Typography.Title level={5}>续约动态（近12个月）</Typography.Title>
      {option && <ReactEChartsCore echarts={echarts} option={option} notMerge style={{ height: 280 }} />}
      <DrillReport url="/fd-supervision/renewals/dynamics" query={{ months: 12 }} filename="续约动态" onData={setDyn} />
    </Space>
  );
}
