import { ReloadOutlined } from '@ant-design/icons';
import { App, Button, Card, Input, Popconfirm, Select, Space, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { api, errorText } from '../../../app/api';
import { useAccess } from '../../../app/access';
import { fmtTime } from '../../../app/format';
import type { Page } from '../../../app/types';
import { ScopedTable } from '../../../components/ScopedTable';
import { MESSAGE_STATUS, type MessageStatus, type OutboxMessage, type OutsideSystem } from './types';

/**
 * The outbox: messages to outside systems, newest first. With `deadOnly` it is the dead-letter list, where a
 * city administrator re-queues a message (the receiver de-duplicates by its Idempotency-Key).
 */
export function MessagesCard({
  systems,
  system,
  setSystem,
  deadOnly,
  onOpen,
  onRetried,
}: {
  systems: OutsideSystem[];
  system: string | undefined;
  setSystem(s: string | undefined): void;
  deadOnly: boolean;
  onOpen(id: number): void;
  onRetried(): void;
}) {
  const { message } = App.useApp();
  const { can } = useAccess();
  const [status, setStatus] = useState<MessageStatus>();
  const [topic, setTopic] = useState<string>();
  const [reloadKey, setReloadKey] = useState(0);
  const [retrying, setRetrying] = useState<number | null>(null);
  const effective = deadOnly ? 'dead' : status;

  const retry = async (m: OutboxMessage) => {
    setRetrying(m.id);
    try {
      await api.post(`/integration/messages/${m.id}/retry`);
      message.success(`消息 #${m.id} 已重新进入投递队列`);
      setReloadKey((k) => k + 1);
      onRetried();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setRetrying(null);
    }
  };

  const columns: ColumnsType<OutboxMessage> = [
    { title: '编号', dataIndex: 'id', render: (id: number) => <Typography.Link onClick={() => onOpen(id)}>#{id}</Typography.Link> },
    { title: '外部系统', dataIndex: 'systemTitle' },
    { title: '主题', dataIndex: 'topic' },
    { title: '状态', dataIndex: 'status', render: (s: MessageStatus, m) => <Tag color={MESSAGE_STATUS[s].color}>{m.statusTitle}</Tag> },
    { title: '尝试', key: 'attempts', render: (_, m) => (m.maxAttempts ? `${m.attempts}/${m.maxAttempts}` : m.attempts) },
    {
      title: '最近错误',
      dataIndex: 'lastError',
      render: (v: string | null) => (
        <Typography.Text type="secondary" ellipsis={{ tooltip: v }} style={{ maxWidth: 240 }}>
          {v ?? '—'}
        </Typography.Text>
      ),
    },
    { title: '创建时间', dataIndex: 'createdAt', render: fmtTime },
    { title: deadOnly ? '下次投递' : '送达时间', key: 'when', render: (_, m) => fmtTime(deadOnly ? m.nextAttemptAt : m.deliveredAt) },
    {
      title: '操作',
      key: 'op',
      render: (_, m) => (
        <Space size={0}>
          <Button type="link" size="small" onClick={() => onOpen(m.id)}>
            详情
          </Button>
          {m.status === 'dead' && can('integration.manage') ? (
            <Popconfirm
              title="重新投递这条死信？"
              description="尝试次数从零重新计算；接收方按幂等键去重，不会产生重复效果。"
              okText="重新投递"
              cancelText="取消"
              onConfirm={() => retry(m)}
            >
              <Button type="link" size="small" loading={retrying === m.id} data-testid={`retry-${m.id}`}>
                重新投递
              </Button>
            </Popconfirm>
          ) : null}
        </Space>
      ),
    },
  ];

  return (
    <Card
      title={deadOnly ? '死信（投递已放弃的消息）' : '发件箱消息'}
      data-testid={deadOnly ? 'dead-letters' : 'outbox'}
      extra={
        <Space wrap>
          <Select
            placeholder="全部外部系统"
            allowClear
            style={{ width: 200 }}
            value={system}
            onChange={setSystem}
            options={systems.map((s) => ({ value: s.system, label: s.title }))}
          />
          {deadOnly ? null : (
            <Select
              placeholder="全部状态"
              allowClear
              style={{ width: 160 }}
              value={status}
              onChange={setStatus}
              options={Object.entries(MESSAGE_STATUS).map(([k, v]) => ({ value: k, label: v.text }))}
            />
          )}
          <Input.Search placeholder="主题，如 subsidy.application" allowClear style={{ width: 240 }} onSearch={(v) => setTopic(v.trim() || undefined)} />
          <Button icon={<ReloadOutlined />} onClick={() => setReloadKey((k) => k + 1)}>
            刷新
          </Button>
        </Space>
      }
    >
      <ScopedTable<OutboxMessage>
        rowKey="id"
        size="small"
        columns={columns}
        deps={[system, effective, topic]}
        reloadKey={reloadKey}
        load={(page, pageSize, signal) => api.get<Page<OutboxMessage>>('/integration/messages', { system, status: effective, topic, page, pageSize }, signal)}
        emptyText={deadOnly ? '没有死信：所有消息均已送达或仍在重试' : system || status || topic ? '没有符合条件的消息' : '还没有发往外部系统的消息'}
      />
    </Card>
  );
}
