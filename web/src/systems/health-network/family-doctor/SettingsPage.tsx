import { App, Button, Card, Collapse, Descriptions, Form, Input, Modal, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, applyFieldErrors, errorText } from '../../../app/api';
import { fmtTime } from '../../../app/format';
import { useApi } from '../../../app/use-api';
import { CardSkeleton, ErrorState } from '../../../components/page-states';
import type {
  AgreementTemplate,
  AgreementTemplates,
  CardRule,
  QcQueued,
  QcStatus,
  CardRules as CardRuleList,
} from '@server/systems/health-network/family-doctor/responses.ts';

function Templates() {
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [open, setOpen] = useState(false);
  const { data, error, loading, reload } = useApi((s) => api.get<AgreementTemplates>('/family-doctor/agreement-templates', undefined, s), []);
  if (loading) return <CardSkeleton />;
  if (error) return <ErrorState error={error} onRetry={reload} />;
  const current = data?.items[0];
  const publish = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    try {
      const t = await api.post<AgreementTemplate>('/family-doctor/agreement-templates', v);
      message.success(`已发布第 ${t.version} 版，此后生成的协议书使用新版本`);
      setOpen(false);
      reload();
    } catch (e) {
      if (!applyFieldErrors(form, e).length) message.error(errorText(e));
    }
  };
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Button
        type="primary"
        onClick={() => {
          form.setFieldsValue({ title: current?.title, body: current?.body, note: '' });
          setOpen(true);
        }}
        data-testid="fd-template-new"
      >
        基于当前版本发布新版
      </Button>
      <Collapse
        defaultActiveKey={current ? [String(current.id)] : []}
        items={(data?.items ?? []).map((t, i) => ({
          key: String(t.id),
          label: (
            <Space>
              {`第 ${t.version} 版：${t.title}`}
              {i === 0 && <Tag color="green">当前</Tag>}
              <Typography.Text type="secondary">
                {t.createdByName ?? ''} {fmtTime(t.createdAt)} {t.note ?? ''}
              </Typography.Text>
            </Space>
          ),
          children: <pre style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{t.body}</pre>,
        }))}
      />
      <Modal title="发布新版协议书模板" open={open} onCancel={() => setOpen(false)} onOk={publish} okText="发布" width={760} destroyOnHidden>
        <Form form={form} layout="vertical">
          <Form.Item name="title" label="标题" rules={[{ required: true, min: 2, message: '请填写标题' }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="body" label="正文（空行分段）" rules={[{ required: true, min: 20, message: '正文至少 20 个字' }]}>
            <Input.TextArea rows={14} maxLength={20000} />
          </Form.Item>
          <Form.Item name="note" label="版本说明">
            <Input maxLength={200} />
          </Form.Item>
        </Form>
        <Typography.Text type="secondary">
          可用占位符：
          {data?.placeholders.map((p) => (
            <Tag key={p.key} className="wj-mono">
              {`{{${p.key}}}`} {p.title}
            </Tag>
          ))}
        </Typography.Text>
      </Modal>
    </Space>
  );
}

