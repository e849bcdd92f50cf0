import { Card, Col, Descriptions, Row, Space, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { api } from '../../../app/api';
import { fmtTime } from '../../../app/format';
import type { RolesAndScopes } from '@server/platform/system/responses.ts';
import { useApi } from '../../../app/use-api';
import { JsonView } from '../../../components/JsonView';
import { ScopedTable } from '../../../components/ScopedTable';
import { AuditChainCard } from './AuditChainCard';
import { AuditFilters, type AuditQuery } from './AuditFilters';
import type { AuditEvent, AuditEventPage } from '@server/platform/audit/responses.ts';
import { KIND_COLORS } from './types';

function EventDetail({ e }: { e: AuditEvent }) {
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Row gutter={16}>
        <Col xs={24} lg={12}>
          <Typography.Text strong>变更前</Typography.Text>
          <JsonView value={e.before} />
        </Col>
        <Col xs={24} lg={12}>
          <Typography.Text strong>变更后</Typography.Text>
          <JsonView value={e.after} />
        </Col>
      </Row>
      <Descriptions
        size="small"
        column={{ xs: 1, lg: 2 }}
        items={[
          { key: 'scope', label: '操作人数据权限', children: e.scope ?? '—' },
          { key: 'user', label: '操作人账号', children: <span className="wj-mono">{e.actorUsername}</span> },
          { key: 'code', label: '动作代码', children: <span className="wj-mono">{e.action}</span> },
          {
            key: 'object',
            label: '对象代码',
            children: (
              <span className="wj-mono">
                {e.objectType}
                {e.objectId ? ` #${e.objectId}` : ''}
              </span>
            ),
          },
          { key: 'ip', label: 'IP 地址', children: <span className="wj-mono">{e.ip ?? '—'}</span> },
          { key: 'rid', label: '请求编号', children: <span className="wj-mono">{e.requestId ?? '—'}</span> },
          {
            key: 'prev',
            label: '前一事件哈希',
            children: (
              <span className="wj-mono" style={{ fontSize: 12 }}>
                {e.prevHash ?? '—'}
              </span>
            ),
          },
          {
            key: 'hash',
            label: '本事件哈希（SM3）',
            children: (
              <span className="wj-mono" style={{ fontSize: 12 }}>
                {e.hash ?? '—'}
              </span>
            ),
          },
        ]}
      />
    </Space>
  );
}

/** 审计日志: every write, 调阅 and sign-in, newest first, on a tamper-evident hash chain. */
export function AuditPage() {
  const [query, setQuery] = useState<AuditQuery>({});
  const [reloadKey, setReloadKey] = useState(0);
  const roles = useApi((s) => api.get<RolesAndScopes>('/system/roles', undefined, s), []);
  const roleNames = new Map((roles.data?.roles ?? []).map((r) => [r.code, r.name]));
  const columns: ColumnsType<AuditEvent> = [
    { title: '序号', dataIndex: 'seq', width: 80 },
    { title: '时间', dataIndex: 'ts', render: fmtTime, width: 170 },
    {
      title: '操作人',
      dataIndex: 'actorName',
      render: (v: string, e) => (
        <span>
          {v}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {' '}
            {roleNames.get(e.actorRole) ?? (e.actorRole === 'system' ? '系统' : e.actorRole)}
          </Typography.Text>
        </span>
      ),
    },
    { title: '类别', dataIndex: 'kindLabel', render: (v: string, e) => <Tag color={KIND_COLORS[e.kind]}>{v}</Tag> },
    // Labels only: the codes are in the row's detail panel (expand the row).
    { title: '动作', dataIndex: 'actionLabel' },
    { title: '对象', dataIndex: 'objectLabel' },
    { title: '备注 / 原因', dataIndex: 'note', render: (v: string | null) => v ?? '—', ellipsis: true },
  ];
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <AuditChainCard onChanged={() => setReloadKey((k) => k + 1)} />
      <Card title="审计事件">
        <AuditFilters onChange={setQuery} />
        <ScopedTable<AuditEvent>
          rowKey="seq"
          size="small"
          columns={columns}
          deps={[query]}
          reloadKey={reloadKey}
          load={(page, pageSize, signal) => api.get<AuditEventPage>('/audit/events', { ...query, page, pageSize }, signal)}
          expandable={{ expandedRowRender: (e) => <EventDetail e={e} /> }}
          emptyText={Object.values(query).some(Boolean) ? '没有符合条件的审计事件，请放宽筛选条件' : '您的数据权限范围内暂无审计事件'}
        />
      </Card>
    </Space>
  );
}
