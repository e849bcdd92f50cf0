import { openPglite } from './server/src/platform/db/pglite.ts';
import { startKernel } from './server/src/platform/kernel.ts';
import { allModules } from './server/src/modules.ts';
import { testConfig } from './server/src/test/harness.ts';
import { KeyRing } from './server/src/platform/crypto/keyring.ts';
import { appendAudit } from './server/src/platform/audit/append.ts';
import { sampleEvent, testActor } from './server/src/platform/audit/test-helpers.ts';
import { verifyAudit } from './server/src/platform/audit/verify.ts';
import { createCheckpoint } from './server/src/platform/audit/checkpoint.ts';
const db = await openPglite(null);
const k = await startKernel(testConfig(), allModules, { db, keys: KeyRing.generate() });
let t = Date.now();
const N = 200_000;
for (let i = 0; i < N; i += 2000) {
  await db.transaction((tx) => appendAudit(tx, testActor, Array.from({ length: 2000 }, (_, j) => sampleEvent(i + j)), { ip: null, requestId: null }));
}
console.log('append', Date.now() - t); t = Date.now();
const cp = await db.transaction((tx) => createCheckpoint(tx, k.keys));
console.log('checkpoint', Date.now() - t, cp?.toSeq); t = Date.now();
console.log(await verifyAudit(db), 'verify ms', Date.now() - t);
console.log('rss MB', Math.round(process.memoryUsage().rss / 1e6));
await db.close();
