import { Card, Col, DatePicker, Row, Select, Space, Statistic, Table } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { api } from '../../../app/api';
import { fmtNumber } from '../../../app/format';
import { useApi } from '../../../app/use-api';
import { ErrorAlert } from '../../../components/page-states';
import type { StatsRow } from './types';
import type { Stats } from '@server/systems/family-planning/marriage-verification/responses.ts';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** 统计: match success rate, exception share and manual share by district or month. */
export function StatsTab() {
  const [groupBy, setGroupBy] = useState<'district' | 'month'>('district');
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const s = useApi(
    (sig) => api.get<Stats>('/marriage-verification/stats', { groupBy, from: range?.[0]?.format('YYYY-MM-DD'), to: range?.[1]?.format('YYYY-MM-DD') }, sig),
    [groupBy, range?.[0]?.valueOf(), range?.[1]?.valueOf()],
  );
  const t = s.data?.total;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small">
        <Space>
          <span>统计维度</span>
          <Select
            value={groupBy}
            onChange={setGroupBy}
            style={{ width: 120 }}
            options={[
              { value: 'district', label: '按区' },
              { value: 'month', label: '按月份' },
            ]}
          />
          <span>登记日期</span>
          <DatePicker.RangePicker value={range} onChange={(v) => setRange(v)} />
        </Space>
      </Card>
      {s.error ? <ErrorAlert error={s.error} onRetry={s.reload} /> : null}
      {t && (
        <Card>
          <Row gutter={16}>
            <Col span={4}>
              <Statistic title="个案总数" value={fmtNumber(t.total)} />
            </Col>
            <Col span={4}>
              <Statistic title="匹配成功率" value={pct(t.matchRate)} />
            </Col>
            <Col span={4}>
              <Statistic title="异常占比" value={pct(t.exceptionShare)} />
            </Col>
            <Col span={4}>
              <Statistic title="人工干预占比" value={pct(t.manualShare)} />
            </Col>
            <Col span={4}>
              <Statistic title="待人工匹配" value={fmtNumber(t.manualPending)} />
            </Col>
          </Row>
        </Card>
      )}
      <Card>
        <Table<StatsRow>
          size="small"
          rowKey="key"
          loading={s.loading}
          dataSource={s.data?.items ?? []}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          locale={{ emptyText: '数据范围内暂无婚姻核对个案' }}
          columns={[
            { title: groupBy === 'district' ? '区' : '月份', dataIndex: 'key' },
            { title: '个案数', dataIndex: 'total', render: fmtNumber },
            { title: '自动匹配', dataIndex: 'matched', render: fmtNumber },
            { title: '人工确认', dataIndex: 'confirmed', render: fmtNumber },
            { title: '异常', dataIndex: 'exception', render: fmtNumber },
            { title: '待人工匹配', dataIndex: 'manualPending', render: fmtNumber },
            { title: '无效', dataIndex: 'invalid', render: fmtNumber },
            { title: '匹配成功率', dataIndex: 'matchRate', render: pct },
            { title: '异常占比', dataIndex: 'exceptionShare', render: pct },
            { title: '人工干预占比', dataIndex: 'manualShare', render: pct },
          ]}
        />
      </Card>
    </Space>
  );
}
