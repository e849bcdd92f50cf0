import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testApp } from '../../test/harness.ts';

test('/metrics is not public: 404 without a configured token, 401 without or with a wrong token, 200 with it', async () => {
  const open = await testApp();
  try {
    const r = await open.app.inject({ url: '/metrics' });
    assert.equal(r.statusCode, 404);
    assert.doesNotMatch(r.body, /weijian_http_request_duration_seconds/);
  } finally {
    await open.close();
  }
  const t = await testApp({ config: { metricsToken: 'metrics-secret-123' } });
  try {
    assert.equal((await t.app.inject({ url: '/metrics' })).statusCode, 401);
    assert.equal((await t.app.inject({ url: '/metrics', headers: { authorization: 'Bearer wrong' } })).statusCode, 401);
    const ok = await t.app.inject({ url: '/metrics', headers: { authorization: 'Bearer metrics-secret-123' } });
    assert.equal(ok.statusCode, 200);
    assert.match(ok.body, /weijian_http_request_duration_seconds/);
  } finally {
    await t.close();
  }
});
