// Permission codes follow one pattern, <module>.<action> with the module's short name (docs/architecture.md),
// and a database from before the renaming keeps working: a partner system's stored grant is renamed.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { allModules } from '../../modules.ts';
import type { Database } from '../db/types.ts';
import { openTestDb } from '../../test/db.ts';

test('every permission code is <module short name>.<action>, kebab-case, and each menu permission exists', () => {
  const codes = new Set<string>();
  for (const m of allModules) {
    const short = m.name.slice(m.name.lastIndexOf('.') + 1);
    for (const p of m.permissions ?? []) {
      assert.match(p.code, /^[a-z]+(-[a-z]+)*(\.[a-z]+(-[a-z]+)*)+$/, `${m.name}: ${p.code}`);
      assert.ok(p.code.startsWith(`${short}.`), `${m.name}: ${p.code} should start with ${short}.`);
      assert.ok(!codes.has(p.code), `declared twice: ${p.code}`);
      codes.add(p.code);
    }
  }
  for (const m of allModules) for (const item of m.menu ?? []) assert.ok(codes.has(item.permission), `${m.name} menu ${item.path}: ${item.permission}`);
  for (const m of allModules)
    for (const r of m.routes ?? []) if (r.permission) assert.ok(codes.has(r.permission), `${m.name} ${r.method} ${r.url}: ${r.permission}`);
});

let db: Database;
let drop: () => Promise<void>;
before(async () => {
  ({ db, drop } = await openTestDb());
});
after(() => drop());

test("migration 005 renames old codes in a partner system's grant, in order, and keeps the rest", async () => {
  await db.query(
    `insert into api_client (client_id, name, secret, permissions) values
       ('old-grants', '旧授权', 'x', array['fp.birth-order.query', 'fd-services.contract.query', 'cs.read', 'partner.ping', 'fp.bv.cloud-feedback']),
       ('new-grants', '新授权', 'x', array['fd-services.inpatient.report'])`,
  );
  await db.exec(readFileSync(new URL('./migrations/005_permission_codes.sql', import.meta.url), 'utf8'));
  const rows = await db.query<{ client_id: string; permissions: string[] }>(
    `select client_id, permissions from api_client where client_id in ('old-grants', 'new-grants') order by client_id`,
  );
  assert.deepEqual(rows.find((r) => r.client_id === 'old-grants')?.permissions, [
    'birth-verification.birth-order.query',
    'fd-services.contract.query',
    'childcare-subsidy.read',
    'system.partner.ping',
    'birth-verification.cloud-feedback',
  ]);
  assert.deepEqual(rows.find((r) => r.client_id === 'new-grants')?.permissions, ['fd-services.inpatient.report']);
  const known = new Set(allModules.flatMap((m) => (m.permissions ?? []).map((p) => p.code)));
  for (const code of rows.flatMap((r) => r.permissions)) assert.ok(known.has(code), code);
});
