import { Card, Col, DatePicker, Row, Select, Space, Statistic, Table } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { api } from '../../../app/api';
import { fmtNumber } from '../../../app/format';
import { useApi } from '../../../app/use-api';
import { ErrorAlert } from '../../../components/page-states';
import type { Stats, StatsRow } from './types';

type Group = 'street' | 'district' | 'day';
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** 统计: tasks by street, district or day within the user's scope. */
export function StatsTab() {
  const [groupBy, setGroupBy] = useState<Group>('street');
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const stats = useApi(
    (s) => api.get<Stats>('/birth-verification/stats', { groupBy, from: range?.[0]?.format('YYYY-MM-DD'), to: range?.[1]?.format('YYYY-MM-DD') }, s),
    [groupBy, range?.[0]?.valueOf(), range?.[1]?.valueOf()],
  );
  const t = stats.data?.totals;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small">
        <Space>
          <span>统计维度</span>
          <Select<Group>
            value={groupBy}
            onChange={setGroupBy}
            style={{ width: 120 }}
            options={[
              { value: 'street', label: '按街道' },
              { value: 'district', label: '按区' },
              { value: 'day', label: '按推送日期' },
            ]}
          />
          <span>推送日期</span>
          <DatePicker.RangePicker value={range} onChange={(v) => setRange(v)} />
        </Space>
      </Card>
      {stats.error ? <ErrorAlert error={stats.error} onRetry={stats.reload} /> : null}
      {t && (
        <Card>
          <Row gutter={16}>
            <Col span={3}>
              <Statistic title="任务总数" value={fmtNumber(t.total)} />
            </Col>
            <Col span={3}>
              <Statistic title="待核实" value={fmtNumber(t.pending)} />
            </Col>
            <Col span={3}>
              <Statistic title="协查中" value={fmtNumber(t.assisting)} />
            </Col>
            <Col span={3}>
              <Statistic title="核实通过" value={fmtNumber(t.approved)} />
            </Col>
            <Col span={3}>
              <Statistic title="核实不通过" value={fmtNumber(t.rejected)} />
            </Col>
            <Col span={3}>
              <Statistic title="预检有问题" value={fmtNumber(t.withProblems)} />
            </Col>
            <Col span={3}>
              <Statistic title="重新核实" value={fmtNumber(t.reverified)} />
            </Col>
            <Col span={3}>
              <Statistic title="办结率" value={pct(t.completionRate)} />
            </Col>
          </Row>
        </Card>
      )}
      <Card>
        <Table<StatsRow>
          size="small"
          rowKey="key"
          loading={stats.loading}
          dataSource={stats.data?.items ?? []}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          locale={{ emptyText: '数据范围内暂无核实任务' }}
          columns={[
            { title: groupBy === 'day' ? '推送日期' : groupBy === 'district' ? '区' : '街道', dataIndex: 'name' },
            { title: '任务数', dataIndex: 'total', render: fmtNumber },
            { title: '待核实', dataIndex: 'pending', render: fmtNumber },
            { title: '协查中', dataIndex: 'assisting', render: fmtNumber },
            { title: '核实通过', dataIndex: 'approved', render: fmtNumber },
            { title: '核实不通过', dataIndex: 'rejected', render: fmtNumber },
            { title: '预检有问题', dataIndex: 'withProblems', render: fmtNumber },
            { title: '重新核实', dataIndex: 'reverified', render: fmtNumber },
            { title: '发起协查', dataIndex: 'assisted', render: fmtNumber },
            { title: '办结率', dataIndex: 'completionRate', render: pct },
          ]}
        />
      </Card>
    </Space>
  );
}
