import { App, Button, Card, DatePicker, Descriptions, Drawer, Form, Input, InputNumber, List, Select, Space, Tag, Timeline, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useAccess } from '../../../app/access';
import { api, errorText } from '../../../app/api';
import { fmtDate, fmtTime } from '../../../app/format';
import type { Page } from '../../../app/types';
import { useApi } from '../../../app/use-api';
import { ErrorAlert } from '../../../components/page-states';
import { ScopedTable } from '../../../components/ScopedTable';
import { LOG_KIND, logStatusText, METHOD, type MvCase, type MvCaseDetail, STATUS, writtenBackTag } from './types';

const libraryTag = (c: MvCase) => {
  const t = writtenBackTag(c);
  return t ? <Tag color={t.color}>{t.text}</Tag> : <Typography.Text type="secondary">未回写</Typography.Text>;
};

const party = (p: MvCase['husband']) => (
  <span>
    {p.name} {p.idNumberMasked ? <Typography.Text type="secondary">{p.idNumberMasked}</Typography.Text> : <Tag>无证件号</Tag>}
  </span>
);

/** 个案: the 民政 registrations in the user's district, their audit result and the manual handling. */
export function CasesTab() {
  const [status, setStatus] = useState<string | undefined>();
  const [recordNo, setRecordNo] = useState('');
  const [idNumber, setIdNumber] = useState('');
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const [reload, setReload] = useState(0);
  const columns: ColumnsType<MvCase> = [
    {
      title: '登记证字号',
      dataIndex: 'recordNo',
      render: (v: string, r) => (
        <Button type="link" size="small" onClick={() => setOpen(r.id)}>
          {v}
        </Button>
      ),
    },
    { title: '业务', dataIndex: 'kind', render: (k: MvCase['kind']) => (k === 'marriage' ? '结婚' : '离婚') },
    { title: '登记日期', dataIndex: 'registeredOn', render: fmtDate },
    { title: '男方', render: (_, r) => party(r.husband) },
    { title: '女方', render: (_, r) => party(r.wife) },
    { title: '核对状态', dataIndex: 'status', render: (s: MvCase['status']) => <Tag color={STATUS[s].color}>{STATUS[s].text}</Tag> },
    { title: '婚姻库', render: (_, r) => libraryTag(r) },
    {
      title: '问题',
      render: (_, r) =>
        r.findings
          .filter((f) => !f.ok)
          .map((f) => f.message)
          .join('；') || '—',
    },
  ];
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small">
        <Space wrap>
          <Select
            allowClear
            placeholder="核对状态"
            style={{ width: 140 }}
            value={status}
            onChange={setStatus}
            options={Object.entries(STATUS).map(([value, s]) => ({ value, label: s.text }))}
          />
          <span>登记日期</span>
          <DatePicker.RangePicker value={range} onChange={(v) => setRange(v)} />
          <Input.Search placeholder="登记证字号" allowClear style={{ width: 240 }} onSearch={(v) => setRecordNo(v.trim())} />
          <Input.Search placeholder="男方或女方证件号码" allowClear style={{ width: 240 }} onSearch={(v) => setIdNumber(v.trim())} />
        </Space>
      </Card>
      <ScopedTable<MvCase>
        rowKey="id"
        columns={columns}
        deps={[status, recordNo, idNumber, range?.[0]?.valueOf(), range?.[1]?.valueOf()]}
        reloadKey={reload}
        emptyText="数据范围内暂无婚姻核对个案"
        load={(page, pageSize, signal) =>
          api.get<Page<MvCase>>(
            '/marriage-verification/cases',
            {
              page,
              pageSize,
              status,
              recordNo: recordNo || undefined,
              idNumber: idNumber || undefined,
              from: range?.[0]?.format('YYYY-MM-DD'),
              to: range?.[1]?.format('YYYY-MM-DD'),
            },
            signal,
          )
        }
      />
      {open !== null && <CaseDrawer id={open} onClose={() => setOpen(null)} onChanged={() => setReload((k) => k + 1)} />}
    </Space>
  );
}

