import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { API_PREFIX } from '../../../platform/http/mount.ts';
import { type Simulator, startSimulator } from '../../../platform/integration/simulators/simulator.ts';
import { dataPlatformSimulator, dataPlatformStore } from '../../../platform/integration/simulators/systems/data-platform.ts';
import { type TestApp, type TestSession, testApp } from '../../../test/harness.ts';
import { WORLD_AS_OF, worldWithBirths } from '../childcare-subsidy/test-world.ts';
import { systemTransaction } from '../birth-verification/test-support.ts';
import { runPull } from './pull.ts';
import { marriageFeedOf } from './test-feed.ts';
import { todayInShanghai } from '../../../platform/util/dates.ts';

// 民政婚姻核对 end to end: the signed pull from the data-platform simulator, matching to the resident
// index, the automatic audit with planted mismatches (precision / recall), manual intervention, the
// verification log and the statistics, over the API with allowed and refused callers.
const DAY = '2026-09-20';
let t: TestApp;
let sim: Simulator;
let city: TestSession;
let district: TestSession;
let otherDistrict: TestSession;
let auditor: TestSession;
let community: TestSession;
let home: string;
const planted = new Map<string, string>(); // record number → what was planted
const clean = new Set<string>();

const api = (s: TestSession, method: 'GET' | 'POST', url: string, payload?: unknown) =>
  t.call(s, { method, url: `${API_PREFIX}${url}`, ...(payload === undefined ? {} : { payload: payload as object }) });
const pull = (fetch: Record<string, unknown> = {}) =>
  runPull({ kernel: t.kernel, transaction: systemTransaction(t) }, DAY, 'test', { baseUrl: sim.url, baseDelayMs: 10, ...fetch }, WORLD_AS_OF);

before(async () => {
  t = await testApp();
  await worldWithBirths(t, 15_000);
  sim = await startSimulator(dataPlatformSimulator, { sm2PublicKey: t.kernel.keys.sm2PublicKey });
  // Clean: current marriages of adults of legal age, neither party dead.
  const base = await marriageFeedOf(
    t.kernel.db,
    t.kernel.keys,
    `m.dissolved_on is null and h.status = 'alive' and w.status = 'alive' and m.registered_on >= h.birth_date + interval '22 years' and m.registered_on >= w.birth_date + interval '20 years'`,
    160,
  );
  const CLEAN = base.length - 36;
  assert.ok(CLEAN >= 50, `only ${base.length} marriages in the world`);
  const feed: Record<string, unknown>[] = [];
  const plant = (r: Record<string, unknown>, what: string, no: string) => {
    const rec = { ...r, DJZH: no };
    planted.set(no, what);
    feed.push(rec);
  };
  base.forEach((r, i) => {
    const no = String(r.DJZH);
    if (i < CLEAN) {
      // Untidy but right: spaces in names, every tenth without identity numbers (matched by name + birth date).
      const rec = i % 10 === 3 ? { ...r, NFZJHM: '', NVZJHM: '' } : i % 10 === 5 ? { ...r, NFXM: ` ${r.NFXM} ` } : r;
      clean.add(no);
      feed.push(rec);
      return;
    }
    const k = i - CLEAN;
    if (k < 6) plant({ ...r, NVXM: `${String(r.NVXM).slice(0, 1)}错名` }, 'wife name differs', no);
    else if (k < 12) plant({ ...r, NFCSRQ: '19700101' }, 'husband birth differs', no);
    else if (k < 18) plant({ ...r, NFZJHM: '', NFXM: `${String(r.NFXM)}某` }, 'husband not found', no);
    else if (k < 24) plant({ ...r, DJRQ: `${Number(String(r.NVCSRQ).slice(0, 4)) + 18}0601` }, 'wife under age', no);
    else if (k < 30) {
      // Bigamy: this husband with the wife of another couple still married.
      const other = base[(i + 1) % CLEAN]!;
      plant({ ...r, NVXM: other.NVXM, NVZJHM: other.NVZJHM, NVCSRQ: other.NVCSRQ, NVHJQH: other.NVHJQH }, 'conflicting marriage', `${no}-X`);
    } else if (k < 36) {
      const other = base[(i + 7) % CLEAN]!;
      plant({ ...r, YWLX: 'IB', NVXM: other.NVXM, NVZJHM: other.NVZJHM, NVCSRQ: other.NVCSRQ, NVHJQH: other.NVHJQH }, 'divorce without marriage', `${no}-D`);
    }
  });
  // Unusable rows: refused, not cases.
  feed.push({ ...base[0], DJZH: '' }, { ...base[1], DJZH: 'BAD-1', YWLX: 'XX' });
  dataPlatformStore(sim).marriages.load(DAY, feed);
  home = String(base[0]!.DJJGDM);
  const other = (
    await t.kernel.db.query<{ code: string }>(`select code from region where level = 'district' and code <> $1 order by code limit 1`, [home])
  )[0]!;
  city = await t.loginAs('city_admin');
  district = await t.loginAs('district_admin', { level: 'district', districtCode: home });
  otherDistrict = await t.loginAs('district_admin', { level: 'district', districtCode: other.code });
  auditor = await t.loginAs('auditor');
  community = await t.loginAs('community_admin', { level: 'street', districtCode: home, streetCode: `${home}001` });
});
after(async () => {
  await sim.stop();
  await t.close();
});

