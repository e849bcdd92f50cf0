import { PlayCircleOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { App, Button, Card, Modal, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { api, errorText } from '../../../app/api';
import { fmtTime } from '../../../app/format';
import type { Page } from '../../../app/types';
import { useApi } from '../../../app/use-api';
import { ScopedTable } from '../../../components/ScopedTable';
import { RuleBuilderModal } from './RuleBuilderModal';
import { type BuilderCatalog, type ComplianceRule, type ComplianceRun, SOURCE_TITLE } from './types';

const RUN_STATUS: Record<ComplianceRun['status'], [string, string]> = {
  queued: ['排队中', 'default'],
  running: ['运行中', 'processing'],
  succeeded: ['成功', 'success'],
  failed: ['部分失败', 'error'],
};

/** 规则管理: rules with their Chinese sentence, enable/disable, run now, a simple builder, and run history. */
export function RulesPage() {
  const { message } = App.useApp();
  const [category, setCategory] = useState<string>();
  const [reloadKey, setReloadKey] = useState(0);
  const [building, setBuilding] = useState(false);
  const [sql, setSql] = useState<ComplianceRule | null>(null);
  const catalog = useApi((s) => api.get<BuilderCatalog>('/compliance/catalog', undefined, s), []);
  const runs = useApi((s) => api.get<Page<ComplianceRun>>('/compliance/runs', { pageSize: 10 }, s), [reloadKey]);
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
  const runNow = (ruleIds?: number[]) =>
    act(() => api.post('/compliance/runs', ruleIds ? { ruleIds, mode: 'full' } : { mode: 'full' }), '已提交运行，稍后刷新查看结果');
  const showSql = async (r: ComplianceRule) => {
    try {
      setSql(await api.get<ComplianceRule>(`/compliance/rules/${r.id}`));
    } catch (e) {
      message.error(errorText(e));
    }
  };

  const columns: ColumnsType<ComplianceRule> = [
    { title: '类别', dataIndex: 'categoryTitle', render: (v: string) => <Tag color="blue">{v}</Tag> },
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
    {
      title: '规则内容',
      dataIndex: 'sentence',
      width: 420,
      render: (v: string, r) => (
        <Typography.Text type="secondary">
          【{SOURCE_TITLE[r.source] ?? r.source}】{v}
        </Typography.Text>
      ),
    },
    { title: '版本', dataIndex: 'version', render: (v: number) => `v${v}` },
    {
      title: '启用',
      dataIndex: 'enabled',
      render: (v: boolean, r) => (
        <Switch
          aria-label={`启用规则：${r.title}`}
          checked={v}
          onChange={(on) => act(() => api.post(`/compliance/rules/${r.id}/${on ? 'enable' : 'disable'}`), on ? '已启用' : '已停用')}
        />
      ),
    },
    {
      title: '操作',
      key: 'op',
      render: (_, r) => (
        <Space>
          <Button type="link" size="small" disabled={!r.enabled} onClick={() => runNow([r.id])}>
            运行
          </Button>
          <Button type="link" size="small" onClick={() => showSql(r)}>
            详情
          </Button>
        </Space>
      ),
    },
  ];

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title="监测规则"
        extra={
          <Space wrap>
            <Select
              placeholder="全部类别"
              allowClear
              style={{ width: 180 }}
              value={category}
              onChange={setCategory}
              options={(catalog.data?.categories ?? []).map((c) => ({ value: c.code, label: c.title }))}
            />
            <Button icon={<PlusOutlined />} onClick={() => setBuilding(true)}>
              新建规则
            </Button>
            <Button type="primary" icon={<PlayCircleOutlined />} onClick={() => runNow()} data-testid="run-all">
              立即运行
            </Button>
          </Space>
        }
      >
        <ScopedTable<ComplianceRule>
          columns={columns}
          rowKey="id"
          hideScopeNote
          deps={[category]}
          reloadKey={reloadKey}
          load={(page, pageSize, signal) => api.get<Page<ComplianceRule>>('/compliance/rules', { category, page, pageSize }, signal)}
          emptyText="暂无监测规则"
        />
      </Card>
      <Card
        title="运行记录"
        extra={
          <Button icon={<ReloadOutlined />} onClick={runs.reload}>
            刷新
          </Button>
        }
      >
        <Table<ComplianceRun>
          size="small"
          rowKey="id"
          loading={runs.loading}
          dataSource={runs.data?.items ?? []}
          pagination={false}
          expandable={{
            expandedRowRender: (r) => (
              <Table
                size="small"
                rowKey="ruleId"
                pagination={false}
                dataSource={r.rules}
                columns={[
                  { title: '规则', dataIndex: 'title', render: (v: string, x) => `${v}（v${x.version}）` },
                  { title: '命中', dataIndex: 'hits' },
                  { title: '新增', dataIndex: 'inserted' },
                  { title: '耗时（毫秒）', dataIndex: 'ms' },
                  { title: '错误', dataIndex: 'error', render: (v: string | null) => v ?? '—' },
                ]}
              />
            ),
          }}
          columns={[
            { title: '编号', dataIndex: 'id', render: (v: number) => `#${v}` },
            { title: '方式', dataIndex: 'mode', render: (v: string) => (v === 'full' ? '全量' : '增量') },
            { title: '状态', dataIndex: 'status', render: (v: ComplianceRun['status']) => <Tag color={RUN_STATUS[v][1]}>{RUN_STATUS[v][0]}</Tag> },
            { title: '命中', dataIndex: 'hits' },
            { title: '新增病例', dataIndex: 'inserted' },
            { title: '开始', dataIndex: 'startedAt', render: fmtTime },
            { title: '结束', dataIndex: 'finishedAt', render: fmtTime },
            { title: '发起人', dataIndex: 'requestedBy' },
          ]}
        />
      </Card>
      <RuleBuilderModal
        open={building}
        onClose={() => setBuilding(false)}
        onSaved={() => {
          setBuilding(false);
          reload();
        }}
      />
      <Modal open={sql !== null} title={sql?.title} footer={null} width={760} onCancel={() => setSql(null)}>
        <Typography.Paragraph>{sql?.sentence}</Typography.Paragraph>
        {sql?.sql ? (
          <Typography.Paragraph>
            <pre style={{ whiteSpace: 'pre-wrap', fontSize: 12 }}>{sql.sql}</pre>
          </Typography.Paragraph>
        ) : (
          <Typography.Text type="secondary">编译后的 SQL 仅市级管理员可见</Typography.Text>
        )}
      </Modal>
    </Space>
  );
}
