import { ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Select, Space, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { api } from '../../../app/api';
import { fmtTime } from '../../../app/format';
import { ScopedTable } from '../../../components/ScopedTable';
import { RunStatusTag } from './RunStatusTag';
import type { RunItem as JobRun, RunPage, ScheduleItem as Schedule } from '@server/platform/jobs/responses.ts';
import { RUN_STATUS, TRIGGERS } from './types';

/** Run history, filtered by job and status. */
export function RunsCard({
  schedules,
  job,
  setJob,
  status,
  setStatus,
  reloadKey,
  reload,
  onOpen,
}: {
  schedules: Schedule[];
  job: string | undefined;
  setJob(j: string | undefined): void;
  status: string | undefined;
  setStatus(s: string | undefined): void;
  reloadKey: number;
  reload(): void;
  onOpen(run: JobRun): void;
}) {
  const titles = new Map(schedules.map((s) => [s.name, s.title]));
  const columns: ColumnsType<JobRun> = [
    { title: '编号', dataIndex: 'id', render: (id: number, r) => <Typography.Link onClick={() => onOpen(r)}>#{id}</Typography.Link> },
    { title: '任务', dataIndex: 'job', render: (j: string, r) => r.title ?? titles.get(j) ?? j },
    { title: '状态', dataIndex: 'status', render: (s: JobRun['status']) => <RunStatusTag status={s} /> },
    { title: '进度', key: 'progress', render: (_, r) => (r.progress && r.progress.total > 0 ? `${r.progress.done}/${r.progress.total}` : '—') },
    { title: '触发', dataIndex: 'trigger', render: (t: string) => TRIGGERS[t] ?? t },
    { title: '尝试', dataIndex: 'attempt', render: (a: number, r) => `${a}${r.maxAttempts ? `/${r.maxAttempts}` : ''}` },
    { title: '开始时间', dataIndex: 'startedAt', render: fmtTime },
    { title: '结束时间', dataIndex: 'finishedAt', render: fmtTime },
    { title: '发起人', dataIndex: 'requestedBy', render: (v: string | null) => v ?? '—' },
    {
      title: '操作',
      key: 'op',
      render: (_, r) => (
        <Button type="link" size="small" onClick={() => onOpen(r)}>
          详情
        </Button>
      ),
    },
  ];
  return (
    <Card
      title="运行记录"
      extra={
        <Space wrap>
          <Select
            placeholder="全部任务"
            allowClear
            style={{ width: 220 }}
            value={job}
            onChange={setJob}
            options={schedules.map((s) => ({ value: s.name, label: s.title }))}
            data-testid="runs-job-filter"
          />
          <Select
            placeholder="全部状态"
            allowClear
            style={{ width: 120 }}
            value={status}
            onChange={setStatus}
            options={Object.entries(RUN_STATUS).map(([k, v]) => ({ value: k, label: v.text }))}
          />
          <Button icon={<ReloadOutlined />} onClick={reload}>
            刷新
          </Button>
        </Space>
      }
    >
      <ScopedTable<JobRun>
        rowKey="id"
        size="small"
        columns={columns}
        deps={[job, status]}
        reloadKey={reloadKey}
        hideScopeNote
        load={(page, pageSize, signal) => api.get<RunPage>('/jobs/runs', { job, status, page, pageSize }, signal)}
        emptyText={job || status ? '没有符合条件的运行记录' : '还没有任何运行记录，可在上方点击“立即运行”'}
      />
    </Card>
  );
}
