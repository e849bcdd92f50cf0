import { useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';
import type { ConfirmationResult, ConfirmationSummary } from '@server/systems/family-planning/childcare-subsidy/responses.ts';

/**
 * 家长确认 (public, mobile): opened from the SMS link, no sign-in. Shows the masked summary of the one
 * application the link belongs to; one big button confirms; the bank account may be corrected.
 */
/** GET answers the summary; POST (the confirmation) adds why it went to manual review. */
type Summary = ConfirmationSummary & Partial<Pick<ConfirmationResult, 'reviewReasons'>>;

async function call<T>(method: 'GET' | 'POST', token: string, body?: object): Promise<T> {
  const r = await fetch(`/api/v1/public/subsidy/confirm/${encodeURIComponent(token)}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error((data as { message?: string }).message ?? '网络异常，请稍后重试');
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
  label: { color: '#666' },
  value: { fontWeight: 500, textAlign: 'right', wordBreak: 'break-all' },
  big: {
    display: 'block',
    width: '100%',
    height: 52,
    fontSize: 18,
    borderRadius: 26,
    border: 'none',
    background: '#1677ff',
    color: '#fff',
    fontWeight: 600,
    marginTop: 8,
  },
  ghost: {
    display: 'block',
    width: '100%',
    height: 48,
    fontSize: 16,
    borderRadius: 24,
    border: '1px solid #1677ff',
    background: '#fff',
    color: '#1677ff',
    marginTop: 12,
  },
  input: {
    width: '100%',
    height: 48,
    fontSize: 18,
    borderRadius: 8,
    border: '1px solid #d9d9d9',
    padding: '0 12px',
    boxSizing: 'border-box',
    letterSpacing: 1,
  },
  error: { background: '#fff2f0', border: '1px solid #ffccc7', color: '#a8071a', borderRadius: 8, padding: 12, marginBottom: 16 },
  ok: { background: '#f6ffed', border: '1px solid #b7eb8f', color: '#135200', borderRadius: 8, padding: 16, marginBottom: 16, fontSize: 17 },
} satisfies Record<string, React.CSSProperties>;

export function ConfirmPage() {
  const { token = '' } = useParams();
  const [data, setData] = useState<Summary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editBank, setEditBank] = useState(false);
  const [bank, setBank] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    document.title = '育儿补贴申领确认';
    call<Summary>('GET', token).then(setData, (e: Error) => setError(e.message));
  }, [token]);

  const digits = bank.replace(/[\s-]/g, '');
  const bankOk = /^\d{16,19}$/.test(digits);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      setData(await call<Summary>('POST', token, { confirm: true, ...(editBank && digits ? { bankAccount: digits } : {}) }));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div style={S.page}>
      <div style={S.header}>
        <h1 style={S.title}>育儿补贴申领确认</h1>
        <div style={S.sub}>上海市卫生健康委员会 · 免申即享</div>
      </div>
      {error && (
        <div style={S.error} role="alert">
          {error}
        </div>
      )}
      {!data && !error && <div style={{ textAlign: 'center', color: '#999' }}>正在加载…</div>}
      {data && (
        <>
          {data.confirmed && (
            <div style={S.ok} role="status">
              您已确认申领，当前状态：<b>{data.statusTitle}</b>
              {data.status === 'manual_review' && (
                <div style={{ fontSize: 14, marginTop: 6 }}>
                  工作人员将尽快审核{data.reviewReasons?.length ? `（${data.reviewReasons.join('；')}）` : ''}，结果将以短信通知。
                </div>
              )}
              {data.status === 'approved' && <div style={{ fontSize: 14, marginTop: 6 }}>补贴将发放至您的银行账户，请留意短信通知。</div>}
            </div>
          )}
          <div style={S.card}>
            <div style={S.row}>
              <span style={S.label}>儿童姓名</span>
              <span style={S.value}>{data.childNameMasked}</span>
            </div>
            <div style={S.row}>
              <span style={S.label}>孩次</span>
              <span style={S.value}>{data.birthOrder ? `第 ${data.birthOrder} 孩` : '—'}</span>
            </div>
            <div style={S.row}>
              <span style={S.label}>补贴标准</span>
              <span style={S.value}>每年 {data.amountYuan.toLocaleString('zh-CN')} 元</span>
            </div>
            <div style={{ ...S.row, borderBottom: 'none' }}>
              <span style={S.label}>发放银行账户</span>
              <span style={S.value}>{data.bankAccountMasked ?? '未登记'}</span>
            </div>
          </div>
          {!data.confirmed && (
            <>
              {editBank ? (
                <div style={S.card}>
                  <label htmlFor="bank" style={{ display: 'block', marginBottom: 8 }}>
                    请输入本人名下银行卡号（16至19位数字）
                  </label>
                  <input
                    id="bank"
                    style={S.input}
                    inputMode="numeric"
                    autoComplete="off"
                    maxLength={23}
                    value={bank}
                    onChange={(e) => setBank(e.target.value)}
                    placeholder="银行卡号"
                  />
                  {bank && !bankOk && <div style={{ color: '#a8071a', fontSize: 14, marginTop: 6 }}>卡号应为16至19位数字</div>}
                </div>
              ) : null}
              <button
                type="button"
                style={{ ...S.big, opacity: busy || (editBank && !bankOk) ? 0.6 : 1 }}
                disabled={busy || (editBank && !bankOk)}
                onClick={confirm}
              >
                {busy ? '正在提交…' : '确认申领'}
              </button>
              <button type="button" style={S.ghost} onClick={() => setEditBank((v) => !v)}>
                {editBank ? '不修改银行账户' : data.bankAccountMasked ? '更正银行账户' : '填写银行账户'}
              </button>
              <p style={{ color: '#999', fontSize: 13, marginTop: 16, lineHeight: 1.6 }}>
                链接有效期至 {new Date(data.expiresAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' })}
                ，仅可使用一次，请勿转发他人。如信息有误，请联系户籍所在街道（镇）社区事务受理服务中心。
              </p>
            </>
          )}
        </>
      )}
    </div>
  );
}
