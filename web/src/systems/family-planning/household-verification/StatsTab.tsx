import { App, Button, Card, Col, DatePicker, Row, Space, Statistic, Table, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useAccess } from '../../../app/access';
import { api, errorText } from '../../../app/api';
import { fmtNumber, fmtTime } from '../../../app/format';
import type { Page } from '../../../app/types';
import { useApi } from '../../../app/use-api';
import { ErrorAlert } from '../../../components/page-states';
import type { PullBatch, Stats, StreetStats, PullRequested } from '@server/systems/family-planning/household-verification/responses.ts';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** 统计与拉取: match rate and distribution by street, the monthly pulls, an on-demand pull for the city. */
export function StatsTab() {
  const access = useAccess();
  const { message } = App.useApp();
  const [month, setMonth] = useState<Dayjs | null>(null);
  const [pullMonth, setPullMonth] = useState<Dayjs | null>(dayjs().subtract(1, 'month'));
  const [k, setK] = useState(0);
  const stats = useApi((s) => api.get<Stats>('/household-verification/stats', { month: month?.format('YYYY-MM') }, s), [month?.valueOf()]);
  const runs = useApi((s) => api.get<Page<PullBatch>>('/household-verification/pull-runs', { pageSize: 12 }, s), [k]);
  const pull = async () => {
    if (!pullMonth) return;
    try {
      const r = await api.post<PullRequested>('/household-verification/pull-runs', { month: pullMonth.format('YYYY-MM') });
      message.success(`已排入后台任务 #${r.jobRunId}，完成后刷新查看`);
      setK((x) => x + 1);
    } catch (e) {
      message.error(errorText(e));
    }
  };
  const t = stats.data?.total;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small">
        <Space>
          <span>登记月份</span>
          <DatePicker picker="month" value={month} onChange={setMonth} />
          {access.can('household-verification.pull') && (
            <>
              <span style={{ marginLeft: 24 }}>立即拉取（每月 2 日 06:00 自动拉取上月）</span>
              <DatePicker picker="month" value={pullMonth} onChange={setPullMonth} />
              <Button type="primary" onClick={pull}>
                拉取
              </Button>
            </>
          )}
        </Space>
      </Card>
      {stats.error ? <ErrorAlert error={stats.error} onRetry={stats.reload} /> : null}
      {t && (
        <Card>
          <Row gutter={16}>
            <Col span={4}>
              <Statistic title="登记数" value={fmtNumber(t.total)} />
            </Col>
            <Col span={4}>
              <Statistic title="已分发" value={fmtNumber(t.distributed)} />
            </Col>
            <Col span={4}>
              <Statistic title="未映射" value={fmtNumber(t.unmapped)} />
            </Col>
            <Col span={4}>
              <Statistic title="匹配率" value={pct(t.matchRate)} />
            </Col>
            <Col span={4}>
              <Statistic title="不一致" value={fmtNumber(t.mismatched)} />
            </Col>
            <Col span={4}>
              <Statistic title="人口库无记录" value={fmtNumber(t.missing)} />
            </Col>
          </Row>
        </Card>
      )}
      <Card size="small" title="按街道">
        <Table<StreetStats>
          size="small"
          rowKey={(r) => r.streetCode ?? 'unmapped'}
          loading={stats.loading}
          dataSource={stats.data?.items ?? []}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          locale={{ emptyText: '数据范围内暂无登记' }}
          columns={[
            { title: '街道', dataIndex: 'streetName' },
            { title: '登记数', dataIndex: 'total', render: fmtNumber },
            { title: '已分发', dataIndex: 'distributed', render: fmtNumber },
            { title: '未映射', dataIndex: 'unmapped', render: fmtNumber },
            { title: '一致', dataIndex: 'matched', render: fmtNumber },
            { title: '不一致', dataIndex: 'mismatched', render: fmtNumber },
            { title: '人口库无记录', dataIndex: 'missing', render: fmtNumber },
            { title: '匹配率', dataIndex: 'matchRate', render: pct },
          ]}
        />
      </Card>
      <Card size="small" title="拉取批次">
        <Table<PullBatch>
          size="small"
          rowKey="id"
          loading={runs.loading}
          dataSource={runs.data?.items ?? []}
          pagination={false}
          locale={{ emptyText: '暂无拉取批次' }}
          columns={[
            { title: '批次', dataIndex: 'id' },
            { title: '月份', dataIndex: 'month' },
            {
              title: '状态',
              dataIndex: 'status',
              render: (s: string) => (
                <Tag color={s === 'done' ? 'green' : s === 'failed' ? 'red' : 'blue'}>{s === 'done' ? '完成' : s === 'failed' ? '失败' : '进行中'}</Tag>
              ),
            },
            { title: '拉取', dataIndex: 'fetched', render: fmtNumber },
            { title: '新增', dataIndex: 'created', render: fmtNumber },
            { title: '分发', dataIndex: 'distributed', render: fmtNumber },
            { title: '未映射', dataIndex: 'unmapped', render: fmtNumber },
            { title: '一致', dataIndex: 'matched', render: fmtNumber },
            { title: '无效', dataIndex: 'rejected', render: fmtNumber },
            { title: '死亡注销', dataIndex: 'deaths', render: fmtNumber },
            { title: '登记死亡', dataIndex: 'deathsRecorded', render: fmtNumber },
            { title: '错误', dataIndex: 'error', render: (v: string | null) => v ?? '—' },
            { title: '完成时间', dataIndex: 'finishedAt', render: (v: string | null) => (v ? fmtTime(v) : '—') },
          ]}
        />
      </Card>
    </Space>
  );
}