test('pull: signed, retried through an outage, refused rows counted, every case audited; precision and recall of the audit ≥ 95%', async () => {
  await sim.down('503');
  let waits = 0;
  const r = await pull({
    sleep: async () => {
      waits++;
      await sim.up();
    },
  });
  assert.equal(waits, 1);
  assert.equal(sim.stats.signatureFailures, 0);
  assert.equal(r.rejected, 2);
  assert.equal(r.created, clean.size + planted.size);
  const rows = await t.kernel.db.query<{ record_no: string; status: string; findings: { rule: string; ok: boolean }[] }>(
    'select record_no, status, findings from fp_mv_case',
  );
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const missed: string[] = [];
  for (const c of rows) {
    const flagged = c.status !== 'matched';
    const isPlanted = planted.has(c.record_no);
    if (flagged && isPlanted) tp++;
    else if (flagged) {
      fp++;
      missed.push(
        `FP ${c.record_no}: ${c.findings
          .filter((f) => !f.ok)
          .map((f) => f.rule)
          .join(',')}`,
      );
    } else if (isPlanted) {
      fn++;
      missed.push(`FN ${c.record_no}: ${planted.get(c.record_no)}`);
    }
  }
  const precision = tp / (tp + fp);
  const recall = tp / (tp + fn);
  assert.ok(precision >= 0.95 && recall >= 0.95, `precision ${precision} recall ${recall}\n${missed.join('\n')}`);
  // The planted kinds end where they should: not found → manual, disagreeing facts → exception.
  const byNo = new Map(rows.map((c) => [c.record_no, c]));
  for (const [no, what] of planted) {
    const c = byNo.get(no);
    assert.ok(c, no);
    if (what === 'husband not found') assert.equal(c.status, 'manual', no);
    else assert.equal(c.status, 'exception', `${no} ${what}`);
  }
  const rule = (what: string) =>
    [...planted]
      .filter(([, w]) => w === what)
      .map(
        ([no]) =>
          byNo
            .get(no)
            ?.findings.filter((f) => !f.ok)
            .map((f) => f.rule) ?? [],
      );
  assert.ok(rule('wife name differs').every((x) => x.includes('wife.name')));
  assert.ok(rule('husband birth differs').every((x) => x.includes('husband.birth')));
  assert.ok(rule('wife under age').every((x) => x.includes('wife.age')));
  assert.ok(rule('conflicting marriage').every((x) => x.includes('conflict')));
  assert.ok(rule('divorce without marriage').every((x) => x.includes('divorce')));
  // Records without identity numbers were matched by name + birth date.
  const byName = await t.kernel.db.query<{ n: number }>(
    `select count(*)::int as n from fp_mv_case where match_detail->'husband'->>'method' = 'nameBirth' and status = 'matched'`,
  );
  assert.ok(byName[0]!.n >= 4, `${byName[0]!.n} matched by name + birth date`);

  // A second pull of the same day: duplicates, nothing new.
  const again = await pull();
  assert.equal(again.created, 0);
  assert.equal(again.duplicates, clean.size + planted.size);
});

