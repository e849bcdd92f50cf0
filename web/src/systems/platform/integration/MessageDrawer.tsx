import { Descriptions, Drawer, Table, Tag, Typography } from 'antd';
import { api } from '../../../app/api';
import { fmtTime } from '../../../app/format';
import { useApi } from '../../../app/use-api';
import { ErrorAlert, PageLoading } from '../../../components/page-states';
import { MESSAGE_STATUS, type MessageDetail } from './types';

const json = (v: unknown) => (v === null || v === undefined ? '—' : JSON.stringify(v, null, 2));

/** One message: content (reading it is audited on the server), the other side's reply, every delivery attempt. */
export function MessageDrawer({ id, onClose }: { id: number | null; onClose(): void }) {
  const m = useApi((s) => api.get<MessageDetail>(`/integration/messages/${id}`, undefined, s), [id], id !== null);
  const d = m.data;
  return (
    <Drawer title={`消息 #${id ?? ''}`} open={id !== null} onClose={onClose} size={720} destroyOnHidden data-testid="message-drawer">
      {m.loading ? <PageLoading /> : null}
      {m.error ? <ErrorAlert error={m.error} onRetry={m.reload} /> : null}
      {d && !m.loading ? (
        <>
          <Descriptions size="small" column={2} bordered>
            <Descriptions.Item label="外部系统">{d.systemTitle}</Descriptions.Item>
            <Descriptions.Item label="状态">
              <Tag color={MESSAGE_STATUS[d.status].color}>{d.statusTitle}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label="主题">{d.topic}</Descriptions.Item>
            <Descriptions.Item label="尝试次数">{d.maxAttempts ? `${d.attempts}/${d.maxAttempts}` : d.attempts}</Descriptions.Item>
            <Descriptions.Item label="幂等键" span={2}>
              <Typography.Text code copyable>
                {d.key}
              </Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label="创建时间">{fmtTime(d.createdAt)}</Descriptions.Item>
            <Descriptions.Item label="送达时间">{fmtTime(d.deliveredAt)}</Descriptions.Item>
            {d.nextAttemptAt ? (
              <Descriptions.Item label="下次投递" span={2}>
                {fmtTime(d.nextAttemptAt)}
              </Descriptions.Item>
            ) : null}
            {d.lastError ? (
              <Descriptions.Item label="最近错误" span={2}>
                <Typography.Text type="danger">{d.lastError}</Typography.Text>
              </Descriptions.Item>
            ) : null}
          </Descriptions>
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            投递记录
          </Typography.Title>
          <Table
            rowKey="attempt"
            size="small"
            pagination={false}
            dataSource={d.history}
            locale={{ emptyText: '尚未投递' }}
            columns={[
              { title: '次', dataIndex: 'attempt', width: 48 },
              { title: '时间', dataIndex: 'startedAt', render: fmtTime },
              { title: '结果', dataIndex: 'outcome' },
              { title: 'HTTP', dataIndex: 'httpStatus', render: (v: number | null) => v ?? '—' },
              { title: '用时', dataIndex: 'durationMs', render: (v: number) => `${v} 毫秒` },
              { title: '错误', dataIndex: 'error', render: (v: string | null) => v ?? '—' },
            ]}
          />
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            消息内容
          </Typography.Title>
          <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
            内容可能含个人信息，本次查看已记入审计日志。
          </Typography.Paragraph>
          <pre style={{ maxHeight: 240, overflow: 'auto', background: 'rgba(0,0,0,0.03)', padding: 8 }}>{json(d.payload)}</pre>
          <Typography.Title level={5}>对方回执</Typography.Title>
          <pre style={{ maxHeight: 160, overflow: 'auto', background: 'rgba(0,0,0,0.03)', padding: 8 }}>{json(d.response)}</pre>
        </>
      ) : null}
    </Drawer>
  );
}
