import { App, Button, Card, Form, Input, Modal, Radio, Space, Tabs, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useAccess } from '../../../app/access';
import type { Application, ApplicationPage, SmsSent } from '@server/systems/family-planning/childcare-subsidy/responses.ts';
import { api, errorText } from '../../../app/api';
import { useDistrictFilter } from '../../../app/district-filter';
import { fmtNumber, fmtTime } from '../../../app/format';
import { ScopedTable } from '../../../components/ScopedTable';

type Status = 'sms_sent' | 'manual_review' | 'approved' | 'rejected';
const STATUS: { key: Status; label: string; color: string }[] = [
  { key: 'sms_sent', label: '待家长确认', color: 'default' },
  { key: 'manual_review', label: '人工审核中', color: 'orange' },
  { key: 'approved', label: '已审核通过', color: 'green' },
  { key: 'rejected', label: '审核未通过', color: 'red' },
];

/** 申领确认与审核: send the confirmation SMS, the applications by status, and the manual-review actions. */
export function ApplicationsCard() {
  const access = useAccess();
  const { message } = App.useApp();
  const { districtName } = useDistrictFilter();
  const [status, setStatus] = useState<Status>('manual_review');
  const [reload, setReload] = useState(0);
  const [counts, setCounts] = useState<Record<string, number>>({});
  const [sending, setSending] = useState(false);
  const [reviewing, setReviewing] = useState<Application | null>(null);
  const [form] = Form.useForm<{ decision: 'approve' | 'reject'; reason: string }>();

  const sendSms = () =>
    Modal.confirm({
      title: '发送确认短信',
      content: '将向最新筛选版本中预填完整、尚未发送的申领人发送一次性确认链接（7 天内有效）。是否继续？',
      okText: '发送',
      cancelText: '取消',
      onOk: async () => {
        setSending(true);
        try {
          const r = await api.post<SmsSent>('/childcare-subsidy/applications/send-sms', {});
          message.success(r.sent > 0 ? `已生成 ${fmtNumber(r.sent)} 条确认短信，正在通过短信网关发送` : '没有需要发送的申领');
          setReload((k) => k + 1);
        } catch (e) {
          message.error(errorText(e));
        } finally {
          setSending(false);
        }
      },
    });

  const submitReview = async () => {
    if (!reviewing) return;
    const v = await form.validateFields();
    try {
      await api.post(`/childcare-subsidy/applications/${reviewing.id}/review`, v);
      message.success(v.decision === 'approve' ? '已审核通过' : '已驳回');
      setReviewing(null);
      form.resetFields();
      setReload((k) => k + 1);
    } catch (e) {
      message.error(errorText(e));
    }
  };

  const columns: ColumnsType<Application> = [
    { title: '编号', dataIndex: 'id' },
    { title: '儿童', dataIndex: 'childNameMasked' },
    { title: '所属区', dataIndex: 'districtCode', render: (d: string | null) => districtName(d) },
    { title: '孩次', dataIndex: 'birthOrder', render: (v: number | null) => v ?? '—' },
    { title: '金额（元/年）', dataIndex: 'amountYuan', render: fmtNumber },
    { title: '银行账户', dataIndex: 'bankAccountMasked', render: (v: string | null) => <span className="wj-mono">{v ?? '—'}</span> },
    { title: '状态', dataIndex: 'status', render: (_: string, a) => <Tag color={STATUS.find((s) => s.key === a.status)?.color}>{a.statusTitle}</Tag> },
    {
      title: status === 'manual_review' ? '转人工原因' : status === 'sms_sent' ? '链接有效期至' : '审核',
      key: 'detail',
      render: (_, a) =>
        a.status === 'sms_sent' ? (
          fmtTime(a.linkExpiresAt)
        ) : a.status === 'manual_review' ? (
          <Typography.Text type="warning">{a.reviewReasons.join('；')}</Typography.Text>
        ) : (
          `${a.decidedBy ?? '—'} ${fmtTime(a.decidedAt)}${a.decisionNote ? `：${a.decisionNote}` : ''}`
        ),
    },
    ...(status === 'manual_review' && access.can('childcare-subsidy.review')
      ? [
          {
            title: '操作',
            key: 'op',
            render: (_: unknown, a: Application) => (
              <Button size="small" type="link" onClick={() => setReviewing(a)}>
                审核
              </Button>
            ),
          },
        ]
      : []),
  ];

  return (
    <Card
      title="申领确认与审核"
      extra={
        access.can('childcare-subsidy.apply.send') && (
          <Button type="primary" loading={sending} onClick={sendSms}>
            发送确认短信
          </Button>
        )
      }
    >
      <Tabs
        activeKey={status}
        onChange={(k) => setStatus(k as Status)}
        items={STATUS.map((s) => ({ key: s.key, label: `${s.label}${counts[s.key] !== undefined ? `（${fmtNumber(counts[s.key])}）` : ''}` }))}
      />
      <ScopedTable<Application>
        rowKey="id"
        columns={columns}
        deps={[status]}
        reloadKey={reload}
        load={(page, pageSize, signal) => api.get<ApplicationPage>('/childcare-subsidy/applications', { page, pageSize, status }, signal)}
        onLoaded={(p) => setCounts((p as ApplicationPage).byStatus ?? {})}
        emptyText="暂无该状态的申领"
      />
      <Modal
        title={reviewing ? `人工审核：${reviewing.childNameMasked}（编号 ${reviewing.id}）` : ''}
        open={reviewing !== null}
        onOk={submitReview}
        onCancel={() => setReviewing(null)}
        okText="提交"
        cancelText="取消"
        destroyOnClose
      >
        {reviewing && (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Typography.Text type="warning">转人工原因：{reviewing.reviewReasons.join('；') || '—'}</Typography.Text>
            <Form form={form} layout="vertical" initialValues={{ decision: 'approve' }}>
              <Form.Item name="decision" label="审核结论" rules={[{ required: true, message: '请选择审核结论' }]}>
                <Radio.Group
                  options={[
                    { value: 'approve', label: '通过' },
                    { value: 'reject', label: '驳回' },
                  ]}
                />
              </Form.Item>
              <Form.Item name="reason" label="审核意见" rules={[{ required: true, whitespace: true, message: '请填写审核意见' }]}>
                <Input.TextArea maxLength={200} showCount rows={3} />
              </Form.Item>
            </Form>
          </Space>
        )}
      </Modal>
    </Card>
  );
}
