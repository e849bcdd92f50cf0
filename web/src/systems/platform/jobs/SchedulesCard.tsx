import { pinOperations } from '../../../components/ScopedTable';
import { CaretRightOutlined, EditOutlined, HistoryOutlined, ReloadOutlined } from '@ant-design/icons';
import { App, Button, Card, Space, Switch, Table, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useAccess } from '../../../app/access';
import { api, errorText } from '../../../app/api';
import { fmtTime } from '../../../app/format';
import { EmptyState, ErrorAlert } from '../../../components/page-states';
import { CronModal } from './CronModal';
import { RunStatusTag } from './RunStatusTag';
import type { RunQueued, ScheduleItem as Schedule } from '@server/platform/jobs/responses.ts';

/** The job schedules: cron, online switch, next/last run, and 立即运行. */
export function SchedulesCard({
  schedules,
  loading,
  error,
  reload,
  onStarted,
  onShowRuns,
}: {
  schedules: Schedule[];
  loading: boolean;
  error: unknown;
  reload(): void;
  onStarted(runId: number, s: Schedule): void;
  onShowRuns(job: string): void;
}) {
  const access = useAccess();
  const canManage = access.can('jobs.manage');
  const { message } = App.useApp();
  const [editing, setEditing] = useState<Schedule | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const toggle = async (s: Schedule, enabled: boolean) => {
    setBusy(`toggle:${s.name}`);
    try {
      await api.patch(`/jobs/schedules/${encodeURIComponent(s.name)}`, { enabled });
      message.success(enabled ? `「${s.title}」已上线` : `「${s.title}」已下线`);
      reload();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(null);
    }
  };
  const runNow = async (s: Schedule) => {
    setBusy(`run:${s.name}`);
    try {
      const r = await api.post<RunQueued>(`/jobs/schedules/${encodeURIComponent(s.name)}/run`, {});
      // The same job with the same parameters was still pending: the server answered with that run.
      if (r.existing) message.info(`已有相同任务在排队/运行（「${s.title}」运行 #${r.runId}），未重复提交`);
      else message.success(`已提交运行「${s.title}」`);
      onStarted(r.runId, s);
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(null);
    }
  };

  const columns: ColumnsType<Schedule> = [
    {
      title: '任务',
      dataIndex: 'title',
      render: (t: string, s) => (
        <div>
          <div>{t}</div>
          <Typography.Text type="secondary" className="wj-mono" style={{ fontSize: 12 }}>
            {s.name}
          </Typography.Text>
        </div>
      ),
    },
    { title: '所属模块', dataIndex: 'module', render: (m: string, s) => s.moduleTitle || m },
    {
      title: 'Cron',
      dataIndex: 'cron',
      render: (c: string | null, s) => (
        <Space size={4}>
          {c ? <code>{c}</code> : <Typography.Text type="secondary">仅手动</Typography.Text>}
          {canManage && (
            <Tooltip title="修改调度">
              <Button type="text" size="small" icon={<EditOutlined />} onClick={() => setEditing(s)} aria-label={`修改 ${s.title} 的调度`} />
            </Tooltip>
          )}
        </Space>
      ),
    },
    {
      title: '上线',
      dataIndex: 'enabled',
      render: (on: boolean, s) => (
        <Switch
          checked={on}
          checkedChildren="上线"
          unCheckedChildren="下线"
          disabled={!canManage || !s.cron}
          loading={busy === `toggle:${s.name}`}
          onChange={(v) => toggle(s, v)}
        />
      ),
    },
    { title: '下次运行', dataIndex: 'nextRunAt', render: (v: string | null, s) => (s.enabled ? fmtTime(v) : '—') },
    { title: '上次运行', dataIndex: 'lastRunAt', render: fmtTime },
    { title: '上次状态', key: 'last', render: (_, s) => <RunStatusTag status={s.lastRun?.status} /> },
    {
      title: '操作',
      key: 'op',
      fixed: 'right',
      render: (_, s) => (
        <Space size={0}>
          {canManage && (
            <Button
              type="link"
              size="small"
              icon={<CaretRightOutlined />}
              loading={busy === `run:${s.name}`}
              onClick={() => runNow(s)}
              data-testid={`run-now-${s.name}`}
            >
              立即运行
            </Button>
          )}
          <Button type="link" size="small" icon={<HistoryOutlined />} onClick={() => onShowRuns(s.name)}>
            运行记录
          </Button>
        </Space>
      ),
    },
  ];

  return (
    <Card
      title="任务调度"
      extra={
        <Button icon={<ReloadOutlined />} onClick={reload}>
          刷新
        </Button>
      }
    >
      <ErrorAlert error={error} onRetry={reload} />
      <Table<Schedule>
        rowKey="name"
        size="middle"
        columns={pinOperations(columns)}
        dataSource={error ? [] : schedules}
        loading={loading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: loading ? ' ' : <EmptyState description="尚未注册任何定时任务" /> }}
        data-testid="schedules"
      />
      <CronModal
        schedule={editing}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          reload();
        }}
      />
    </Card>
  );
}
