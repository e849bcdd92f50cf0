import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useAccess } from '../../../app/access';
import type {
  Candidate,
  CandidatePage,
  LatestScreening,
  ScreeningQueued,
  SubsidyPolicy as Policy,
} from '@server/systems/family-planning/childcare-subsidy/responses.ts';
import type { BirthOrderAnswer as BirthOrder } from '@server/systems/family-planning/birth-verification/responses.ts';
import { api, errorText } from '../../../app/api';
import { useDistrictFilter } from '../../../app/district-filter';
import { fmtDate, fmtNumber, fmtTime } from '../../../app/format';
import { useApi } from '../../../app/use-api';
import { ScopedTable } from '../../../components/ScopedTable';
import { ApplicationsCard } from './ApplicationsCard';
import { MonitorTab } from './MonitorTab';
import { SyncTab } from './SyncTab';

const TABS = [
  { key: 'screening', label: '筛选与申领' },
  { key: 'sync', label: '国家系统同步与对账' },
  { key: 'monitor', label: '全过程监控' },
];

/** 育儿补贴免申即享: screening and applications, sync with the national system, whole-process monitoring (?tab=…). */
export function ChildcareSubsidyPage() {
  const [params, setParams] = useSearchParams();
  const tab = TABS.some((x) => x.key === params.get('tab')) ? (params.get('tab') as string) : 'screening';
  return (
    <Tabs
      activeKey={tab}
      onChange={(k) => setParams(k === 'screening' ? {} : { tab: k }, { replace: true })}
      destroyInactiveTabPane
      items={TABS.map((x) => ({ ...x, children: x.key === 'screening' ? <ScreeningTab /> : x.key === 'sync' ? <SyncTab /> : <MonitorTab /> }))}
    />
  );
}

