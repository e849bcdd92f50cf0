// The child process of interrupted-run.test.ts: a server's job worker over the database the test prepared
// (CHILD_PGLITE_DIR or CHILD_DATABASE_URL). Every committed compliance step (a transaction that wrote a
// cm_run_rule row) is reported on stdout as "step"; after STOP_AFTER_STEPS it stops making progress, so the
// test's kill -9 lands with exactly that many steps committed.
import { allModules } from '../../../modules.ts';
import { KeyRing } from '../../../platform/crypto/keyring.ts';
import { openPglite } from '../../../platform/db/pglite.ts';
import { openPostgres } from '../../../platform/db/postgres.ts';
import type { Database, TxOptions } from '../../../platform/db/types.ts';
import { startScheduler } from '../../../platform/jobs/scheduler.ts';
import { startKernel } from '../../../platform/kernel.ts';
import { testConfig } from '../../../test/harness.ts';

const stopAfter = Number(process.env.STOP_AFTER_STEPS ?? 2);
const db: Database = process.env.CHILD_DATABASE_URL
  ? await openPostgres(process.env.CHILD_DATABASE_URL, 4)
  : await openPglite(process.env.CHILD_PGLITE_DIR as string);

let steps = 0;
// Steps that reached their cm_run_rule insert. On PostgreSQL rules run side by side, so a step past the
// limit is held *before* it commits (never after), or a parallel one could commit before the kill.
let reserved = 0;
const transaction = db.transaction.bind(db);
db.transaction = async <T>(fn: (tx: Parameters<Parameters<Database['transaction']>[0]>[0]) => Promise<T>, options?: TxOptions): Promise<T> => {
  let step = false;
  const out = await transaction(
    (tx) =>
      fn({
        ...tx,
        query: (text, params) => {
          if (/insert into cm_run_rule/.test(typeof text === 'string' ? text : text.compile().text)) {
            if (reserved >= stopAfter) return new Promise<never>(() => {}); // held uncommitted until killed
            reserved++;
            step = true;
          }
          return tx.query(text, params);
        },
      }),
    options,
  );
  if (step) {
    steps++;
    process.stdout.write('step\n');
    if (steps >= stopAfter) await new Promise(() => {}); // hold here until killed
  }
  return out;
};

const kernel = await startKernel(testConfig(), allModules, { db, keys: KeyRing.generate() });
startScheduler(kernel, { tickMs: 50 });
process.stdout.write('ready\n');
