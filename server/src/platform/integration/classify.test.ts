import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffDelayMs, classifyResult } from './classify.ts';
import type { HttpResult } from './http-client.ts';

const res = (status: number, body: unknown = null): HttpResult => ({ kind: 'response', status, body, durationMs: 1 });

test('2xx and 409 are delivered, with the reply kept', () => {
  assert.deepEqual(classifyResult(res(200, { ok: true })), { result: 'delivered', httpStatus: 200, response: { status: 200, body: { ok: true } } });
  assert.equal(classifyResult(res(201)).result, 'delivered');
  assert.equal(classifyResult(res(204)).result, 'delivered');
  const dup = classifyResult(res(409, { code: 'DUPLICATE' }));
  assert.equal(dup.result, 'delivered', 'the receiver already has it');
});

test('5xx, 408, 425, 429, timeouts and network errors are retried', () => {
  for (const s of [500, 502, 503, 504, 408, 425, 429]) assert.equal(classifyResult(res(s)).result, 'retry', String(s));
  assert.deepEqual(classifyResult({ kind: 'timeout', message: '请求超时', durationMs: 5 }), { result: 'retry', httpStatus: null, error: '请求超时' });
  assert.equal(classifyResult({ kind: 'network', message: '网络错误', durationMs: 5 }).result, 'retry');
  const e = classifyResult(res(503, { code: 'UNAVAILABLE', message: '暂不可用' }));
  assert.equal(e.result === 'retry' && e.error, '对方返回 HTTP 503：UNAVAILABLE 暂不可用');
});

test('other 4xx and redirects are dead, with the other side’s reason', () => {
  const bad = classifyResult(res(422, { code: 'REJECTED', message: '身份证号不正确' }));
  assert.equal(bad.result, 'dead');
  assert.match(bad.result === 'dead' ? bad.error : '', /HTTP 422：REJECTED 身份证号不正确.*重试无效/);
  const sig = classifyResult(res(401, { code: 'BAD_SIGNATURE', message: '签名校验失败（SM2）' }));
  assert.equal(sig.result, 'dead');
  assert.match(sig.result === 'dead' ? sig.error : '', /签名校验失败（SM2）.*请检查密钥与签名方式配置/);
  assert.equal(classifyResult(res(404, { text: 'Not Found' })).result, 'dead');
  assert.match(String((classifyResult(res(302)) as { error: string }).error), /重定向/);
});

test('backoff doubles from the base, is capped, and jitters between half and all of it', () => {
  const p = { baseDelayMs: 1000, maxDelayMs: 10_000 };
  assert.deepEqual(
    [1, 2, 3, 4, 5, 6].map((n) => backoffDelayMs(n, p, () => 1)),
    [1000, 2000, 4000, 8000, 10_000, 10_000],
  );
  assert.deepEqual(
    [1, 2, 3].map((n) => backoffDelayMs(n, p, () => 0)),
    [500, 1000, 2000],
  );
  for (let i = 0; i < 100; i++) {
    const d = backoffDelayMs(3, p);
    assert.ok(d >= 2000 && d <= 4000);
  }
});
