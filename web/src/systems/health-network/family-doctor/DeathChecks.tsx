import { App, Button, Input, Modal, Select, Space, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useAccess } from '../../../app/access';
import { api, errorText } from '../../../app/api';
import { fmtDate } from '../../../app/format';
import type { Page } from '../../../app/types';
import { ScopedTable } from '../../../components/ScopedTable';
import { DEATH_STATUS, type DeathCheck } from './types';

/** 死亡核实: death reports waiting for the contracted doctor; confirm ends the contract (系统, 死亡). */
export function DeathChecks({ reloadKey, onChanged }: { reloadKey: number; onChanged(): void }) {
  const { message } = App.useApp();
  const access = useAccess();
  const [status, setStatus] = useState<DeathCheck['status'] | undefined>('pending');
  const [notSame, setNotSame] = useState<DeathCheck | null>(null);
  const [note, setNote] = useState('');
  const [key, setKey] = useState(0);

  const verify = async (d: DeathCheck, result: 'confirm' | 'not_same_person', n?: string) => {
    try {
      await api.post(`/family-doctor/death-checks/${d.id}/verify`, { result, ...(n ? { note: n } : {}) });
      message.success(result === 'confirm' ? '已确认，签约已由系统以“死亡”原因解约' : '已核实为非本人，签约不变');
      setKey((k) => k + 1);
      onChanged();
      return true;
    } catch (e) {
      message.error(errorText(e));
      return false;
    }
  };

  const columns: ColumnsType<DeathCheck> = [
    { title: '状态', dataIndex: 'status', render: (v: DeathCheck['status']) => <Tag color={DEATH_STATUS[v].color}>{DEATH_STATUS[v].text}</Tag> },
    { title: '居民', key: 'p', render: (_, d) => `${d.personName ?? `居民 ${d.personId}`}` },
    { title: '身份证号', dataIndex: 'idNumberMasked', render: (v: string | null) => <span className="wj-mono">{v ?? '—'}</span> },
    { title: '死亡日期', dataIndex: 'deathDate', render: (v: string) => fmtDate(v) },
    { title: '来源', key: 'src', render: (_, d) => (d.source === 'report_card' ? `死亡报告卡 ${d.reportNo ?? ''}` : '居民主索引') },
    { title: '死因', dataIndex: 'cause', render: (v: string | null) => v ?? '—' },
    { title: '家庭医生', dataIndex: 'doctorName' },
    {
      title: '核实',
      key: 'dec',
      render: (_, d) => (d.status === 'pending' ? '—' : `${d.decidedByName ?? ''} ${fmtDate(d.decidedAt)}${d.note ? `：${d.note}` : ''}`),
    },
    {
      title: '操作',
      key: 'op',
      render: (_, d) =>
        d.status === 'pending' && access.can('family-doctor.terminate') ? (
          <Space>
            <Button
              type="link"
              size="small"
              danger
              data-testid={`fd-death-confirm-${d.id}`}
              onClick={() =>
                Modal.confirm({
                  title: '确认死亡',
                  content: `确认 ${d.personName ?? ''} 已于 ${d.deathDate} 死亡？签约将由系统以“死亡”原因解约。`,
                  okText: '确认',
                  okButtonProps: { danger: true },
                  onOk: () => verify(d, 'confirm'),
                })
              }
            >
              确认死亡
            </Button>
            <Button
              type="link"
              size="small"
              onClick={() => {
                setNotSame(d);
                setNote('');
              }}
            >
              非本人
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
          options={Object.entries(DEATH_STATUS).map(([value, s]) => ({ value, label: s.text }))}
        />
      </Space>
      <ScopedTable<DeathCheck>
        rowKey="id"
        columns={columns}
        deps={[status]}
        reloadKey={reloadKey + key}
        emptyText="没有死亡核实任务"
        load={(page, pageSize, signal) => api.get<Page<DeathCheck>>('/family-doctor/death-checks', { status, page, pageSize }, signal)}
      />
      <Modal
        open={!!notSame}
        title="核实为非本人"
        okText="提交"
        okButtonProps={{ disabled: !note.trim() }}
        onCancel={() => setNotSame(null)}
        onOk={async () => {
          if (notSame && (await verify(notSame, 'not_same_person', note.trim()))) setNotSame(null);
        }}
      >
        <Input.TextArea rows={3} maxLength={200} placeholder="核实说明（如身份信息不符、居民健在）" value={note} onChange={(e) => setNote(e.target.value)} />
      </Modal>
    </>
  );
}
