import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { KeyRing } from '../../../crypto/keyring.ts';
import { sendRequest } from '../../http-client.ts';
import { sm2Signer } from '../../signing.ts';
import { DEFAULT_CLIENT_ID } from '../../systems.ts';
import { type Simulator, startSimulator } from '../simulator.ts';
import { dataPlatformSimulator, dataPlatformStore, syntheticBirths, syntheticDeaths, syntheticMarriages } from './data-platform.ts';

// The 市大数据中心 simulator: SM2-signed reads, paging, loaded records, deterministic synthetic feeds with
// their planted flaws.
const keys = KeyRing.generate();
let sim: Simulator;
const get = (path: string, k = keys) =>
  sendRequest({ baseUrl: sim.url, method: 'GET', path, timeoutMs: 5_000, signer: sm2Signer(DEFAULT_CLIENT_ID, (m) => k.sm2Sign(m)) });

before(async () => {
  sim = await startSimulator(dataPlatformSimulator, { sm2PublicKey: keys.sm2PublicKey });
});
after(() => sim.stop());

test('synthetic feeds: the same for the same day or month, with planted flaws', async () => {
  assert.deepEqual(syntheticMarriages('2026-05-01'), syntheticMarriages('2026-05-01'));
  assert.notDeepEqual(syntheticMarriages('2026-05-01'), syntheticMarriages('2026-05-02'));
  assert.equal(syntheticMarriages('2026-05-01')[0]!.NVCSRQ, '20090101', 'an under-age bride');
  assert.ok(
    syntheticBirths('2026-05').some((r) => r.SSPCSDM === '310199999000'),
    'an unmapped 派出所 code',
  );
  const deaths = syntheticDeaths('2026-05');
  assert.deepEqual(deaths, syntheticDeaths('2026-05'));
  assert.ok(
    deaths.every((d) => d.ZXYY === '死亡' && /^2026-05-\d{2}$/.test(String(d.SWRQ))),
    '死亡注销 of the month',
  );
  assert.ok(
    deaths.some((d) => d.GMSFHM === ''),
    'one without its identity number',
  );
  const dr = await get('/api/v1/police/death-deregistrations?month=2026-05');
  assert.deepEqual((dr as { body: { records: unknown[] } }).body.records, deaths);
  const r = await get('/api/v1/civil-affairs/marriages?date=2026-05-01');
  assert.equal(r.kind === 'response' && r.status, 200);
  assert.deepEqual((r as { body: { records: unknown[] } }).body.records, syntheticMarriages('2026-05-01'));
});

test('loaded records are served page by page; bad parameters and bad signatures refused', async () => {
  const store = dataPlatformStore(sim);
  store.births.load(
    '2026-06',
    Array.from({ length: 5 }, (_, i) => ({ CSDJH: `X${i}` })),
  );
  const p2 = await get('/api/v1/police/birth-registrations?month=2026-06&page=2&pageSize=2');
  assert.ok(p2.kind === 'response' && p2.status === 200);
  const body = p2.body as { total: number; records: { CSDJH: string }[] };
  assert.equal(body.total, 5);
  assert.deepEqual(
    body.records.map((r) => r.CSDJH),
    ['X2', 'X3'],
  );
  // Once something is loaded, an unloaded month is empty (tests control the feed).
  const none = await get('/api/v1/police/birth-registrations?month=2026-07');
  assert.equal((none as { body: { total: number } }).body.total, 0);
  const bad = await get('/api/v1/population/newborns?month=2026-13');
  assert.equal(bad.kind === 'response' && bad.status, 400);
  const unsigned = await get('/api/v1/civil-affairs/marriages?date=2026-05-01', KeyRing.generate());
  assert.equal(unsigned.kind === 'response' && unsigned.status, 401);
  assert.ok(sim.stats.signatureFailures >= 1);
});
