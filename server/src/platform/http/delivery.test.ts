import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, constants, gzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import { type TestApp, testApp } from '../../test/harness.ts';

let t: TestApp;
const dist = mkdtempSync(join(tmpdir(), 'wj-dist-'));
const script = `console.log(${JSON.stringify('上海市卫健委'.repeat(400))});\n`;
before(async () => {
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), `<!doctype html><title>卫健</title>${'<!-- pad -->'.repeat(200)}`);
  writeFileSync(join(dist, 'assets', 'index-Bx3k9QzA.js'), script);
  // What the console's build writes next to each file (web/vite.config.ts, precompress); at the weakest
  // settings here, so the bytes differ from anything the server would compress on the fly.
  writeFileSync(join(dist, 'assets', 'vendor-Qm7Yt2Lp.js'), script);
  writeFileSync(join(dist, 'assets', 'vendor-Qm7Yt2Lp.js.br'), brotliCompressSync(script, { params: { [constants.BROTLI_PARAM_QUALITY]: 1 } }));
  writeFileSync(join(dist, 'assets', 'vendor-Qm7Yt2Lp.js.gz'), gzipSync(script, { level: 1 }));
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

test('a build-time .br/.gz twin is sent as it is (not compressed again per request), cached as the asset it stands for', async () => {
  for (const [enc, ext] of [
    ['br', 'br'],
    ['gzip', 'gz'],
  ] as const) {
    const r = await t.app.inject({ url: '/assets/vendor-Qm7Yt2Lp.js', headers: { 'accept-encoding': enc } });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.headers['content-encoding'], enc);
    assert.match(String(r.headers['content-type']), /javascript/);
    assert.match(String(r.headers['cache-control']), /max-age=31536000.*immutable/);
    assert.deepEqual(r.rawPayload, readFileSync(join(dist, 'assets', `vendor-Qm7Yt2Lp.js.${ext}`)));
  }
  const plain = await t.app.inject({ url: '/assets/vendor-Qm7Yt2Lp.js', headers: { 'accept-encoding': 'identity' } });
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(plain.body, script);
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
