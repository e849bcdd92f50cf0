import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import { type TestApp, testApp } from '../../test/harness.ts';

let t: TestApp;
const dist = mkdtempSync(join(tmpdir(), 'wj-dist-'));
const script = `console.log(${JSON.stringify('上海市卫健委'.repeat(400))});\n`;
before(async () => {
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), `<!doctype html><title>卫健</title>${'<!-- pad -->'.repeat(200)}`);
  writeFileSync(join(dist, 'assets', 'index-Bx3k9QzA.js'), script);
  t = await testApp({ config: { webDist: dist } });
});
after(async () => {
  await t.close();
  rmSync(dist, { recursive: true, force: true });
});

test('hashed assets: brotli when asked, cached for a year as immutable', async () => {
  const r = await t.app.inject({ url: '/assets/index-Bx3k9QzA.js', headers: { 'accept-encoding': 'br, gzip' } });
  assert.equal(r.statusCode, 200, r.body);
  assert.equal(r.headers['content-encoding'], 'br');
  assert.match(String(r.headers['cache-control']), /max-age=31536000.*immutable/);
  assert.ok(r.rawPayload.length < Buffer.byteLength(script) / 4, `compressed ${r.rawPayload.length} of ${Buffer.byteLength(script)} bytes`);
  assert.equal(brotliDecompressSync(r.rawPayload).toString(), script);
});

test('gzip for a client without brotli; index.html is revalidated, not immutable', async () => {
  const r = await t.app.inject({ url: '/', headers: { 'accept-encoding': 'gzip' } });
  assert.equal(r.statusCode, 200);
  assert.equal(r.headers['content-encoding'], 'gzip');
  assert.equal(r.headers['cache-control'], 'no-cache');
  const spa = await t.app.inject({ url: '/platform/users' });
  assert.equal(spa.statusCode, 200);
  assert.doesNotMatch(String(spa.headers['cache-control']), /immutable/);
});

test('API answers (personal data) are never stored by a browser or proxy', async () => {
  const s = await t.loginAs('city_admin');
  const me = await t.call(s, { url: '/api/v1/auth/me' });
  assert.equal(me.headers['cache-control'], 'no-store');
  const refused = await t.call(null, { url: '/api/v1/auth/me' });
  assert.equal(refused.headers['cache-control'], 'no-store');
});
