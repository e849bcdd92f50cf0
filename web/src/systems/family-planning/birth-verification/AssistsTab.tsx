import { App, Button, Card, Form, Input, Modal, Select, Space, Tabs, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { api, errorText } from '../../../app/api';
import { fmtDate, fmtTime } from '../../../app/format';
import type { Page } from '../../../app/types';
import { ScopedTable } from '../../../components/ScopedTable';
import { type Assist, REPLY_OPTIONS } from './types';

type Box = 'incoming' | 'outgoing';
const COLOR: Record<Assist['status'], string> = { requested: 'orange', replied: 'blue', accepted: 'green', closed: 'default' };

/** 协查: requests other streets sent us (reply), and the ones we sent (accept or return their reply). */
export function AssistsTab() {
  const { message } = App.useApp();
  const [box, setBox] = useState<Box>('incoming');
  const [reload, setReload] = useState(0);
  const [replying, setReplying] = useState<Assist | null>(null);
  const [handling, setHandling] = useState<Assist | null>(null);
  const [replyForm] = Form.useForm<{ result: string; note: string }>();
  const [handleForm] = Form.useForm<{ action: 'accept' | 'return'; note?: string }>();
  const action = Form.useWatch('action', handleForm);

  const submitReply = async () => {
    if (!replying) return;
    const v = await replyForm.validateFields();
    try {
      await api.post(`/birth-verification/assists/${replying.id}/reply`, v);
      message.success('协查结果已反馈');
      setReplying(null);
      replyForm.resetFields();
      setReload((k) => k + 1);
    } catch (e) {
      message.error(errorText(e));
    }
  };
  const submitHandle = async () => {
    if (!handling) return;
    const v = await handleForm.validateFields();
    try {
      await api.post(`/birth-verification/assists/${handling.id}/handle`, v);
      message.success(v.action === 'accept' ? '已采纳协查反馈，任务回到待核实' : '已退回，等待对方重新协查');
      setHandling(null);
      handleForm.resetFields();
      setReload((k) => k + 1);
    } catch (e) {
      message.error(errorText(e));
    }
  };

  const columns: ColumnsType<Assist> = [
    { title: '任务编号', key: 'taskNo', render: (_, a) => <span className="wj-mono">{a.snapshot.taskNo}</span> },
    {
      title: box === 'incoming' ? '发起街道' : '协查街道',
      key: 'street',
      render: (_, a) => (box === 'incoming' ? (a.fromStreetName ?? a.fromStreet) : (a.toStreetName ?? a.toStreet)),
    },
    { title: '儿童 / 出生日期', key: 'child', render: (_, a) => `${a.snapshot.childName} / ${fmtDate(a.snapshot.birthDate)}` },
    {
      title: '母亲',
      key: 'mother',
      render: (_, a) => (
        <span>
          {a.snapshot.motherName} <span className="wj-mono">{a.snapshot.motherIdMasked}</span>
        </span>
      ),
    },
    { title: '协查内容', dataIndex: 'question' },
    {
      title: '状态',
      key: 'status',
      render: (_, a) => (
        <Space>
          <Tag color={COLOR[a.status]}>{a.statusTitle}</Tag>
          {a.round > 1 && <Tag>第 {a.round} 轮</Tag>}
        </Space>
      ),
    },
    {
      title: '反馈',
      key: 'reply',
      render: (_, a) =>
        a.replyNote ? (
          <span>
            {a.replyResultTitle}：{a.replyNote}{' '}
            <Typography.Text type="secondary">
              （{a.repliedBy}，{fmtTime(a.repliedAt)}）
            </Typography.Text>
          </span>
        ) : a.handledNote ? (
          <Typography.Text type="warning">退回原因：{a.handledNote}</Typography.Text>
        ) : (
          '—'
        ),
    },
    {
      title: '操作',
      key: 'op',
      render: (_, a) =>
        box === 'incoming' && a.status === 'requested' ? (
          <Button size="small" type="link" onClick={() => setReplying(a)}>
            反馈
          </Button>
        ) : box === 'outgoing' && a.status === 'replied' ? (
          <Button size="small" type="link" onClick={() => setHandling(a)}>
            处理反馈
          </Button>
        ) : null,
    },
  ];

  return (
    <Card>
      <Tabs
        activeKey={box}
        onChange={(k) => setBox(k as Box)}
        items={[
          { key: 'incoming', label: '收到的协查' },
          { key: 'outgoing', label: '发出的协查' },
        ]}
      />
      <ScopedTable<Assist>
        rowKey="id"
        columns={columns}
        deps={[box]}
        reloadKey={reload}
        load={(page, pageSize, signal) => api.get<Page<Assist>>('/birth-verification/assists', { box, page, pageSize }, signal)}
        emptyText={box === 'incoming' ? '暂无其他街道发来的协查' : '暂无发出的协查'}
      />
      <Modal
        open={replying !== null}
        title={replying ? `反馈协查：${replying.snapshot.taskNo}` : ''}
        onOk={submitReply}
        onCancel={() => setReplying(null)}
        okText="提交反馈"
        cancelText="取消"
        destroyOnClose
      >
        {replying && <Typography.Paragraph>{replying.question}</Typography.Paragraph>}
        <Form form={replyForm} layout="vertical">
          <Form.Item name="result" label="协查结果" rules={[{ required: true, message: '请选择协查结果' }]}>
            <Select options={REPLY_OPTIONS} />
          </Form.Item>
          <Form.Item name="note" label="协查情况" rules={[{ required: true, whitespace: true, message: '请填写协查情况' }]}>
            <Input.TextArea rows={3} maxLength={500} showCount />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={handling !== null}
        title={handling ? `处理协查反馈：${handling.snapshot.taskNo}` : ''}
        onOk={submitHandle}
        onCancel={() => setHandling(null)}
        okText="提交"
        cancelText="取消"
        destroyOnClose
      >
        {handling && (
          <Typography.Paragraph>
            对方反馈：{handling.replyResultTitle}；{handling.replyNote}
          </Typography.Paragraph>
        )}
        <Form form={handleForm} layout="vertical" initialValues={{ action: 'accept' }}>
          <Form.Item name="action" label="处理方式">
            <Select
              options={[
                { value: 'accept', label: '采纳（任务回到待核实）' },
                { value: 'return', label: '退回重新协查' },
              ]}
            />
          </Form.Item>
          <Form.Item
            name="note"
            label={action === 'return' ? '退回原因' : '说明（可选）'}
            rules={action === 'return' ? [{ required: true, whitespace: true, message: '请填写退回原因' }] : []}
          >
            <Input.TextArea rows={2} maxLength={500} showCount />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
