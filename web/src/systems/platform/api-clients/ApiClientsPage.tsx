import { PlusOutlined } from '@ant-design/icons';
import type { ApiClient, ApiClientCreated as Created, ApiClientPage } from '@server/platform/auth/responses.ts';
import { Alert, App, Button, Card, Form, Input, Modal, Select, Space, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useAccess } from '../../../app/access';
import { api, applyFieldErrors, errorText } from '../../../app/api';
import { useDistrictFilter } from '../../../app/district-filter';
import { fmtTime } from '../../../app/format';
import { useSession } from '../../../app/session';
import { ScopedTable } from '../../../components/ScopedTable';

/** 合作系统接入: partner systems that call the API with signed requests (HMAC-SM3, docs/security.md). */
export function ApiClientsPage() {
  const access = useAccess();
  const { user } = useSession();
  const { districts, districtName } = useDistrictFilter();
  const { modal, message } = App.useApp();
  const [reloadKey, setReloadKey] = useState(0);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<Created | null>(null);
  const [form] = Form.useForm();
  const level = Form.useWatch(['scope', 'level'], form) as string | undefined;
  const canManage = access.can('auth.api-clients.manage');

  const toggle = (c: ApiClient) =>
    modal.confirm({
      title: c.disabled ? '启用合作系统' : '停用合作系统',
      content: c.disabled ? `确定启用「${c.name}」吗？` : `停用后「${c.name}」的所有接口调用将被拒绝。确定停用吗？`,
      okButtonProps: { danger: !c.disabled },
      onOk: async () => {
        try {
          await api.post(`/api-clients/${encodeURIComponent(c.clientId)}/${c.disabled ? 'enable' : 'disable'}`);
          message.success(c.disabled ? '已启用' : '已停用');
          setReloadKey((k) => k + 1);
        } catch (e) {
          message.error(errorText(e));
        }
      },
    });

  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const scope = v.scope.level === 'city' ? { level: 'city' } : { level: 'district', districtCode: v.scope.districtCode };
      const c = await api.post<Created>('/api-clients', { name: v.name, permissions: v.permissions ?? [], scope });
      setOpen(false);
      form.resetFields();
      setCreated(c);
      setReloadKey((k) => k + 1);
    } catch (e) {
      if (applyFieldErrors(form, e).length || !(e as { details?: unknown[] }).details?.length) message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const columns: ColumnsType<ApiClient> = [
    { title: '名称', dataIndex: 'name' },
    {
      title: 'Client ID',
      dataIndex: 'clientId',
      render: (v: string) => (
        <Typography.Text className="wj-mono" copyable>
          {v}
        </Typography.Text>
      ),
    },
    { title: '数据权限', key: 'scope', render: (_, c) => (c.scope.level === 'city' ? '全市' : districtName(c.scope.districtCode)) },
    {
      title: '授权',
      dataIndex: 'permissions',
      render: (p: string[]) => (
        <Space size={[4, 4]} wrap>
          {p.map((x) => (
            <Tag key={x} className="wj-mono">
              {x}
            </Tag>
          ))}
        </Space>
      ),
    },
    { title: '状态', dataIndex: 'disabled', render: (d: boolean) => (d ? <Tag>已停用</Tag> : <Tag color="green">启用</Tag>) },
    { title: '登记时间', dataIndex: 'createdAt', render: fmtTime },
    {
      title: '操作',
      key: 'op',
      render: (_, c) =>
        canManage && (
          <Button type="link" size="small" danger={!c.disabled} onClick={() => toggle(c)}>
            {c.disabled ? '启用' : '停用'}
          </Button>
        ),
    },
  ];

  return (
    <Card
      extra={
        canManage && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)}>
            登记合作系统
          </Button>
        )
      }
      title="合作系统"
    >
      <ScopedTable<ApiClient>
        rowKey="clientId"
        columns={columns}
        deps={[]}
        reloadKey={reloadKey}
        load={(page, pageSize, signal) => api.get<ApiClientPage>('/api-clients', { page, pageSize }, signal)}
        emptyText="尚未登记合作系统。合作系统使用 API Key 签名调用接口，签名方法见 docs/security.md。"
      />
      <Modal title="登记合作系统" open={open} onOk={submit} onCancel={() => setOpen(false)} confirmLoading={busy} okText="登记" forceRender>
        <Form
          form={form}
          layout="vertical"
          initialValues={{ scope: user?.scope.level === 'city' ? { level: 'city' } : { level: 'district', districtCode: user?.scope.districtCode } }}
        >
          <Form.Item name="name" label="合作系统名称" rules={[{ required: true, message: '请输入名称' }]}>
            <Input placeholder="例如：市医保信息平台" />
          </Form.Item>
          <Form.Item name="permissions" label="授予的权限" extra="只授予对方确需调用的接口权限">
            <Select mode="tags" options={(user?.permissions ?? []).map((p) => ({ value: p, label: p }))} placeholder="选择或输入权限代码" />
          </Form.Item>
          <Form.Item name={['scope', 'level']} label="数据权限" rules={[{ required: true }]}>
            <Select options={[...(user?.scope.level === 'city' ? [{ value: 'city', label: '全市' }] : []), { value: 'district', label: '本区' }]} />
          </Form.Item>
          {level === 'district' && (
            <Form.Item name={['scope', 'districtCode']} label="区" rules={[{ required: true, message: '请选择区' }]}>
              <Select
                options={districts
                  .filter((d) => user?.scope.level === 'city' || d.code === user?.scope.districtCode)
                  .map((d) => ({ value: d.code, label: d.name }))}
                showSearch={{ optionFilterProp: 'label' }}
              />
            </Form.Item>
          )}
        </Form>
      </Modal>
      <Modal
        title="合作系统已登记"
        open={!!created}
        onOk={() => setCreated(null)}
        onCancel={() => setCreated(null)}
        cancelButtonProps={{ style: { display: 'none' } }}
        okText="我已妥善保存"
      >
        {created && (
          <>
            <Alert type="warning" showIcon title="密钥只显示这一次，请立即通过安全渠道交付合作方。遗失后只能重新登记。" style={{ marginBottom: 16 }} />
            <p>
              Client ID：
              <Typography.Text className="wj-mono" copyable>
                {created.clientId}
              </Typography.Text>
            </p>
            <p>
              密钥：
              <Typography.Text className="wj-mono" copyable>
                {created.secret}
              </Typography.Text>
            </p>
          </>
        )}
      </Modal>
    </Card>
  );
}
