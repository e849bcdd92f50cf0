import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from './config.ts';

test('WEIJIAN_TRUST_PROXY: off by default; true, a hop count or a list of proxies when set', () => {
  assert.equal(loadConfig({}).trustProxy, false);
  for (const off of ['', '0', 'false', 'off', 'no']) assert.equal(loadConfig({ WEIJIAN_TRUST_PROXY: off }).trustProxy, false, off);
  assert.equal(loadConfig({ WEIJIAN_TRUST_PROXY: 'true' }).trustProxy, true);
  assert.equal(loadConfig({ WEIJIAN_TRUST_PROXY: '2' }).trustProxy, 2);
  assert.equal(loadConfig({ WEIJIAN_TRUST_PROXY: '127.0.0.1,10.0.0.0/8' }).trustProxy, '127.0.0.1,10.0.0.0/8');
});

test('sign-in and password settings have their documented defaults and read the environment', () => {
  const d = loadConfig({});
  assert.deepEqual(
    [
      d.loginRatePerMinute,
      d.loginAccountMaxFailures,
      d.loginAccountWindowMinutes,
      d.loginDelayBaseSeconds,
      d.loginDelayMaxSeconds,
      d.totpMaxFailures,
      d.passwordMaxAgeDays,
      d.passwordHistory,
      d.metricsToken,
    ],
    [20, 20, 15, 1, 60, 10, 90, 5, undefined],
  );
  const c = loadConfig({ WEIJIAN_PASSWORD_MAX_AGE_DAYS: '0', WEIJIAN_PASSWORD_HISTORY: '12', WEIJIAN_TOTP_MAX_FAILURES: '6', WEIJIAN_METRICS_TOKEN: 'tok' });
  assert.deepEqual([c.passwordMaxAgeDays, c.passwordHistory, c.totpMaxFailures, c.metricsToken], [0, 12, 6, 'tok']);
});
