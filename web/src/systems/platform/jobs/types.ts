import type { RunStatus } from '@server/platform/jobs/responses.ts';

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
