import { Card, Col, DatePicker, Row, Space, Statistic, Table } from 'antd';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { useState } from 'react';
import { api } from '../../../app/api';
import { useApi } from '../../../app/use-api';
import { echarts } from '../../../components/echarts';
import { CardSkeleton, ErrorAlert } from '../../../components/page-states';
import type { FeeReviewStats } from './types';

const countColumns = [
  { title: '病例数', dataIndex: 'total', align: 'right' as const },
  { title: '待核查', dataIndex: 'uploaded', align: 'right' as const },
  { title: '核查中', dataIndex: 'underReview', align: 'right' as const },
  { title: '已出结论', dataIndex: 'concluded', align: 'right' as const },
  { title: '合理', dataIndex: 'reasonable', align: 'right' as const },
  { title: '部分合理', dataIndex: 'partlyReasonable', align: 'right' as const },
  { title: '不合理', dataIndex: 'unreasonable', align: 'right' as const },
];

/** 费用偏离核查统计: by institution, by check dimension and by month, in the caller's scope. */
export function FeeReviewStatsPage() {
  const [range, setRange] = useState<[string, string] | null>(null);
  const s = useApi((sig) => api.get<FeeReviewStats>('/fee-review/stats', { from: range?.[0], to: range?.[1] }, sig), [range?.[0], range?.[1]]);
  const d = s.data;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title="费用偏离病例核查统计"
        extra={<DatePicker.RangePicker picker="month" onChange={(v) => setRange(v?.[0] && v[1] ? [v[0].format('YYYY-MM'), v[1].format('YYYY-MM')] : null)} />}
      >
        {s.error ? <ErrorAlert error={s.error} onRetry={s.reload} /> : null}
        {!d && !s.error && <CardSkeleton />}
        {d && (
          <Row gutter={16}>
            <Col span={4}>
              <Statistic title="病例总数" value={d.totals.total} />
            </Col>
            <Col span={4}>
              <Statistic title="待核查" value={d.totals.uploaded} />
            </Col>
            <Col span={4}>
              <Statistic title="核查中" value={d.totals.underReview} />
            </Col>
            <Col span={4}>
              <Statistic title="已出结论" value={d.totals.concluded} />
            </Col>
            <Col span={4}>
              <Statistic title="不合理" value={d.totals.unreasonable} valueStyle={{ color: d.totals.unreasonable ? '#cf1322' : undefined }} />
            </Col>
            <Col span={4}>
              <Statistic title="部分合理" value={d.totals.partlyReasonable} />
            </Col>
          </Row>
        )}
      </Card>
      {d && (
        <Row gutter={16}>
          <Col span={12}>
            <Card title="按核查维度（发现问题的病例）" size="small">
              <ReactEChartsCore
                echarts={echarts}
                notMerge
                style={{ height: 280 }}
                option={{
                  tooltip: { trigger: 'axis' },
                  legend: { top: 0, data: ['已核查', '存在问题'] },
                  grid: { top: 36, left: 40, right: 16, bottom: 48 },
                  xAxis: { type: 'category', data: d.byDimension.map((x) => x.title), axisLabel: { interval: 0, rotate: 20 } },
                  yAxis: { type: 'value', minInterval: 1 },
                  series: [
                    { name: '已核查', type: 'bar', data: d.byDimension.map((x) => x.reviewed) },
                    { name: '存在问题', type: 'bar', data: d.byDimension.map((x) => x.issues), itemStyle: { color: '#cf1322' } },
                  ],
                }}
              />
            </Card>
          </Col>
          <Col span={12}>
            <Card title="按月份（上传时间）" size="small">
              <ReactEChartsCore
                echarts={echarts}
                notMerge
                style={{ height: 280 }}
                option={{
                  tooltip: { trigger: 'axis' },
                  legend: { top: 0, data: ['上传', '已出结论', '不合理'] },
                  grid: { top: 36, left: 40, right: 16, bottom: 30 },
                  xAxis: { type: 'category', data: d.byMonth.map((x) => x.month) },
                  yAxis: { type: 'value', minInterval: 1 },
                  series: [
                    { name: '上传', type: 'line', data: d.byMonth.map((x) => x.total) },
                    { name: '已出结论', type: 'line', data: d.byMonth.map((x) => x.concluded) },
                    { name: '不合理', type: 'line', data: d.byMonth.map((x) => x.unreasonable) },
                  ],
                }}
              />
            </Card>
          </Col>
        </Row>
      )}
      {d && (
        <Card title="按医疗机构" size="small">
          <Table
            size="small"
            rowKey="institutionId"
            pagination={{ pageSize: 20 }}
            dataSource={d.byInstitution}
            columns={[{ title: '医疗机构', dataIndex: 'institutionName' }, ...countColumns]}
          />
        </Card>
      )}
      {d && (
        <Card title="按核查维度" size="small">
          <Table
            size="small"
            rowKey="code"
            pagination={false}
            dataSource={d.byDimension}
            columns={[
              { title: '核查维度', dataIndex: 'title' },
              { title: '已核查病例', dataIndex: 'reviewed', align: 'right' },
              { title: '存在问题', dataIndex: 'issues', align: 'right' },
              { title: '问题率', dataIndex: 'issueRate', align: 'right', render: (v: number | null) => (v === null ? '—' : `${v}%`) },
            ]}
          />
        </Card>
      )}
    </Space>
  );
}
