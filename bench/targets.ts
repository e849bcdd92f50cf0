import { type Sample, type Target, type VirtualUser, timed } from './load.ts';
import type { Recorder } from './stats.ts';
import { totpAt } from './totp.ts';

const json = (body: unknown) => ({ 'content-type': 'application/json', body: JSON.stringify(body) });

function phoneFor(vu: VirtualUser, s: Sample): string {
  return `139${String((s.id * 7919 + vu.index) % 100_000_000).padStart(8, '0')}`;
}

export function productTarget(baseUrl: string): Target {
  const auth = (vu: VirtualUser) => ({ authorization: `Bearer ${vu.token}` });
  const post = (url: string, vu: VirtualUser | null, body: unknown, method = 'POST') => {
    const j = json(body);
    return fetch(baseUrl + url, { method, headers: { 'content-type': j['content-type'], ...(vu ? auth(vu) : {}) }, body: j.body });
  };
  return {
    name: 'weijian',
    baseUrl,
    async start(vu: VirtualUser, rec: Recorder) {
      const r = await post('/api/v1/auth/login', null, { username: vu.username, password: vu.password });
      const b = (await r.json()) as { token?: string; message?: string };
      if (!b.token) {
        rec.fail('setup sign-in', 0, String(b.message));
        return;
      }
      vu.token = b.token;
      await timed(rec, 'setup TOTP verify', () => post('/api/v1/auth/totp/verify', vu, { code: totpAt(vu.totpSecret, Math.floor(Date.now() / 30_000)) }));
    },
    requests: {
      'sign-in': (vu) => post('/api/v1/auth/login', null, { username: vu.username, password: vu.password }),
      'resident lookup by ID number': (vu, s) => fetch(`${baseUrl}/api/v1/residents?idNumber=${s.idNumber}`, { headers: auth(vu) }),
      'resident search by name + district': (vu, s) =>
        fetch(`${baseUrl}/api/v1/residents?name=${encodeURIComponent(s.name)}&district=${s.district}`, { headers: auth(vu) }),
      'resident full record (audited)': (vu, s) => post(`/api/v1/residents/${s.id}/reveal`, vu, { reason: '基准测试：核对居民信息' }),
      'resident update phone': (vu, s) => post(`/api/v1/residents/${s.id}`, vu, { phone: phoneFor(vu, s) }, 'PATCH'),
      'screen: menu': (vu) => fetch(`${baseUrl}/api/v1/system/menu`, { headers: auth(vu) }),
      'screen: district stats': (vu) => fetch(`${baseUrl}/api/v1/master-data/district-stats`, { headers: auth(vu) }),
    },
  };
}

export function baselineTarget(baseUrl: string): Target {
  const send = (url: string, body: unknown, method = 'POST') => {
    const j = json(body);
    return fetch(baseUrl + url, { method, headers: { 'content-type': j['content-type'] }, body: j.body });
  };
  return {
    name: 'baseline',
    baseUrl,
    async start() {},
    requests: {
      'sign-in': (vu) => send('/login', { username: vu.username, password: vu.password }),
      'resident lookup by ID number': (_vu, s) => fetch(`${baseUrl}/lookup?idNumber=${s.idNumber}`),
      'resident search by name + district': (_vu, s) => fetch(`${baseUrl}/search?name=${encodeURIComponent(s.name)}&district=${s.district}`),
      'resident full record (audited)': (_vu, s) => send(`/reveal/${s.id}`, {}),
      'resident update phone': (vu, s) => send(`/update/${s.id}`, { phone: phoneFor(vu, s) }, 'PATCH'),
      'screen: menu': () => fetch(`${baseUrl}/menu`),
      'screen: district stats': () => fetch(`${baseUrl}/district-stats`),
    },
  };
}
