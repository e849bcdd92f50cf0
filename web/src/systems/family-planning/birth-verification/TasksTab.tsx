import { Button, Card, DatePicker, Form, Input, Select, Space, Tabs, Tag, Tooltip } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { api } from '../../../app/api';
import { fmtDate, fmtNumber, SEX } from '../../../app/format';
import type { Page } from '../../../app/types';
import { ScopedTable } from '../../../components/ScopedTable';
import { TaskDrawer } from './TaskDrawer';
import { CHECK_TITLE, STATUS_COLOR, type Task, type TaskList } from './types';

type Status = '' | Task['status'];
const STATUS_TABS: { key: Status; label: string }[] = [
  { key: '', label: '全部' },
  { key: 'pending', label: '待核实' },
  { key: 'assisting', label: '协查中' },
  { key: 'approved', label: '核实通过' },
  { key: 'rejected', label: '核实不通过' },
];

interface SearchValues {
  taskNo?: string;
  certificateNo?: string;
  childName?: string;
  birth?: [Dayjs, Dayjs] | null;
  motherName?: string;
  motherIdNumber?: string;
  fatherName?: string;
  fatherIdNumber?: string;
  finding?: string;
  blocking?: 'yes' | 'no';
}

const trimmed = (v?: string) => (v?.trim() ? v.trim() : undefined);

