import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestApp, testApp } from '../../test/harness.ts';

let t: TestApp;
before(async () => {
  t = await testApp();
});
after(() => t.close());

test('health, readiness and the OpenAPI document answer', async () => {
  assert.equal((await t.app.inject({ url: '/healthz' })).statusCode, 200);
  const ready = await t.app.inject({ url: '/readyz' });
  assert.equal(ready.json().status, 'ready');
  const doc = (await t.app.inject({ url: '/api/openapi.json' })).json();
  assert.equal(doc.openapi, '3.0.3');
});

test('unknown API path gets the one error body with 404', async () => {
  const r = await t.app.inject({ url: '/api/v1/nope' });
  assert.equal(r.statusCode, 404);
  const b = r.json();
  assert.equal(b.code, 'NOT_FOUND');
  assert.ok(b.message);
  assert.deepEqual(b.details, []);
});
