// The personal-data census: builds a small demo world with every registered world stage, then scans every
// text and JSON column of every table, and every GET list response as a city admin, for resident ID numbers
// and mobile numbers in clear. Any finding not on the reviewed allow-list fails (docs/security.md).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { allModules } from '../modules.ts';
import { API_PREFIX } from '../platform/http/mount.ts';
import { collectStages, generateWorld } from '../platform/world/runner.ts';
import { type TestApp, testApp } from './harness.ts';
import { PERSONAL_DATA_ALLOW_LIST } from './personal-data-allow-list.ts';
import { findClear, SQL_PREFILTER } from './personal-data-census.ts';

let t: TestApp;
const allowed = (where: string, kind: string) => PERSONAL_DATA_ALLOW_LIST.some((a) => a.where === where && a.kind === kind);

before(async () => {
  t = await testApp();
  const stages = collectStages(allModules);
  await generateWorld(t.kernel.db, t.kernel.keys, { seed: 20261207, residents: 300, stages, digest: false });
});
after(() => t?.close());

test('the census finds what it looks for (control)', () => {
  assert.deepEqual(
    findClear('身份证 11010519491231002X，电话 13912345678').map((h) => h.kind),
    ['resident-id', 'phone'],
  );
  assert.deepEqual(findClear('11010519491231002Y 110105194912310021 139123456789 v1.k1.MTM5MTIzNDU2Nzg5MTM5MTIzNDU2Nzg'), []);
  assert.deepEqual(findClear('a3139123456780bcdef0123456789abcdef0123456789'), []);
});

test('no table of the demo database holds an ID number or a mobile number in clear', async () => {
  const db = t.kernel.db;
  const columns = await db.query<{ table_name: string; column_name: string }>(
    `select c.table_name, c.column_name from information_schema.columns c
       join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
      where c.table_schema = 'public' and (c.data_type in ('text', 'character varying', 'character', 'json', 'jsonb') or c.udt_name in ('_text', '_varchar'))
      order by 1, 2`,
  );
  assert.ok(columns.length > 100, `only ${columns.length} columns`);
  const { n: people } = (await db.query<{ n: number }>('select count(*)::int as n from person'))[0]!;
  assert.ok(people >= 300, 'the world was built');
  const findings = new Map<string, string>();
  for (const { table_name: tb, column_name: col } of columns) {
    const rows = await db.query<{ v: string }>(`select "${col}"::text as v from "${tb}" where "${col}"::text ~ $1 limit 200`, [SQL_PREFILTER]);
    for (const r of rows) {
      for (const h of findClear(r.v)) {
        const where = `${tb}.${col}`;
        if (!allowed(where, h.kind)) findings.set(`${where} ${h.kind}`, h.masked);
      }
    }
  }
  assert.deepEqual(
    [...findings].map(([k, v]) => `${k} (e.g. ${v})`),
    [],
    'personal data in clear outside the allow-list',
  );
});

test('no GET list response shows an ID number or a mobile number in clear (city admin)', async () => {
  const admin = await t.loginAs('city_admin');
  const findings = new Map<string, string>();
  let scanned = 0;
  for (const { route } of t.kernel.routes) {
    if (route.method !== 'GET' || route.url.includes(':') || route.auth !== 'staff') continue;
    const r = await t.call(admin, { method: 'GET', url: `${API_PREFIX}${route.url}` });
    assert.ok(r.statusCode < 500, `GET ${route.url}: ${r.statusCode} ${r.body.slice(0, 200)}`);
    if (r.statusCode !== 200) continue;
    scanned++;
    for (const h of findClear(r.body)) {
      const where = `GET ${route.url}`;
      if (!allowed(where, h.kind)) findings.set(`${where} ${h.kind}`, h.masked);
    }
  }
  assert.ok(scanned > 40, `only ${scanned} list responses scanned`);
  assert.deepEqual(
    [...findings].map(([k, v]) => `${k} (e.g. ${v})`),
    [],
    'personal data in clear outside the allow-list',
  );
});
