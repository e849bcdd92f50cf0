import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { ApiError, api, csrf, request, setUnauthorizedHandler } from './api';
import type { SessionProbe, User } from '@server/platform/auth/responses.ts';

type Status = 'loading' | 'signedOut' | 'signedIn';

interface SessionValue {
  status: Status;
  user: User | null;
  /** The password was set by an administrator: the console asks for a new one before anything else. */
  mustChangePassword: boolean;
  passwordChanged(): void;
  /** Why the user was sent back to sign-in (e.g. 登录已过期), shown once on the sign-in page. */
  notice: string | null;
  clearNotice(): void;
  /** Called by the sign-in page once password and TOTP both passed. */
  signedIn(user: User, mustChangePassword?: boolean): void;
  signOut(): Promise<void>;
  /** Re-read the user (role or scope may have changed). */
  refresh(): Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<Status>('loading');
  const [user, setUser] = useState<User | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [mustChangePassword, setMustChange] = useState(false);
  const navigate = useNavigate();

  const loadMe = useCallback(async () => {
    try {
      // The probe answers 200 without a session too: the sign-in page loads without a failed request.
      const me = await request<SessionProbe>('GET', '/auth/session', { quiet401: true });
      if (!me.signedIn || !me.user) {
        setUser(null);
        setStatus('signedOut');
        return;
      }
      if (me.csrfToken) csrf.set(me.csrfToken);
      if (me.mfaPending) {
        // Password accepted earlier but TOTP never finished: start over at the sign-in page.
        setUser(null);
        setStatus('signedOut');
        return;
      }
      setUser(me.user);
      setMustChange(!!me.mustChangePassword);
      setStatus('signedIn');
    } catch (e) {
      setUser(null);
      setStatus('signedOut');
      if (!(e instanceof ApiError) || e.status !== 401) setNotice(e instanceof Error ? e.message : String(e));
    }
  }, []);

  useEffect(() => {
    void loadMe();
  }, [loadMe]);

  // Any 401 from a page call: the session ended (idle timeout, revoked, disabled) — back to sign-in.
  useEffect(() => {
    setUnauthorizedHandler((err) => {
      csrf.clear();
      setUser(null);
      setStatus('signedOut');
      setNotice(err.code === 'MFA_REQUIRED' ? err.message : '登录已过期，请重新登录');
      const from = window.location.pathname + window.location.search;
      navigate('/login', { replace: true, state: from.startsWith('/login') ? undefined : { from } });
    });
    return () => setUnauthorizedHandler(null);
  }, [navigate]);

  const signOut = useCallback(async () => {
    try {
      await api.post('/auth/logout');
    } catch {
      // Signing out of an already-ended session is still signing out.
    }
    csrf.clear();
    setUser(null);
    setStatus('signedOut');
    setNotice(null);
    navigate('/login', { replace: true });
  }, [navigate]);

  const value = useMemo<SessionValue>(
    () => ({
      status,
      user,
      mustChangePassword,
      passwordChanged: () => setMustChange(false),
      notice,
      clearNotice: () => setNotice(null),
      signedIn: (u, must = false) => {
        setUser(u);
        setMustChange(must);
        setStatus('signedIn');
        setNotice(null);
      },
      signOut,
      refresh: loadMe,
    }),
    [status, user, mustChangePassword, notice, signOut, loadMe],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const v = useContext(SessionContext);
  if (!v) throw new Error('useSession outside SessionProvider');
  return v;
}
