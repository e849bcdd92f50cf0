import { Alert, Button, Form, Input } from 'antd';
import { useState } from 'react';
import { ApiError, api, errorText } from '../api';
import type { TotpVerified, User } from '@server/platform/auth/responses.ts';

/** The 6-digit dynamic code (TOTP) → POST /auth/totp/verify. */
export function TotpCodeForm({
  onVerified,
  onSessionLost,
  submitText = '验证并登录',
}: {
  onVerified(user: User): void;
  /** The server revoked the half-signed-in session (e.g. too many wrong codes): sign in again. */
  onSessionLost(message: string): void;
  submitText?: string;
}) {
  const [form] = Form.useForm<{ code: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async ({ code }: { code: string }) => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.post<TotpVerified>('/auth/totp/verify', { code }, { quiet401: true });
      onVerified(r.user);
    } catch (e) {
      // 401: this session was revoked; 423: the account was locked (too many wrong codes on it).
      if (e instanceof ApiError && (e.status === 401 || e.status === 423)) {
        onSessionLost(e.message || '登录已失效，请重新登录');
        return;
      }
      // 400 names the code field; its message says what to do (use the newest code).
      const field = e instanceof ApiError ? e.details.find((d) => d.field === 'code')?.message : undefined;
      setError(field ?? errorText(e));
      form.setFieldValue('code', '');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form form={form} layout="vertical" onFinish={submit} requiredMark={false} size="large" data-testid="totp-form">
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="totp-error" />}
      <Form.Item
        name="code"
        label="动态口令"
        normalize={(v: string) => v.replace(/\D/g, '').slice(0, 6)}
        rules={[
          { required: true, message: '请输入 6 位动态口令' },
          { len: 6, message: '动态口令为 6 位数字' },
        ]}
      >
        <Input
          inputMode="numeric"
          autoComplete="one-time-code"
          autoFocus
          maxLength={6}
          placeholder="6 位数字"
          className="wj-mono"
          style={{ letterSpacing: 8, textAlign: 'center' }}
        />
      </Form.Item>
      <Button type="primary" htmlType="submit" block loading={busy}>
        {submitText}
      </Button>
    </Form>
  );
}