/** Policy parameters, screening versions with counts, the candidate list, applications and a 孩次 look-up. */
function ScreeningTab() {
  const access = useAccess();
  const { message } = App.useApp();
  const { districtName } = useDistrictFilter();
  const [reload, setReload] = useState(0);
  const [filter, setFilter] = useState<{ eligible?: boolean; reason?: string }>({});
  const policy = useApi((s) => api.get<Policy>('/childcare-subsidy/policy', {}, s), [reload]);
  const latest = useApi((s) => api.get<LatestScreening>('/childcare-subsidy/screenings/latest', {}, s), [reload]);
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [order, setOrder] = useState<BirthOrder | null>(null);
  const [orderErr, setOrderErr] = useState<string | null>(null);

  const reasons = latest.data?.reasons ?? {};
  const run = latest.data?.run ?? null;

  const savePolicy = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      await api.put('/childcare-subsidy/policy', { startDate: v.startDate.format('YYYY-MM-DD'), maxAgeYears: v.maxAgeYears });
      message.success('政策参数已保存，下次筛选将全量执行');
      setReload((k) => k + 1);
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const screenNow = async () => {
    try {
      const r = await api.post<ScreeningQueued>('/childcare-subsidy/screenings', { mode: 'incremental' });
      message.success(`已提交筛选批次 #${r.runId}，完成后刷新查看`);
    } catch (e) {
      message.error(errorText(e));
    }
  };
  const lookup = async (idNumber: string) => {
    setOrder(null);
    setOrderErr(null);
    try {
      setOrder(await api.get<BirthOrder>('/family-planning/birth-order', { idNumber: idNumber.trim() }));
    } catch (e) {
      setOrderErr(errorText(e));
    }
  };

  const columns: ColumnsType<Candidate> = [
    { title: '姓名', dataIndex: 'nameMasked' },
    { title: '证件号码', dataIndex: 'idNumberMasked', render: (v: string | null) => <span className="wj-mono">{v ?? '—'}</span> },
    { title: '出生日期', dataIndex: 'birthDate', render: fmtDate },
    { title: '所属区', dataIndex: 'districtCode', render: (d: string | null) => districtName(d) },
    { title: '孩次', dataIndex: 'birthOrder', render: (v: number | null) => v ?? '—' },
    {
      title: '筛选结果',
      key: 'result',
      render: (_, c) =>
        c.eligible ? (
          <Tag color="green">符合条件</Tag>
        ) : (
          <Space size={[4, 4]} wrap>
            {c.reasons.map((r) => (
              <Tag key={r}>{reasons[r] ?? r}</Tag>
            ))}
          </Space>
        ),
    },
    {
      title: '信息预填',
      key: 'prefill',
      render: (_, c) =>
        !c.eligible ? (
          '—'
        ) : c.prefillComplete ? (
          <Tag color="blue">完整</Tag>
        ) : (
          <Typography.Text type="warning">{c.prefillMissing.map((m) => m.reason).join('；')}</Typography.Text>
        ),
    },
  ];

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title="政策参数与筛选规则"
        extra={
          access.can('childcare-subsidy.screen') && (
            <Button type="primary" onClick={screenNow}>
              立即筛选
            </Button>
          )
        }
      >
        {policy.data && (
          <Form
            form={form}
            layout="inline"
            initialValues={{ startDate: dayjs(policy.data.startDate), maxAgeYears: policy.data.maxAgeYears }}
            key={policy.data.version}
          >
            <Form.Item name="startDate" label="政策起始日期（此日及以后出生）" rules={[{ required: true, message: '请选择日期' }]}>
              <DatePicker disabled={!access.can('childcare-subsidy.policy.manage')} />
            </Form.Item>
            <Form.Item name="maxAgeYears" label="年龄上限（周岁）" rules={[{ required: true, message: '请输入年龄上限' }]}>
              <InputNumber min={1} max={6} disabled={!access.can('childcare-subsidy.policy.manage')} />
            </Form.Item>
            {access.can('childcare-subsidy.policy.manage') && (
              <Button onClick={savePolicy} loading={busy}>
                保存参数
              </Button>
            )}
          </Form>
        )}
        {policy.data && (
          <Alert
            style={{ marginTop: 12 }}
            type="info"
            message={`筛选规则：${policy.data.ruleText}`}
            description={`参数版本 ${policy.data.version}，${policy.data.updatedBy ?? '系统'} 于 ${fmtTime(policy.data.updatedAt)} 修改`}
          />
        )}
      </Card>

      <Card title={run ? `最新筛选结果：第 ${run.id} 版（${run.mode === 'full' ? '全量' : '增量'}，基准日 ${fmtDate(run.asOf)}）` : '最新筛选结果'}>
        {!run?.counts ? (
          <Alert type="warning" message="尚无筛选结果，请点击“立即筛选”。" />
        ) : (
          <>
            <Row gutter={16}>
              <Col span={4}>
                <Statistic title="筛查儿童" value={fmtNumber(run.counts.total)} />
              </Col>
              <Col span={4}>
                <Statistic title="符合条件" value={fmtNumber(run.counts.eligible)} />
              </Col>
              <Col span={4}>
                <Statistic title="排除" value={fmtNumber(run.counts.excluded)} />
              </Col>
              <Col span={4}>
                <Statistic title="预填完整" value={fmtNumber(run.counts.prefillComplete)} />
              </Col>
              <Col span={4}>
                <Statistic title="预填不完整" value={fmtNumber(run.counts.prefillIncomplete)} />
              </Col>
              <Col span={4}>
                <Statistic title="本次判定 / 沿用" value={`${fmtNumber(run.judged)} / ${fmtNumber(run.carried)}`} />
              </Col>
            </Row>
            <Descriptions size="small" style={{ marginTop: 12 }} column={3} title="排除原因">
              {Object.entries(run.counts.byReason).map(([r, n]) => (
                <Descriptions.Item key={r} label={reasons[r] ?? r}>
                  {fmtNumber(n)}
                </Descriptions.Item>
              ))}
            </Descriptions>
          </>
        )}
      </Card>

      {run && (
        <Card
          title="筛选名单"
          extra={
            <Space>
              <Select
                style={{ width: 140 }}
                allowClear
                placeholder="筛选结果"
                options={[
                  { value: 'yes', label: '符合条件' },
                  { value: 'no', label: '排除' },
                ]}
                onChange={(v) => setFilter((f) => ({ ...f, eligible: v === undefined ? undefined : v === 'yes' }))}
              />
              <Select
                style={{ width: 200 }}
                allowClear
                placeholder="排除原因"
                options={Object.entries(reasons).map(([value, label]) => ({ value, label }))}
                onChange={(v) => setFilter((f) => ({ ...f, reason: v }))}
              />
            </Space>
          }
        >
          <ScopedTable<Candidate>
            rowKey="childPersonId"
            columns={columns}
            deps={[run.id, filter.eligible, filter.reason]}
            reloadKey={reload}
            load={(page, pageSize, signal) =>
              api.get<CandidatePage>(
                `/childcare-subsidy/screenings/${run.id}/candidates`,
                { page, pageSize, eligible: filter.eligible, reason: filter.reason },
                signal,
              )
            }
            emptyText="本版本中没有符合条件的儿童"
          />
        </Card>
      )}

      {run && <ApplicationsCard />}

      {access.can('birth-verification.birth-order.read') && (
        <Card title="孩次查询">
          <Input.Search placeholder="儿童身份证号码" enterButton="查询" maxLength={18} style={{ maxWidth: 360 }} onSearch={lookup} />
          {orderErr && <Alert style={{ marginTop: 12 }} type="error" message={orderErr} />}
          {order && (
            <div style={{ marginTop: 12 }}>
              <Alert
                type={order.needsReview ? 'warning' : 'success'}
                message={`${order.child.nameMasked}（${order.child.idNumberMasked ?? '—'}）：第 ${order.birthOrder} 孩，共 ${order.totalChildren} 名子女${order.needsReview ? '，需人工核定' : ''}`}
                description={order.explanation}
              />
              {order.conflicts.length > 0 && (
                <ul>
                  {order.conflicts.map((c) => (
                    <li key={c.kind}>{c.message}</li>
                  ))}
                </ul>
              )}
              <Table
                size="small"
                style={{ marginTop: 12 }}
                pagination={false}
                rowKey={(r) => `${r.sourceTitle}-${r.certificateNo}`}
                dataSource={order.sources}
                columns={[
                  { title: '来源', dataIndex: 'sourceTitle' },
                  { title: '出生医学证明编号', dataIndex: 'certificateNo', render: (v: string) => <span className="wj-mono">{v}</span> },
                  { title: '来源申报孩次', dataIndex: 'claimedBirthOrder', render: (v: number | null) => v ?? '—' },
                ]}
              />
              <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
                孩次按父母双方全部子女的出生日期排序（含前次婚姻所生），同日出生按出生医学证明编号排序。
              </Typography.Paragraph>
            </div>
          )}
        </Card>
      )}
    </Space>
  );
}
