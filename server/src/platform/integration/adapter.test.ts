import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KeyRing } from '../crypto/keyring.ts';
import { DEFAULT_RETRY, defineAdapter, NotConfiguredError, resolveSettings, signerFor } from './adapter.ts';
import { AdapterRegistry } from './registry.ts';
import { joinUrl } from './http-client.ts';
import type { OutboxMessage } from './outbox.ts';
import { verifySignedRequest } from './signing.ts';
import { DEFAULT_CLIENT_ID, devSecret } from './systems.ts';

const msg = { id: 1, topic: 'subsidy.application', key: 'k', payload: { a: 1 } } as unknown as OutboxMessage;

test('an adapter takes title and signing mode from the catalog, defaults for the rest, and maps to /inbox/<topic>', () => {
  const a = defineAdapter({ system: 'national-subsidy' });
  assert.equal(a.title, '国家育儿补贴信息管理系统');
  assert.equal(a.auth, 'sm2');
  assert.deepEqual(a.retry, DEFAULT_RETRY);
  assert.deepEqual(a.request(msg), { method: 'POST', path: '/inbox/subsidy.application', body: { a: 1 } });
  const b = defineAdapter({ system: 'x-test', title: '测试', retry: { maxAttempts: 3 }, request: () => ({ method: 'PUT', path: '/a' }) });
  assert.deepEqual([b.auth, b.retry.maxAttempts, b.retry.baseDelayMs, b.request(msg).method], ['hmac-sm3', 3, DEFAULT_RETRY.baseDelayMs, 'PUT']);
  assert.throws(() => defineAdapter({ system: 'Bad Name' }), /system name/);
});

test('settings: environment first, then the adapter, then (outside production) the local simulator', () => {
  const a = defineAdapter({ system: 'sms-gateway', timeoutMs: 3000 });
  const dev = resolveSettings(a, false, { WEIJIAN_SIM_PORT: '5000' });
  assert.deepEqual(dev, { baseUrl: 'http://127.0.0.1:5007', auth: 'hmac-sm3', clientId: DEFAULT_CLIENT_ID, secret: devSecret('sms-gateway'), timeoutMs: 3000 });
  const prod = resolveSettings(a, true, {});
  assert.equal(prod.baseUrl, null);
  assert.equal(prod.secret, null, 'never the development secret in production');
  const env = resolveSettings(a, true, {
    WEIJIAN_SMS_GATEWAY_URL: 'https://sms.example.cn/api',
    WEIJIAN_SMS_GATEWAY_SECRET: 's3',
    WEIJIAN_SMS_GATEWAY_CLIENT_ID: 'wj',
    WEIJIAN_SMS_GATEWAY_AUTH: 'SM2',
    WEIJIAN_SMS_GATEWAY_TIMEOUT_MS: '1500',
  });
  assert.deepEqual(env, { baseUrl: 'https://sms.example.cn/api', auth: 'sm2', clientId: 'wj', secret: 's3', timeoutMs: 1500 });
  const coded = defineAdapter({ system: 'sms-gateway', baseUrl: 'http://coded', secret: 'c' });
  assert.equal(resolveSettings(coded, true, {}).baseUrl, 'http://coded');
  assert.equal(resolveSettings(coded, true, { WEIJIAN_SMS_GATEWAY_URL: 'http://env' }).baseUrl, 'http://env');
});

test('signers produce requests the verifier accepts; HMAC without a secret is refused before sending', () => {
  const keys = KeyRing.generate();
  const a = defineAdapter({ system: 'one-net' });
  const hmac = signerFor(resolveSettings(a, false, {}), keys)!;
  const h = hmac('POST', '/inbox/t?x=1', '{"a":1}');
  const req = { method: 'POST', url: '/inbox/t?x=1', headers: h, rawBody: '{"a":1}' };
  const verifyKeys = { hmacSecret: (c: string) => (c === DEFAULT_CLIENT_ID ? devSecret('one-net') : undefined), sm2PublicKey: () => keys.sm2PublicKey };
  assert.deepEqual(verifySignedRequest(req, verifyKeys), { ok: true, clientId: DEFAULT_CLIENT_ID, alg: 'HMAC-SM3' });
  assert.equal(verifySignedRequest({ ...req, rawBody: '{"a":2}' }, verifyKeys).ok, false, 'body changed');
  assert.equal(verifySignedRequest({ ...req, url: '/inbox/t?x=2' }, verifyKeys).ok, false, 'query changed');
  assert.equal(verifySignedRequest(req, verifyKeys, { now: Date.now() + 10 * 60_000 }).ok, false, 'too old');

  const sm2 = signerFor({ ...resolveSettings(a, false, {}), auth: 'sm2' }, keys)!;
  const s = sm2('GET', '/replies', '');
  assert.equal(s['x-wj-sign-alg'], 'SM2');
  assert.deepEqual(verifySignedRequest({ method: 'GET', url: '/replies', headers: s, rawBody: '' }, verifyKeys), {
    ok: true,
    clientId: DEFAULT_CLIENT_ID,
    alg: 'SM2',
  });
  assert.equal(signerFor({ ...resolveSettings(a, false, {}), auth: 'none' }, keys), undefined);
  assert.throws(() => signerFor(resolveSettings(a, true, {}), keys), NotConfiguredError);
});

test("the registry: built from the modules' declarations, one adapter per system; a shared one may be declared twice", () => {
  const a = defineAdapter({ system: 'registry-test' });
  const b = defineAdapter({ system: 'registry-other' });
  const r = new AdapterRegistry([{ name: 'm1', adapters: [a] }, { name: 'm2', adapters: [a, b] }, { name: 'm3' }]);
  assert.equal(r.get('registry-test'), a);
  assert.deepEqual(r.list(), [a, b]);
  assert.equal(r.get('nobody'), undefined);
  assert.throws(
    () =>
      new AdapterRegistry([
        { name: 'm1', adapters: [a] },
        { name: 'm2', adapters: [defineAdapter({ system: 'registry-test' })] },
      ]),
    /registry-test declared twice, differently: m1 and m2/,
  );
  // A test's stand-in for one kernel, and back.
  const stand = defineAdapter({ system: 'registry-test', baseUrl: 'http://127.0.0.1:1' });
  const undo = r.use(stand);
  assert.equal(r.get('registry-test'), stand);
  undo();
  assert.equal(r.get('registry-test'), a);
  const undoNew = r.use(defineAdapter({ system: 'registry-new' }));
  undoNew();
  assert.equal(r.get('registry-new'), undefined);
});

test('URLs keep the base path', () => {
  assert.equal(joinUrl('http://h:1/api/', '/inbox/a?b=1').toString(), 'http://h:1/api/inbox/a?b=1');
  assert.equal(joinUrl('http://h:1', 'x').toString(), 'http://h:1/x');
});
