import { App, Button, Card, Input, Modal, Select, Space, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useAccess } from '../../../app/access';
import { api, errorText } from '../../../app/api';
import { fmtTime } from '../../../app/format';
import type { Page } from '../../../app/types';
import { ScopedTable } from '../../../components/ScopedTable';
import type { Reminder } from '@server/systems/health-network/fd-services/responses.ts';

/** 住院提醒: admissions and discharges of contracted residents, with links to the stay's reports. */

const STATUS = {
  open: { text: '待处理', color: 'orange' },
  handled: { text: '已处理', color: 'green' },
  no_contract: { text: '无有效签约', color: 'default' },
} as const;

export function RemindersPage() {
  const { message } = App.useApp();
  const access = useAccess();
  const [params] = useSearchParams();
  const event = params.get('event') ? Number(params.get('event')) : undefined;
  const [status, setStatus] = useState<string | undefined>(event ? undefined : 'open');
  const [kind, setKind] = useState<string>();
  const [handling, setHandling] = useState<Reminder | null>(null);
  const [note, setNote] = useState('');
  const [key, setKey] = useState(0);

  const handle = async () => {
    if (!handling) return;
    try {
      await api.post(`/fd-services/inpatient-reminders/${handling.id}/handle`, { note });
      message.success('已处理');
      setHandling(null);
      setKey((k) => k + 1);
    } catch (e) {
      message.error(errorText(e));
    }
  };

  const columns: ColumnsType<Reminder> = [
    { title: '状态', dataIndex: 'status', render: (v: Reminder['status']) => <Tag color={STATUS[v].color}>{STATUS[v].text}</Tag> },
    { title: '事件', dataIndex: 'kindName', render: (v: string, r) => <Tag color={r.kind === 'admission' ? 'red' : 'blue'}>{v}</Tag> },
    { title: '居民', key: 'p', render: (_, r) => `${r.personName ?? '—'}${r.age != null ? `（${r.age}岁）` : ''} ${r.idNumberMasked ?? ''}` },
    { title: '医院 / 科室', key: 'h', render: (_, r) => `${r.hospitalName ?? '—'} ${r.department ?? ''}` },
    { title: '住院号', dataIndex: 'stayNo', render: (v: string) => <span className="wj-mono">{v}</span> },
    { title: '时间', dataIndex: 'at', render: (v: string) => fmtTime(v) },
    { title: '诊断', dataIndex: 'diagnosis', render: (v: string | null) => v ?? '—' },
    {
      title: '报告',
      dataIndex: 'reports',
      render: (v: Reminder['reports']) =>
        v.length ? (
          <Space orientation="vertical" size={0}>
            {v.map((x) => (
              <Typography.Link key={x.url} href={x.url} target="_blank" rel="noreferrer">
                {x.title}
              </Typography.Link>
            ))}
          </Space>
        ) : (
          '—'
        ),
    },
    { title: '处理', key: 'hd', render: (_, r) => (r.status === 'handled' ? `${r.handledBy ?? ''} ${fmtTime(r.handledAt)}：${r.handlingNote ?? ''}` : '—') },
    {
      title: '操作',
      key: 'op',
      render: (_, r) =>
        r.status === 'open' && access.can('fd-services.manage') ? (
          <Button
            size="small"
            type="link"
            onClick={() => {
              setHandling(r);
              setNote('');
            }}
          >
            处理
          </Button>
        ) : null,
    },
  ];

  return (
    <Card title="住院提醒">
      <Typography.Paragraph type="secondary">
        医院推送签约居民入院、出院事件后，签约家庭医生收到提醒（右上角通知），可查看本次住院的报告并登记随访处理。
      </Typography.Paragraph>
      <Space style={{ marginBottom: 12 }}>
        <Select
          allowClear
          placeholder="全部状态"
          value={status}
          onChange={setStatus}
          style={{ width: 140 }}
          options={Object.entries(STATUS).map(([value, s]) => ({ value, label: s.text }))}
        />
        <Select
          allowClear
          placeholder="入院/出院"
          value={kind}
          onChange={setKind}
          style={{ width: 120 }}
          options={[
            { value: 'admission', label: '入院' },
            { value: 'discharge', label: '出院' },
          ]}
        />
      </Space>
      <ScopedTable<Reminder>
        rowKey="id"
        columns={columns}
        deps={[status, kind, event]}
        reloadKey={key}
        emptyText="没有住院提醒"
        load={(page, pageSize, signal) => api.get<Page<Reminder>>('/fd-services/inpatient-reminders', { status, kind, event, page, pageSize }, signal)}
      />
      <Modal open={!!handling} title="处理住院提醒" onCancel={() => setHandling(null)} onOk={handle} okButtonProps={{ disabled: !note.trim() }} okText="确定">
        <Input.TextArea
          rows={3}
          maxLength={200}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          placeholder="处理情况，如：已电话随访，出院后预约上门访视"
        />
      </Modal>
    </Card>
  );
}
