import type { InstitutionPage } from '@server/systems/common/master-data/responses.ts';
import { Button, Card, Select, Space, Statistic, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { api } from '../../../app/api';
import { useDistrictFilter } from '../../../app/district-filter';
import type { Page } from '../../../app/types';
import { useApi } from '../../../app/use-api';
import { RemoteSelect } from '../../../components/RemoteSelect';
import { ScopedTable } from '../../../components/ScopedTable';
import { ErrorAlert } from '../../../components/page-states';
import { DisposalDrawer } from './DisposalDrawer';
import { DISPOSAL_STATUS_COLOR, type Disposal, type DisposalBoard, type DisposalStatus } from './types';

const STATUS_OPTIONS: { value: DisposalStatus; label: string }[] = [
  { value: 'draft', label: '草稿' },
  { value: 'dispatched', label: '已下发' },
  { value: 'explained', label: '已说明' },
  { value: 'evaluated', label: '已评价' },
  { value: 'closed', label: '已归档' },
];

/** 处置单管理: the status board (orders per state, overdue in red) and the orders; a drawer per order. */
export function DisposalsPage() {
  const { district, districtName } = useDistrictFilter();
  const [institutionId, setInstitutionId] = useState<number>();
  const [status, setStatus] = useState<DisposalStatus>();
  const [overdue, setOverdue] = useState<boolean>();
  const [open, setOpen] = useState<number | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  const board = useApi(
    (s) => api.get<DisposalBoard>('/compliance/disposals/board', { institutionId, districtCode: district }, s),
    [institutionId, district, reloadKey],
  );

  const columns: ColumnsType<Disposal> = [
    { title: '编号', dataIndex: 'id', width: 80 },
    { title: '标题', dataIndex: 'title' },
    { title: '机构', dataIndex: 'institution' },
    { title: '区', dataIndex: 'districtCode', render: (v: string) => districtName(v) },
    { title: '病例数', dataIndex: 'findingCount', align: 'right', width: 80 },
    { title: '状态', dataIndex: 'status', render: (v: DisposalStatus, r) => <Tag color={DISPOSAL_STATUS_COLOR[v]}>{r.statusTitle}</Tag> },
    {
      title: '处置期限',
      dataIndex: 'dueOn',
      render: (v: string, r) => (r.overdue ? <Typography.Text type="danger">{v}（已逾期）</Typography.Text> : v),
    },
    {
      title: '操作',
      key: 'op',
      render: (_, r) => (
        <Button type="link" size="small" onClick={() => setOpen(r.id)}>
          详情
        </Button>
      ),
    },
  ];

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card title="处置单状态看板">
        {board.error ? <ErrorAlert error={board.error} /> : null}
        <Space size={32} wrap>
          {board.data?.states.map((s) => (
            <Space
              key={s.status}
              orientation="vertical"
              size={4}
              style={{ cursor: 'pointer' }}
              onClick={() => {
                setStatus(s.status);
                setOverdue(undefined);
              }}
            >
              <Tag color={DISPOSAL_STATUS_COLOR[s.status]}>{s.title}</Tag>
              <Statistic value={s.count} />
              {s.overdue > 0 && <Typography.Text type="danger">逾期 {s.overdue}</Typography.Text>}
            </Space>
          ))}
          {board.data && (
            <Space
              orientation="vertical"
              size={4}
              style={{ cursor: 'pointer' }}
              onClick={() => {
                setOverdue(true);
                setStatus(undefined);
              }}
            >
              <Tag color="error">逾期合计</Tag>
              <Statistic value={board.data.overdue} valueStyle={{ color: board.data.overdue > 0 ? '#cf1322' : undefined }} />
            </Space>
          )}
        </Space>
      </Card>
      <Card
        title="处置单"
        extra={
          <Space wrap>
            <RemoteSelect
              placeholder="全部机构"
              style={{ width: 220 }}
              value={institutionId}
              onChange={(v) => setInstitutionId(v === undefined ? undefined : Number(v))}
              fetch={async (q, signal) =>
                (await api.get<InstitutionPage>('/institutions', { q, pageSize: 20 }, signal)).items.map((i) => ({ value: i.id, label: i.name }))
              }
            />
            <Select allowClear placeholder="全部状态" style={{ width: 120 }} value={status} onChange={setStatus} options={STATUS_OPTIONS} />
            <Select
              allowClear
              placeholder="是否逾期"
              style={{ width: 120 }}
              value={overdue === undefined ? undefined : String(overdue)}
              onChange={(v?: string) => setOverdue(v === undefined ? undefined : v === 'true')}
              options={[
                { value: 'true', label: '已逾期' },
                { value: 'false', label: '未逾期' },
              ]}
            />
          </Space>
        }
      >
        <ScopedTable<Disposal>
          columns={columns}
          rowKey="id"
          deps={[institutionId, district, status, overdue]}
          reloadKey={reloadKey}
          load={(page, pageSize, signal) =>
            api.get<Page<Disposal>>('/compliance/disposals', { institutionId, districtCode: district, status, overdue, page, pageSize }, signal)
          }
          emptyText="暂无处置单。可在合规监测总览的病例列表中勾选病例生成处置单。"
        />
      </Card>
      <DisposalDrawer id={open} onClose={() => setOpen(null)} onChanged={() => setReloadKey((k) => k + 1)} />
    </Space>
  );
}
