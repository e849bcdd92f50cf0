export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'retrying' | 'cancelled' | 'interrupted';

export interface JobRun {
  id: number;
  job: string;
  /** The job type's display name. */
  title?: string;
  status: RunStatus;
  trigger: 'manual' | 'schedule' | 'retry' | 'system';
  attempt: number;
  maxAttempts?: number;
  startedAt: string | null;
  finishedAt: string | null;
  createdAt?: string;
  progress?: { done: number; total: number } | null;
  result?: unknown;
  error?: string | null;
  requestedBy?: string | null;
}

export interface JobRunDetail extends JobRun {
  logs: { ts: string; message: string }[];
}

export interface Schedule {
  name: string;
  title: string;
  module: string;
  moduleTitle?: string;
  cron: string | null;
  enabled: boolean;
  nextRunAt: string | null;
  lastRunAt: string | null;
  lastRun: JobRun | null;
}

export const RUN_STATUS: Record<RunStatus, { text: string; color: string }> = {
  queued: { text: '排队中', color: 'default' },
  running: { text: '运行中', color: 'processing' },
  succeeded: { text: '成功', color: 'success' },
  failed: { text: '失败', color: 'error' },
  retrying: { text: '等待重试', color: 'warning' },
  cancelled: { text: '已取消', color: 'default' },
  interrupted: { text: '中断待重试', color: 'warning' },
};

export const TRIGGERS: Record<string, string> = { manual: '手动', schedule: '定时', retry: '重试', system: '系统' };

export const isActive = (s: RunStatus) => s === 'queued' || s === 'running' || s === 'retrying' || s === 'interrupted';
