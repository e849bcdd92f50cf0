import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type TestApp, testApp } from '../../test/harness.ts';
import { verifyAudit } from '../audit/verify.ts';
import type { Database } from '../db/types.ts';
import { runPendingJobs } from '../jobs/scheduler.ts';
import { keyCommands } from './cli.ts';
import { KeyRing } from './keyring.ts';
import { rebuildAllBlindIndexes, resealAll, resealBacklog, resealColumn, sealedColumnCensus, unrebuildableBlindIndexes } from './reseal.ts';

const dir = mkdtempSync(join(tmpdir(), 'wj-keys-'));
let t: TestApp;
before(async () => {
  t = await testApp({ config: { dataDir: dir } });
});
after(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

const ID = ['310101199001011234', '310104198512120021', '31011519700707003X'];
const PHONE = ['13800000001', '13800000002', '13800000003'];

async function addPeople(keys: KeyRing) {
  for (let i = 0; i < ID.length; i++) {
    await t.kernel.db.query(
      `insert into person (id_number_enc, id_number_bi, id_number_mask, name, sex, birth_date, residence_district, phone_enc, phone_bi, phone_mask)
       values ($1, $2, 'x', $3, 'M', '1990-01-01', '310101', $4, $5, 'x')`,
      [
        keys.encryptField(ID[i]!),
        keys.blindIndex(ID[i]!, 'person.id_number'),
        `钥${i}`,
        keys.encryptField(PHONE[i]!),
        keys.blindIndex(PHONE[i]!, 'person.phone'),
      ],
    );
  }
}

async function people() {
  const rows = await t.kernel.db.query<{ id_number_enc: string; phone_enc: string; id_number_bi: string }>(
    "select id_number_enc, phone_enc, id_number_bi from person where name like '钥%' order by name",
  );
  return rows.map((r) => ({
    kid: t.kernel.keys.keyIdOf(r.id_number_enc),
    phoneKid: t.kernel.keys.keyIdOf(r.phone_enc),
    id: t.kernel.keys.decryptField(r.id_number_enc),
    phone: t.kernel.keys.decryptField(r.phone_enc),
    bi: r.id_number_bi,
  }));
}

async function cli(name: string, args: string[] = []) {
  const lines: string[] = [];
  const code = await keyCommands.find((c) => c.name === name)!.run(args, t.kernel, (l) => lines.push(l));
  return { code, out: lines.join('\n') };
}

const findById = async (id: string) =>
  (await t.kernel.db.query<{ name: string }>('select name from person where id_number_bi = $1', [t.kernel.keys.blindIndex(id, 'person.id_number')])).map(
    (r) => r.name,
  );

test('every *_enc / *_bi column in the schema is declared for rotation (census)', async () => {
  const { undeclared, missing } = await sealedColumnCensus(t.kernel);
  assert.deepEqual(undeclared, [], 'declare these in their module (sealed / blindIndexes) so key rotation re-seals them');
  assert.deepEqual(missing, [], 'declared columns that do not exist');
  // The census sees a new undeclared column (it is not vacuous).
  await t.kernel.db.exec('create table t_census (id bigserial primary key, y_bi text)');
  assert.deepEqual((await sealedColumnCensus(t.kernel)).undeclared, ['t_census.y_bi']);
  await t.kernel.db.exec('drop table t_census');
});

test('keys rotate: new writes under the new key, the job re-seals old rows, restartable and idempotent', async () => {
  const { kernel } = t;
  const before = KeyRing.fromJSON(kernel.keys.toJSON());
  await addPeople(kernel.keys);
  assert.deepEqual(
    (await people()).map((p) => p.kid),
    ['k1', 'k1', 'k1'],
  );

  const r = await cli('keys rotate');
  assert.equal(r.code, 0);
  assert.match(r.out, /k1 → k2/);
  const onDisk = JSON.parse(readFileSync(join(dir, 'keys.json'), 'utf8'));
  assert.equal(onDisk.active, 'k2');
  assert.deepEqual(Object.keys(onDisk.keys), ['k1', 'k2'], 'the old key stays to open old rows');
  assert.match(kernel.keys.encryptField('新写入'), /^v1\.k2\./);
  assert.deepEqual(
    (await resealBacklog(kernel)).filter((b) => b.table === 'person').map((b) => b.changed),
    [3, 3],
  );

  // A process still holding the old ring (active k1) never "re-seals" k2 tokens back.
  await kernel.db.query("update person set phone_enc = $1 where name = '钥0'", [kernel.keys.encryptField(PHONE[0]!)]);
  assert.equal(await resealColumn({ ...kernel, keys: before }, { table: 'person', column: 'phone_enc' }), 0);

  // The queued keys.reseal job does the rest; every value still opens to the same plaintext.
  await runPendingJobs(kernel);
  const run = (
    await kernel.db.query<{ status: string; result: { changed: number } }>(
      "select status, result from job_run where job = 'keys.reseal' order by id desc limit 1",
    )
  )[0]!;
  assert.equal(run.status, 'succeeded');
  assert.equal(run.result.changed, 5);
  const now = await people();
  assert.deepEqual(
    now.map((p) => [p.kid, p.phoneKid, p.id, p.phone]),
    ID.map((id, i) => ['k2', 'k2', id, PHONE[i]]),
  );
  assert.deepEqual(await findById(ID[1]!), ['钥1'], 'blind indexes unchanged by a field-key rotation');
  assert.equal(
    (await resealAll(kernel)).reduce((n, x) => n + x.changed, 0),
    0,
    'a second run finds nothing',
  );

  // Interrupted halfway (the process dies after one batch): running again finishes, nothing lost.
  kernel.keys.rotate();
  let calls = 0;
  const dying = {
    ...kernel,
    db: {
      ...kernel.db,
      transaction: (fn: Parameters<Database['transaction']>[0]) => (++calls > 1 ? Promise.reject(new Error('killed')) : kernel.db.transaction(fn)),
    } as Database,
  };
  await assert.rejects(resealColumn(dying, { table: 'person', column: 'id_number_enc' }, 1), /killed/);
  assert.deepEqual((await people()).map((p) => p.kid).sort(), ['k2', 'k2', 'k3']);
  await resealAll(kernel);
  assert.deepEqual(
    (await people()).map((p) => [p.kid, p.id]),
    ID.map((id) => ['k3', id]),
  );

  const audited = await kernel.db.query<{ action: string }>("select action from audit_event where action in ('keys.rotate', 'keys.reseal')");
  assert.ok(audited.some((a) => a.action === 'keys.rotate') && audited.some((a) => a.action === 'keys.reseal'));
  assert.equal((await verifyAudit(kernel.db)).ok, true);
});

test('a running server takes over the rotated ring when the job runs (no restart)', async () => {
  const onDisk = KeyRing.fromJSON(JSON.parse(readFileSync(join(dir, 'keys.json'), 'utf8')));
  const stale = KeyRing.fromJSON({ ...onDisk.toJSON(), active: 'k1', keys: { k1: onDisk.toJSON().keys.k1 } });
  assert.equal(stale.adopt(onDisk), true);
  assert.equal(stale.activeKeyId, onDisk.activeKeyId);
  assert.equal(stale.decryptField(onDisk.encryptField('x')), 'x');
  assert.equal(KeyRing.generate().adopt(onDisk), false, 'a foreign ring is never taken over');
});

test('keys rotate --blind-index rebuilds every sourced blind index; search keeps finding people', async () => {
  const { kernel } = t;
  const oldBi = (await people())[0]!.bi;
  const r = await cli('keys rotate', ['--blind-index']);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /盲索引 person\.id_number_bi：重建 3 行/);
  const now = await people();
  assert.notEqual(now[0]!.bi, oldBi);
  assert.deepEqual(await findById(ID[0]!), ['钥0']);
  assert.deepEqual(await findById(ID[2]!), ['钥2']);
  assert.deepEqual(
    (await rebuildAllBlindIndexes(kernel)).filter((x) => x.changed > 0),
    [],
    'idempotent',
  );
  // The ring on disk holds the new blind-index key (what the server will search with).
  const disk = KeyRing.fromJSON(JSON.parse(readFileSync(join(dir, 'keys.json'), 'utf8')));
  assert.equal(disk.blindIndex(ID[0]!, 'person.id_number'), kernel.keys.blindIndex(ID[0]!, 'person.id_number'));
});

test('a blind index with no sealed source blocks a blind-index key rotation while it holds rows', async () => {
  const { kernel } = t;
  await kernel.db.exec('create table t_unsourced (id bigserial primary key, x_bi text)');
  const mod = {
    name: 'test.unsourced',
    title: 't',
    system: 'platform' as const,
    blindIndexes: [{ table: 't_unsourced', column: 'x_bi', domain: 'person.id_number' }],
  };
  const k = { ...kernel, modules: [...kernel.modules, mod] };
  assert.deepEqual(await unrebuildableBlindIndexes(k), []);
  await kernel.db.query("insert into t_unsourced (x_bi) values ('abc')");
  assert.deepEqual(await unrebuildableBlindIndexes(k), ['t_unsourced.x_bi（1 行）']);
  const active = kernel.keys.activeKeyId;
  await assert.rejects(
    keyCommands.find((c) => c.name === 'keys rotate')!.run(['--blind-index'], { ...kernel, modules: k.modules } as typeof kernel, () => undefined),
    /t_unsourced\.x_bi/,
  );
  assert.equal(kernel.keys.activeKeyId, active, 'nothing rotated');
  await kernel.db.exec('drop table t_unsourced');
});
