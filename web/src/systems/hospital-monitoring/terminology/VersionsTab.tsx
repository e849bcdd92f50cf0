import { Button, Card, Select, Space, Table, Tag, Typography, message } from 'antd';
import { useState } from 'react';
import { api, errorText } from '../../../app/api';
import { useApi } from '../../../app/use-api';
import { ErrorAlert } from '../../../components/page-states';
import { CHANGE_KIND, type VersionRow } from './types';
import type { VersionList, Timeline, Diff, VersionCheck } from '@server/systems/hospital-monitoring/terminology/responses.ts';

interface DiffItem {
  code: string;
  kinds: string[];
  before: { display?: string; parents?: string[]; status?: string } | null;
  after: { display?: string; parents?: string[]; status?: string } | null;
}

/** 版本与差异: the published versions (SM3 digest, verify), a diff between two and the change timeline. */
export function VersionsTab({ system }: { system: string }) {
  const versions = useApi((sig) => api.get<VersionList>('/terminology/versions', { system }, sig), [system]);
  const timeline = useApi((sig) => api.get<Timeline>('/terminology/timeline', { system, limit: 200 }, sig), [system]);
  const [from, setFrom] = useState<string>();
  const [to, setTo] = useState<string>();
  const diff = useApi((sig) => api.get<Diff>('/terminology/diff', { system, from, to }, sig), [system, from, to], Boolean(from && to));
  const options = (versions.data?.items ?? []).map((v) => ({ value: v.version, label: v.version }));

  const verify = async (version: string) => {
    try {
      const r = await api.get<VersionCheck>('/terminology/versions/verify', { system, version });
      if (r.ok) message.success(`版本 ${version} 内容与发布时的 SM3 摘要一致`);
      else message.error(`版本 ${version} 内容与摘要不一致！`);
    } catch (e) {
      message.error(errorText(e));
    }
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      {versions.error ? <ErrorAlert error={versions.error} onRetry={versions.reload} /> : null}
      <Card size="small" title="已发布版本（发布后不可修改）">
        <Table
          size="small"
          rowKey="id"
          loading={versions.loading}
          pagination={false}
          dataSource={versions.data?.items ?? []}
          columns={[
            { title: '版本', dataIndex: 'version' },
            { title: '发布时间', dataIndex: 'publishedAt', render: (v: string) => new Date(v).toLocaleString('zh-CN') },
            { title: '发布人', dataIndex: 'publishedBy' },
            { title: '代码数', dataIndex: 'conceptCount' },
            { title: '说明', dataIndex: 'note' },
            {
              title: 'SM3 内容摘要',
              dataIndex: 'contentHash',
              render: (v: string) => (
                <Typography.Text code copyable={{ text: v }}>
                  {v.slice(0, 16)}…
                </Typography.Text>
              ),
            },
            {
              title: '',
              key: 'verify',
              render: (_: unknown, r: VersionRow) => (
                <Button size="small" onClick={() => verify(r.version)}>
                  校验
                </Button>
              ),
            },
          ]}
        />
      </Card>
      <Card
        size="small"
        title="版本差异"
        extra={
          <Space>
            <Select placeholder="起始版本" style={{ width: 140 }} options={options} value={from} onChange={setFrom} data-testid="diff-from" />
            <span>→</span>
            <Select placeholder="目标版本" style={{ width: 140 }} options={options} value={to} onChange={setTo} data-testid="diff-to" />
          </Space>
        }
      >
        {diff.error ? <ErrorAlert error={diff.error} onRetry={diff.reload} /> : null}
        <Table
          size="small"
          rowKey="code"
          loading={diff.loading}
          dataSource={from && to ? (diff.data?.items ?? []) : []}
          locale={{ emptyText: from && to ? '两个版本没有差异' : '选择两个版本查看差异' }}
          columns={[
            { title: '代码', dataIndex: 'code' },
            { title: '变化', dataIndex: 'kinds', render: (v: string[]) => v.map((k) => <Tag key={k}>{CHANGE_KIND[k] ?? k}</Tag>) },
            {
              title: '变更前',
              dataIndex: 'before',
              render: (v: DiffItem['before']) =>
                v ? `${v.display}（上级 ${v.parents?.join(',') || '无'}，${v.status === 'retired' ? '停用' : '有效'}）` : '—',
            },
            {
              title: '变更后',
              dataIndex: 'after',
              render: (v: DiffItem['after']) => (v ? `${v.display}（上级 ${v.parents?.join(',') || '无'}，${v.status === 'retired' ? '停用' : '有效'}）` : '—'),
            },
          ]}
        />
      </Card>
      <Card size="small" title="变更时间线">
        <Table
          size="small"
          rowKey="id"
          loading={timeline.loading}
          dataSource={timeline.data?.items ?? []}
          columns={[
            { title: '时间', dataIndex: 'at', render: (v: string) => new Date(v).toLocaleString('zh-CN') },
            { title: '版本', dataIndex: 'version' },
            { title: '代码', dataIndex: 'code' },
            { title: '变更', dataIndex: 'kind', render: (v: string) => CHANGE_KIND[v] ?? v },
            { title: '起草人', dataIndex: 'author' },
            { title: '变更后', dataIndex: 'after', render: (v: unknown) => <code>{JSON.stringify(v)}</code> },
          ]}
        />
      </Card>
    </Space>
  );
}
