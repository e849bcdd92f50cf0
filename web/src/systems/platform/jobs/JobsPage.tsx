import { Space } from 'antd';
import { useState } from 'react';
import { api } from '../../../app/api';
import { useApi } from '../../../app/use-api';
import { RunDrawer } from './RunDrawer';
import { RunsCard } from './RunsCard';
import { SchedulesCard } from './SchedulesCard';
import type { ScheduleList } from '@server/platform/jobs/responses.ts';

/** 任务调度: schedules, run now, run history and a live view of one run. */
export function JobsPage() {
  const schedules = useApi((s) => api.get<ScheduleList>('/jobs/schedules', undefined, s), []);
  const [job, setJob] = useState<string>();
  const [status, setStatus] = useState<string>();
  const [runsKey, setRunsKey] = useState(0);
  const [open, setOpen] = useState<{ id: number; title?: string } | null>(null);
  const items = schedules.data?.items ?? [];
  const titleOf = (name: string) => items.find((s) => s.name === name)?.title;

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <SchedulesCard
        schedules={items}
        loading={schedules.loading}
        error={schedules.error}
        reload={schedules.reload}
        onStarted={(runId, s) => {
          setOpen({ id: runId, title: s.title });
          setRunsKey((k) => k + 1);
        }}
        onShowRuns={(name) => setJob(name)}
      />
      <RunsCard
        schedules={items}
        job={job}
        setJob={setJob}
        status={status}
        setStatus={setStatus}
        reloadKey={runsKey}
        reload={() => setRunsKey((k) => k + 1)}
        onOpen={(r) => setOpen({ id: r.id, title: r.title ?? titleOf(r.job) })}
      />
      <RunDrawer
        runId={open?.id ?? null}
        title={open?.title}
        onClose={() => setOpen(null)}
        onFinished={() => {
          setRunsKey((k) => k + 1);
          schedules.reload();
        }}
      />
    </Space>
  );
}