test('pull when the platform stays down: a failed batch, nothing half-written', async () => {
  const before = await t.kernel.db.query<{ n: number }>('select count(*)::int as n from fp_mv_case');
  await sim.down('503');
  await assert.rejects(pull({ sleep: async () => {} }), /民政婚姻数据第 1 页拉取失败/);
  await sim.up();
  const b = (await t.kernel.db.query<{ status: string }>('select status from fp_mv_batch order by id desc limit 1'))[0]!;
  assert.equal(b.status, 'failed');
  const after = await t.kernel.db.query<{ n: number }>('select count(*)::int as n from fp_mv_case');
  assert.equal(after[0]!.n, before[0]!.n);
});

test('on-demand pull: city only', async () => {
  assert.equal((await api(city, 'POST', '/marriage-verification/pull-runs', { date: DAY })).statusCode, 201);
  assert.equal((await api(district, 'POST', '/marriage-verification/pull-runs', { date: DAY })).statusCode, 403);
  assert.equal((await api(city, 'POST', '/marriage-verification/pull-runs', { date: '2026-13-01' })).statusCode, 400);
  const runs = (await api(district, 'GET', '/marriage-verification/pull-runs')).json();
  assert.ok(runs.items.length >= 2);
});

test('cases: district scope, refused outside it and for street users', async () => {
  const mine = (await api(district, 'GET', '/marriage-verification/cases?pageSize=100')).json();
  assert.ok(mine.total > 0);
  assert.ok(mine.items.every((c: { districtCode: string }) => c.districtCode === home));
  const total = (await api(city, 'GET', '/marriage-verification/cases')).json().total;
  assert.ok(total > mine.total);
  const id = mine.items[0].id;
  assert.equal((await api(district, 'GET', `/marriage-verification/cases/${id}`)).statusCode, 200);
  assert.equal((await api(otherDistrict, 'GET', `/marriage-verification/cases/${id}`)).statusCode, 404);
  assert.equal((await api(community, 'GET', '/marriage-verification/cases')).statusCode, 403);
  assert.equal((await api(district, 'GET', '/marriage-verification/cases?status=nope')).statusCode, 400);
  // Identity numbers are never returned in clear.
  assert.ok(
    mine.items.every((c: { husband: { idNumberMasked: string | null } }) => c.husband.idNumberMasked === null || c.husband.idNumberMasked.includes('*')),
  );
});

