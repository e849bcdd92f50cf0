import { Descriptions, Drawer, Progress, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../../../app/api';
import { fmtTime, plainError } from '../../../app/format';
import { CardSkeleton, EmptyState, ErrorAlert } from '../../../components/page-states';
import { ResultView, TechnicalDetail } from '../../../components/TechnicalDetail';
import { RunStatusTag } from './RunStatusTag';
import type { RunDetail as JobRunDetail } from '@server/platform/jobs/responses.ts';
import { isActive, TRIGGERS } from './types';

function duration(a: string | null, b: string | null): string {
  if (!a) return '—';
  const ms = (b ? new Date(b) : new Date()).getTime() - new Date(a).getTime();
  if (ms < 1000) return `${ms} 毫秒`;
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} 秒` : `${Math.floor(s / 60)} 分 ${s % 60} 秒`;
}

/** One run: status, progress (polled every second while it runs), logs, result or error. */
export function RunDrawer({ runId, title, onClose, onFinished }: { runId: number | null; title?: string; onClose(): void; onFinished?(): void }) {
  const [run, setRun] = useState<JobRunDetail | null>(null);
  const [error, setError] = useState<unknown>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: restart polling only for a new run
  useEffect(() => {
    setRun(null);
    setError(null);
    if (runId === null) return;
    const ac = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let wasActive = false;
    const poll = async () => {
      try {
        const r = await api.get<JobRunDetail>(`/jobs/runs/${runId}`, undefined, ac.signal);
        if (ac.signal.aborted) return;
        setRun(r);
        setError(null);
        if (isActive(r.status)) {
          wasActive = true;
          timer = setTimeout(poll, 1000);
        } else if (wasActive) {
          onFinished?.();
        }
      } catch (e) {
        if (ac.signal.aborted) return;
        setError(e);
        // Keep trying: a dropped poll should not freeze the progress bar.
        timer = setTimeout(poll, 3000);
      }
    };
    void poll();
    return () => {
      ac.abort();
      clearTimeout(timer);
    };
  }, [runId]);

  const p = run?.progress;
  const percent = p && p.total > 0 ? Math.min(100, Math.round((p.done / p.total) * 100)) : run?.status === 'succeeded' ? 100 : 0;
  const progressStatus = run?.status === 'failed' ? 'exception' : run?.status === 'succeeded' ? 'success' : run && isActive(run.status) ? 'active' : 'normal';

  return (
    <Drawer
      title={`运行记录 #${runId ?? ''}${title ? ` · ${title}` : ''}`}
      open={runId !== null}
      onClose={onClose}
      size={640}
      destroyOnHidden
      data-testid="run-drawer"
    >
      <ErrorAlert error={error} />
      {!run && !error && <CardSkeleton rows={6} />}
      {run && (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <div>
            <Space style={{ marginBottom: 8 }}>
              <RunStatusTag status={run.status} />
              {run.status === 'queued' && <Typography.Text type="secondary">等待调度器执行…</Typography.Text>}
              {run.status === 'retrying' && <Typography.Text type="secondary">上次失败，等待重试…</Typography.Text>}
              {run.status === 'interrupted' && <Typography.Text type="secondary">执行进程中断，等待重新执行…</Typography.Text>}
              {p && p.total > 0 && (
                <Typography.Text type="secondary">
                  {p.done.toLocaleString('zh-CN')} / {p.total.toLocaleString('zh-CN')}
                </Typography.Text>
              )}
            </Space>
            <Progress aria-label="任务进度" percent={percent} status={progressStatus} data-testid="run-progress" />
          </div>
          <Descriptions
            bordered
            size="small"
            column={2}
            items={[
              { key: 'job', label: '任务', children: run.title ?? run.job, span: 2 },
              { key: 'trigger', label: '触发方式', children: TRIGGERS[run.trigger] ?? run.trigger },
              { key: 'attempt', label: '尝试次数', children: `${run.attempt}${run.maxAttempts ? ` / ${run.maxAttempts}` : ''}` },
              { key: 'start', label: '开始时间', children: fmtTime(run.startedAt) },
              { key: 'end', label: '结束时间', children: fmtTime(run.finishedAt) },
              { key: 'dur', label: '耗时', children: duration(run.startedAt, run.finishedAt) },
              { key: 'by', label: '发起人', children: run.requestedBy ?? '—' },
            ]}
          />
          {run.error && (
            <div>
              <Typography.Text strong type="danger">
                错误信息
              </Typography.Text>
              <Typography.Paragraph type="danger" style={{ marginBottom: 0 }}>
                {plainError(run.error)}
              </Typography.Paragraph>
              <TechnicalDetail>
                <pre className="wj-json wj-mono">{`${run.job}\n${run.error}`}</pre>
              </TechnicalDetail>
            </div>
          )}
          {run.result !== undefined && run.result !== null && (
            <div>
              <Typography.Text strong>运行结果</Typography.Text>
              <ResultView value={run.result} />
            </div>
          )}
          <div>
            <Typography.Text strong>运行日志</Typography.Text>
            {run.logs?.length ? (
              <pre className="wj-logs wj-mono" data-testid="run-logs">
                {run.logs.map((l) => `${fmtTime(l.ts)}  ${l.message}`).join('\n')}
              </pre>
            ) : (
              <EmptyState description={isActive(run.status) ? '任务尚未输出日志…' : '本次运行没有日志'} />
            )}
          </div>
        </Space>
      )}
    </Drawer>
  );
}
