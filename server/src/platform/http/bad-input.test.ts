// Every write route, and every route with a query string, checked against bad inputs generated from
// its own schema: 400 with a field-level zh-CN message naming the field, never a 500, nothing stored.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Schema, invalidVariants, validSample } from '../../test/schema-samples.ts';
import { type TestApp, type TestSession, testApp } from '../../test/harness.ts';
import { API_PREFIX } from './mount.ts';

let t: TestApp;
let admin: TestSession;

before(async () => {
  t = await testApp();
  admin = await t.loginAs('city_admin');
});
after(() => t.close());

async function rowCounts(): Promise<string> {
  const tables = await t.kernel.db.query<{ tablename: string }>("select tablename from pg_tables where schemaname = 'public' order by tablename");
  const sql = tables.map((r) => `select '${r.tablename}' as t, count(*)::int as n from ${r.tablename}`).join(' union all ');
  const rows = await t.kernel.db.query<{ t: string; n: number }>(sql);
  return JSON.stringify(rows.filter((r) => r.t !== 'app_session'));
}

/** Path parameters that pass their own schema (a patterned one names a valid value in `examples`). */
function fillParams(url: string, params?: unknown): string {
  const props = ((params as Schema | undefined)?.properties ?? {}) as Record<string, Schema & { examples?: unknown[] }>;
  return url.replace(/:(\w+)/g, (_m, name: string) => {
    const example = props[name]?.examples?.[0];
    if (example !== undefined) return encodeURIComponent(String(example));
    return name === 'name' ? 'platform.sample-report' : '999999';
  });
}

test('every body schema refuses generated bad input with 400 and field details, storing nothing', async () => {
  const writes = t.kernel.routes.filter(({ route }) => route.body && ['POST', 'PUT', 'PATCH'].includes(route.method));
  assert.ok(writes.length > 0, 'no write routes registered');
  const before = await rowCounts();
  let checked = 0;
  for (const { route } of writes) {
    const schema = route.body as unknown as Schema;
    const valid = validSample(schema) as Record<string, unknown>;
    for (const v of invalidVariants(schema, valid)) {
      const r = await t.call(admin, { method: route.method, url: API_PREFIX + fillParams(route.url, route.params), payload: v.body as object });
      const where = `${route.method} ${route.url} — ${v.label}`;
      assert.equal(r.statusCode, 400, `${where}: expected 400, got ${r.statusCode} ${r.body}`);
      const b = r.json();
      assert.equal(b.code, 'VALIDATION_FAILED', where);
      assert.ok(/[\u4e00-\u9fa5]/.test(b.message), `${where}: message not in Chinese`);
      assert.ok(
        b.details.some((d: { field: string; message: string }) => d.field === v.field && /[\u4e00-\u9fa5]/.test(d.message)),
        `${where}: no zh-CN detail for field ${v.field}: ${JSON.stringify(b.details)}`,
      );
      checked++;
    }
    // A body that is not JSON at all, and no body where one is required.
    const bad = await t.call(admin, {
      method: route.method,
      url: API_PREFIX + fillParams(route.url, route.params),
      payload: '{"oops',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(bad.statusCode, 400, `${route.method} ${route.url} invalid JSON`);
  }
  assert.ok(checked > writes.length, `only ${checked} variants checked`);
  assert.equal(await rowCounts(), before, 'a refused request stored something');
});

test('query strings refuse wrong types and unknown enum values with 400', async () => {
  let checked = 0;
  for (const { route } of t.kernel.routes.filter(({ route }) => route.querystring)) {
    const schema = route.querystring as unknown as Schema;
    for (const [k, p] of Object.entries(schema.properties ?? {})) {
      const t0 = Array.isArray(p.type) ? p.type[0] : p.type;
      const bad = p.enum ? '__invalid__' : t0 === 'integer' || t0 === 'number' ? 'abc' : p.format === 'date' ? '2020-13-45' : null;
      if (bad === null) continue;
      const r = await t.call(admin, { method: route.method, url: `${API_PREFIX}${fillParams(route.url, route.params)}?${k}=${bad}` });
      assert.equal(r.statusCode, 400, `${route.method} ${route.url}?${k}=${bad}: ${r.statusCode} ${r.body}`);
      assert.ok(
        r.json().details.some((d: { field: string }) => d.field === k),
        `${route.url}?${k}: ${r.body}`,
      );
      checked++;
    }
  }
  assert.ok(checked > 0, 'no query parameters checked');
});