function CaseDrawer({ id, onClose, onChanged }: { id: number; onClose: () => void; onChanged: () => void }) {
  const access = useAccess();
  const { message } = App.useApp();
  const [k, setK] = useState(0);
  const c = useApi((s) => api.get<MvCaseDetail>(`/marriage-verification/cases/${id}`, {}, s), [id, k]);
  const [form] = Form.useForm<{ husbandPersonId?: number; wifePersonId?: number; note: string }>();
  const act = async (kind: 'confirm' | 'invalidate') => {
    const v = await form.validateFields();
    try {
      const body =
        kind === 'confirm' ? { note: v.note, husbandPersonId: v.husbandPersonId ?? undefined, wifePersonId: v.wifePersonId ?? undefined } : { note: v.note };
      await api.post(`/marriage-verification/cases/${id}/${kind}`, body);
      message.success(kind === 'confirm' ? '已人工确认' : '已标记无效');
      form.resetFields();
      setK((x) => x + 1);
      onChanged();
    } catch (e) {
      message.error(errorText(e));
    }
  };
  const d = c.data;
  const canHandle = access.can('marriage-verification.handle') && d && d.status !== 'invalid';
  // A confirmed case can still be found wrong: marking it invalid withdraws what it wrote to the library.
  const canConfirm = d?.status !== 'confirmed';
  return (
    <Drawer open width={720} title={d ? `个案 ${d.recordNo}` : '个案'} onClose={onClose}>
      {c.error ? <ErrorAlert error={c.error} onRetry={c.reload} /> : null}
      {d && (
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          <Descriptions size="small" bordered column={2}>
            <Descriptions.Item label="业务">{d.kind === 'marriage' ? '结婚登记' : '离婚登记'}</Descriptions.Item>
            <Descriptions.Item label="登记日期">{fmtDate(d.registeredOn)}</Descriptions.Item>
            <Descriptions.Item label="男方">
              {party(d.husband)}（{METHOD[d.matchDetail.husband?.method ?? 'none']}）
            </Descriptions.Item>
            <Descriptions.Item label="女方">
              {party(d.wife)}（{METHOD[d.matchDetail.wife?.method ?? 'none']}）
            </Descriptions.Item>
            <Descriptions.Item label="状态">
              <Tag color={STATUS[d.status].color}>{STATUS[d.status].text}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label="处理说明">{d.note ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="婚姻库" span={2}>
              {libraryTag(d)}
              {d.writtenBack ? (
                <Typography.Text type="secondary">{fmtTime(d.writtenBack.at)}</Typography.Text>
              ) : d.kind === 'marriage' ? (
                <Typography.Text type="secondary">（自动审核通过或人工确认后回写计划生育婚姻库）</Typography.Text>
              ) : null}
            </Descriptions.Item>
          </Descriptions>
          <Card size="small" title="自动审核">
            <List
              size="small"
              dataSource={d.findings}
              renderItem={(f) => (
                <List.Item>
                  <Tag color={f.ok ? 'green' : 'red'}>{f.ok ? '通过' : '不通过'}</Tag>
                  {f.message}
                </List.Item>
              )}
            />
          </Card>
          {canHandle && (
            <Card size="small" title="人工干预">
              <Form form={form} layout="vertical">
                <Space style={canConfirm ? undefined : { display: 'none' }}>
                  <Form.Item name="husbandPersonId" label="男方人员编号（未匹配时填写）">
                    <InputNumber min={1} style={{ width: 200 }} />
                  </Form.Item>
                  <Form.Item name="wifePersonId" label="女方人员编号（未匹配时填写）">
                    <InputNumber min={1} style={{ width: 200 }} />
                  </Form.Item>
                </Space>
                <Form.Item name="note" label="处理说明" rules={[{ required: true, whitespace: true, message: '请填写处理说明' }]}>
                  <Input.TextArea rows={2} maxLength={500} />
                </Form.Item>
                <Space>
                  {canConfirm && (
                    <Button type="primary" onClick={() => act('confirm')}>
                      确认匹配
                    </Button>
                  )}
                  <Button danger onClick={() => act('invalidate')}>
                    标记无效
                  </Button>
                </Space>
              </Form>
            </Card>
          )}
          <Card size="small" title="核对日志">
            <Timeline
              items={d.log.map((l) => ({
                children: (
                  <span>
                    {fmtTime(l.at)} {LOG_KIND[l.kind]}：{logStatusText(l.status)}（{l.actor}）{l.detail.note ? ` — ${String(l.detail.note)}` : ''}
                  </span>
                ),
              }))}
            />
          </Card>
        </Space>
      )}
    </Drawer>
  );
}
