import { Alert, App, Button, Form } from 'antd';
import { useState } from 'react';
import { api, applyFieldErrors, errorText } from '../api';
import { PasswordFields } from '../layout/ChangePasswordModal';
import type { PasswordChangeReason } from '@server/platform/auth/responses.ts';

const WHY: Record<PasswordChangeReason, string> = {
  reset: '管理员已重置您的密码，请设置新密码后继续。',
  expired: '您的密码已超过有效期，请设置新密码后继续。',
  weak: '您的密码不再符合密码策略（如为常用密码或演示密码），请设置新密码后继续。',
};

/** A password due for change (administrator reset, expired, no longer allowed): a new one before the console. */
export function ChangePasswordStep({ oldPassword, reason, onDone }: { oldPassword: string; reason?: PasswordChangeReason | null; onDone(): void }) {
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
      <Alert type="info" showIcon title={WHY[reason ?? 'reset']} style={{ marginBottom: 16 }} data-testid="password-change-reason" />
      <PasswordFields form={form} askOld={false} />
      <Button type="primary" block loading={busy} onClick={submit}>
        设置新密码并进入系统
      </Button>
    </>
  );
}
