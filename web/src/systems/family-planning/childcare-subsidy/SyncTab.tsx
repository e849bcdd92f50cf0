import { Alert, App, Button, Card, Col, Row, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useAccess } from '../../../app/access';
import type {
  Application,
  ApplicationPage,
  Reconciliation,
  ReconciliationItem,
  ReconciliationItemPage,
  ReconciliationPage,
  SyncStatus,
} from '@server/systems/family-planning/childcare-subsidy/responses.ts';
import { api, errorText } from '../../../app/api';
import { useDistrictFilter } from '../../../app/district-filter';
import { fmtNumber, fmtTime } from '../../../app/format';
import { useApi } from '../../../app/use-api';
import { ScopedTable } from '../../../components/ScopedTable';

type SyncedApplication = Application;
type Mismatch = ReconciliationItem;
type Kind = ReconciliationItem['kind'];
const KIND_COLOR: Record<Kind, string> = { missing_theirs: 'red', missing_ours: 'orange', status_differs: 'gold' };
const STATUS_TEXT: Record<string, string> = {
  paid: '已发放',
  accepted: '已受理',
  rejected: '退回',
  received: '已接收',
  uploading: '上传中',
  not_uploaded: '未上传',
  manual_review: '人工审核中',
  sms_sent: '待家长确认',
};
const RUN_STATUS: Record<string, string> = { queued: '排队中', running: '进行中', succeeded: '已完成', failed: '失败' };

