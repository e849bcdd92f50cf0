import { Alert, App, Form, Input, Modal, Select } from 'antd';
import { useEffect, useState } from 'react';
import { api, applyFieldErrors, errorText } from '../../../app/api';
import { useSession } from '../../../app/session';
import type { ManagedUser } from '@server/platform/auth/responses.ts';
import { ScopeFields, scopePayload } from './ScopeFields';
import type { RolesInfo, UserFormValues } from './types';

/** Create a user (username, name, role, 数据权限, initial password) or edit role / scope / name. */
export function UserFormModal({
  open,
  editing,
  roles,
  onClose,
  onSaved,
}: {
  open: boolean;
  editing: ManagedUser | null;
  roles: RolesInfo | undefined;
  onClose(): void;
  onSaved(): void;
}) {
  const [form] = Form.useForm<UserFormValues>();
  const [busy, setBusy] = useState(false);
  const [otherErrors, setOtherErrors] = useState<string[]>([]);
  const { user } = useSession();
  const { message } = App.useApp();

  useEffect(() => {
    if (!open) return;
    setOtherErrors([]);
    form.resetFields();
    if (editing) {
      form.setFieldsValue({ displayName: editing.displayName, role: editing.role, scope: { ...editing.scope } });
    } else {
      const mine = user?.scope.level !== 'city';
      form.setFieldsValue({ scope: mine ? { level: 'district', districtCode: user?.scope.districtCode ?? undefined } : { level: 'city' } });
    }
  }, [open, editing, form, user]);

  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setOtherErrors([]);
    const scope = scopePayload(v.scope as unknown as Record<string, unknown>);
    try {
      if (editing) {
        await api.patch(`/users/${editing.id}`, { displayName: v.displayName, role: v.role, scope });
        message.success(`已保存用户「${v.displayName}」`);
      } else {
        await api.post('/users', { username: v.username, displayName: v.displayName, role: v.role, scope, password: v.password });
        message.success(`已创建用户「${v.displayName}」，首次登录需绑定动态口令`);
      }
      onSaved();
    } catch (e) {
      const rest = applyFieldErrors(form, e);
      const hadFields = (e as { details?: unknown[] }).details?.length;
      setOtherErrors(rest.length ? rest.map((r) => `${r.field}：${r.message}`) : hadFields ? [] : [errorText(e)]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      title={editing ? `编辑用户：${editing.displayName}（${editing.username}）` : '新建用户'}
      open={open}
      onOk={submit}
      onCancel={onClose}
      confirmLoading={busy}
      okText={editing ? '保存' : '创建'}
      width={560}
      forceRender
    >
      {otherErrors.length > 0 && <Alert type="error" showIcon title={otherErrors.join('；')} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" data-testid="user-form">
        {!editing && (
          <Form.Item name="username" label="用户名" rules={[{ required: true, message: '请输入用户名' }]} extra="登录用，创建后不可修改">
            <Input autoComplete="off" />
          </Form.Item>
        )}
        <Form.Item name="displayName" label="姓名" rules={[{ required: true, message: '请输入姓名' }]}>
          <Input />
        </Form.Item>
        <Form.Item name="role" label="角色" rules={[{ required: true, message: '请选择角色' }]}>
          <Select options={roles?.roles.map((r) => ({ value: r.code, label: r.name })) ?? []} placeholder="选择角色" />
        </Form.Item>
        <ScopeFields scopeLevels={roles?.scopeLevels ?? []} />
        {!editing && (
          <Form.Item
            name="password"
            label="初始密码"
            rules={[{ required: true, message: '请输入初始密码' }]}
            extra="请通过安全渠道告知用户；复杂度由系统密码策略校验"
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
