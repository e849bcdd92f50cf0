import { Alert, Button, Image, Steps, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { ApiError, api } from '../api';
import { ErrorAlert, PageLoading } from '../../components/page-states';
import type { LoginResult, TotpEnrolment, User } from '@server/platform/auth/responses.ts';
import { TotpCodeForm } from './TotpCodeForm';

/**
 * First sign-in: the server issues the TOTP secret once (QR code + text). It is never shown again,
 * so the page says so plainly before the user confirms with a first code.
 */
export function TotpEnrollStep({
  login,
  onVerified,
  onAlreadyEnrolled,
  onBack,
}: {
  login: LoginResult;
  onVerified(u: User): void;
  onAlreadyEnrolled(): void;
  onBack(why?: string): void;
}) {
  const [enrolment, setEnrolment] = useState<TotpEnrolment | null>(null);
  const [error, setError] = useState<unknown>(null);
  const asked = useRef(false);

  useEffect(() => {
    // Asked once: a second enrol call would be refused (409) and StrictMode runs effects twice.
    if (asked.current) return;
    asked.current = true;
    api.post<TotpEnrolment>('/auth/totp/enroll', {}, { quiet401: true }).then(setEnrolment, (e) => {
      if (e instanceof ApiError && e.status === 409) onAlreadyEnrolled();
      else setError(e);
    });
  }, [onAlreadyEnrolled]);

  if (error) {
    return (
      <>
        <ErrorAlert error={error} />
        <Button block onClick={() => onBack()}>
          返回重新登录
        </Button>
      </>
    );
  }
  if (!enrolment) return <PageLoading tip="正在生成动态口令密钥…" />;

  return (
    <>
      <Typography.Paragraph>
        <b>{login.user.displayName}</b>，首次登录需绑定动态口令（双因素认证）。
      </Typography.Paragraph>
      <Steps
        orientation="vertical"
        size="small"
        current={-1}
        items={[
          { title: '安装身份验证器', content: '在手机上安装 Microsoft Authenticator、Google Authenticator 或 FreeOTP 等应用。' },
          { title: '扫描二维码', content: '在应用中选择“添加账户 → 扫描二维码”，扫描下方二维码；无法扫描时手动输入密钥。' },
          { title: '输入动态口令', content: '输入应用中显示的 6 位数字，完成绑定并登录。' },
        ]}
      />
      <div style={{ textAlign: 'center', margin: '8px 0' }}>
        <Image src={enrolment.qrDataUrl} alt="动态口令二维码" width={180} height={180} preview={false} data-testid="totp-qr" />
      </div>
      <Typography.Paragraph style={{ textAlign: 'center' }}>
        密钥：
        <Typography.Text code copyable className="wj-mono" data-testid="totp-secret">
          {enrolment.secret}
        </Typography.Text>
      </Typography.Paragraph>
      <Alert
        type="warning"
        showIcon
        title="二维码和密钥只显示这一次，请立即绑定。离开本页后如需重新绑定，请联系管理员重置动态口令。"
        style={{ marginBottom: 16 }}
      />
      <TotpCodeForm onVerified={onVerified} onSessionLost={onBack} submitText="完成绑定并登录" />
    </>
  );
}
