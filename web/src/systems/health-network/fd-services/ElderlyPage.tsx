import { Alert, App, Button, Card, DatePicker, Descriptions, Form, Input, InputNumber, Select, Space, Tabs, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useAccess } from '../../../app/access';
import { api, applyFieldErrors, errorText } from '../../../app/api';
import { fmtDate } from '../../../app/format';
import type { Page } from '../../../app/types';
import { ScopedTable } from '../../../components/ScopedTable';
import type { Booking as ExamBooking, BookingMade, ExamPlan, Visit } from '@server/systems/health-network/fd-services/responses.ts';

/**
 * 老年人健康服务: 体检预约 (the path depends on the contract colour: sign first / book / renew or book with
 * flexible renewal / sign anew; contracted community recommended first) and 上门访视 by form.
 */

const FORMS = [
  { value: 'integrated_care', label: '医养结合' },
  { value: 'clinic', label: '诊间' },
  { value: 'follow_up', label: '随访' },
  { value: 'home_bed', label: '家庭病床' },
  { value: 'ltc_delegated', label: '委托长护险护理员与评估员' },
  { value: 'other', label: '其他' },
];
const STEP_COLOUR: Record<ExamPlan['step'], 'info' | 'success' | 'warning' | 'error'> = {
  not_eligible: 'info',
  sign_first: 'warning',
  book: 'success',
  renew_or_book: 'warning',
  sign_anew: 'error',
};

function Booking() {
  const { message } = App.useApp();
  const access = useAccess();
  const [personId, setPersonId] = useState<number | null>(null);
  const [plan, setPlan] = useState<ExamPlan | null>(null);
  const [institutionId, setInstitutionId] = useState<number>();
  const [date, setDate] = useState<dayjs.Dayjs | null>(dayjs().add(7, 'day'));
  const [prompt, setPrompt] = useState<string | null>(null);
  const [key, setKey] = useState(0);
  const load = async () => {
    if (!personId) return;
    setPrompt(null);
    try {
      const p = await api.get<ExamPlan>(`/fd-services/elderly/${personId}/exam-plan`);
      setPlan(p);
      setInstitutionId(p.communities[0]?.institutionId);
    } catch (e) {
      setPlan(null);
      message.error(errorText(e));
    }
  };
  const book = async () => {
    if (!plan || !institutionId || !date) return;
    try {
      const r = await api.post<BookingMade>('/fd-services/elderly/bookings', { personId: plan.personId, institutionId, examDate: date.format('YYYY-MM-DD') });
      message.success('已预约体检');
      setPrompt(r.renewalPrompt ? `${r.renewalPrompt.message}。${r.renewalPrompt.reason}` : null);
      setKey((k) => k + 1);
    } catch (e) {
      message.error(errorText(e));
    }
  };
  const canBook = plan && (plan.step === 'book' || plan.step === 'renew_or_book') && access.can('fd-services.manage');
  const columns: ColumnsType<ExamBooking> = [
    { title: '居民', key: 'p', render: (_, b) => `${b.personName ?? '—'}${b.age != null ? `（${b.age}岁）` : ''}` },
    { title: '体检机构', dataIndex: 'institutionName' },
    { title: '体检日期', dataIndex: 'examDate', render: (v: string) => fmtDate(v) },
    { title: '状态', dataIndex: 'statusName', render: (v: string) => <Tag>{v}</Tag> },
    { title: '续约提示', dataIndex: 'renewalPrompted', render: (v: boolean) => (v ? <Tag color="gold">待续约</Tag> : '—') },
    { title: '预约人', dataIndex: 'bookedBy' },
    {
      title: '操作',
      key: 'op',
      render: (_, b) =>
        b.status === 'booked' && access.can('fd-services.manage') ? (
          <Space>
            {(['done', 'no_show', 'cancelled'] as const).map((s) => (
              <Button
                key={s}
                size="small"
                type="link"
                onClick={async () => {
                  try {
                    await api.post(`/fd-services/elderly/bookings/${b.id}/status`, { status: s });
                    setKey((k) => k + 1);
                  } catch (e) {
                    message.error(errorText(e));
                  }
                }}
              >
                {{ done: '已体检', no_show: '未到检', cancelled: '取消' }[s]}
              </Button>
            ))}
          </Space>
        ) : null,
    },
  ];
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={16}>
      <Space>
        <InputNumber placeholder="居民编号" min={1} value={personId} onChange={(v) => setPersonId(v)} style={{ width: 180 }} data-testid="elderly-person" />
        <Button type="primary" onClick={load} disabled={!personId}>
          查询办理路径
        </Button>
      </Space>
      {plan ? (
        <Card size="small">
          <Descriptions
            size="small"
            column={3}
            items={[
              { key: 'n', label: '居民', children: `${plan.name}（${plan.age}岁）` },
              {
                key: 'c',
                label: '签约状态',
                children: plan.colour ? (
                  <Tag color={plan.colour === 'green' ? 'green' : plan.colour === 'yellow' ? 'gold' : 'red'}>
                    {{ green: '绿·有效', yellow: '黄·待续约', red: '红·已过期' }[plan.colour]}
                  </Tag>
                ) : (
                  <Tag>未签约</Tag>
                ),
              },
              {
                key: 'r',
                label: '报告',
                children: `健康评估${plan.reports.healthAssessment ? '已上传' : '未上传'}；体检${plan.reports.physicalExam ? '已上传' : '未上传'}`,
              },
            ]}
          />
          <Alert
            style={{ margin: '12px 0' }}
            type={STEP_COLOUR[plan.step]}
            showIcon
            message={plan.guidance}
            description={
              plan.renewal ? (
                `弹性续约：可选 ${plan.renewal.years.join('、')} 年。${plan.renewal.reason}`
              ) : plan.signUrl ? (
                <span>
                  签约入口：
                  <Typography.Link href={plan.signUrl} target="_blank">
                    {plan.signUrl}
                  </Typography.Link>
                  （或在“签约管理”办理）
                </span>
              ) : undefined
            }
          />
          {canBook ? (
            <Space wrap>
              <Select
                style={{ width: 320 }}
                value={institutionId}
                onChange={setInstitutionId}
                options={plan.communities.map((c) => ({ value: c.institutionId, label: `${c.name ?? c.institutionId}（${c.reason}）` }))}
              />
              <DatePicker value={date} onChange={setDate} disabledDate={(d) => d.isBefore(dayjs(), 'day') || d.isAfter(dayjs().add(90, 'day'))} />
              <Button type="primary" onClick={book} data-testid="elderly-book">
                预约体检
              </Button>
            </Space>
          ) : null}
          {prompt ? <Alert style={{ marginTop: 12 }} type="warning" showIcon message={prompt} /> : null}
        </Card>
      ) : null}
      <ScopedTable<ExamBooking>
        rowKey="id"
        columns={columns}
        deps={[]}
        reloadKey={key}
        emptyText="没有体检预约"
        load={(page, pageSize, signal) => api.get<Page<ExamBooking>>('/fd-services/elderly/bookings', { page, pageSize }, signal)}
      />
    </Space>
  );
}

