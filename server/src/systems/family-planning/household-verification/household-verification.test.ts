import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { API_PREFIX } from '../../../platform/http/mount.ts';
import { type Simulator, startSimulator } from '../../../platform/integration/simulators/simulator.ts';
import { dataPlatformSimulator, dataPlatformStore } from '../../../platform/integration/simulators/systems/data-platform.ts';
import { type TestApp, type TestSession, testApp } from '../../../test/harness.ts';
import { worldWithBirths } from '../childcare-subsidy/test-world.ts';
import { systemTransaction } from '../birth-verification/test-support.ts';
import { stem } from './mapping.ts';
import { runPull } from './pull.ts';
import { todayInShanghai } from '../../../platform/util/dates.ts';

// 公安报出生户口核对 end to end: monthly signed pull of registrations and the newborn library from the
// data-platform simulator, 派出所 code → street mapping (code, name, manual table), distribution under
// row-level security, comparison with planted differences, pre-fill, the process log and statistics.
const MONTH = '2026-08';
let t: TestApp;
let sim: Simulator;
let city: TestSession;
let district: TestSession;
let otherDistrict: TestSession;
let worker: TestSession;
let neighbour: TestSession;
let home: { district: string; street: string };
const plantedDiff = new Set<string>();
const plantedUnmapped = new Set<string>();
let homeReg = '';
let otherReg = '';

