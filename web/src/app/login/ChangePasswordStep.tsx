import { Alert, App, Button, Form } from 'antd';
import { useState } from 'react';
import { api, applyFieldErrors, errorText } from '../api';
import { PasswordFields } from '../layout/ChangePasswordModal';

/** After an administrator reset the password, the user sets a new one before entering the console. */
export function ChangePasswordStep({ oldPassword, onDone }: { oldPassword: string; onDone(): void }) {
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const { message } = App.useApp();
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      await api.post('/auth/password', { oldPassword, newPassword: v.newPassword });
      message.success('密码已修改');
      onDone();
    } catch (e) {
      if (applyFieldErrors(form, e).length || !(e as { details?: unknown[] }).details?.length) message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Alert type="info" showIcon title="管理员已重置您的密码，请设置新密码后继续。" style={{ marginBottom: 16 }} />
      <PasswordFields form={form} askOld={false} />
      <Button type="primary" block loading={busy} onClick={submit}>
        设置新密码并进入系统
      </Button>
    </>
  );
}