function Visits() {
  const { message } = App.useApp();
  const access = useAccess();
  const [form] = Form.useForm();
  const [key, setKey] = useState(0);
  const [formFilter, setFormFilter] = useState<string>();
  const submit = async () => {
    const v = await form.validateFields();
    try {
      await api.post('/fd-services/home-visits', {
        personId: v.personId,
        form: v.form,
        visitDate: v.visitDate.format('YYYY-MM-DD'),
        summary: v.summary,
        ...(v.nextVisitDate ? { nextVisitDate: v.nextVisitDate.format('YYYY-MM-DD') } : {}),
      });
      message.success('已登记上门访视');
      form.resetFields();
      setKey((k) => k + 1);
    } catch (e) {
      if (applyFieldErrors(form, e).length || !(e instanceof Error)) message.error(errorText(e));
      else message.error(errorText(e));
    }
  };
  const columns: ColumnsType<Visit> = [
    { title: '居民', dataIndex: 'personName' },
    { title: '访视形式', dataIndex: 'formName', render: (v: string) => <Tag>{v}</Tag> },
    { title: '访视日期', dataIndex: 'visitDate', render: (v: string) => fmtDate(v) },
    { title: '访视情况', dataIndex: 'summary' },
    { title: '下次访视', dataIndex: 'nextVisitDate', render: (v: string | null) => fmtDate(v) },
    { title: '登记人', dataIndex: 'recordedBy' },
  ];
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={16}>
      {access.can('fd-services.manage') ? (
        <Card size="small" title="登记上门访视">
          <Form form={form} layout="inline" initialValues={{ form: 'follow_up', visitDate: dayjs() }}>
            <Form.Item name="personId" rules={[{ required: true, message: '请填写居民编号' }]}>
              <InputNumber placeholder="居民编号" min={1} />
            </Form.Item>
            <Form.Item name="form" rules={[{ required: true }]}>
              <Select style={{ width: 220 }} options={FORMS} />
            </Form.Item>
            <Form.Item name="visitDate" rules={[{ required: true, message: '请选择访视日期' }]}>
              <DatePicker placeholder="访视日期" />
            </Form.Item>
            <Form.Item name="nextVisitDate">
              <DatePicker placeholder="下次访视（可选）" />
            </Form.Item>
            <Form.Item name="summary" rules={[{ required: true, message: '请填写访视情况' }]}>
              <Input style={{ width: 300 }} maxLength={1000} placeholder="访视情况" />
            </Form.Item>
            <Form.Item>
              <Button type="primary" onClick={submit}>
                登记
              </Button>
            </Form.Item>
          </Form>
        </Card>
      ) : null}
      <Select allowClear placeholder="全部形式" value={formFilter} onChange={setFormFilter} style={{ width: 240 }} options={FORMS} />
      <ScopedTable<Visit>
        rowKey="id"
        columns={columns}
        deps={[formFilter]}
        reloadKey={key}
        emptyText="没有上门访视记录"
        load={(page, pageSize, signal) => api.get<Page<Visit>>('/fd-services/home-visits', { form: formFilter, page, pageSize }, signal)}
      />
    </Space>
  );
}

export function ElderlyPage() {
  return (
    <Card title="老年人健康服务">
      <Tabs
        items={[
          { key: 'exam', label: '体检预约', children: <Booking /> },
          { key: 'visits', label: '上门访视', children: <Visits /> },
        ]}
      />
    </Card>
  );
}
