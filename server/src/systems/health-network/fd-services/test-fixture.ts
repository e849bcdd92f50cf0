import { signPartnerRequest } from '../../../platform/auth/partner.ts';
import type { TestSession } from '../../../test/harness.ts';
import { haApp, type Ha } from '../health-assessment/test-fixture.ts';

/** The family-doctor test network plus partner clients and the doctors' accounts. */
export interface Fs extends Ha {
  partner(permissions: string[], scope?: object): Promise<{ clientId: string; secret: string }>;
  signed(p: { clientId: string; secret: string }, method: 'GET' | 'POST', url: string, body?: object): ReturnType<Ha['get']>;
  api(s: TestSession, method: 'GET' | 'POST', url: string, payload?: object): ReturnType<Ha['get']>;
}

export async function fsApp(): Promise<Fs> {
  const ha = await haApp();
  return {
    ...ha,
    async partner(permissions, scope = { level: 'city' }) {
      const c = await ha.t.call(ha.admin, { method: 'POST', url: '/api/v1/api-clients', payload: { name: '随申办', permissions, scope } });
      if (c.statusCode !== 201) throw new Error(`api client: ${c.statusCode} ${c.body}`);
      return c.json();
    },
    signed(p, method, url, body) {
      const full = `/api/v1${url}`;
      const raw = body ? JSON.stringify(body) : '';
      return ha.t.app.inject({
        method,
        url: full,
        headers: { 'x-wj-client': p.clientId, ...signPartnerRequest(p.secret, method, full, raw), ...(body ? { 'content-type': 'application/json' } : {}) },
        payload: body ? raw : undefined,
      });
    },
    api: (s, method, url, payload) => ha.t.call(s, { method, url: `/api/v1${url}`, ...(payload ? { payload } : {}) }),
  };
}
