import type { InstitutionPage } from '@server/systems/common/master-data/responses.ts';
import type { ResidentPage } from '@server/systems/common/resident-index/responses.ts';
import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Input, InputNumber, Modal, Space, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { api, applyFieldErrors, errorText } from '../../../app/api';
import { fmtTime } from '../../../app/format';
import { useSession } from '../../../app/session';
import type { Page } from '../../../app/types';
import { RemoteSelect } from '../../../components/RemoteSelect';
import { ScopedTable } from '../../../components/ScopedTable';
import type { AuthCode, IssuedAuthCode } from '@server/systems/health-network/family-doctor/responses.ts';

const STATUS: Record<AuthCode['status'], { text: string; color: string }> = {
  valid: { text: '有效', color: 'green' },
  used: { text: '已使用', color: 'blue' },
  expired: { text: '已过期', color: 'default' },
  revoked: { text: '已作废', color: 'red' },
};

const chcs = async (q: string, signal: AbortSignal) =>
  (await api.get<InstitutionPage>('/institutions', { kind: 'chc', q: q || undefined, pageSize: 50 }, signal)).items.map((i) => ({
    value: i.id,
    label: i.name,
  }));

/** 授权码签约: a community admin issues a single-use, expiring code for an emergency signing at the centre. */
export function AuthCodesPage() {
  const { message, modal } = App.useApp();
  const { user } = useSession();
  const [form] = Form.useForm();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [key, setKey] = useState(0);
  const atInstitution = user?.scope.level === 'institution' || user?.scope.level === 'team' || user?.scope.level === 'own';

  const issue = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setBusy(true);
    try {
      let personId: number | undefined;
      if (v.idNumber) {
        const r = await api.get<ResidentPage>('/residents', { idNumber: String(v.idNumber).trim().toUpperCase() });
        if (!r.items[0]) throw new Error('未找到该居民（或不在您的数据权限范围内）');
        personId = r.items[0].id;
      }
      const r = await api.post<IssuedAuthCode>('/family-doctor/auth-codes', {
        reason: v.reason,
        validHours: v.validHours,
        ...(v.institutionId ? { institutionId: v.institutionId } : {}),
        ...(personId ? { personId } : {}),
      });
      setOpen(false);
      form.resetFields();
      setKey((k) => k + 1);
      modal.success({
        title: '授权码已签发（只显示这一次）',
        content: (
          <Space orientation="vertical">
            <Typography.Text copyable className="wj-mono" style={{ fontSize: 24 }} data-testid="fd-auth-code">
              {r.code}
            </Typography.Text>
            <span>
              {r.institutionName}，有效至 {fmtTime(r.expiresAt)}，一次有效。
            </span>
          </Space>
        ),
      });
    } catch (e) {
      if (!applyFieldErrors(form, e).length) message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (c: AuthCode) => {
    try {
      await api.post(`/family-doctor/auth-codes/${c.id}/revoke`);
      message.success('授权码已作废');
      setKey((k) => k + 1);
    } catch (e) {
      message.error(errorText(e));
    }
  };

  const columns: ColumnsType<AuthCode> = [
    { title: '授权码', dataIndex: 'codeHint', render: (v: string) => <span className="wj-mono">{v}</span> },
    { title: '状态', dataIndex: 'status', render: (v: AuthCode['status']) => <Tag color={STATUS[v].color}>{STATUS[v].text}</Tag> },
    { title: '签约社区', dataIndex: 'institutionName' },
    { title: '限定居民', dataIndex: 'personId', render: (v: number | null) => (v ? `居民 ${v}` : '不限') },
    { title: '事由', dataIndex: 'reason' },
    { title: '有效至', dataIndex: 'expiresAt', render: (v: string) => fmtTime(v) },
    { title: '签发人', key: 'by', render: (_, c) => `${c.issuedByName ?? ''} ${fmtTime(c.issuedAt)}` },
    { title: '使用', key: 'use', render: (_, c) => (c.usedAt ? `${c.usedByName ?? ''} ${fmtTime(c.usedAt)}（签约 ${c.usedContractId}）` : '—') },
    {
      title: '操作',
      key: 'op',
      render: (_, c) =>
        c.status === 'valid' ? (
          <Button type="link" size="small" danger onClick={() => revoke(c)}>
            作废
          </Button>
        ) : null,
    },
  ];

  return (
    <Card
      title="授权码签约"
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)} data-testid="fd-auth-issue">
          签发授权码
        </Button>
      }
    >
      <Alert
        style={{ marginBottom: 12 }}
        type="info"
        showIcon
        title="应急情况下由社区管理员签发：一次有效、到期失效，只能用于本社区签约；医生在“新签约”中选择“授权码签约”并输入授权码。签发、使用和作废均记入审计。"
      />
      <ScopedTable<AuthCode>
        rowKey="id"
        columns={columns}
        reloadKey={key}
        deps={[]}
        emptyText="暂无授权码"
        load={(page, pageSize, signal) => api.get<Page<AuthCode>>('/family-doctor/auth-codes', { page, pageSize }, signal)}
      />
      <Modal title="签发授权码" open={open} onCancel={() => setOpen(false)} onOk={issue} confirmLoading={busy} okText="签发" destroyOnHidden>
        <Form form={form} layout="vertical" initialValues={{ validHours: 4 }}>
          {!atInstitution && (
            <Form.Item name="institutionId" label="签约社区卫生服务中心" rules={[{ required: true, message: '请选择社区卫生服务中心' }]}>
              <RemoteSelect fetch={chcs} placeholder="社区卫生服务中心" />
            </Form.Item>
          )}
          <Form.Item name="reason" label="应急事由" rules={[{ required: true, min: 2, message: '请填写应急事由' }]}>
            <Input.TextArea rows={2} maxLength={200} />
          </Form.Item>
          <Form.Item name="validHours" label="有效时长（小时，1–72）" rules={[{ required: true, message: '请填写有效时长' }]}>
            <InputNumber min={1} max={72} />
          </Form.Item>
          <Form.Item name="idNumber" label="限定居民身份证号（可选）">
            <Input className="wj-mono" maxLength={18} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
