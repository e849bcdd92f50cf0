import { PlayCircleOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { App, Button, Card, Col, Row, Select, Space, Statistic, Switch, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, errorText } from '../../../app/api';
import { useAccess } from '../../../app/access';
import { fmtTime } from '../../../app/format';
import type { Page } from '../../../app/types';
import { useApi } from '../../../app/use-api';
import { DownloadButton } from '../../../components/DownloadButton';
import { ScopedTable } from '../../../components/ScopedTable';
import { CorrectModal } from './CorrectModal';
import { RuleModal } from './RuleModal';
import type { Anomaly, DqRule, Summary } from './types';
import type { DqRuleList } from '@server/systems/hospital-monitoring/data-quality/responses.ts';

const KINDS = [
  { value: 'completeness', label: '完整性' },
  { value: 'format', label: '规范性（格式）' },
  { value: 'logic', label: '逻辑性' },
  { value: 'reference', label: '关联性（引用）' },
];
const STATUS = [
  { value: 'open', label: '待整改' },
  { value: 'fixed', label: '已修正待复核' },
  { value: 'closed', label: '已消除' },
];
const STATUS_COLOR: Record<string, string> = { open: 'red', fixed: 'orange', closed: 'green' };

/** 多源数据自检与校验: overview and report, the problem list with the correction screen, and the rules. */
export function DataQualityPage() {
  const { message } = App.useApp();
  const access = useAccess();
  const canManage = access.can('data-quality.manage') && access.isCityLevel;
  const canCorrect = access.can('data-quality.correct');
  const [reloadKey, setReloadKey] = useState(0);
  const [kind, setKind] = useState<string>();
  const [status, setStatus] = useState<string | undefined>('open');
  const [opened, setOpened] = useState<number | null>(null);
  const [creating, setCreating] = useState(false);
  const summary = useApi((s) => api.get<Summary>('/data-quality/summary', undefined, s), [reloadKey]);
  const rules = useApi((s) => api.get<DqRuleList>('/data-quality/rules', undefined, s), [reloadKey]);
  const reload = () => setReloadKey((k) => k + 1);
  const act = async (fn: () => Promise<unknown>, ok: string) => {
    try {
      await fn();
      message.success(ok);
      reload();
    } catch (e) {
      message.error(errorText(e));
    }
  };
  const s = summary.data;

  const overview = (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Row gutter={16}>
        <Col span={6}>
          <Card size="small">
            <Statistic title="待整改问题" value={s?.totals.open ?? 0} styles={{ content: { color: '#cf1322' } }} />
          </Card>
        </Col>
        <Col span={6}>
          <Card size="small">
            <Statistic title="已修正待复核" value={s?.totals.fixed ?? 0} />
          </Card>
        </Col>
        <Col span={6}>
          <Card size="small">
            <Statistic title="已消除" value={s?.totals.closed ?? 0} />
          </Card>
        </Col>
        <Col span={6}>
          <Card size="small">
            <Statistic
              title="最近一次检查"
              value={s?.lastCheck?.finished_at ? fmtTime(s.lastCheck.finished_at) : '尚未检查'}
              styles={{ content: { fontSize: 16 } }}
            />
          </Card>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col xs={24} lg={10}>
          <Card size="small" title="按问题类别">
            <Table
              size="small"
              rowKey="kind"
              pagination={false}
              dataSource={s?.byKind ?? []}
              columns={[
                { title: '类别', dataIndex: 'title' },
                { title: '待整改', dataIndex: 'open' },
                { title: '已修正', dataIndex: 'fixed' },
                { title: '已消除', dataIndex: 'closed' },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          <Card size="small" title="按机构（待整改多的在前）">
            <Table
              size="small"
              rowKey="institutionId"
              pagination={{ pageSize: 8, hideOnSinglePage: true }}
              dataSource={s?.byInstitution ?? []}
              columns={[
                { title: '机构', dataIndex: 'institutionName' },
                { title: '待整改', dataIndex: 'open' },
                { title: '已修正', dataIndex: 'fixed' },
                { title: '已消除', dataIndex: 'closed' },
              ]}
            />
          </Card>
        </Col>
      </Row>
      <Card size="small" title="问题与整改建议（按规则）">
        <Table
          size="small"
          rowKey="ruleId"
          pagination={false}
          dataSource={s?.byRule ?? []}
          columns={[
            { title: '类别', dataIndex: 'kindTitle', render: (v: string) => <Tag color="blue">{v}</Tag> },
            { title: '问题', dataIndex: 'title' },
            { title: '待整改', dataIndex: 'open' },
            { title: '整改建议', dataIndex: 'suggestion', render: (v: string) => <Typography.Text type="secondary">{v}</Typography.Text> },
          ]}
        />
      </Card>
    </Space>
  );

  const problems = (
    <ScopedTable<Anomaly>
      rowKey="id"
      deps={[kind, status]}
      reloadKey={reloadKey}
      emptyText="没有符合条件的问题"
      load={(page, pageSize, signal) => api.get<Page<Anomaly>>('/data-quality/anomalies', { kind, status, page, pageSize }, signal)}
      columns={[
        { title: '编号', dataIndex: 'id', width: 80 },
        { title: '机构', dataIndex: 'institutionName' },
        { title: '类别', dataIndex: 'kindTitle', render: (v: string) => <Tag color="blue">{v}</Tag> },
        { title: '问题', dataIndex: 'ruleTitle' },
        { title: '记录', key: 'rec', render: (_, a) => `${a.sourceTitle} ${a.objectKey}` },
        { title: '字段', dataIndex: 'fieldTitle' },
        { title: '当前值', dataIndex: 'currentValue', render: (v: string | null) => <Typography.Text code>{v ?? '（空）'}</Typography.Text> },
        { title: '建议值', dataIndex: 'suggestedValue', render: (v: string | null) => v ?? '—' },
        { title: '状态', dataIndex: 'status', render: (v: string, a) => <Tag color={STATUS_COLOR[v]}>{a.statusTitle}</Tag> },
        {
          title: '操作',
          key: 'op',
          render: (_, a) => (
            <Button type="link" size="small" onClick={() => setOpened(a.id)} data-testid={`dq-open-${a.id}`}>
              {canCorrect && a.status === 'open' ? '修正' : '查看'}
            </Button>
          ),
        },
      ]}
    />
  );

  const ruleList = (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {canManage && (
        <Button icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="dq-rule-new">
          新建规则
        </Button>
      )}
      <Table<DqRule>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={rules.data?.items ?? []}
        columns={[
          { title: '类别', dataIndex: 'kindTitle', render: (v: string) => <Tag color="blue">{v}</Tag> },
          {
            title: '名称',
            dataIndex: 'title',
            render: (v: string, r) => (
              <Space>
                {v}
                {r.builtin && <Tag>内置</Tag>}
              </Space>
            ),
          },
          { title: '规则内容', dataIndex: 'sentence', render: (v: string) => <Typography.Text type="secondary">{v}</Typography.Text> },
          { title: '严重程度', dataIndex: 'severityTitle' },
          {
            title: '启用',
            dataIndex: 'enabled',
            render: (v: boolean, r) => (
              <Switch
                aria-label={`启用规则：${r.title}`}
                checked={v}
                disabled={!canManage}
                onChange={(on) => act(() => api.post(`/data-quality/rules/${r.id}/${on ? 'enable' : 'disable'}`), on ? '已启用' : '已停用')}
              />
            ),
          },
        ]}
      />
    </Space>
  );

  return (
    <Card
      title="多源数据自检与校验"
      extra={
        <Space wrap>
          <DownloadButton url="/api/v1/data-quality/report.pdf" filename="数据质量报告.pdf">
            质量报告 PDF
          </DownloadButton>
          <DownloadButton url="/api/v1/data-quality/report.xlsx" filename="数据质量报告.xlsx">
            质量报告 Excel
          </DownloadButton>
          {canManage && (
            <Button
              type="primary"
              icon={<PlayCircleOutlined />}
              onClick={() => act(() => api.post('/data-quality/checks'), '已提交检查，稍后刷新查看结果')}
              data-testid="dq-check"
            >
              立即检查
            </Button>
          )}
          <Button icon={<ReloadOutlined />} onClick={reload}>
            刷新
          </Button>
        </Space>
      }
    >
      <Tabs
        items={[
          { key: 'overview', label: '质量概览', children: overview },
          {
            key: 'problems',
            label: '问题清单与修正',
            children: (
              <Space orientation="vertical" style={{ width: '100%' }}>
                <Space wrap>
                  <Select aria-label="问题类别" placeholder="全部类别" allowClear style={{ width: 180 }} value={kind} onChange={setKind} options={KINDS} />
                  <Select aria-label="状态" placeholder="全部状态" allowClear style={{ width: 160 }} value={status} onChange={setStatus} options={STATUS} />
                </Space>
                <div data-testid="dq-problems">{problems}</div>
              </Space>
            ),
          },
          { key: 'rules', label: '校验规则', children: ruleList },
        ]}
      />
      <RuleModal
        open={creating}
        onClose={() => setCreating(false)}
        onSaved={() => {
          setCreating(false);
          reload();
        }}
      />
      <CorrectModal
        id={opened}
        canCorrect={canCorrect}
        onClose={() => setOpened(null)}
        onDone={() => {
          setOpened(null);
          reload();
        }}
      />
    </Card>
  );
}
