import { useEffect, useState } from 'react';
import type { MyFamilyDoctor, PortalSession } from '@server/systems/health-network/fd-services/responses.ts';

/**
 * 居民端 · 我的家庭医生 (public, mobile): sign in with ID number + name + an SMS code sent to the phone
 * registered in the community; then my family doctor and the three institutions, or — unsigned or lapsed
 * (red) — a link to sign. The session token stays in this tab only (sessionStorage).
 */

const KEY = 'wj.fd-portal';

async function call<T>(method: 'GET' | 'POST', path: string, body?: object, token?: string): Promise<T> {
  const r = await fetch(`/api/v1/public/fd-portal${path}`, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { 'x-portal-token': token } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = await r.json().catch(() => ({}));
  if (!r.ok) throw Object.assign(new Error((data as { message?: string }).message ?? '网络异常，请稍后重试'), { status: r.status });
  return data as T;
}

const S = {
  page: {
    minHeight: '100vh',
    background: '#f5f6f8',
    padding: '16px 16px 32px',
    boxSizing: 'border-box',
    fontSize: 16,
    color: '#1f1f1f',
    maxWidth: 480,
    margin: '0 auto',
  },
  header: { textAlign: 'center', padding: '12px 0 20px' },
  title: { fontSize: 22, fontWeight: 600, margin: 0 },
  sub: { color: '#666', fontSize: 14, marginTop: 6 },
  card: { background: '#fff', borderRadius: 12, padding: 16, marginBottom: 16, boxShadow: '0 1px 3px rgba(0,0,0,.06)' },
  row: { display: 'flex', justifyContent: 'space-between', padding: '10px 0', borderBottom: '1px solid #f0f0f0', gap: 12 },
  label: { color: '#666', flexShrink: 0 },
  value: { fontWeight: 500, textAlign: 'right', wordBreak: 'break-all' },
  input: {
    width: '100%',
    height: 48,
    fontSize: 17,
    borderRadius: 8,
    border: '1px solid #d9d9d9',
    padding: '0 12px',
    boxSizing: 'border-box',
    marginBottom: 12,
  },
  big: {
    display: 'block',
    width: '100%',
    height: 50,
    fontSize: 18,
    borderRadius: 25,
    border: 'none',
    background: '#1677ff',
    color: '#fff',
    fontWeight: 600,
    marginTop: 4,
  },
  ghost: {
    display: 'block',
    width: '100%',
    height: 46,
    fontSize: 16,
    borderRadius: 23,
    border: '1px solid #1677ff',
    background: '#fff',
    color: '#1677ff',
    marginTop: 12,
  },
  error: { background: '#fff2f0', border: '1px solid #ffccc7', color: '#a8071a', borderRadius: 8, padding: 12, marginBottom: 16 },
  info: { background: '#e6f4ff', border: '1px solid #91caff', color: '#003eb3', borderRadius: 8, padding: 12, marginBottom: 16 },
  warn: { background: '#fffbe6', border: '1px solid #ffe58f', color: '#874d00', borderRadius: 8, padding: 12, marginBottom: 16 },
  link: {
    display: 'block',
    textAlign: 'center',
    height: 50,
    lineHeight: '50px',
    fontSize: 18,
    borderRadius: 25,
    background: '#1677ff',
    color: '#fff',
    fontWeight: 600,
    textDecoration: 'none',
  },
} satisfies Record<string, React.CSSProperties>;

function Row({ label, value }: { label: string; value: string | null | undefined }) {
  return (
    <div style={S.row}>
      <span style={S.label}>{label}</span>
      <span style={S.value}>{value || '—'}</span>
    </div>
  );
}

export function PortalPage() {
  const [token, setToken] = useState<string | null>(() => sessionStorage.getItem(KEY));
  const [idNumber, setIdNumber] = useState('');
  const [name, setName] = useState('');
  const [code, setCode] = useState('');
  const [sent, setSent] = useState<string | null>(null);
  const [data, setData] = useState<MyFamilyDoctor | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    document.title = '我的家庭医生';
  }, []);
  useEffect(() => {
    if (!token) return;
    call<MyFamilyDoctor>('GET', '/me', undefined, token).then(setData, (e: Error & { status?: number }) => {
      if (e.status === 401) {
        sessionStorage.removeItem(KEY);
        setToken(null);
      }
      setError(e.message);
    });
  }, [token]);

  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const idOk = /^\d{17}[\dXx]$/.test(idNumber.trim());
  const askCode = () => run(async () => setSent((await call<{ message: string }>('POST', '/code', { idNumber: idNumber.trim(), name: name.trim() })).message));
  const signIn = () =>
    run(async () => {
      const r = await call<PortalSession>('POST', '/session', { idNumber: idNumber.trim(), name: name.trim(), code: code.trim() });
      sessionStorage.setItem(KEY, r.token);
      setToken(r.token);
    });
  const signOut = () => {
    sessionStorage.removeItem(KEY);
    setToken(null);
    setData(null);
    setCode('');
    setSent(null);
  };

  const c = data?.contract;
  return (
    <div style={S.page}>
      <div style={S.header}>
        <h1 style={S.title}>我的家庭医生</h1>
        <div style={S.sub}>上海市卫生健康委员会 · 家庭医生签约服务</div>
      </div>
      {error && (
        <div style={S.error} role="alert">
          {error}
        </div>
      )}
      {!token ? (
        <div style={S.card}>
          <input
            style={S.input}
            placeholder="身份证号码"
            value={idNumber}
            onChange={(e) => setIdNumber(e.target.value)}
            maxLength={18}
            inputMode="text"
            data-testid="portal-id"
          />
          <input style={S.input} placeholder="姓名" value={name} onChange={(e) => setName(e.target.value)} maxLength={50} data-testid="portal-name" />
          {sent ? (
            <>
              <div style={S.info}>{sent}</div>
              <input
                style={S.input}
                placeholder="6 位短信验证码"
                value={code}
                onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
                maxLength={6}
                inputMode="numeric"
                data-testid="portal-code"
              />
              <button type="button" style={S.big} disabled={busy || code.length !== 6} onClick={signIn}>
                登录查看
              </button>
              <button type="button" style={S.ghost} disabled={busy} onClick={askCode}>
                重新获取验证码
              </button>
            </>
          ) : (
            <button type="button" style={S.big} disabled={busy || !idOk || !name.trim()} onClick={askCode} data-testid="portal-send">
              获取短信验证码
            </button>
          )}
        </div>
      ) : data ? (
        <>
          <div style={c?.colour === 'yellow' ? S.warn : S.info}>
            {data.name}，{data.message}
          </div>
          {c ? (
            <div style={S.card}>
              <Row label="家庭医生" value={`${c.doctor.name ?? ''}${c.doctor.title ? `（${c.doctor.title}）` : ''}`} />
              <Row label="医生团队" value={c.team.name} />
              <Row label="签约社区卫生服务中心" value={c.community.name} />
              <Row label="社区地址" value={c.community.address} />
              <Row label="社区电话" value={c.community.phone} />
              <Row label="区级医院" value={c.districtHospital?.name} />
              <Row label="市级医院" value={c.cityHospital?.name} />
              <Row label="签约周期" value={`${c.cycleStart} 至 ${c.cycleEnd}`} />
              <Row label="签约状态" value={c.colourName} />
            </div>
          ) : (
            <div style={S.card}>
              <p style={{ marginTop: 0 }}>签约家庭医生后，可享受社区卫生服务中心、区级医院、市级医院“1+1+1”组合服务。</p>
              {data.signUrl ? (
                <a style={S.link} href={data.signUrl} data-testid="portal-sign">
                  去签约
                </a>
              ) : null}
            </div>
          )}
          <button type="button" style={S.ghost} onClick={signOut}>
            退出
          </button>
        </>
      ) : (
        <div style={S.card}>加载中…</div>
      )}
    </div>
  );
}
