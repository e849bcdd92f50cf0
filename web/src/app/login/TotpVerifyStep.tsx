import { Button, Typography } from 'antd';
import type { LoginResult, User } from '@server/platform/auth/responses.ts';
import { TotpCodeForm } from './TotpCodeForm';

export function TotpVerifyStep({ login, onVerified, onBack }: { login: LoginResult; onVerified(u: User): void; onBack(why?: string): void }) {
  return (
    <>
      <Typography.Paragraph>
        <b>{login.user.displayName}</b>，请打开手机上的身份验证器（如 Microsoft Authenticator、Google Authenticator、FreeOTP），输入“卫健”账号当前显示的 6
        位动态口令。
      </Typography.Paragraph>
      <TotpCodeForm onVerified={onVerified} onSessionLost={onBack} />
      <Button type="link" block onClick={() => onBack()} style={{ marginTop: 8 }}>
        返回重新登录
      </Button>
    </>
  );
}
