import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openTestDb } from '../../test/db.ts';
import { migrate } from '../db/migrate.ts';
import type { Database } from '../db/types.ts';
import { kernelModules } from '../kernel-modules.ts';
import { defineModule } from '../module.ts';
import { publishEvent } from './publish.ts';
import { subscriptionsOf, syncSubscriptions } from './subscriptions.ts';

let db: Database;
let drop: () => Promise<void>;

const job = (name: string) => ({ name, title: name, handler: async () => ({}) }) as never;
const publisher = defineModule({ name: 'test.index', title: '索引', system: 'platform', publishes: [{ name: 'test.person-died', title: '死亡' }] });
const subscriber = defineModule({
  name: 'test.doctor',
  title: '医生',
  system: 'platform',
  jobs: [job('test.doctor-scan')],
  subscribes: [{ event: 'test.person-died', job: 'test.doctor-scan' }],
});

before(async () => {
  ({ db, drop } = await openTestDb({ fromTemplate: false }));
  await migrate(
    db,
    kernelModules.filter((m) => m.migrations).map((m) => ({ module: m.name, dir: m.migrations as string })),
  );
  await db.query(`insert into job_schedule (name, title, max_attempts) values ('test.doctor-scan', '扫描', 1)`);
});
after(() => drop());

test('a subscription names an event some module publishes and one of the subscriber’s own jobs', () => {
  assert.deepEqual(subscriptionsOf([publisher, subscriber]), [{ event: 'test.person-died', job: 'test.doctor-scan', module: 'test.doctor' }]);
  assert.throws(() => subscriptionsOf([subscriber]), /no registered module publishes/);
  const foreign = defineModule({ name: 'test.other', title: '其他', system: 'platform', subscribes: [{ event: 'test.person-died', job: 'test.doctor-scan' }] });
  assert.throws(() => subscriptionsOf([publisher, subscriber, foreign]), /not one of its own jobs/);
});

test('publishing queues each subscribed job once, in the publisher’s transaction; no subscriber, no run', async () => {
  await syncSubscriptions(db, [publisher, subscriber]);
  const runs = async () => (await db.query<{ n: number }>(`select count(*)::int as n from job_run where job = 'test.doctor-scan'`))[0]?.n;
  assert.deepEqual(await db.transaction((tx) => publishEvent(tx, 'test.nobody-listens', 'u1')), []);
  // a rolled-back write publishes nothing
  await assert.rejects(
    db.transaction(async (tx) => {
      assert.equal((await publishEvent(tx, 'test.person-died', 'u1')).length, 1);
      throw new Error('rollback');
    }),
  );
  assert.equal(await runs(), 0);
  const [first] = await db.transaction((tx) => publishEvent(tx, 'test.person-died', 'u1'));
  const [second] = await db.transaction((tx) => publishEvent(tx, 'test.person-died', 'u2'));
  assert.ok(first);
  assert.equal(second, first, 'a pending run is joined, not duplicated');
  assert.equal(await runs(), 1);
  // the subscriber removed from the registry: its subscription goes with it
  await syncSubscriptions(db, [publisher]);
  await db.query(`update job_run set status = 'succeeded' where job = 'test.doctor-scan'`);
  assert.deepEqual(await db.transaction((tx) => publishEvent(tx, 'test.person-died', 'u1')), []);
});