const api = (s: TestSession, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
  t.call(s, { method, url: `${API_PREFIX}${url}`, ...(payload === undefined ? {} : { payload: payload as object }) });
const pull = (fetch: Record<string, unknown> = {}) =>
  runPull({ kernel: t.kernel, transaction: systemTransaction(t) }, MONTH, 'test', { baseUrl: sim.url, baseDelayMs: 10, ...fetch });

before(async () => {
  t = await testApp();
  await worldWithBirths(t, 15_000);
  sim = await startSimulator(dataPlatformSimulator, { sm2PublicKey: t.kernel.keys.sm2PublicKey });
  const rows = await t.kernel.db.query<{
    id: number;
    child_name: string;
    sex: string;
    birth_date: string;
    certificate_no: string;
    street: string;
    street_name: string;
    m_name: string;
  }>(
    `select distinct on (r.child_person_id) r.id::int as id, r.child_name, c.sex, r.birth_date::text as birth_date, r.certificate_no, m.residence_street as street, g.name as street_name, m.name as m_name
       from fp_birth_record r join person c on c.id = r.child_person_id join person m on m.id = r.mother_person_id join region g on g.code = m.residence_street
      order by r.child_person_id limit 120`,
  );
  assert.ok(rows.length >= 100, `${rows.length} births`);
  const regs: Record<string, unknown>[] = [];
  const newborns: Record<string, unknown>[] = [];
  rows.forEach((r, i) => {
    const no = `CS${MONTH.replace('-', '')}${String(i + 1).padStart(5, '0')}`;
    const d = r.street.slice(0, 6);
    // Two thirds carry the street-based code, one third an own code whose name names the street.
    let code = i % 3 === 1 ? `${d}8${String(i % 100).padStart(2, '0')}000` : `${r.street}000`;
    let name = i % 3 === 1 ? `${stem(r.street_name)}派出所` : `${r.street_name}派出所`;
    if (i >= 110) {
      code = `${d}899000`;
      name = '临时户籍受理点';
      plantedUnmapped.add(no);
    }
    regs.push({
      CSDJH: no,
      XM: r.child_name,
      XB: r.sex === 'M' ? '1' : '2',
      CSRQ: r.birth_date.replace(/-/g, ''),
      GMSFHM: '',
      SSPCSDM: code,
      SSPCSMC: name,
      MQXM: r.m_name,
      DJRQ: `${MONTH}-28`,
    });
    let nb: Record<string, unknown> | null = { CSDJH: no, XM: r.child_name, XB: r.sex === 'M' ? '1' : '2', CSRQ: r.birth_date, CSYXZMBH: r.certificate_no };
    if (i >= 80 && i < 86) nb = { ...nb, XM: `${r.child_name.slice(0, 1)}改名` };
    else if (i >= 86 && i < 92) nb = { ...nb, XB: r.sex === 'M' ? '2' : '1' };
    else if (i >= 92 && i < 96) nb = null;
    if (i >= 80 && i < 96) plantedDiff.add(no);
    if (nb) newborns.push(nb);
  });
  regs.push({ CSDJH: '', XM: '无号', CSRQ: '20260801', SSPCSDM: '310101001000' }); // refused
  const store = dataPlatformStore(sim);
  store.births.load(MONTH, regs);
  store.newborns.load(MONTH, newborns);
  home = { district: rows[0]!.street.slice(0, 6), street: rows[0]!.street };
  homeReg = 'CS20260800001';
  const otherRow = rows.findIndex((r) => r.street !== home.street && r.street.slice(0, 6) !== home.district);
  otherReg = `CS${MONTH.replace('-', '')}${String(otherRow + 1).padStart(5, '0')}`;
  const od = (
    await t.kernel.db.query<{ code: string }>(`select code from region where level = 'district' and code <> $1 order by code limit 1`, [home.district])
  )[0]!;
  const os = (
    await t.kernel.db.query<{ code: string }>(`select code from region where level = 'street' and code <> $1 and code like $2 order by code limit 1`, [
      home.street,
      `${home.district}%`,
    ])
  )[0]!;
  city = await t.loginAs('city_admin');
  district = await t.loginAs('district_admin', { level: 'district', districtCode: home.district });
  otherDistrict = await t.loginAs('district_admin', { level: 'district', districtCode: od.code });
  worker = await t.loginAs('community_admin', { level: 'street', districtCode: home.district, streetCode: home.street });
  neighbour = await t.loginAs('community_admin', { level: 'street', districtCode: home.district, streetCode: os.code });
});
after(async () => {
  await sim.stop();
  await t.close();
});

test('monthly pull: signed, retried, mapped by code and by name, unknown codes left unmapped; differences found with precision and recall ≥ 95%', async () => {
  await sim.down('503');
  const r = await pull({
    sleep: async () => {
      await sim.up();
    },
  });
  assert.equal(sim.stats.signatureFailures, 0);
  assert.equal(r.rejected, 1);
  assert.equal(r.created, 120);
  assert.equal(r.unmapped, plantedUnmapped.size);
  assert.equal(r.distributed, 120 - plantedUnmapped.size);
  const rows = await t.kernel.db.query<{
    reg_no: string;
    distribution: string;
    map_method: string | null;
    match_status: string;
    differences: { field: string }[];
  }>('select reg_no, distribution, map_method, match_status, differences from fp_hv_registration');
  for (const x of rows) assert.equal(x.distribution === 'unmapped', plantedUnmapped.has(x.reg_no), x.reg_no);
  const methods = new Set(rows.map((x) => x.map_method));
  assert.ok(methods.has('code') && methods.has('name'), [...methods].join());
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const x of rows) {
    const flagged = x.match_status !== 'matched';
    if (flagged && plantedDiff.has(x.reg_no)) tp++;
    else if (flagged) fp++;
    else if (plantedDiff.has(x.reg_no)) fn++;
  }
  assert.ok(tp / (tp + fp) >= 0.95 && tp / (tp + fn) >= 0.95, `tp ${tp} fp ${fp} fn ${fn}`);
  const by = new Map(rows.map((x) => [x.reg_no, x]));
  assert.deepEqual(
    by.get('CS20260800081')?.differences.map((d) => d.field),
    ['name'],
  );
  assert.deepEqual(
    by.get('CS20260800087')?.differences.map((d) => d.field),
    ['sex'],
  );
  assert.equal(by.get('CS20260800093')?.match_status, 'missing');
  // The same month again: nothing new.
  const again = await pull();
  assert.equal(again.created, 0);
  assert.equal(again.duplicates, 120);
});

test('distribution: a street sees its own registrations only; pre-fill shows sources and differences', async () => {
  const mine = (await api(worker, 'GET', '/household-verification/registrations?pageSize=100')).json();
  assert.ok(mine.total > 0);
  assert.ok(mine.items.every((x: { streetCode: string }) => x.streetCode === home.street));
  const p = await api(worker, 'GET', `/household-verification/prefill?regNo=${homeReg}`);
  assert.equal(p.statusCode, 200, p.body);
  const body = p.json();
  assert.equal(body.prefill.regNo, homeReg);
  assert.ok(body.prefill.certificateNo, 'certificate number from the newborn library');
  assert.equal(body.matchStatus, 'matched');
  assert.equal((await api(worker, 'GET', `/household-verification/prefill?regNo=${otherReg}`)).statusCode, 404);
  assert.equal((await api(neighbour, 'GET', `/household-verification/prefill?regNo=${homeReg}`)).statusCode, 404);
  assert.equal((await api(worker, 'GET', '/household-verification/prefill?regNo=%20')).statusCode, 400);
  const diff = (await api(city, 'GET', '/household-verification/prefill?regNo=CS20260800081')).json();
  assert.equal(diff.matchStatus, 'mismatch');
  assert.equal(diff.differences[0].title, '姓名');
  assert.notEqual(diff.differences[0].police, diff.differences[0].newborn);
  assert.equal((await api(city, 'GET', '/household-verification/registrations?matchStatus=bad')).statusCode, 400);
});

