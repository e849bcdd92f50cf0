import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { KeyRing } from '../../../platform/crypto/keyring.ts';
import type { Database } from '../../../platform/db/types.ts';
import { worldDigest } from '../../../platform/world/digest.ts';
import { generateWorld } from '../../../platform/world/runner.ts';
import { openWorldTestDb, WORLD_STAGES } from '../../../platform/world/testing.ts';
import { statusColour } from './rules.ts';
import { familyDoctorWorld } from './world.ts';

const STAGES = [...WORLD_STAGES, familyDoctorWorld];
const RESIDENTS = 3000;
let db: Database;
let drop: () => Promise<void>;
let keys: KeyRing;
let asOf: string;
let seconds: number;

before(async () => {
  ({ db, drop } = await openWorldTestDb());
  keys = KeyRing.generate();
  const started = Date.now();
  const meta = await generateWorld(db, keys, { seed: 7, residents: RESIDENTS, stages: STAGES });
  seconds = (Date.now() - started) / 1000;
  asOf = meta.asOf;
});
after(() => drop?.());

test('about 35–40% of residents hold a contract, more among those 65 and over', async () => {
  const r = (
    await db.query<{ signed: number; old: number; old_signed: number }>(
      `select count(distinct c.person_id)::int as signed,
            (select count(*)::int from person where birth_date <= ($1::date - interval '65 years')) as old,
            count(distinct c.person_id) filter (where p.birth_date <= ($1::date - interval '65 years'))::int as old_signed
       from fd_contract c join person p on p.id = c.person_id`,
      [asOf],
    )
  )[0]!;
  const share = r.signed / RESIDENTS;
  assert.ok(share > 0.3 && share < 0.45, `signed share ${share}`);
  assert.ok(r.old_signed / r.old > 0.55, `elderly share ${r.old_signed / r.old}`);
});

test('every colour occurs, mostly green; histories are plausible and consistent', async () => {
  const rows = await db.query<{ cycle_end: string; status: string }>('select cycle_end, status from fd_contract');
  const active = rows.filter((r) => r.status === 'active');
  const by = { green: 0, yellow: 0, red: 0 };
  for (const r of active) by[statusColour(r.cycle_end, asOf)]++;
  assert.ok(by.green > by.yellow && by.yellow > 0 && by.red > 0, JSON.stringify(by));
  assert.ok(rows.length > active.length, 'some terminated contracts');
  const kinds = await db.query<{ kind: string; n: number }>('select kind, count(*)::int as n from fd_contract_event group by kind order by kind');
  assert.deepEqual(
    kinds.map((k) => k.kind),
    ['change_doctor', 'change_hospitals', 'renew', 'sign', 'terminate', 'transfer_in_community'],
  );
  const bad = (
    await db.query<{ n: number }>(
      `select count(*)::int as n from fd_contract c where c.cycle_end < c.cycle_start or c.signed_on > c.cycle_start
        or (c.status = 'terminated') <> (c.terminated_on is not null)
        or not exists (select 1 from fd_contract_event e where e.contract_id = c.id)`,
    )
  )[0]!;
  assert.equal(bad.n, 0);
  const dead = (
    await db.query<{ n: number }>(
      "select count(*)::int as n from fd_contract c join person p on p.id = c.person_id where p.status = 'dead' and c.status = 'active'",
    )
  )[0]!;
  assert.equal(dead.n, 0, 'no contract in force for the deceased');
});

test('doctors come from a team of the residence centre; the resident index follows the contracts in force', async () => {
  const [r] = await db.query<{ wrong_chc: number; not_member: number; care_off: number }>(
    `select count(*) filter (where c.institution_id <> p.managing_institution_id and c.previous_id is null and c.status = 'active')::int as wrong_chc,
            count(*) filter (where not exists (select 1 from team_member m where m.team_id = c.team_id and m.practitioner_id = c.doctor_id))::int as not_member,
            count(*) filter (where c.status = 'active' and (p.doctor_id is distinct from c.doctor_id or p.team_id is distinct from c.team_id))::int as care_off
       from fd_contract c join person p on p.id = c.person_id`,
  );
  assert.deepEqual(r, { wrong_chc: 0, not_member: 0, care_off: 0 });
  const v = (await db.query<{ n: number }>('select count(*)::int as n from fd_visit'))[0]!;
  assert.ok(v.n > RESIDENTS * 0.2, `${v.n} visits`);
});

test('every contract has the agreement of its current cycle, filled from the template, without pressing 重新生成协议书', async () => {
  const r = (
    await db.query<{ contracts: number; agreements: number; mismatched: number }>(
      `select (select count(*)::int from fd_contract) as contracts, (select count(*)::int from fd_agreement) as agreements,
            (select count(*)::int from fd_agreement a join fd_contract c on c.id = a.contract_id
              where a.seq <> 1 or a.cycle_start <> c.cycle_start or a.doctor_id <> c.doctor_id or a.institution_id <> c.institution_id
                 or a.reason <> case when c.cycle_start > c.signed_on then 'renew' else 'sign' end) as mismatched`,
    )
  )[0]!;
  assert.ok(r.contracts > 0);
  assert.equal(r.agreements, r.contracts);
  assert.equal(r.mismatched, 0);
  const a = (
    await db.query<{ snapshot: { text: string; pairs: [string, string][] } | string; name: string; doctor: string }>(
      `select a.snapshot, p.name, d.name as doctor from fd_agreement a join person p on p.id = a.person_id join practitioner d on d.id = a.doctor_id order by a.id limit 1`,
    )
  )[0]!;
  const snap = typeof a.snapshot === 'string' ? JSON.parse(a.snapshot) : a.snapshot;
  assert.ok(snap.text.includes(a.name) && !snap.text.includes('{{'), snap.text.slice(0, 200));
  assert.ok(snap.pairs.some(([k, v]: [string, string]) => k === '家庭医生' && v.startsWith(a.doctor)));
  // The next regeneration continues the numbering.
  const { next } = (await db.query<{ next: number }>("select nextval(pg_get_serial_sequence('fd_agreement', 'id'))::int as next"))[0]!;
  const { max } = (await db.query<{ max: number }>('select max(id)::int as max from fd_agreement'))[0]!;
  assert.ok(next > max);
});

test('deterministic: the digest is recomputed from the stored data, and fast enough', async () => {
  const d1 = await worldDigest(db, keys, [familyDoctorWorld]);
  const again = await openWorldTestDb();
  try {
    // Other keys, same plaintext: the sealed emergency contacts are digested as their plaintext with that world's keys.
    const otherKeys = KeyRing.generate();
    await generateWorld(again.db, otherKeys, { seed: 7, residents: RESIDENTS, stages: STAGES });
    assert.equal(await worldDigest(again.db, otherKeys, [familyDoctorWorld]), d1);
  } finally {
    await again.drop();
  }
  assert.ok(seconds < 60, `${seconds}s`);
});
