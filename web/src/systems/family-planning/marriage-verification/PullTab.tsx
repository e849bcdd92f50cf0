import { App, Button, Card, DatePicker, Space, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useAccess } from '../../../app/access';
import { api, errorText } from '../../../app/api';
import { fmtDate, fmtNumber, fmtTime } from '../../../app/format';
import type { Page } from '../../../app/types';
import { ScopedTable } from '../../../components/ScopedTable';
import type { PullBatch } from './types';
import type { PullRequested } from '@server/systems/family-planning/marriage-verification/responses.ts';

/** 数据接入: the daily pull from the 市大数据中心 (scheduled) and an on-demand pull for the city. */
export function PullTab() {
  const access = useAccess();
  const { message } = App.useApp();
  const [date, setDate] = useState<Dayjs | null>(dayjs().subtract(1, 'day'));
  const [reload, setReload] = useState(0);
  const pull = async () => {
    if (!date) return;
    try {
      const r = await api.post<PullRequested>('/marriage-verification/pull-runs', { date: date.format('YYYY-MM-DD') });
      message.success(`已排入后台任务 #${r.jobRunId}，完成后刷新查看`);
      setReload((k) => k + 1);
    } catch (e) {
      message.error(errorText(e));
    }
  };
  const columns: ColumnsType<PullBatch> = [
    { title: '批次', dataIndex: 'id' },
    { title: '数据日期', dataIndex: 'sourceDate', render: fmtDate },
    {
      title: '状态',
      dataIndex: 'status',
      render: (s: PullBatch['status']) => (
        <Tag color={s === 'done' ? 'green' : s === 'failed' ? 'red' : 'blue'}>{s === 'done' ? '完成' : s === 'failed' ? '失败' : '进行中'}</Tag>
      ),
    },
    { title: '拉取', dataIndex: 'fetched', render: fmtNumber },
    { title: '新建个案', dataIndex: 'created', render: fmtNumber },
    { title: '重复', dataIndex: 'duplicates', render: fmtNumber },
    { title: '无效记录', dataIndex: 'rejected', render: fmtNumber },
    { title: '错误', dataIndex: 'error', render: (v: string | null) => v ?? '—' },
    { title: '发起人', dataIndex: 'requestedBy' },
    { title: '完成时间', dataIndex: 'finishedAt', render: (v: string | null) => (v ? fmtTime(v) : '—') },
  ];
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      {access.can('marriage-verification.pull') && (
        <Card size="small" title="立即拉取（每日 07:00 自动拉取前一日数据）">
          <Space>
            <DatePicker value={date} onChange={setDate} />
            <Button type="primary" onClick={pull}>
              拉取民政婚姻数据
            </Button>
          </Space>
        </Card>
      )}
      <ScopedTable<PullBatch>
        rowKey="id"
        columns={columns}
        deps={[]}
        reloadKey={reload}
        hideScopeNote
        emptyText="暂无拉取批次"
        load={(page, pageSize, signal) => api.get<Page<PullBatch>>('/marriage-verification/pull-runs', { page, pageSize }, signal)}
      />
    </Space>
  );
}
