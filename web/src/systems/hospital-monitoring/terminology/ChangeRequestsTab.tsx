import { Button, Descriptions, Drawer, Input, Select, Space, Table, Tag, Typography, message } from 'antd';
import { useState } from 'react';
import { api, errorText } from '../../../app/api';
import { useAccess } from '../../../app/access';
import { useSession } from '../../../app/session';
import { useApi } from '../../../app/use-api';
import { ErrorAlert } from '../../../components/page-states';
import { ChangeRequestModal } from './ChangeRequestModal';
import { ImportModal } from './ImportModal';
import { type ChangeRequest, CR_STATUS, OP_TEXT } from './types';

/** 变更申请: draft, submit, review (someone else), publish as a new version; import a code table. */
export function ChangeRequestsTab({ system, onPublished }: { system: string; onPublished: () => void }) {
  const access = useAccess();
  const { user } = useSession();
  const [status, setStatus] = useState<string>();
  const list = useApi((sig) => api.get<{ items: ChangeRequest[] }>('/terminology/change-requests', { system, status }, sig), [system, status]);
  const [openId, setOpenId] = useState<number | null>(null);
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  const [note, setNote] = useState('');
  const cr = list.data?.items.find((x) => x.id === openId) ?? null;

  const act = async (path: string, body: object = {}, done = '已完成') => {
    try {
      await api.post(`/terminology/change-requests/${openId}/${path}`, body);
      message.success(done);
      list.reload();
      if (path === 'publish') onPublished();
    } catch (e) {
      message.error(errorText(e));
    }
  };
  const mine = cr && (cr.createdBy === user?.username || cr.submittedBy === user?.username);

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space>
        <Select
          allowClear
          placeholder="状态"
          style={{ width: 120 }}
          value={status}
          onChange={setStatus}
          options={Object.entries(CR_STATUS).map(([value, s]) => ({ value, label: s.text }))}
        />
        {access.can('terminology.edit') ? (
          <>
            <Button type="primary" onClick={() => setCreating(true)} data-testid="new-change-request">
              起草变更申请
            </Button>
            <Button onClick={() => setImporting(true)}>导入代码表</Button>
          </>
        ) : null}
      </Space>
      {list.error ? <ErrorAlert error={list.error} onRetry={list.reload} /> : null}
      <Table
        data-testid="cr-table"
        size="small"
        rowKey="id"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        onRow={(r) => ({ onClick: () => setOpenId(r.id), style: { cursor: 'pointer' } })}
        columns={[
          { title: '编号', dataIndex: 'id', width: 70 },
          { title: '标题', dataIndex: 'title' },
          { title: '变更项', dataIndex: 'items', render: (v: unknown[]) => v.length },
          { title: '状态', dataIndex: 'status', render: (v: ChangeRequest['status']) => <Tag color={CR_STATUS[v].color}>{CR_STATUS[v].text}</Tag> },
          { title: '起草人', dataIndex: 'createdBy' },
          { title: '审核人', dataIndex: 'reviewedBy' },
          { title: '发布版本', dataIndex: 'publishedVersion' },
        ]}
      />
      <Drawer open={Boolean(cr)} width={820} onClose={() => setOpenId(null)} title={cr ? `变更申请 #${cr.id}：${cr.title}` : ''}>
        {cr ? (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Descriptions size="small" column={2} bordered>
              <Descriptions.Item label="状态">
                <Tag color={CR_STATUS[cr.status].color}>{CR_STATUS[cr.status].text}</Tag>
              </Descriptions.Item>
              <Descriptions.Item label="代码系统">{cr.systemTitle}</Descriptions.Item>
              <Descriptions.Item label="起草人">{cr.createdBy}</Descriptions.Item>
              <Descriptions.Item label="提交人">{cr.submittedBy ?? '—'}</Descriptions.Item>
              <Descriptions.Item label="审核人">{cr.reviewedBy ?? '—'}</Descriptions.Item>
              <Descriptions.Item label="审核意见">{cr.reviewNote ?? '—'}</Descriptions.Item>
              <Descriptions.Item label="发布版本">{cr.publishedVersion ?? cr.version ?? '—'}</Descriptions.Item>
              <Descriptions.Item label="SM3 摘要">
                {cr.contentHash ? <Typography.Text code>{cr.contentHash.slice(0, 24)}…</Typography.Text> : '—'}
              </Descriptions.Item>
            </Descriptions>
            <Table
              size="small"
              rowKey={(r) => `${r.op}:${r.code}`}
              pagination={{ pageSize: 20 }}
              dataSource={cr.items}
              columns={[
                { title: '操作', dataIndex: 'op', render: (v: keyof typeof OP_TEXT) => OP_TEXT[v] },
                { title: '代码', dataIndex: 'code' },
                { title: '名称', dataIndex: 'display' },
                { title: '上级', dataIndex: 'parents', render: (v?: string[]) => v?.join(', ') },
                { title: '同义词/英文名', dataIndex: 'designations', render: (v?: { value: string }[]) => v?.map((d) => d.value).join('；') },
              ]}
            />
            <Space wrap>
              {cr.status === 'draft' && access.can('terminology.edit') ? (
                <Button type="primary" onClick={() => act('submit', {}, '已提交审核')}>
                  提交审核
                </Button>
              ) : null}
              {cr.status === 'submitted' && access.can('terminology.review') ? (
                mine ? (
                  <Typography.Text type="secondary">本申请由您起草或提交，须由他人审核</Typography.Text>
                ) : (
                  <>
                    <Input placeholder="审核意见（驳回必填）" value={note} onChange={(e) => setNote(e.target.value)} style={{ width: 260 }} />
                    <Button type="primary" onClick={() => act('review', { decision: 'approve', note: note || undefined }, '已批准')}>
                      批准
                    </Button>
                    <Button danger onClick={() => act('review', { decision: 'reject', note }, '已驳回')}>
                      驳回
                    </Button>
                  </>
                )
              ) : null}
              {cr.status === 'approved' && access.can('terminology.review') && !mine ? (
                <Button type="primary" onClick={() => act('publish', {}, '已发布为新版本')}>
                  发布为新版本
                </Button>
              ) : null}
            </Space>
          </Space>
        ) : null}
      </Drawer>
      <ChangeRequestModal
        system={system}
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={() => {
          setCreating(false);
          list.reload();
        }}
      />
      <ImportModal
        open={importing}
        defaultUrl={undefined}
        onClose={() => setImporting(false)}
        onDone={(id) => {
          setImporting(false);
          message.success(`已生成变更申请 #${id}`);
          list.reload();
          setOpenId(id);
        }}
      />
    </Space>
  );
}
