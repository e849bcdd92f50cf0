import { Alert, App, Button, Card, Col, DatePicker, Form, InputNumber, Modal, Row, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { FunnelChart } from 'echarts/charts';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { useMemo, useState } from 'react';
import { useAccess } from '../../../app/access';
import type {
  Funnel,
  MonitorAlert,
  MonitorAlertPage,
  MonitorStage,
  StageTotal,
  Threshold,
} from '@server/systems/family-planning/childcare-subsidy/responses.ts';
import { api, errorText } from '../../../app/api';
import { useDistrictFilter } from '../../../app/district-filter';
import { fmtNumber, fmtTime } from '../../../app/format';
import { useApi } from '../../../app/use-api';
import { echarts } from '../../../components/echarts';
import { ScopedTable } from '../../../components/ScopedTable';

echarts.use([FunnelChart]);

type Stage = MonitorStage;
type AlertRow = MonitorAlert;
const STAGES: Stage[] = ['screened', 'prefilled', 'sms_sent', 'confirmed', 'approved', 'synced'];
const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`);

/** 全过程监控: the funnel (ECharts), stage figures with success rates and exceptions, the table by day and district, thresholds and alerts. */
export function MonitorTab() {
  const access = useAccess();
  const { message } = App.useApp();
  // The header's district filter narrows the funnel (a district user's scope does so anyway).
  const { districtName, district } = useDistrictFilter();
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs().subtract(6, 'day'), dayjs()]);
  const [reload, setReload] = useState(0);
  const [editing, setEditing] = useState(false);
  const [form] = Form.useForm<{ items: Threshold[] }>();
  const funnel = useApi(
    (s) => api.get<Funnel>('/childcare-subsidy/monitor/funnel', { from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD'), district }, s),
    [range[0].valueOf(), range[1].valueOf(), district, reload],
  );
  const f = funnel.data;
  const limits = new Map((f?.thresholds ?? []).map((t) => [t.stage, t]));

  const option = useMemo(
    () =>
      f && {
        tooltip: { trigger: 'item', formatter: (p: { name: string; value: number }) => `${p.name}：${fmtNumber(p.value)}` },
        series: [
          {
            type: 'funnel',
            sort: 'none',
            left: '10%',
            width: '80%',
            minSize: '22%',
            label: { show: true, position: 'inside', formatter: (p: { name: string; value: number }) => `${p.name} ${fmtNumber(p.value)}` },
            data: f.stages.map((s) => ({ name: s.title, value: s.ok })),
          },
        ],
      },
    [f],
  );

  // The table by day and district: one row per (day, district), each stage's successes and exceptions.
  const table = useMemo(() => {
    const by = new Map<string, Record<string, unknown>>();
    for (const r of f?.rows ?? []) {
      const k = `${r.day}|${r.districtCode ?? ''}`;
      const row = by.get(k) ?? { key: k, day: r.day, districtCode: r.districtCode };
      row[`${r.stage}_ok`] = r.ok;
      row[`${r.stage}_failed`] = r.failed;
      by.set(k, row);
    }
    return [...by.values()].sort((a, b) => String(b.day).localeCompare(String(a.day)) || String(a.districtCode).localeCompare(String(b.districtCode)));
  }, [f]);

  const stageColumns: ColumnsType<StageTotal> = [
    { title: '环节', dataIndex: 'title' },
    { title: '成功', dataIndex: 'ok', render: fmtNumber },
    { title: '异常', dataIndex: 'failed', render: (n: number, s) => <span title={s.failureTitle}>{fmtNumber(n)}</span> },
    { title: '异常说明', dataIndex: 'failureTitle' },
    { title: '进行中', dataIndex: 'pending', render: fmtNumber },
    {
      title: '成功率',
      dataIndex: 'successRate',
      render: (r: number | null, s) => {
        const lim = limits.get(s.stage);
        const bad = r !== null && lim && 1 - r > lim.maxFailureRate && s.ok + s.failed >= lim.minVolume;
        return bad ? <Tag color="red">{pct(r)}</Tag> : pct(r);
      },
    },
    { title: '环节转化率', dataIndex: 'conversion', render: pct },
    { title: '失败率阈值', key: 'limit', render: (_, s) => pct(limits.get(s.stage)?.maxFailureRate) },
  ];
  const dayColumns: ColumnsType<Record<string, unknown>> = [
    { title: '日期', dataIndex: 'day', fixed: 'left' },
    { title: '区', dataIndex: 'districtCode', fixed: 'left', render: (d: string | null) => districtName(d) || '—' },
    ...STAGES.map((s) => ({
      title: f?.stageTitles[s] ?? s,
      children: [
        { title: '成功', dataIndex: `${s}_ok`, render: (n: number | undefined) => fmtNumber(n ?? 0) },
        {
          title: '异常',
          dataIndex: `${s}_failed`,
          render: (n: number | undefined) => (n ? <Typography.Text type="danger">{fmtNumber(n)}</Typography.Text> : 0),
        },
      ],
    })),
  ];
  const alertColumns: ColumnsType<AlertRow> = [
    { title: '日期', dataIndex: 'day' },
    { title: '环节', dataIndex: 'stageTitle' },
    { title: '范围', dataIndex: 'districtCode', render: (d: string | null) => (d ? districtName(d) : '全市') },
    { title: '失败 / 总数', key: 'n', render: (_, a) => `${fmtNumber(a.failed)} / ${fmtNumber(a.total)}` },
    { title: '失败率', dataIndex: 'failureRate', render: (r: number) => <Tag color="red">{pct(r)}</Tag> },
    { title: '阈值', dataIndex: 'threshold', render: pct },
    { title: '已通知人数', dataIndex: 'notified' },
    { title: '时间', dataIndex: 'createdAt', render: fmtTime },
  ];

  const saveThresholds = async () => {
    await form.validateFields();
    // The stage of each row is not a form field of its own: read the whole list.
    const v = form.getFieldsValue(true) as { items: Threshold[] };
    try {
      await api.put('/childcare-subsidy/monitor/thresholds', { items: v.items.map((i) => ({ ...i, maxFailureRate: i.maxFailureRate / 100 })) });
      message.success('告警阈值已保存');
      setEditing(false);
      setReload((k) => k + 1);
    } catch (e) {
      message.error(errorText(e));
    }
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title="全过程监控漏斗"
        extra={
          <Space>
            <DatePicker.RangePicker value={range} allowClear={false} onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])} />
            <Button onClick={() => setReload((k) => k + 1)}>刷新</Button>
            {access.can('childcare-subsidy.monitor.manage') && (
              <Button
                onClick={() => {
                  form.setFieldsValue({ items: (f?.thresholds ?? []).map((t) => ({ ...t, maxFailureRate: Math.round(t.maxFailureRate * 1000) / 10 })) });
                  setEditing(true);
                }}
              >
                告警阈值
              </Button>
            )}
          </Space>
        }
      >
        {funnel.error ? <Alert type="error" message={errorText(funnel.error)} /> : null}
        <Row gutter={16}>
          <Col span={10}>{option && <ReactEChartsCore echarts={echarts} option={option} notMerge style={{ height: 340 }} />}</Col>
          <Col span={14}>
            <Table<StageTotal> size="small" rowKey="stage" columns={stageColumns} dataSource={f?.stages ?? []} loading={funnel.loading} pagination={false} />
            <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
              筛选与预填为所选期间最后一日的筛选版本；其余环节按事件发生日累计。成功率 = 成功 ÷（成功 + 异常），环节转化率 = 本环节成功 ÷ 上一环节成功。
            </Typography.Paragraph>
          </Col>
        </Row>
      </Card>
      <Card title="按日、按区明细">
        <Table
          size="small"
          rowKey="key"
          columns={dayColumns}
          dataSource={table}
          loading={funnel.loading}
          scroll={{ x: 1400 }}
          pagination={{ pageSize: 20 }}
          locale={{ emptyText: '所选期间没有数据' }}
        />
      </Card>
      <Card title="失败率告警">
        <ScopedTable<AlertRow>
          rowKey="id"
          columns={alertColumns}
          deps={[]}
          reloadKey={reload}
          load={(page, pageSize, signal) => api.get<MonitorAlertPage>('/childcare-subsidy/monitor/alerts', { page, pageSize }, signal)}
          emptyText="暂无告警"
        />
      </Card>
      <Modal
        title="各环节失败率告警阈值"
        open={editing}
        onOk={saveThresholds}
        onCancel={() => setEditing(false)}
        okText="保存"
        cancelText="取消"
        destroyOnClose
        width={560}
      >
        <Form form={form} layout="vertical">
          <Form.List name="items">
            {(fields) =>
              fields.map((field) => {
                const stage = form.getFieldValue(['items', field.name, 'stage']) as Stage;
                return (
                  <Space key={field.key} align="baseline">
                    <span style={{ display: 'inline-block', width: 110 }}>{f?.stageTitles[stage] ?? stage}</span>
                    <Form.Item name={[field.name, 'maxFailureRate']} label="失败率超过（%）" rules={[{ required: true, message: '请填写' }]}>
                      <InputNumber min={0} max={100} step={0.5} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'minVolume']} label="最少样本数" rules={[{ required: true, message: '请填写' }]}>
                      <InputNumber min={1} max={1000000} />
                    </Form.Item>
                  </Space>
                );
              })
            }
          </Form.List>
        </Form>
      </Modal>
    </Space>
  );
}
