import { App, Button, Input, Modal, Select, Space, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useAccess } from '../../../app/access';
import { api, errorText } from '../../../app/api';
import { fmtDate } from '../../../app/format';
import type { Page } from '../../../app/types';
import { ScopedTable } from '../../../components/ScopedTable';
import { TRANSFER_STATUS, type TransferRequest } from './types';

/** 转签: requests to and from the caller's doctors — pending ones to accept or reject, and the history of both sides. */
export function TransferInbox({ reloadKey, onChanged }: { reloadKey: number; onChanged(): void }) {
  const { message } = App.useApp();
  const access = useAccess();
  const [status, setStatus] = useState<TransferRequest['status'] | undefined>('pending');
  const [rejecting, setRejecting] = useState<TransferRequest | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [key, setKey] = useState(0);

  const act = async (fn: () => Promise<TransferRequest>, ok: (r: TransferRequest) => string) => {
    setBusy(true);
    try {
      const r = await fn();
      message.success(ok(r));
      setKey((k) => k + 1);
      onChanged();
      return true;
    } catch (e) {
      message.error(errorText(e));
      return false;
    } finally {
      setBusy(false);
    }
  };

  const columns: ColumnsType<TransferRequest> = [
    { title: '状态', dataIndex: 'status', render: (v: TransferRequest['status']) => <Tag color={TRANSFER_STATUS[v].color}>{TRANSFER_STATUS[v].text}</Tag> },
    { title: '转出', key: 'from', render: (_, r) => `${r.fromDoctorName ?? r.fromDoctorId}（${r.fromInstitutionName ?? '—'}）` },
    { title: '接收', key: 'to', render: (_, r) => `${r.toDoctorName ?? r.toDoctorId}（${r.toInstitutionName ?? '—'} · ${r.toTeamName ?? '—'}）` },
    { title: '原因', key: 'reason', render: (_, r) => `${r.reasonKindName}：${r.reason}` },
    {
      title: '居民',
      key: 'residents',
      render: (_, r) => (
        <Typography.Text ellipsis={{ tooltip: r.residents.map((p) => `${p.personName ?? ''} ${p.idNumberMasked ?? ''}`).join('；') }} style={{ maxWidth: 220 }}>
          {r.residents.length} 人：
          {r.residents
            .slice(0, 3)
            .map((p) => p.personName)
            .join('、')}
          {r.residents.length > 3 ? ' 等' : ''}
        </Typography.Text>
      ),
    },
    { title: '申请', key: 'req', render: (_, r) => `${r.requestedByName ?? '—'} ${fmtDate(r.requestedAt)}` },
    {
      title: '处理',
      key: 'decided',
      render: (_, r) =>
        r.status === 'pending'
          ? '—'
          : `${r.decidedByName ?? '—'} ${fmtDate(r.decidedAt)}${r.decisionReason ? `：${r.decisionReason}` : ''}${r.skippedIds.length ? `（${r.skippedIds.length} 人因签约已变化未转移）` : ''}`,
    },
    {
      title: '操作',
      key: 'op',
      render: (_, r) =>
        r.status === 'pending' && access.can('family-doctor.sign') ? (
          <Space>
            <Button
              type="link"
              size="small"
              disabled={busy}
              data-testid={`fd-transfer-accept-${r.id}`}
              onClick={() =>
                Modal.confirm({
                  title: '接收转签',
                  content: `接收后 ${r.residents.length} 位居民的签约将转给 ${r.toDoctorName ?? ''}（签约周期和上级医院不变）。仅接收医生或接收机构可处理。`,
                  okText: '接收',
                  onOk: () =>
                    act(
                      () => api.post<TransferRequest>(`/family-doctor/transfer-requests/${r.id}/accept`),
                      (x) => `已接收，转入 ${x.movedIds.length} 人`,
                    ),
                })
              }
            >
              接收
            </Button>
            <Button
              type="link"
              size="small"
              danger
              disabled={busy}
              onClick={() => {
                setRejecting(r);
                setReason('');
              }}
            >
              拒绝
            </Button>
          </Space>
        ) : null,
    },
  ];

  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Select
          value={status}
          allowClear
          placeholder="全部状态"
          onChange={setStatus}
          style={{ width: 140 }}
          options={Object.entries(TRANSFER_STATUS).map(([value, s]) => ({ value, label: s.text }))}
        />
      </Space>
      <ScopedTable<TransferRequest>
        rowKey="id"
        columns={columns}
        deps={[status]}
        reloadKey={reloadKey + key}
        emptyText="没有转签申请"
        load={(page, pageSize, signal) => api.get<Page<TransferRequest>>('/family-doctor/transfer-requests', { status, page, pageSize }, signal)}
      />
      <Modal
        open={!!rejecting}
        title="拒绝转签"
        okText="拒绝"
        okButtonProps={{ danger: true, disabled: !reason.trim(), loading: busy }}
        onCancel={() => setRejecting(null)}
        onOk={async () => {
          if (
            rejecting &&
            (await act(
              () => api.post<TransferRequest>(`/family-doctor/transfer-requests/${rejecting.id}/reject`, { reason: reason.trim() }),
              () => '已拒绝，签约不变',
            ))
          )
            setRejecting(null);
        }}
      >
        <Input.TextArea rows={3} maxLength={200} placeholder="拒绝原因（必填）" value={reason} onChange={(e) => setReason(e.target.value)} />
      </Modal>
    </>
  );
}
