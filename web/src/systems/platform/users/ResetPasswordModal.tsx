import { App, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { api, applyFieldErrors, errorText } from '../../../app/api';
import type { ManagedUser } from '@server/platform/auth/responses.ts';

export function ResetPasswordModal({ target, onClose }: { target: ManagedUser | null; onClose(): void }) {
  const [form] = Form.useForm<{ password: string }>();
  const [busy, setBusy] = useState(false);
  const { message } = App.useApp();
  const submit = async () => {
    if (!target) return;
    const v = await form.validateFields();
    setBusy(true);
    try {
      await api.post(`/users/${target.id}/reset-password`, { password: v.password });
      message.success(`已重置「${target.displayName}」的密码，用户下次登录须修改密码`);
      onClose();
    } catch (e) {
      if (applyFieldErrors(form, e).length || !(e as { details?: unknown[] }).details?.length) message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      title={`重置密码：${target?.displayName ?? ''}`}
      open={!!target}
      onOk={submit}
      onCancel={onClose}
      confirmLoading={busy}
      okText="重置"
      destroyOnHidden
    >
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name="password" label="新的临时密码" rules={[{ required: true, message: '请输入临时密码' }]} extra="用户下次登录时须修改密码">
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
