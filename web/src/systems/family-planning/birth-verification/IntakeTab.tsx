import { App, Button, Card, DatePicker, Input, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useAccess } from '../../../app/access';
import { api, errorText } from '../../../app/api';
import { fmtDate, fmtNumber, fmtTime } from '../../../app/format';
import type { Page } from '../../../app/types';
import { useApi } from '../../../app/use-api';
import { ScopedTable } from '../../../components/ScopedTable';
import type { DeathReport, FieldMapView, IntakeBatch, RejectedRecord } from './types';
import type { IntakeRequested } from '@server/systems/family-planning/birth-verification/responses.ts';

const OUTCOME: Record<DeathReport['outcome'], [string, string]> = {
  recorded: ['已登记死亡', 'red'],
  already_dead: ['此前已登记', 'default'],
  not_found: ['无此居民', 'orange'],
  name_mismatch: ['姓名不符', 'orange'],
  invalid: ['数据无效', 'orange'],
};

/** 市妇幼 daily channel: pull runs, rows refused by the cleaning with their reasons, and the field mapping. */
export function IntakeTab() {
  const access = useAccess();
  const { message } = App.useApp();
  const [date, setDate] = useState<Dayjs | null>(dayjs().subtract(1, 'day'));
  const [batch, setBatch] = useState<number | undefined>();
  const [reload, setReload] = useState(0);
  const map = useApi((s) => api.get<FieldMapView>('/birth-verification/field-map', {}, s), [reload]);
  const [edits, setEdits] = useState<Record<string, string>>({});
  const canMap = access.can('birth-verification.field-map');

  const pull = async () => {
    if (!date) return;
    try {
      const r = await api.post<IntakeRequested>('/birth-verification/intake-runs', { date: date.format('YYYY-MM-DD') });
      message.success(`已排入后台任务 #${r.jobRunId}，完成后刷新查看`);
    } catch (e) {
      message.error(errorText(e));
    }
  };
  const saveMap = async () => {
    const mappings = Object.entries(edits)
      .filter(([, v]) => v.trim())
      .map(([targetField, sourceField]) => ({ targetField, sourceField: sourceField.trim() }));
    if (mappings.length === 0) return;
    try {
      await api.put('/birth-verification/field-map', { mappings });
      message.success('字段映射已保存，下次拉取生效');
      setEdits({});
      setReload((k) => k + 1);
    } catch (e) {
      message.error(errorText(e));
    }
  };

  const batchColumns: ColumnsType<IntakeBatch> = [
    { title: '批次', dataIndex: 'id' },
    { title: '数据日期', dataIndex: 'sourceDate', render: fmtDate },
    {
      title: '状态',
      dataIndex: 'status',
      render: (s: IntakeBatch['status']) => (
        <Tag color={s === 'done' ? 'green' : s === 'failed' ? 'red' : 'blue'}>{s === 'done' ? '完成' : s === 'failed' ? '失败' : '进行中'}</Tag>
      ),
    },
    { title: '拉取', dataIndex: 'fetched', render: fmtNumber },
    { title: '新建任务', dataIndex: 'created', render: fmtNumber },
    { title: '变更重核', dataIndex: 'updated', render: fmtNumber },
    { title: '无变化', dataIndex: 'unchanged', render: fmtNumber },
    {
      title: '拒收',
      dataIndex: 'rejected',
      render: (n: number, b) =>
        n > 0 ? (
          <Button size="small" type="link" onClick={() => setBatch(b.id)}>
            {fmtNumber(n)}
          </Button>
        ) : (
          0
        ),
    },
    { title: '死亡报告', dataIndex: 'deaths', render: fmtNumber },
    { title: '登记死亡', dataIndex: 'deathsRecorded', render: fmtNumber },
    { title: '完成时间', dataIndex: 'finishedAt', render: fmtTime },
    { title: '说明', dataIndex: 'error', render: (e: string | null) => (e ? <Typography.Text type="danger">{e}</Typography.Text> : '—') },
  ];

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title="每日拉取批次"
        extra={
          access.can('birth-verification.intake') && (
            <Space>
              <DatePicker value={date} onChange={setDate} disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
              <Button type="primary" onClick={pull}>
                立即拉取
              </Button>
            </Space>
          )
        }
      >
        <Typography.Paragraph type="secondary">
          每天 06:30 自动拉取前一日的市妇幼出生数据（签名请求、失败自动重试），清洗后按母亲居住街道派发核实任务，并同步至社区云。
        </Typography.Paragraph>
        <ScopedTable<IntakeBatch>
          rowKey="id"
          columns={batchColumns}
          deps={[]}
          reloadKey={reload}
          hideScopeNote
          load={(page, pageSize, signal) => api.get<Page<IntakeBatch>>('/birth-verification/intake-runs', { page, pageSize }, signal)}
          emptyText="尚无拉取记录"
        />
      </Card>
      <Card
        title={batch ? `清洗拒收记录（批次 ${batch}）` : '清洗拒收记录'}
        extra={
          batch && (
            <Button size="small" onClick={() => setBatch(undefined)}>
              全部批次
            </Button>
          )
        }
      >
        <ScopedTable<RejectedRecord>
          rowKey="id"
          deps={[batch]}
          reloadKey={reload}
          load={(page, pageSize, signal) => api.get<Page<RejectedRecord>>('/birth-verification/rejected', { batchId: batch, page, pageSize }, signal)}
          emptyText="没有被拒收的记录"
          columns={[
            { title: '批次', dataIndex: 'batchId' },
            { title: '行号', dataIndex: 'rowNo' },
            {
              title: '拒收原因',
              dataIndex: 'reasons',
              render: (rs: RejectedRecord['reasons']) => (
                <ul style={{ margin: 0, paddingLeft: 16 }}>
                  {rs.map((r) => (
                    <li key={r.field + r.message}>{r.message}</li>
                  ))}
                </ul>
              ),
            },
            {
              title: '原始记录（证件号已脱敏）',
              dataIndex: 'raw',
              render: (raw: Record<string, unknown>) => (
                <Typography.Text className="wj-mono" style={{ fontSize: 12 }}>
                  {Object.entries(raw)
                    .map(([k, v]) => `${k}=${v ?? ''}`)
                    .join('  ')}
                </Typography.Text>
              ),
            },
          ]}
        />
      </Card>
      <Card title="市妇幼死亡报告（儿童、孕产妇）">
        <Typography.Paragraph type="secondary">
          随每日拉取接收的死亡报告卡：按证件号码（新生儿按出生医学证明编号）与姓名对应居民主索引，登记死亡（来源 市妇幼）；签约居民由家庭医生核实。
        </Typography.Paragraph>
        <ScopedTable<DeathReport>
          rowKey="id"
          deps={[]}
          reloadKey={reload}
          load={(page, pageSize, signal) => api.get<Page<DeathReport>>('/birth-verification/death-reports', { page, pageSize }, signal)}
          emptyText="尚未收到死亡报告"
          columns={[
            { title: '报告卡编号', dataIndex: 'reportNo' },
            { title: '类别', dataIndex: 'category', render: (c: DeathReport['category']) => (c === 'maternal' ? '孕产妇' : '五岁以下儿童') },
            { title: '姓名', dataIndex: 'name' },
            { title: '证件号码', dataIndex: 'idNumberMasked', render: (v: string | null) => v ?? '—' },
            { title: '死亡日期', dataIndex: 'deathDate', render: fmtDate },
            { title: '结果', dataIndex: 'outcome', render: (o: DeathReport['outcome']) => <Tag color={OUTCOME[o][1]}>{OUTCOME[o][0]}</Tag> },
            { title: '说明', dataIndex: 'message' },
            { title: '接收时间', dataIndex: 'receivedAt', render: fmtTime },
          ]}
        />
      </Card>
      <Card
        title="接口字段映射（市妇幼字段 → 本系统字段）"
        extra={
          canMap && (
            <Button type="primary" disabled={Object.keys(edits).length === 0} onClick={saveMap}>
              保存映射
            </Button>
          )
        }
      >
        <Table<FieldMapView['items'][number]>
          size="small"
          rowKey="targetField"
          pagination={false}
          loading={map.loading}
          dataSource={map.data?.items ?? []}
          columns={[
            {
              title: '本系统字段',
              key: 'title',
              render: (_, m) => (
                <span>
                  {m.title}{' '}
                  <Typography.Text type="secondary" className="wj-mono">
                    {m.targetField}
                  </Typography.Text>
                </span>
              ),
            },
            { title: '必填', dataIndex: 'required', render: (r: boolean) => (r ? <Tag color="red">必填</Tag> : '—') },
            {
              title: '市妇幼来源字段',
              key: 'source',
              render: (_, m) =>
                canMap ? (
                  <Input
                    className="wj-mono"
                    style={{ width: 200 }}
                    value={edits[m.targetField] ?? m.sourceField}
                    onChange={(e) => setEdits((x) => ({ ...x, [m.targetField]: e.target.value }))}
                  />
                ) : (
                  <span className="wj-mono">{m.sourceField}</span>
                ),
            },
            {
              title: '默认',
              dataIndex: 'defaultSourceField',
              render: (d: string | null, m) => (d && d !== m.sourceField ? <Tag color="orange">默认 {d}</Tag> : <span className="wj-mono">{d}</span>),
            },
          ]}
        />
      </Card>
    </Space>
  );
}
