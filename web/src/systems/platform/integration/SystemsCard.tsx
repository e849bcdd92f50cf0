import { ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { fmtTime } from '../../../app/format';
import type { ApiState } from '../../../app/use-api';
import { EmptyState, ErrorAlert } from '../../../components/page-states';
import { AUTH_TITLE, CIRCUIT_COLOR, type OutsideSystem } from './types';

/** Adapter health: each outside system's settings (never its secret), message counts and circuit breaker. */
export function SystemsCard({ systems, onShowDead }: { systems: ApiState<{ items: OutsideSystem[] }>; onShowDead(system: string): void }) {
  const columns: ColumnsType<OutsideSystem> = [
    {
      title: '外部系统',
      dataIndex: 'title',
      render: (t: string, s) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text strong>{t}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {s.system}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: '熔断状态',
      key: 'circuit',
      render: (_, s) =>
        s.circuit ? (
          <Space orientation="vertical" size={0}>
            <Tag color={CIRCUIT_COLOR[s.circuit.state]} data-testid={`circuit-${s.system}`}>
              {s.circuit.stateTitle}
            </Tag>
            {s.circuit.state === 'open' && s.circuit.openUntil && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                暂停至 {fmtTime(s.circuit.openUntil)}
              </Typography.Text>
            )}
            {s.circuit.consecutiveFailures > 0 && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                连续失败 {s.circuit.consecutiveFailures} 次
              </Typography.Text>
            )}
          </Space>
        ) : (
          '—'
        ),
    },
    {
      title: '对接配置',
      key: 'config',
      render: (_, s) =>
        s.registered ? (
          <Space orientation="vertical" size={0}>
            <Typography.Text style={{ fontSize: 12 }} copyable={s.baseUrl ? { text: s.baseUrl } : false}>
              {s.baseUrl ?? '未配置地址'}
            </Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {AUTH_TITLE[s.auth ?? ''] ?? s.auth ?? '—'}
              {s.auth === 'hmac-sm3' && (s.secretConfigured ? '（密钥已配置）' : '（未配置密钥）')}
              {s.timeoutMs ? ` · 超时 ${s.timeoutMs / 1000} 秒` : ''}
              {s.maxAttempts ? ` · 最多尝试 ${s.maxAttempts} 次` : ''}
            </Typography.Text>
          </Space>
        ) : (
          <Tooltip title="本实例未注册该系统的适配器，消息不会被投递">
            <Tag>未注册适配器</Tag>
          </Tooltip>
        ),
    },
    { title: '待投递', key: 'pending', align: 'right', render: (_, s) => s.counts.pending + s.counts.delivering },
    { title: '重试中', key: 'failed', align: 'right', render: (_, s) => s.counts.failed },
    { title: '已送达', key: 'delivered', align: 'right', render: (_, s) => s.counts.delivered },
    {
      title: '死信',
      key: 'dead',
      align: 'right',
      render: (_, s) =>
        s.counts.dead > 0 ? (
          <Typography.Link type="danger" onClick={() => onShowDead(s.system)}>
            {s.counts.dead}
          </Typography.Link>
        ) : (
          0
        ),
    },
    {
      title: '最近错误',
      key: 'error',
      render: (_, s) => (
        <Typography.Text type="secondary" ellipsis={{ tooltip: s.circuit?.lastError }} style={{ maxWidth: 260 }}>
          {s.circuit?.lastError ?? '—'}
        </Typography.Text>
      ),
    },
  ];
  return (
    <Card
      title="外部系统与适配器状态"
      extra={
        <Button icon={<ReloadOutlined />} onClick={systems.reload}>
          刷新
        </Button>
      }
    >
      {systems.error ? <ErrorAlert error={systems.error} onRetry={systems.reload} style={{ marginBottom: 12 }} /> : null}
      <Table<OutsideSystem>
        rowKey="system"
        size="small"
        columns={columns}
        loading={systems.loading}
        dataSource={systems.data?.items ?? []}
        pagination={false}
        locale={{ emptyText: <EmptyState description="还没有对接任何外部系统" /> }}
        data-testid="integration-systems"
      />
    </Card>
  );
}
