import type { InstitutionPage, PractitionerPage } from '@server/systems/common/master-data/responses.ts';
import { Button, Card, Checkbox, DatePicker, Space, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useAccess } from '../../../app/access';
import { api } from '../../../app/api';
import type { Page } from '../../../app/types';
import { RemoteSelect } from '../../../components/RemoteSelect';
import { ScopedTable } from '../../../components/ScopedTable';
import { CaseDrawer } from './CaseDrawer';
import { CreateDisposalModal } from './CreateDisposalModal';
import type { Finding } from './types';

const money = (v: number | null) => (v === null || v === undefined ? '—' : `¥${Number(v).toFixed(2)}`);

/** The case list of one category: institution, department, doctor, masked patient, items, amounts, rule and why. */
export function FindingsCard({ category, title }: { category?: string; title: string }) {
  const [institutionId, setInstitutionId] = useState<number>();
  const [practitionerId, setPractitionerId] = useState<number>();
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const [selected, setSelected] = useState<number[]>([]);
  const [creating, setCreating] = useState(false);
  const [reloadKey, setReloadKey] = useState(0);
  const canManage = useAccess().can('compliance.disposal.manage');
  const toggle = (id: number, on: boolean) => setSelected((s) => (on ? [...s, id] : s.filter((x) => x !== id)));
  const from = range?.[0]?.format('YYYY-MM-DD');
  const to = range?.[1]?.format('YYYY-MM-DD');

  const selectColumn: ColumnsType<Finding> = canManage
    ? [
        {
          title: '选择',
          key: 'sel',
          width: 60,
          render: (_, r) => <Checkbox aria-label={`选择监测结果 ${r.id}`} checked={selected.includes(r.id)} onChange={(e) => toggle(r.id, e.target.checked)} />,
        },
      ]
    : [];
  const columns: ColumnsType<Finding> = [
    ...selectColumn,
    { title: '日期', dataIndex: 'foundOn', width: 110 },
    { title: '机构', dataIndex: 'institution' },
    { title: '科室', dataIndex: 'department', render: (v: string | null) => v ?? '—' },
    { title: '医师', dataIndex: 'practitioner', render: (v: string | null) => v ?? '—' },
    { title: '患者', dataIndex: 'patient', render: (v: string | null) => v ?? '—' },
    { title: '项目', dataIndex: 'items', render: (v: string | null) => v ?? '—' },
    { title: '金额', dataIndex: 'amount', align: 'right', render: money },
    { title: '命中规则', dataIndex: 'ruleTitle', render: (v: string, r) => `${v}（v${r.ruleVersion}）` },
    { title: '原因', dataIndex: 'reason', width: 320, render: (v: string) => <Typography.Text type="secondary">{v}</Typography.Text> },
    {
      title: '操作',
      key: 'op',
      render: (_, r) => (
        <Button type="link" size="small" onClick={() => setOpen(r.id)}>
          病例详情
        </Button>
      ),
    },
  ];

  return (
    <Card
      title={`${title} · 病例列表`}
      extra={
        <Space wrap>
          {canManage && (
            <Button type="primary" disabled={selected.length === 0} onClick={() => setCreating(true)}>
              生成处置单{selected.length > 0 ? `（${selected.length}）` : ''}
            </Button>
          )}
          <RemoteSelect
            placeholder="全部机构"
            style={{ width: 220 }}
            value={institutionId}
            onChange={(v) => {
              setInstitutionId(v === undefined ? undefined : Number(v));
              setPractitionerId(undefined);
            }}
            fetch={async (q, signal) =>
              (await api.get<InstitutionPage>('/institutions', { q, pageSize: 20 }, signal)).items.map((i) => ({ value: i.id, label: i.name }))
            }
          />
          <RemoteSelect
            placeholder="全部医师"
            style={{ width: 160 }}
            value={practitionerId}
            deps={[institutionId]}
            onChange={(v) => setPractitionerId(v === undefined ? undefined : Number(v))}
            fetch={async (q, signal) =>
              (await api.get<PractitionerPage>('/practitioners', { q, institutionId, pageSize: 20 }, signal)).items.map((p) => ({ value: p.id, label: p.name }))
            }
          />
          <DatePicker.RangePicker value={range} onChange={(v) => setRange(v as [Dayjs | null, Dayjs | null] | null)} />
        </Space>
      }
    >
      <ScopedTable<Finding>
        columns={columns}
        rowKey="id"
        deps={[category, institutionId, practitionerId, from, to]}
        reloadKey={reloadKey}
        load={(page, pageSize, signal) =>
          api.get<Page<Finding>>('/compliance/findings', { category, institutionId, practitionerId, from, to, page, pageSize }, signal)
        }
        emptyText="没有命中的病例"
      />
      <CaseDrawer id={open} onClose={() => setOpen(null)} />
      <CreateDisposalModal
        open={creating}
        findingIds={selected}
        onClose={() => setCreating(false)}
        onCreated={() => {
          setCreating(false);
          setSelected([]);
          setReloadKey((k) => k + 1);
        }}
      />
    </Card>
  );
}