test('manual intervention: confirm with the persons, mark invalid with a note; audited; refused when not allowed', async () => {
  const manual = (await api(city, 'GET', '/marriage-verification/cases?status=manual&pageSize=100')).json().items as {
    id: number;
    districtCode: string;
    recordNo: string;
    wife: { personId: number };
  }[];
  // The planted husband: the world person the record was made from; a case whose husband lives in the
  // registering district, so that district's administrator may name him.
  let c = manual[0]!;
  let orig = { husband_person_id: 0 };
  let sameDistrict = false;
  for (const x of manual) {
    const o = (
      await t.kernel.db.query<{ husband_person_id: number; district: string }>(
        `select m.husband_person_id::int, p.residence_district as district from fp_marriage m join person p on p.id = m.husband_person_id where m.wife_person_id = $1 limit 1`,
        [x.wife.personId],
      )
    )[0]!;
    c = x;
    orig = o;
    sameDistrict = o.district === x.districtCode;
    if (sameDistrict) break;
  }
  // A district administrator may only name persons of the district; otherwise the city handles it.
  const handler = sameDistrict ? await t.loginAs('district_admin', { level: 'district', districtCode: c.districtCode }) : city;
  assert.equal(
    (await api(handler, 'POST', `/marriage-verification/cases/${c.id}/confirm`, { note: '已核实' })).statusCode,
    422,
    'the unmatched husband must be named',
  );
  assert.equal(
    (await api(handler, 'POST', `/marriage-verification/cases/${c.id}/confirm`, { husbandPersonId: orig.husband_person_id })).statusCode,
    400,
    'a note is required',
  );
  assert.equal(
    (await api(auditor, 'POST', `/marriage-verification/cases/${c.id}/confirm`, { husbandPersonId: orig.husband_person_id, note: '核实' })).statusCode,
    403,
  );
  const elsewhere = await t.loginAs('district_admin', {
    level: 'district',
    districtCode:
      c.districtCode === home
        ? (await t.kernel.db.query<{ code: string }>(`select code from region where level='district' and code <> $1 limit 1`, [home]))[0]!.code
        : home,
  });
  assert.equal(
    (await api(elsewhere, 'POST', `/marriage-verification/cases/${c.id}/confirm`, { husbandPersonId: orig.husband_person_id, note: '核实' })).statusCode,
    404,
  );
  const ok = await api(handler, 'POST', `/marriage-verification/cases/${c.id}/confirm`, {
    husbandPersonId: orig.husband_person_id,
    note: '经电话核实为同一人',
  });
  assert.equal(ok.statusCode, 200, ok.body);
  assert.equal((await api(handler, 'POST', `/marriage-verification/cases/${c.id}/confirm`, { note: '再次' })).statusCode, 409);
  const detail = (await api(handler, 'GET', `/marriage-verification/cases/${c.id}`)).json();
  assert.equal(detail.status, 'confirmed');
  assert.equal(detail.manual, true);
  assert.deepEqual(
    detail.log.map((l: { kind: string }) => l.kind),
    ['match', 'audit', 'manual'],
  );
  const ev = (
    await t.kernel.db.query<{ n: number }>(
      `select count(*)::int as n from audit_event where action = 'marriage-verification.case.confirm' and object_id = $1`,
      [String(c.id)],
    )
  )[0]!;
  assert.ok(ev.n >= 1);

  const ex = (await api(city, 'GET', '/marriage-verification/cases?status=exception')).json().items[0] as { id: number };
  assert.equal((await api(city, 'POST', `/marriage-verification/cases/${ex.id}/invalidate`, { note: '  ' })).statusCode, 400);
  assert.equal((await api(city, 'POST', `/marriage-verification/cases/${ex.id}/invalidate`, { note: '重复登记数据' })).statusCode, 200);
  assert.equal((await api(city, 'POST', `/marriage-verification/cases/${ex.id}/invalidate`, { note: '再次' })).statusCode, 409);
});

test('verification log by time range and record number; statistics', async () => {
  const someNo = [...planted.keys()][0];
  const byNo = (await api(city, 'GET', `/marriage-verification/logs?recordNo=${encodeURIComponent(someNo!)}`)).json();
  assert.ok(byNo.total >= 2);
  assert.ok(byNo.items.every((l: { recordNo: string }) => l.recordNo === someNo));
  const today = todayInShanghai();
  assert.ok((await api(city, 'GET', `/marriage-verification/logs?from=${today}&to=${today}`)).json().total > 0);
  assert.equal((await api(city, 'GET', '/marriage-verification/logs?from=2000-01-01&to=2000-01-31')).json().total, 0);
  assert.equal((await api(city, 'GET', '/marriage-verification/logs?from=abc')).statusCode, 400);
  const mine = (await api(district, 'GET', '/marriage-verification/logs?pageSize=100')).json();
  assert.ok(mine.items.every((l: { districtCode: string }) => l.districtCode === home));

  const s = (await api(city, 'GET', '/marriage-verification/stats?groupBy=district')).json();
  assert.equal(s.total.total, clean.size + planted.size);
  assert.ok(Math.abs(s.total.matchRate - (s.total.matched + s.total.confirmed) / s.total.total) < 1e-9);
  assert.ok(s.total.manualShare > 0 && s.total.exceptionShare > 0);
  const m = (await api(district, 'GET', '/marriage-verification/stats?groupBy=month')).json();
  assert.ok(m.items.every((x: { key: string }) => /^\d{4}-\d{2}$/.test(x.key)));
  assert.ok(m.total.total < s.total.total);
  assert.equal((await api(community, 'GET', '/marriage-verification/stats')).statusCode, 403);
});