/** 组合查询 over task, child, mother and father fields, and the task drawer (pre-check, approval, 协查, 重新核实). */
export function TasksTab() {
  const [form] = Form.useForm<SearchValues>();
  const [status, setStatus] = useState<Status>('pending');
  const [query, setQuery] = useState<Record<string, string | boolean | undefined>>({});
  const [counts, setCounts] = useState<Record<string, number>>({});
  const [open, setOpen] = useState<number | null>(null);
  const [reload, setReload] = useState(0);

  const search = (v: SearchValues) =>
    setQuery({
      taskNo: trimmed(v.taskNo)?.toUpperCase(),
      certificateNo: trimmed(v.certificateNo),
      childName: trimmed(v.childName),
      birthFrom: v.birth?.[0]?.format('YYYY-MM-DD'),
      birthTo: v.birth?.[1]?.format('YYYY-MM-DD'),
      motherName: trimmed(v.motherName),
      motherIdNumber: trimmed(v.motherIdNumber),
      fatherName: trimmed(v.fatherName),
      fatherIdNumber: trimmed(v.fatherIdNumber),
      finding: v.finding,
      blocking: v.blocking === undefined ? undefined : v.blocking === 'yes',
    });

  const columns: ColumnsType<Task> = [
    { title: '任务编号', dataIndex: 'taskNo', render: (v: string) => <span className="wj-mono">{v}</span> },
    { title: '状态', dataIndex: 'status', render: (_: string, t) => <Tag color={STATUS_COLOR[t.status]}>{t.statusTitle}</Tag> },
    { title: '儿童', key: 'child', render: (_, t) => `${t.childName}（${SEX[t.childSex ?? 'U']}）` },
    { title: '出生日期', dataIndex: 'birthDate', render: fmtDate },
    {
      title: '母亲',
      key: 'mother',
      render: (_, t) => (
        <span>
          {t.motherName} <span className="wj-mono">{t.motherIdMasked}</span>
        </span>
      ),
    },
    { title: '父亲', dataIndex: 'fatherName', render: (v: string | null) => v ?? '—' },
    { title: '街道', key: 'street', render: (_, t) => t.streetName ?? t.streetCode },
    {
      title: '预检',
      key: 'precheck',
      render: (_, t) =>
        t.findings.length === 0 ? (
          <Tag color="green">通过</Tag>
        ) : (
          <Space size={[4, 4]} wrap>
            {t.findings.map((f) => (
              <Tooltip key={f.code} title={f.message}>
                <Tag color={f.severity === 'block' ? 'red' : 'gold'}>{CHECK_TITLE[f.code] ?? f.code}</Tag>
              </Tooltip>
            ))}
          </Space>
        ),
    },
    { title: '核实轮次', dataIndex: 'verifyRound', render: (v: number) => (v > 1 ? <Tag color="purple">第 {v} 轮</Tag> : '1') },
    {
      title: '操作',
      key: 'op',
      render: (_, t) => (
        <Button size="small" type="link" onClick={() => setOpen(t.id)}>
          处理
        </Button>
      ),
    },
  ];

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card title="组合查询" size="small">
        <Form form={form} layout="inline" onFinish={search} style={{ rowGap: 8 }}>
          <Form.Item name="taskNo" label="任务编号">
            <Input allowClear placeholder="BV…" style={{ width: 140 }} />
          </Form.Item>
          <Form.Item name="certificateNo" label="出生医学证明编号">
            <Input allowClear style={{ width: 150 }} />
          </Form.Item>
          <Form.Item name="childName" label="儿童姓名">
            <Input allowClear style={{ width: 110 }} />
          </Form.Item>
          <Form.Item name="birth" label="出生日期">
            <DatePicker.RangePicker />
          </Form.Item>
          <Form.Item name="motherName" label="母亲姓名">
            <Input allowClear style={{ width: 110 }} />
          </Form.Item>
          <Form.Item name="motherIdNumber" label="母亲身份证号" rules={[{ pattern: /^\s*\d{15}(\d{2}[\dXx])?\s*$/, message: '身份证号格式不正确' }]}>
            <Input allowClear style={{ width: 190 }} />
          </Form.Item>
          <Form.Item name="fatherName" label="父亲姓名">
            <Input allowClear style={{ width: 110 }} />
          </Form.Item>
          <Form.Item name="fatherIdNumber" label="父亲身份证号" rules={[{ pattern: /^\s*\d{15}(\d{2}[\dXx])?\s*$/, message: '身份证号格式不正确' }]}>
            <Input allowClear style={{ width: 190 }} />
          </Form.Item>
          <Form.Item name="finding" label="预检问题">
            <Select allowClear style={{ width: 170 }} options={Object.entries(CHECK_TITLE).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
          <Form.Item name="blocking" label="需处理问题">
            <Select
              allowClear
              style={{ width: 100 }}
              options={[
                { value: 'yes', label: '有' },
                { value: 'no', label: '无' },
              ]}
            />
          </Form.Item>
          <Form.Item>
            <Space>
              <Button type="primary" htmlType="submit">
                查询
              </Button>
              <Button
                onClick={() => {
                  form.resetFields();
                  setQuery({});
                }}
              >
                重置
              </Button>
            </Space>
          </Form.Item>
        </Form>
      </Card>
      <Card>
        <Tabs
          activeKey={status}
          onChange={(k) => setStatus(k as Status)}
          items={STATUS_TABS.map((s) => ({
            key: s.key,
            label: `${s.label}${s.key === '' ? (Object.keys(counts).length ? `（${fmtNumber(Object.values(counts).reduce((a, b) => a + b, 0))}）` : '') : counts[s.key] !== undefined ? `（${fmtNumber(counts[s.key])}）` : ''}`,
          }))}
        />
        <ScopedTable<Task>
          rowKey="id"
          columns={columns}
          deps={[status, query]}
          reloadKey={reload}
          load={(page, pageSize, signal) => api.get<TaskList>('/birth-verification/tasks', { page, pageSize, status: status || undefined, ...query }, signal)}
          onLoaded={(p) => setCounts((p as Page<Task> & { byStatus?: Record<string, number> }).byStatus ?? {})}
          emptyText="没有符合条件的核实任务"
        />
      </Card>
      <TaskDrawer taskId={open} onClose={() => setOpen(null)} onChanged={() => setReload((k) => k + 1)} />
    </Space>
  );
}
