import { Select, Space, Typography } from 'antd';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { useState } from 'react';
import { echarts } from '../../../components/echarts';
import { KEY_POPULATION_TAGS, TAG_TITLE } from '../key-populations/tags';
import { DrillReport, type Report } from './DrillReport';

/** 重点人群续约情况: overdue / due soon / normal as a donut, and by level below. */
export function KeyPopulationTab() {
  const [tag, setTag] = useState<string>();
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space>
        <Typography.Text>重点人群</Typography.Text>
        <Select
          allowClear
          placeholder="全部十类"
          value={tag}
          onChange={setTag}
          style={{ width: 200 }}
          options={KEY_POPULATION_TAGS.map((t) => ({ value: t, label: TAG_TITLE[t] }))}
        />
      </Space>
      <DrillReport url="/fd-supervision/key-population-renewal" query={{ tag }} filename="重点人群续约情况">
        {(r) => r && <Donut report={r} />}
      </DrillReport>
    </Space>
  );
}

function Donut({ report }: { report: Report }) {
  const t = report.total as Record<string, number>;
  const option = {
    tooltip: { trigger: 'item', formatter: '{b}：{c} 人（{d}%）' },
    legend: { bottom: 0 },
    title: { text: (t.total ?? 0).toLocaleString('zh-CN'), subtext: '在约重点人群', left: 'center', top: '38%' },
    series: [
      {
        type: 'pie',
        radius: ['50%', '72%'],
        label: { formatter: '{b}\n{d}%' },
        data: [
          { name: '逾期未续约', value: t.overdue ?? 0, itemStyle: { color: '#f5222d' } },
          { name: '即将到期', value: t.due_soon ?? 0, itemStyle: { color: '#faad14' } },
          { name: '正常', value: t.normal ?? 0, itemStyle: { color: '#52c41a' } },
        ],
      },
    ],
  };
  return <ReactEChartsCore echarts={echarts} option={option} notMerge style={{ height: 300 }} />;
}
