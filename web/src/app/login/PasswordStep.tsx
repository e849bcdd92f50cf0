import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input } from 'antd';
import { useState } from 'react';
import { ApiError, api, csrf, errorText } from '../api';
import type { LoginResult } from '@server/platform/auth/responses.ts';

interface Values {
  username: string;
  password: string;
}

function loginErrorText(e: unknown): string {
  if (e instanceof ApiError) {
    // The server's message names the reason (wrong password, locked until …, too many attempts).
    if (e.status === 401) return e.message || '用户名或密码错误';
    if (e.status === 423) return e.message || '账号已锁定，请稍后再试或联系管理员';
    if (e.status === 429) return e.message || '尝试次数过多，请稍后再试';
  }
  return errorText(e);
}

export function PasswordStep({ onPassed }: { onPassed(login: LoginResult, password: string): void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ text: string; locked: boolean } | null>(null);
  const [form] = Form.useForm<Values>();

  const submit = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.post<LoginResult>('/auth/login', { username: v.username.trim(), password: v.password }, { quiet401: true });
      csrf.set(r.csrfToken);
      onPassed(r, v.password);
    } catch (e) {
      setError({ text: loginErrorText(e), locked: e instanceof ApiError && e.status === 423 });
      form.setFieldValue('password', '');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form form={form} layout="vertical" onFinish={submit} requiredMark={false} size="large" data-testid="login-form">
      {error && <Alert type={error.locked ? 'warning' : 'error'} showIcon title={error.text} style={{ marginBottom: 16 }} data-testid="login-error" />}
      <Form.Item name="username" label="用户名" rules={[{ required: true, message: '请输入用户名' }]}>
        <Input prefix={<UserOutlined />} autoComplete="username" autoFocus placeholder="用户名" />
      </Form.Item>
      <Form.Item name="password" label="密码" rules={[{ required: true, message: '请输入密码' }]}>
        <Input.Password prefix={<LockOutlined />} autoComplete="current-password" placeholder="密码" />
      </Form.Item>
      <Button type="primary" htmlType="submit" block loading={busy}>
        登录
      </Button>
    </Form>
  );
}