test('manual mapping: unmapped codes listed; districts map into their own streets only; waiting registrations distributed', async () => {
  const map = (await api(city, 'GET', '/household-verification/org-map')).json();
  const waiting = map.unmapped.find((u: { policeCode: string }) => u.policeCode.endsWith('899000'));
  assert.ok(waiting, JSON.stringify(map.unmapped));
  const code: string = waiting.policeCode;
  const d = code.slice(0, 6);
  const street = (
    await t.kernel.db.query<{ code: string }>(`select code from region where level = 'street' and code like $1 order by code limit 1`, [`${d}%`])
  )[0]!;
  const owner = await t.loginAs('district_admin', { level: 'district', districtCode: d });
  const stranger = d === home.district ? otherDistrict : district;
  assert.equal((await api(worker, 'PUT', `/household-verification/org-map/${code}`, { streetCode: street.code })).statusCode, 403);
  assert.equal((await api(stranger, 'PUT', `/household-verification/org-map/${code}`, { streetCode: street.code })).statusCode, 422);
  assert.equal((await api(owner, 'PUT', `/household-verification/org-map/${code}`, { streetCode: '310101999' })).statusCode, 422);
  assert.equal((await api(owner, 'PUT', `/household-verification/org-map/123`, { streetCode: street.code })).statusCode, 400);
  const ok = await api(owner, 'PUT', `/household-verification/org-map/${code}`, { streetCode: street.code });
  assert.equal(ok.statusCode, 200, ok.body);
  assert.equal(ok.json().distributed, waiting.registrations);
  const after = (await api(city, 'GET', '/household-verification/org-map')).json();
  assert.ok(!after.unmapped.some((u: { policeCode: string }) => u.policeCode === code));
  assert.ok(after.mappings.some((m: { policeCode: string; method: string }) => m.policeCode === code && m.method === 'manual'));
  const streetUser = await t.loginAs('community_admin', { level: 'street', districtCode: d, streetCode: street.code });
  const seen = (await api(streetUser, 'GET', '/household-verification/registrations?pageSize=100')).json();
  assert.ok(seen.items.some((x: { policeCode: string; mapMethod: string }) => x.policeCode === code && x.mapMethod === 'manual'));
  const ev = (await t.kernel.db.query<{ n: number }>(`select count(*)::int as n from audit_event where action = 'household-verification.mapping.put'`))[0]!;
  assert.ok(ev.n >= 1);
});

test('process log by time and street; statistics; pull on demand is for the city', async () => {
  const byStreet = (await api(city, 'GET', `/household-verification/logs?street=${home.street}&pageSize=100`)).json();
  assert.ok(byStreet.total > 0);
  assert.ok(byStreet.items.every((l: { streetCode: string }) => l.streetCode === home.street));
  const today = todayInShanghai();
  assert.ok((await api(city, 'GET', `/household-verification/logs?from=${today}&to=${today}&kind=exception`)).json().total >= 1);
  assert.equal((await api(city, 'GET', '/household-verification/logs?from=2001-01-01&to=2001-01-02')).json().total, 0);
  const own = (await api(worker, 'GET', '/household-verification/logs?pageSize=100')).json();
  assert.ok(own.items.every((l: { streetCode: string | null; districtCode: string | null }) => l.districtCode === null || l.streetCode === home.street));
  const s = (await api(city, 'GET', `/household-verification/stats?month=${MONTH}`)).json();
  assert.ok(s.total.total >= 100);
  assert.ok(Math.abs(s.total.matchRate - s.total.matched / s.total.total) < 1e-9);
  const ws = (await api(worker, 'GET', '/household-verification/stats')).json();
  assert.ok(ws.items.every((x: { streetCode: string }) => x.streetCode === home.street));
  assert.equal((await api(city, 'POST', '/household-verification/pull-runs', { month: MONTH })).statusCode, 201);
  assert.equal((await api(district, 'POST', '/household-verification/pull-runs', { month: MONTH })).statusCode, 403);
  assert.equal((await api(city, 'POST', '/household-verification/pull-runs', { month: '2026-13' })).statusCode, 400);
  assert.ok((await api(worker, 'GET', '/household-verification/pull-runs')).json().total >= 2);
});
