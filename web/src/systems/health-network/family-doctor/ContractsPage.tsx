import { PlusOutlined, SwapOutlined } from '@ant-design/icons';
import { App, Button, Card, Checkbox, Col, Input, Row, Select, Space, Statistic, Tabs, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useAccess } from '../../../app/access';
import { api } from '../../../app/api';
import { useDistrictFilter } from '../../../app/district-filter';
import { fmtDate } from '../../../app/format';
import { ScopedTable } from '../../../components/ScopedTable';
import { ContractDrawer } from './ContractDrawer';
import { DeathChecks } from './DeathChecks';
import { TransferInbox } from './TransferInbox';
import { TransferRequestModal } from './TransferRequestModal';
import { SignDrawer } from './SignDrawer';
import { TAG_OPTIONS } from '../key-populations/tags';
import { COLOUR, CHANNEL, type Colour, type Contract, type ContractPage } from './types';

/**
 * 签约管理: contracts by status colour with header statistics, filters, signing, the contract drawer and
 * 发起转签 on selected rows; the 转签 tab (accept / reject, history of both sides) and the 死亡核实 tab.
 */
export function ContractsPage() {
  const access = useAccess();
  const { message } = App.useApp();
  // A notification opens a tab directly (e.g. ?tab=deaths from a death report).
  const [tab, setTab] = useState(() => new URLSearchParams(window.location.search).get('tab') ?? 'contracts');
  const [selected, setSelected] = useState<Map<number, Contract>>(new Map());
  const [transferOpen, setTransferOpen] = useState(false);
  const toggle = (c: Contract, on: boolean) =>
    setSelected((m) => {
      const n = new Map(m);
      if (on) n.set(c.id, c);
      else n.delete(c.id);
      return n;
    });
  const { district, setDistrict, fixed, districts, districtName } = useDistrictFilter();
  const [colour, setColour] = useState<Colour | undefined>();
  const [status, setStatus] = useState<'active' | 'terminated'>('active');
  const [idNumber, setIdNumber] = useState<string>();
  const [tag, setTag] = useState<string>();
  const [counts, setCounts] = useState<Record<Colour, number> | null>(null);
  const [openId, setOpenId] = useState<number | null>(null);
  const [signOpen, setSignOpen] = useState(false);
  const [reloadKey, setReloadKey] = useState(0);
  const reload = () => setReloadKey((k) => k + 1);

  const canTransfer = access.can('family-doctor.sign') && status === 'active';
  const columns: ColumnsType<Contract> = [
    ...(canTransfer
      ? [
          {
            title: '选择',
            key: 'sel',
            width: 56,
            render: (_: unknown, c: Contract) => (
              <Checkbox checked={selected.has(c.id)} onChange={(e) => toggle(c, e.target.checked)} aria-label={`选择 ${c.personName ?? c.personId}`} />
            ),
          },
        ]
      : []),
    {
      title: '状态',
      key: 'colour',
      render: (_, c) =>
        c.colour ? (
          <Tag color={COLOUR[c.colour].color}>
            {COLOUR[c.colour].text}·{COLOUR[c.colour].hint}
          </Tag>
        ) : (
          <Tag>已解约</Tag>
        ),
    },
    {
      title: '居民',
      dataIndex: 'personName',
      render: (v: string | null, c) => <Typography.Link onClick={() => setOpenId(c.id)}>{v ?? `居民 ${c.personId}`}</Typography.Link>,
    },
    { title: '身份证号', dataIndex: 'idNumberMasked', render: (v: string | null) => <span className="wj-mono">{v ?? '—'}</span> },
    { title: '年龄', dataIndex: 'age', render: (v: number | null) => v ?? '—' },
    { title: '签约机构', dataIndex: 'institutionName' },
    { title: '家庭医生', key: 'doctor', render: (_, c) => `${c.doctorName ?? c.doctorId}${c.teamName ? `（${c.teamName}）` : ''}` },
    { title: '区级 / 市级医院', key: 'hosp', render: (_, c) => `${c.districtHospitalName ?? '—'} / ${c.cityHospitalName ?? '—'}` },
    { title: '签约周期', key: 'cycle', render: (_, c) => `${fmtDate(c.cycleStart)} 至 ${fmtDate(c.cycleEnd)}` },
    { title: '渠道', dataIndex: 'channel', render: (v: string) => CHANNEL[v] ?? v },
    { title: '标签', dataIndex: 'tags', render: (v: string[]) => v.map((t) => <Tag key={t}>{t}</Tag>) },
    { title: '区', dataIndex: 'districtCode', render: (v: string) => districtName(v) },
    {
      title: '操作',
      key: 'op',
      render: (_, c) => (
        <Button type="link" size="small" onClick={() => setOpenId(c.id)}>
          详情 / 办理
        </Button>
      ),
    },
  ];

  const stat = (c: Colour) => (
    <Col xs={8} key={c}>
      <Card
        size="small"
        hoverable
        onClick={() => setColour(colour === c ? undefined : c)}
        style={{ borderColor: colour === c ? COLOUR[c].color : undefined }}
        data-testid={`fd-count-${c}`}
      >
        <Statistic
          title={
            <Tag color={COLOUR[c].color}>
              {COLOUR[c].text}·{COLOUR[c].hint}
            </Tag>
          }
          value={counts?.[c] ?? '—'}
          suffix="人"
        />
      </Card>
    </Col>
  );

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      {status === 'active' && <Row gutter={16}>{(['green', 'yellow', 'red'] as const).map(stat)}</Row>}
      <Card
        title="签约管理"
        extra={
          access.can('family-doctor.sign') && (
            <Space>
              {tab === 'contracts' && canTransfer && (
                <Button icon={<SwapOutlined />} disabled={selected.size === 0} onClick={() => setTransferOpen(true)} data-testid="fd-transfer-button">
                  发起转签{selected.size ? `（${selected.size}）` : ''}
                </Button>
              )}
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setSignOpen(true)} data-testid="fd-sign-button">
                新签约
              </Button>
            </Space>
          )
        }
      >
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            { key: 'contracts', label: '签约居民' },
            { key: 'transfers', label: '转签' },
            { key: 'deaths', label: '死亡核实' },
          ]}
        />
        {tab === 'transfers' && <TransferInbox reloadKey={reloadKey} onChanged={reload} />}
        {tab === 'deaths' && <DeathChecks reloadKey={reloadKey} onChanged={reload} />}
        {tab === 'contracts' && (
          <>
            <Space wrap style={{ marginBottom: 12 }}>
              <Select
                value={status}
                onChange={setStatus}
                style={{ width: 120 }}
                options={[
                  { value: 'active', label: '在约' },
                  { value: 'terminated', label: '已解约' },
                ]}
              />
              <Select
                placeholder="全部颜色"
                allowClear
                value={colour}
                onChange={setColour}
                disabled={status !== 'active'}
                style={{ width: 140 }}
                options={(['green', 'yellow', 'red'] as const).map((c) => ({ value: c, label: `${COLOUR[c].text}（${COLOUR[c].hint}）` }))}
                data-testid="fd-colour"
              />
              <Select
                placeholder="全市"
                allowClear={!fixed}
                disabled={fixed}
                value={district}
                onChange={(v) => setDistrict(v)}
                style={{ width: 140 }}
                options={districts.map((d) => ({ value: d.code, label: d.name }))}
              />
              <Select placeholder="重点人群" allowClear value={tag} onChange={setTag} style={{ width: 200 }} options={TAG_OPTIONS} data-testid="fd-tag" />
              <Input.Search
                placeholder="居民身份证号"
                allowClear
                onSearch={(v) => setIdNumber(v.trim() || undefined)}
                style={{ width: 240 }}
                className="wj-mono"
              />
            </Space>
            <ScopedTable<Contract>
              rowKey="id"
              columns={columns}
              deps={[colour, status, district, idNumber, tag]}
              reloadKey={reloadKey}
              emptyText="没有符合条件的签约"
              onLoaded={(p) => setCounts((p as ContractPage).counts)}
              load={(page, pageSize, signal) =>
                api.get<ContractPage>(
                  '/family-doctor/contracts',
                  { colour: status === 'active' ? colour : undefined, status, district, idNumber, tag, page, pageSize },
                  signal,
                )
              }
            />
          </>
        )}
      </Card>
      {transferOpen && (
        <TransferRequestModal
          contracts={[...selected.values()]}
          onClose={() => setTransferOpen(false)}
          onDone={(r) => {
            setTransferOpen(false);
            setSelected(new Map());
            message.success(`已提交转签申请，等待 ${r.toDoctorName ?? '接收医生'} 处理`);
            setTab('transfers');
          }}
        />
      )}
      <SignDrawer
        open={signOpen}
        onClose={() => setSignOpen(false)}
        onSigned={(c) => {
          setSignOpen(false);
          reload();
          setOpenId(c.id);
        }}
      />
      <ContractDrawer
        id={openId}
        onClose={() => setOpenId(null)}
        onChanged={(id) => {
          reload();
          setOpenId(id);
        }}
      />
    </Space>
  );
}
