import { Alert, Card, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { APP_TITLE } from '../layout/HeaderBar';
import { useSession } from '../session';
import type { LoginResult, User } from '@server/platform/auth/responses.ts';
import { ChangePasswordStep } from './ChangePasswordStep';
import { PasswordStep } from './PasswordStep';
import { TotpEnrollStep } from './TotpEnrollStep';
import { TotpVerifyStep } from './TotpVerifyStep';

type Step =
  | { kind: 'password' }
  | { kind: 'enroll' | 'verify'; login: LoginResult }
  | { kind: 'change'; user: User; oldPassword: string; reason: LoginResult['passwordChangeReason'] };

/** Sign-in: password, then the TOTP second factor (enrolment on first sign-in), then the console. */
export function LoginPage() {
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [step, setStep] = useState<Step>({ kind: 'password' });
  const [password, setPassword] = useState('');
  const [lost, setLost] = useState<string | null>(null);
  const from = (location.state as { from?: string } | null)?.from ?? '/';

  useEffect(() => {
    document.title = `登录 - ${APP_TITLE}`;
  }, []);

  if (session.status === 'signedIn' && step.kind !== 'change') return <Navigate to={from} replace />;

  const finish = (user: User, login: LoginResult) => {
    if (login.mustChangePassword) {
      setStep({ kind: 'change', user, oldPassword: password, reason: login.passwordChangeReason });
      return;
    }
    session.signedIn(user);
    navigate(from, { replace: true });
  };

  // Back to the password step; `why` when the server ended the half-signed-in session (too many wrong codes).
  const back = (why?: string) => {
    setLost(why ?? null);
    setStep({ kind: 'password' });
  };

  return (
    <div className="wj-login-bg">
      <Card style={{ width: 440, maxWidth: '100%', boxShadow: '0 8px 32px rgba(22,104,220,.12)' }}>
        <div style={{ textAlign: 'center', marginBottom: 20 }}>
          <Typography.Title level={1} style={{ marginBottom: 4, fontSize: 24 }}>
            {APP_TITLE}
          </Typography.Title>
          <Typography.Text type="secondary">上海市卫生健康委员会</Typography.Text>
        </div>
        {(lost ?? session.notice) && step.kind === 'password' && (
          <Alert
            type="warning"
            showIcon
            title={lost ?? session.notice}
            closable={{
              onClose: () => {
                setLost(null);
                session.clearNotice();
              },
            }}
            style={{ marginBottom: 16 }}
            data-testid="login-notice"
          />
        )}
        {step.kind === 'password' && (
          <PasswordStep
            onPassed={(login, pwd) => {
              session.clearNotice();
              setLost(null);
              setPassword(pwd);
              setStep({ kind: login.mfa, login });
            }}
          />
        )}
        {step.kind === 'enroll' && (
          <TotpEnrollStep
            login={step.login}
            onAlreadyEnrolled={() => setStep({ kind: 'verify', login: step.login })}
            onVerified={(u) => finish(u, step.login)}
            onBack={back}
          />
        )}
        {step.kind === 'verify' && <TotpVerifyStep login={step.login} onVerified={(u) => finish(u, step.login)} onBack={back} />}
        {step.kind === 'change' && (
          <ChangePasswordStep
            oldPassword={step.oldPassword}
            reason={step.reason}
            onDone={() => {
              session.signedIn(step.user);
              navigate(from, { replace: true });
            }}
          />
        )}
      </Card>
    </div>
  );
}
