import { Alert, Button, Empty, Result, Skeleton, Spin, Typography } from 'antd';
import type { ReactNode } from 'react';
import { ApiError, errorText } from '../app/api';

/** Loading, empty and error states every page uses, so they look and read the same everywhere. */

export function PageLoading({ tip = '加载中…' }: { tip?: string }) {
  return (
    <div style={{ padding: 48, textAlign: 'center' }}>
      <Spin size="large" description={tip} />
    </div>
  );
}

export function CardSkeleton({ rows = 4 }: { rows?: number }) {
  return <Skeleton active paragraph={{ rows }} />;
}

export function EmptyState({ description, children }: { description: ReactNode; children?: ReactNode }) {
  return (
    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={description}>
      {children}
    </Empty>
  );
}

function RequestId({ error }: { error: unknown }) {
  if (!(error instanceof ApiError) || !error.requestId) return null;
  return (
    <Typography.Text type="secondary" copyable={{ text: error.requestId }} style={{ fontSize: 12 }}>
      请求编号：<span className="wj-mono">{error.requestId}</span>
    </Typography.Text>
  );
}

/** A whole page (or panel) that could not load: the server's message, the request id, and a retry. */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const status = error instanceof ApiError ? error.status : 0;
  const kind = status === 403 ? '403' : status === 404 ? '404' : status >= 500 ? '500' : 'error';
  const title = status === 403 ? '无权访问' : status === 404 ? '未找到' : '加载失败';
  return (
    <Result
      status={kind}
      title={title}
      subTitle={
        <div>
          <div>{errorText(error)}</div>
          <RequestId error={error} />
        </div>
      }
      extra={onRetry ? <Button onClick={onRetry}>重试</Button> : undefined}
    />
  );
}

/** An inline error above a table or form: keeps what is already on screen. */
export function ErrorAlert({ error, onRetry, style }: { error: unknown; onRetry?: () => void; style?: React.CSSProperties }) {
  if (!error) return null;
  return (
    <Alert
      type="error"
      showIcon
      style={{ marginBottom: 16, ...style }}
      title={errorText(error)}
      description={<RequestId error={error} />}
      action={
        onRetry ? (
          <Button size="small" onClick={onRetry}>
            重试
          </Button>
        ) : undefined
      }
    />
  );
}