/** 国家系统同步与对账: upload and feedback status, the synced applications, reconciliation runs and the mismatch report. */
export function SyncTab() {
  const access = useAccess();
  const { message } = App.useApp();
  const { districtName } = useDistrictFilter();
  const [reload, setReload] = useState(0);
  const [national, setNational] = useState<string | undefined>();
  const [runId, setRunId] = useState<number | null>(null);
  const [kind, setKind] = useState<Kind | undefined>();
  const status = useApi((s) => api.get<SyncStatus>('/childcare-subsidy/sync/status', {}, s), [reload]);
  const runs = useApi((s) => api.get<ReconciliationPage>('/childcare-subsidy/reconciliations', { pageSize: 10 }, s), [reload]);
  const shownRun = runId ?? runs.data?.items.find((r) => r.status === 'succeeded')?.id ?? null;

  const post = async (url: string, done: string) => {
    try {
      await api.post(url, {});
      message.success(done);
      setTimeout(() => setReload((k) => k + 1), 1500);
    } catch (e) {
      message.error(errorText(e));
    }
  };

  const c = status.data?.counts;
  const appColumns: ColumnsType<SyncedApplication> = [
    { title: '申领编号', dataIndex: 'id' },
    { title: '儿童', dataIndex: 'childNameMasked' },
    { title: '所属区', dataIndex: 'districtCode', render: (d: string | null) => districtName(d) },
    { title: '上传时间', dataIndex: 'syncQueuedAt', render: fmtTime },
    {
      title: '国家系统状态',
      dataIndex: 'nationalStatusTitle',
      render: (v: string | null, a) => (
        <Tag color={a.nationalStatus === 'paid' ? 'green' : a.nationalStatus === 'rejected' ? 'red' : 'blue'}>{v ?? '待上传'}</Tag>
      ),
    },
    { title: '国家系统编号', dataIndex: 'nationalId', render: (v: string | null) => <span className="wj-mono">{v ?? '—'}</span> },
    { title: '退回原因', dataIndex: 'nationalReason', render: (v: string | null) => v ?? '—' },
  ];
  const runColumns: ColumnsType<Reconciliation> = [
    { title: '对账编号', dataIndex: 'id' },
    {
      title: '状态',
      dataIndex: 'status',
      render: (s: string, r) => (s === 'failed' ? <Typography.Text type="danger">失败：{r.error}</Typography.Text> : (RUN_STATUS[s] ?? s)),
    },
    {
      title: '本地 / 国家 / 一致',
      key: 'n',
      render: (_, r) => (r.ours === null ? '—' : `${fmtNumber(r.ours)} / ${fmtNumber(r.theirs)} / ${fmtNumber(r.matched)}`),
    },
    { title: '国家系统缺失', key: 'mt', render: (_, r) => fmtNumber(r.mismatches.missing_theirs) },
    { title: '本地缺失', key: 'mo', render: (_, r) => fmtNumber(r.mismatches.missing_ours) },
    { title: '状态不一致', key: 'sd', render: (_, r) => fmtNumber(r.mismatches.status_differs) },
    { title: '完成时间', dataIndex: 'finishedAt', render: fmtTime },
    {
      title: '',
      key: 'op',
      render: (_, r) =>
        r.status === 'succeeded' && (
          <Button size="small" type="link" onClick={() => setRunId(r.id)}>
            查看差异
          </Button>
        ),
    },
  ];
  const itemColumns: ColumnsType<Mismatch> = [
    { title: '申领编号', dataIndex: 'applicationId' },
    { title: '差异类型', dataIndex: 'kindTitle', render: (v: string, m) => <Tag color={KIND_COLOR[m.kind]}>{v}</Tag> },
    { title: '本地状态', dataIndex: 'oursStatus', render: (v: string | null) => (v ? (STATUS_TEXT[v] ?? v) : '—') },
    { title: '国家系统状态', dataIndex: 'theirsStatus', render: (v: string | null) => (v ? (STATUS_TEXT[v] ?? v) : '—') },
    { title: '国家系统说明', dataIndex: 'theirsReason', render: (v: string | null) => v ?? '—' },
    { title: '所属区', dataIndex: 'districtCode', render: (d: string | null) => districtName(d) || '—' },
  ];

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title="与国家育儿补贴信息管理系统同步"
        extra={
          access.can('childcare-subsidy.sync.manage') && (
            <Button type="primary" onClick={() => post('/childcare-subsidy/sync', '已提交同步任务，稍后刷新查看')}>
              立即同步
            </Button>
          )
        }
      >
        {c && (
          <Row gutter={16}>
            <Col span={3}>
              <Statistic title="审批通过" value={fmtNumber(c.approved)} />
            </Col>
            <Col span={3}>
              <Statistic title="待上传" value={fmtNumber(c.not_queued)} />
            </Col>
            <Col span={3}>
              <Statistic title="已上传待反馈" value={fmtNumber(c.uploading)} />
            </Col>
            <Col span={3}>
              <Statistic title="国家已受理" value={fmtNumber(c.accepted)} />
            </Col>
            <Col span={3}>
              <Statistic title="已发放" value={fmtNumber(c.paid)} />
            </Col>
            <Col span={3}>
              <Statistic title="国家退回" value={fmtNumber(c.rejected)} valueStyle={c.rejected ? { color: '#cf1322' } : undefined} />
            </Col>
            <Col span={3}>
              <Statistic title="上传失败" value={fmtNumber(c.upload_failed)} valueStyle={c.upload_failed ? { color: '#cf1322' } : undefined} />
            </Col>
            <Col span={5}>
              <Statistic
                title="反馈读取至"
                value={`#${status.data?.feedback.lastSeq ?? 0}`}
                suffix={
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {fmtTime(status.data?.feedback.polledAt ?? null)}
                  </Typography.Text>
                }
              />
            </Col>
          </Row>
        )}
        {status.data?.feedback.lastError && (
          <Alert style={{ marginTop: 12 }} type="warning" message={`最近一次读取国家系统反馈失败：${status.data.feedback.lastError}`} />
        )}
        <Space style={{ margin: '16px 0 8px' }}>
          <span>国家系统状态</span>
          <Select
            style={{ width: 180 }}
            allowClear
            placeholder="全部已上传"
            value={national}
            onChange={setNational}
            options={[
              { value: 'pending', label: '已上传待反馈' },
              { value: 'accepted', label: '已受理' },
              { value: 'paid', label: '已发放' },
              { value: 'rejected', label: '国家退回' },
            ]}
          />
        </Space>
        <ScopedTable<SyncedApplication>
          rowKey="id"
          columns={appColumns}
          deps={[national]}
          reloadKey={reload}
          load={(page, pageSize, signal) =>
            api.get<ApplicationPage>('/childcare-subsidy/applications', { page, pageSize, status: 'approved', national }, signal)
          }
          emptyText="暂无审批通过的申领"
        />
      </Card>

      <Card
        title="对账（本地与国家系统）"
        extra={
          access.can('childcare-subsidy.sync.manage') && (
            <Button onClick={() => post('/childcare-subsidy/reconciliations', '已发起对账，完成后刷新查看')}>发起对账</Button>
          )
        }
      >
        <Table<Reconciliation>
          size="small"
          rowKey="id"
          columns={runColumns}
          dataSource={runs.data?.items ?? []}
          loading={runs.loading}
          pagination={false}
          locale={{ emptyText: '尚未对账' }}
        />
        {shownRun !== null && (
          <>
            <Space style={{ margin: '16px 0 8px' }}>
              <Typography.Text strong>对账 #{shownRun} 差异报告</Typography.Text>
              <Select
                style={{ width: 160 }}
                allowClear
                placeholder="全部差异"
                value={kind}
                onChange={setKind}
                options={[
                  { value: 'missing_theirs', label: '国家系统缺失' },
                  { value: 'missing_ours', label: '本地缺失' },
                  { value: 'status_differs', label: '状态不一致' },
                ]}
              />
            </Space>
            <ScopedTable<Mismatch>
              rowKey={(m) => `${m.kind}-${m.applicationId}`}
              columns={itemColumns}
              deps={[shownRun, kind]}
              reloadKey={reload}
              load={(page, pageSize, signal) =>
                api.get<ReconciliationItemPage>(`/childcare-subsidy/reconciliations/${shownRun}/items`, { page, pageSize, kind }, signal)
              }
              emptyText="本次对账无差异"
            />
          </>
        )}
      </Card>
    </Space>
  );
}
