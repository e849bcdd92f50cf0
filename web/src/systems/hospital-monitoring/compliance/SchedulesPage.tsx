import { PlayCircleOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { App, Button, Card, Progress, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState } from 'react';
import { api, errorText } from '../../../app/api';
import { fmtTime } from '../../../app/format';
import type { Page } from '../../../app/types';
import { useApi } from '../../../app/use-api';
import { RuleSetModal } from './RuleSetModal';
import type { ComplianceRun, RuleSet } from './types';
import type { RuleSetList } from '@server/systems/hospital-monitoring/compliance/responses.ts';

const RUN_STATUS: Record<ComplianceRun['status'], [string, string]> = {
  queued: ['排队中', 'default'],
  running: ['运行中', 'processing'],
  succeeded: ['成功', 'success'],
  failed: ['部分失败', 'error'],
};
const strategyText = (s: string) => (s === 'full' ? '全量' : '增量');

/** 规则集调度: rule sets with their cron schedule, strategy and online state; run now; run history with progress. */
export function SchedulesPage() {
  const { message } = App.useApp();
  const [reloadKey, setReloadKey] = useState(0);
  const [editing, setEditing] = useState<RuleSet | null>(null);
  const [modalOpen, setModalOpen] = useState(false);
  const [selected, setSelected] = useState<number | undefined>();
  const sets = useApi((s) => api.get<RuleSetList>('/compliance/rule-sets', undefined, s), [reloadKey]);
  const runs = useApi((s) => api.get<Page<ComplianceRun>>('/compliance/runs', { pageSize: 10, ruleSetId: selected }, s), [reloadKey, selected]);
  const reload = () => setReloadKey((k) => k + 1);

  // While a run is queued or running, refresh every 3 seconds for its progress.
  const busy = (runs.data?.items ?? []).some((r) => r.status === 'queued' || r.status === 'running');
  useEffect(() => {
    if (!busy) return;
    const t = setInterval(() => setReloadKey((k) => k + 1), 3000);
    return () => clearInterval(t);
  }, [busy]);

  const act = async (fn: () => Promise<unknown>, ok: string) => {
    try {
      await fn();
      message.success(ok);
      reload();
    } catch (e) {
      message.error(errorText(e));
    }
  };

  const columns: ColumnsType<RuleSet> = [
    {
      title: '规则集',
      dataIndex: 'name',
      render: (v: string, r) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text strong>{v}</Typography.Text>
          {r.description && <Typography.Text type="secondary">{r.description}</Typography.Text>}
        </Space>
      ),
    },
    {
      title: '规则',
      dataIndex: 'rules',
      render: (rules: RuleSet['rules']) => (
        <Tooltip title={rules.map((r) => `${r.title}${r.enabled ? '' : '（已停用）'}`).join('；')}>
          <Tag>{rules.length} 条</Tag>
        </Tooltip>
      ),
    },
    { title: '运行计划', dataIndex: 'cron', render: (v: string | null) => (v ? <Typography.Text code>{v}</Typography.Text> : '按需') },
    { title: '策略', dataIndex: 'strategy', render: strategyText },
    {
      title: '上线',
      dataIndex: 'online',
      render: (v: boolean, r) => (
        <Switch
          checked={v}
          checkedChildren="上线"
          unCheckedChildren="下线"
          data-testid={`online-${r.id}`}
          onChange={(on) => act(() => api.patch(`/compliance/rule-sets/${r.id}`, { online: on }), on ? '已上线' : '已下线')}
        />
      ),
    },
    { title: '下次运行', dataIndex: 'nextRunAt', render: (v: string | null) => (v ? fmtTime(v) : '—') },
    {
      title: '最近运行',
      dataIndex: 'lastRun',
      render: (v: RuleSet['lastRun']) =>
        v ? (
          <Space>
            <Tag color={RUN_STATUS[v.status][1]}>{RUN_STATUS[v.status][0]}</Tag>
            {`命中 ${v.hits}`}
          </Space>
        ) : (
          '—'
        ),
    },
    {
      title: '操作',
      key: 'op',
      fixed: 'right',
      render: (_, r) => (
        <Space>
          <Button
            type="link"
            size="small"
            disabled={!r.online}
            data-testid={`run-set-${r.id}`}
            onClick={() => act(() => api.post(`/compliance/rule-sets/${r.id}/runs`, {}), '已提交运行')}
          >
            立即运行
          </Button>
          <Button
            type="link"
            size="small"
            onClick={() => {
              setEditing(r);
              setModalOpen(true);
            }}
          >
            编辑
          </Button>
          <Button type="link" size="small" onClick={() => setSelected(selected === r.id ? undefined : r.id)}>
            {selected === r.id ? '全部记录' : '运行记录'}
          </Button>
        </Space>
      ),
    },
  ];

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title="规则集调度"
        extra={
          <Space>
            <Button icon={<ReloadOutlined />} onClick={reload}>
              刷新
            </Button>
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => {
                setEditing(null);
                setModalOpen(true);
              }}
            >
              新建规则集
            </Button>
          </Space>
        }
      >
        <Table<RuleSet>
          size="middle"
          rowKey="id"
          scroll={{ x: 1200 }}
          loading={sets.loading && !sets.data}
          dataSource={sets.data?.items ?? []}
          columns={columns}
          pagination={false}
          locale={{ emptyText: '暂无规则集，点击“新建规则集”按计划或按需运行一组规则' }}
        />
      </Card>
      <Card
        title={selected ? `运行记录：${sets.data?.items.find((s) => s.id === selected)?.name ?? ''}` : '运行记录'}
        extra={
          <Button icon={<PlayCircleOutlined />} onClick={reload}>
            刷新
          </Button>
        }
      >
        <Table<ComplianceRun>
          size="small"
          rowKey="id"
          data-testid="run-history"
          loading={runs.loading && !runs.data}
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
            { title: '规则集', dataIndex: 'ruleSetName', render: (v: string | null) => v ?? '（单独运行）' },
            { title: '触发', dataIndex: 'trigger', render: (v: string) => (v === 'schedule' ? '定时' : '手动') },
            { title: '策略', dataIndex: 'mode', render: strategyText },
            { title: '状态', dataIndex: 'status', render: (v: ComplianceRun['status']) => <Tag color={RUN_STATUS[v][1]}>{RUN_STATUS[v][0]}</Tag> },
            {
              title: '进度',
              key: 'progress',
              render: (_, r) => {
                const total = r.progressTotal ?? 0;
                const done = r.progressDone ?? 0;
                return (
                  <Progress
                    aria-label="规则执行进度"
                    size="small"
                    style={{ width: 120 }}
                    percent={total ? Math.round((done / total) * 100) : r.status === 'succeeded' ? 100 : 0}
                    format={() => `${done}/${total}`}
                  />
                );
              },
            },
            { title: '命中', dataIndex: 'hits' },
            { title: '新增病例', dataIndex: 'inserted' },
            { title: '开始', dataIndex: 'startedAt', render: fmtTime },
            { title: '结束', dataIndex: 'finishedAt', render: fmtTime },
            { title: '发起', dataIndex: 'requestedBy' },
          ]}
        />
      </Card>
      <RuleSetModal
        open={modalOpen}
        editing={editing}
        onClose={() => setModalOpen(false)}
        onSaved={() => {
          setModalOpen(false);
          reload();
        }}
      />
    </Space>
  );
}
