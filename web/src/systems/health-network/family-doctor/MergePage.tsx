import type { Institution, InstitutionPage } from '@server/systems/common/master-data/responses.ts';
import { Alert, App, Button, Card, Descriptions, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, errorText } from '../../../app/api';
import { fmtTime } from '../../../app/format';
import type { Page } from '../../../app/types';
import { useApi } from '../../../app/use-api';
import { RemoteSelect } from '../../../components/RemoteSelect';
import { ScopedTable } from '../../../components/ScopedTable';
import type { Merge, MergeDone, MergePreview } from '@server/systems/health-network/family-doctor/responses.ts';

const KINDS = [
  { value: 'chc', label: '社区卫生服务中心' },
  { value: 'district_hospital', label: '区级医院' },
  { value: 'city_hospital', label: '市级医院' },
];
const search = (kind: string) => async (q: string, signal: AbortSignal) =>
  (await api.get<InstitutionPage>('/institutions', { kind, q: q || undefined, pageSize: 50 }, signal)).items.map((i) => ({ value: i.id, label: i.name }));

/**
 * 总分院合并: maintain which institutions are branches (分院) of a main one (总院, master data), preview
 * what a merge moves, then merge in one transaction with a full trail.
 */
export function MergePage() {
  const { message, modal } = App.useApp();
  const [kind, setKind] = useState('chc');
  const [mainId, setMainId] = useState<number | undefined>();
  const [addId, setAddId] = useState<number | undefined>();
  const [preview, setPreview] = useState<MergePreview | null>(null);
  const [note, setNote] = useState('');
  const [key, setKey] = useState(0);
  const branches = useApi((s) => api.get<InstitutionPage>('/institutions', { parentId: mainId, pageSize: 100 }, s), [mainId, key], !!mainId);

  const setParent = async (id: number, parentId: number | null) => {
    try {
      await api.patch(`/institutions/${id}`, { parentId });
      message.success(parentId ? '已设为分院' : '已取消分院关系');
      setAddId(undefined);
      setKey((k) => k + 1);
    } catch (e) {
      message.error(errorText(e));
    }
  };
  const showPreview = async (id: number) => {
    try {
      setPreview(await api.get<MergePreview>('/family-doctor/merges/preview', { branchId: id }));
      setNote('');
    } catch (e) {
      message.error(errorText(e));
    }
  };
  const merge = (p: MergePreview) =>
    modal.confirm({
      title: `确认将“${p.branch.name}”合并到“${p.main.name}”？`,
      content: `将变更 ${p.total} 行数据（其中在约签约 ${p.activeContracts} 份），操作不可撤销，明细全部留痕。`,
      okText: '确认合并',
      okButtonProps: { danger: true },
      onOk: async () => {
        try {
          const r = await api.post<MergeDone>('/family-doctor/merges', { branchId: p.branch.id, expectedTotal: p.total, ...(note ? { note } : {}) });
          message.success(`合并完成，共变更 ${r.total} 行`);
          setPreview(null);
          setKey((k) => k + 1);
        } catch (e) {
          message.error(errorText(e));
        }
      },
    });

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card title="总院 / 分院关系">
        <Space wrap style={{ marginBottom: 12 }}>
          <Select
            value={kind}
            onChange={(v) => {
              setKind(v);
              setMainId(undefined);
            }}
            options={KINDS}
            style={{ width: 180 }}
          />
          <RemoteSelect
            key={kind}
            fetch={search(kind)}
            value={mainId}
            onChange={(v) => setMainId(v as number | undefined)}
            placeholder="选择总院"
            style={{ width: 320 }}
          />
        </Space>
        {mainId && (
          <>
            <Table<Institution>
              rowKey="id"
              size="small"
              loading={branches.loading}
              pagination={false}
              dataSource={branches.data?.items ?? []}
              locale={{ emptyText: '该机构没有分院' }}
              columns={[
                { title: '分院', dataIndex: 'name' },
                {
                  title: '操作',
                  key: 'op',
                  render: (_, b) => (
                    <Space>
                      <Button size="small" type="primary" onClick={() => showPreview(b.id)} data-testid={`fd-merge-preview-${b.id}`}>
                        合并预览
                      </Button>
                      <Button size="small" onClick={() => setParent(b.id, null)}>
                        取消分院关系
                      </Button>
                    </Space>
                  ),
                },
              ]}
            />
            <Space style={{ marginTop: 12 }}>
              <RemoteSelect
                key={`add-${kind}`}
                fetch={search(kind)}
                value={addId}
                onChange={(v) => setAddId(v as number | undefined)}
                placeholder="选择机构设为分院"
                style={{ width: 320 }}
              />
              <Button disabled={!addId || addId === mainId} onClick={() => addId && setParent(addId, mainId)}>
                设为分院
              </Button>
            </Space>
          </>
        )}
      </Card>
      <Card title="合并记录">
        <ScopedTable<Merge>
          rowKey="id"
          reloadKey={key}
          deps={[]}
          emptyText="暂无合并记录"
          load={(page, pageSize, signal) => api.get<Page<Merge>>('/family-doctor/merges', { page, pageSize }, signal)}
          columns={[
            { title: '分院', dataIndex: 'branchName' },
            { title: '并入总院', dataIndex: 'mainName' },
            { title: '变更行数', key: 'n', render: (_, m) => Object.values(m.counts).reduce((s, n) => s + n, 0) },
            { title: '说明', dataIndex: 'note', render: (v: string | null) => v ?? '—' },
            { title: '操作人', dataIndex: 'mergedByName' },
            { title: '时间', dataIndex: 'mergedAt', render: (v: string) => fmtTime(v) },
          ]}
        />
      </Card>
      <Modal
        title="合并预览"
        open={!!preview}
        onCancel={() => setPreview(null)}
        width={720}
        footer={
          preview && [
            <Button key="c" onClick={() => setPreview(null)}>
              取消
            </Button>,
            <Button key="m" danger type="primary" onClick={() => merge(preview)} disabled={preview.total === 0} data-testid="fd-merge-run">
              执行合并
            </Button>,
          ]
        }
      >
        {preview && (
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Descriptions
              size="small"
              bordered
              column={2}
              items={[
                { key: 'b', label: '分院', children: preview.branch.name },
                { key: 'm', label: '并入总院', children: preview.main.name },
                { key: 't', label: '受影响行数', children: preview.total },
                { key: 'a', label: '在约签约', children: preview.activeContracts },
              ]}
            />
            <Table
              size="small"
              pagination={false}
              rowKey={(r) => `${r.table}.${r.column}`}
              dataSource={preview.counts.filter((c) => c.rows > 0)}
              locale={{ emptyText: '没有需要合并的数据' }}
              columns={[
                { title: '数据', dataIndex: 'title' },
                { title: '行数', dataIndex: 'rows' },
              ]}
            />
            {preview.sample.length > 0 && (
              <Typography.Text type="secondary">
                示例签约：
                {preview.sample.map((s) => (
                  <Tag key={s.contractId}>
                    {s.contractId}
                    {s.status === 'active' ? '' : '（已解约）'}
                  </Tag>
                ))}
              </Typography.Text>
            )}
            <Input.TextArea rows={2} maxLength={200} placeholder="合并说明（可选）" value={note} onChange={(e) => setNote(e.target.value)} />
            <Alert type="warning" showIcon title="合并在一个事务中完成：分院的签约及其历史、就诊、协议书等全部改为总院；每个变更值记入合并明细并审计。" />
          </Space>
        )}
      </Modal>
    </Space>
  );
}