function CardRules() {
  const { message, modal } = App.useApp();
  const [form] = Form.useForm();
  const [editing, setEditing] = useState<Partial<CardRule> | null>(null);
  const { data, error, loading, reload } = useApi((s) => api.get<CardRuleList>('/family-doctor/card-rules', undefined, s), []);
  if (loading) return <CardSkeleton />;
  if (error) return <ErrorState error={error} onRetry={reload} />;
  const save = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    try {
      const { insuredPlace, ...body } = v;
      await api.put(`/family-doctor/card-rules/${insuredPlace}`, { ...body, ...(body.example ? {} : { example: undefined }) });
      message.success('规则已保存');
      setEditing(null);
      reload();
    } catch (e) {
      if (!applyFieldErrors(form, e).length) message.error(errorText(e));
    }
  };
  const remove = (r: CardRule) =>
    modal.confirm({
      title: `删除参保地 ${r.insuredPlace} 的格式规则？`,
      onOk: async () => {
        try {
          await api.del(`/family-doctor/card-rules/${r.insuredPlace}`);
          reload();
        } catch (e) {
          message.error(errorText(e));
        }
      },
    });
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Typography.Text type="secondary">
        签约时填写的医保卡号按参保地的规则校验；没有规则的参保地只校验为字母和数字。异地医保卡以“参保地 + 卡号”识别唯一居民；卡号与他人重复时允许办理并提示。
      </Typography.Text>
      <Button
        type="primary"
        onClick={() => {
          form.resetFields();
          setEditing({});
        }}
        data-testid="fd-card-rule-new"
      >
        新增规则
      </Button>
      <Table<CardRule>
        rowKey="insuredPlace"
        size="small"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={data?.items ?? []}
        columns={[
          { title: '参保地', dataIndex: 'insuredPlace', render: (v: string) => <span className="wj-mono">{v}</span> },
          { title: '说明', dataIndex: 'title' },
          { title: '格式（正则）', dataIndex: 'pattern', render: (v: string) => <span className="wj-mono">{v}</span> },
          { title: '示例', dataIndex: 'example', render: (v: string | null) => v ?? '—' },
          { title: '更新', key: 'u', render: (_, r) => `${r.updatedByName ?? ''} ${fmtTime(r.updatedAt)}` },
          {
            title: '操作',
            key: 'op',
            fixed: 'right',
            render: (_, r) => (
              <Space>
                <Button
                  type="link"
                  size="small"
                  onClick={() => {
                    form.setFieldsValue(r);
                    setEditing(r);
                  }}
                >
                  修改
                </Button>
                <Button type="link" size="small" danger onClick={() => remove(r)}>
                  删除
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <Modal title="医保卡号格式规则" open={!!editing} onCancel={() => setEditing(null)} onOk={save} okText="保存" destroyOnHidden>
        <Form form={form} layout="vertical">
          <Form.Item name="insuredPlace" label="参保地（6 位区划代码）" rules={[{ required: true, pattern: /^\d{6}$/, message: '请填写 6 位区划代码' }]}>
            <Input maxLength={6} disabled={!!editing?.insuredPlace} />
          </Form.Item>
          <Form.Item name="title" label="说明" rules={[{ required: true, min: 2, message: '请填写说明' }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="pattern" label="格式（正则表达式，以 ^ 开头、$ 结尾）" rules={[{ required: true, message: '请填写格式' }]}>
            <Input className="wj-mono" maxLength={200} />
          </Form.Item>
          <Form.Item name="example" label="示例卡号">
            <Input className="wj-mono" maxLength={32} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}

function OutwardData() {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const { data, error, loading, reload } = useApi((s) => api.get<QcStatus>('/family-doctor/outward/status', undefined, s), []);
  if (loading) return <CardSkeleton />;
  if (error || !data) return <ErrorState error={error} onRetry={reload} />;
  const push = async () => {
    setBusy(true);
    try {
      const r = await api.post<QcQueued>('/family-doctor/outward/qc-push');
      message.success(`已排入发件箱：签约 ${r.contracts} 条、签约记录 ${r.events} 条（${r.messages} 个数据包）`);
      reload();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Typography.Text type="secondary">
        镜像库（fd_mirror）与签约数据在同一事务中实时同步，供其他系统读取；签约数据集每小时推送家庭医生质控平台（经发件箱，对方不可用时自动重试，不丢失）。
      </Typography.Text>
      <Descriptions
        bordered
        size="small"
        column={2}
        items={[
          { key: 'mc', label: '镜像库签约', children: data.mirror.contracts },
          { key: 'me', label: '镜像库签约记录', children: data.mirror.events },
          { key: 'ml', label: '最近同步', children: data.mirror.lastMirroredAt ? fmtTime(data.mirror.lastMirroredAt) : '—' },
          { key: 'p', label: '待推送', children: `签约 ${data.pending.contracts}，记录 ${data.pending.events}` },
          {
            key: 'o',
            label: '发件箱（质控平台）',
            span: 2,
            children: Object.entries(data.outbox).map(([k, n]) => (
              <Tag key={k}>
                {k}：{n}
              </Tag>
            )),
          },
        ]}
      />
      <Button type="primary" loading={busy} onClick={push}>
        立即推送
      </Button>
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={data.pushes}
        columns={[
          { title: '批次', dataIndex: 'id' },
          { title: '数据集', dataIndex: 'dataset', render: (v: string) => (v === 'contracts' ? '签约' : '签约记录') },
          { title: '行数', dataIndex: 'rows' },
          { title: '数据包', dataIndex: 'messages' },
          { title: '时间', dataIndex: 'at', render: (v: string) => fmtTime(v) },
        ]}
      />
    </Space>
  );
}

/** 签约配置 (city): agreement templates, insurance-card rules, outward data. */
export function SettingsPage() {
  return (
    <Card title="签约配置">
      <Tabs
        items={[
          { key: 'templates', label: '协议书模板', children: <Templates /> },
          { key: 'cards', label: '医保卡号规则', children: <CardRules /> },
          { key: 'outward', label: '数据推送', children: <OutwardData /> },
        ]}
      />
    </Card>
  );
}
