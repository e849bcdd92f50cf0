import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { verify } from '@node-rs/argon2';
import { checkPasswordPolicy } from '../auth/password.ts';
import { ROLE_CODES } from '../auth/roles.ts';
import { totpCode, verifyTotp } from '../auth/totp.ts';
import { KeyRing } from '../crypto/keyring.ts';
import type { Database } from '../db/types.ts';
import { generateWorld } from '../world/runner.ts';
import { openWorldTestDb, WORLD_STAGES } from '../world/testing.ts';
import { createDemoUsers, DEMO_PASSWORD, DemoRefusedError, demoTotpSecret } from './users.ts';

let db: Database;
let drop: () => Promise<void>;
const keys = KeyRing.generate();

before(async () => {
  ({ db, drop } = await openWorldTestDb());
  await generateWorld(db, keys, { seed: 20261126, residents: 200, stages: WORLD_STAGES, digest: false });
});
after(() => drop());

interface U {
  username: string;
  role: string;
  scope_level: string;
  scope_district: string | null;
  scope_institution_id: number | null;
  scope_team_id: number | null;
  practitioner_id: number | null;
  password_hash: string;
  totp_secret: string;
  totp_enabled: boolean;
  demo: boolean;
}
const users = () =>
  db.query<U>(`select username, role, scope_level, scope_district, scope_institution_id::int as scope_institution_id, scope_team_id::int as scope_team_id,
    practitioner_id::int as practitioner_id, password_hash, totp_secret, totp_enabled, demo from app_user order by id`);

test('NODE_ENV=production refuses demo accounts', async () => {
  await assert.rejects(createDemoUsers(db, keys, { env: 'production' }), DemoRefusedError);
  const saved = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await assert.rejects(createDemoUsers(db, keys, { env: 'development' }), DemoRefusedError);
  } finally {
    process.env.NODE_ENV = saved;
  }
  assert.equal((await users()).length, 0);
});

test('a demo account for every role, scoped to real rows of the world, TOTP enrolled with the fixed secret', async () => {
  const accounts = await createDemoUsers(db, keys, { env: 'test' });
  const rows = await users();
  assert.equal(rows.length, accounts.length);
  assert.deepEqual([...new Set(rows.map((r) => r.role))].sort(), [...ROLE_CODES].sort());
  const by = new Map(rows.map((r) => [r.username, r]));
  for (const r of rows) {
    assert.ok(r.demo && r.totp_enabled);
    assert.equal(keys.decryptField(r.totp_secret), demoTotpSecret(r.username));
    assert.match(demoTotpSecret(r.username), /^[A-Z2-7]{32}$/);
  }
  assert.ok(await verify(rows[0]!.password_hash, DEMO_PASSWORD));
  // Meets the policy in demo mode (outside it the published demo password is refused: auth/password.ts).
  assert.deepEqual(checkPasswordPolicy(DEMO_PASSWORD, 'city_admin', { demo: true }), []);
  assert.equal(by.get('city_admin')?.scope_level, 'city');
  assert.equal(by.get('district_admin_huangpu')?.scope_district, '310101');
  assert.equal(by.get('district_admin_xuhui')?.scope_district, '310104');

  const hospital = by.get('hospital_admin') as U;
  const [h] = await db.query<{ kind: string; level: number }>('select kind, level from institution where id = $1', [hospital.scope_institution_id]);
  assert.deepEqual([hospital.scope_level, h], ['institution', { kind: 'city_hospital', level: 3 }]);
  assert.equal(by.get('hospital_user')?.scope_institution_id, hospital.scope_institution_id);

  const fd = by.get('family_doctor') as U;
  assert.equal(fd.scope_level, 'own');
  const [p] = await db.query<{ is_family_doctor: boolean; leads: boolean; institution_id: number }>(
    'select is_family_doctor, exists (select 1 from team t where t.leader_id = p.id) as leads, institution_id::int as institution_id from practitioner p where id = $1',
    [fd.practitioner_id],
  );
  assert.deepEqual(p, { is_family_doctor: true, leads: true, institution_id: fd.scope_institution_id });
  const assistant = by.get('doctor_assistant') as U;
  const team = (
    await db.query<{ leader_id: number; institution_id: number }>(
      'select leader_id::int as leader_id, institution_id::int as institution_id from team where id = $1',
      [assistant.scope_team_id],
    )
  )[0]!;
  assert.deepEqual([assistant.scope_level, team.leader_id], ['team', fd.practitioner_id]);
  const community = by.get('community_admin') as U;
  const chc = (await db.query<{ kind: string }>('select kind from institution where id = $1', [community.scope_institution_id]))[0]!;
  assert.deepEqual([community.scope_level, chc.kind, community.scope_institution_id], ['institution', 'chc', team.institution_id]);
});

test('running again changes nothing but the scopes (idempotent)', async () => {
  const before = await users();
  await createDemoUsers(db, keys, { env: 'test' });
  const again = await users();
  assert.deepEqual(
    again.map((u) => [u.username, u.password_hash]),
    before.map((u) => [u.username, u.password_hash]),
  );
});

test('the demo TOTP secrets work with RFC 6238 and docs/demo.md lists every account with its secret', async () => {
  const doc = readFileSync(new URL('../../../../docs/demo.md', import.meta.url), 'utf8');
  assert.ok(doc.includes(DEMO_PASSWORD));
  for (const u of await users()) {
    const secret = demoTotpSecret(u.username);
    assert.notEqual(verifyTotp(secret, totpCode(secret)), null);
    assert.ok(doc.includes(`| \`${u.username}\``), `docs/demo.md lacks ${u.username}`);
    assert.ok(doc.includes(`otpauth://totp/weijian:${u.username}?secret=${secret}&issuer=weijian`), `docs/demo.md lacks the secret of ${u.username}`);
  }
});
