// Personal data never reaches the log: not from query strings, bodies or headers.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import pino from 'pino';
import { type TestApp, testApp } from '../../test/harness.ts';
import { residentIdFor } from '../../test/schema-samples.ts';
import { redactPaths } from './redact.ts';
import { API_PREFIX } from './mount.ts';

const lines: string[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    lines.push(String(chunk));
    done();
  },
});
let t: TestApp;

before(async () => {
  t = await testApp({ log: pino({ level: 'info', redact: { paths: redactPaths, censor: '[已脱敏]' } }, sink) });
});
after(() => t.close());

test('an ID-number search, a password sign-in and a bearer token leave no trace in the log', async () => {
  const id = residentIdFor('1966-06-06', '321', '310101');
  const s = await t.loginAs('city_admin');
  await t.call(s, { method: 'GET', url: `${API_PREFIX}/residents?idNumber=${id}&phone=13911112222` });
  await t.app.inject({ method: 'POST', url: `${API_PREFIX}/auth/login`, payload: { username: 'nobody', password: 'Secret#Pass1234' } });
  const all = lines.join('');
  assert.ok(all.includes('"route":"/api/v1/residents"'), 'requests are logged by route pattern');
  for (const secret of [id, '13911112222', 'Secret#Pass1234', s.token]) assert.ok(!all.includes(secret), `log contains ${secret}`);
});
