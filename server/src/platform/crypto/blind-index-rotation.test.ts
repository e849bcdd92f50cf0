import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { systemTransaction } from '../../systems/family-planning/birth-verification/test-support.ts';
import { runPull as pullRegistrations } from '../../systems/family-planning/household-verification/pull.ts';
import { createCase } from '../../systems/family-planning/marriage-verification/cases.ts';
import type { MarriageRecord } from '../../systems/family-planning/marriage-verification/normalize.ts';
import { type TestApp, type TestSession, testApp } from '../../test/harness.ts';
import { verifyAudit } from '../audit/verify.ts';
import { API_PREFIX } from '../http/mount.ts';
import { type Simulator, startSimulator } from '../integration/simulators/simulator.ts';
import { dataPlatformSimulator, dataPlatformStore } from '../integration/simulators/systems/data-platform.ts';
import { checkDigit } from '../util/resident-id.ts';
import { keyCommands } from './cli.ts';
import { KeyRing } from './keyring.ts';
import { sealedColumnCensus, unrebuildableBlindIndexes, unsourcedBlindKeyUse } from './reseal.ts';

// #13: a blind-index key rotation with rows in the three blind indexes that have no sealed source
// (fp_hv_registration.child_id_bi, fp_mv_case.husband_id_bi / wife_id_bi). They keep the key that made
// them (recorded per row); lookups by ID number try every key, so old and new rows are both found.
const dir = mkdtempSync(join(tmpdir(), 'wj-blind-'));
let t: TestApp;
let sim: Simulator;
let city: TestSession;

const resident = (region: string, birth: string, seq: string) => {
  const first17 = `${region}${birth.replace(/-/g, '')}${seq}`;
  return first17 + checkDigit(first17);
};
const CHILD = [resident('310101', '2026-07-01', '011'), resident('310104', '2026-07-02', '022'), resident('310105', '2026-08-03', '031')];
interface Adult {
  name: string;
  sex: 'M' | 'F';
  birth: string;
  id: string;
  personId?: number;
}
const ADULTS: Adult[] = [
  { name: '轮甲', sex: 'M', birth: '1990-03-01', id: resident('310101', '1990-03-01', '013') },
  { name: '轮乙', sex: 'F', birth: '1992-05-02', id: resident('310101', '1992-05-02', '024') },
  { name: '轮丙', sex: 'M', birth: '1988-07-03', id: resident('310104', '1988-07-03', '035') },
  { name: '轮丁', sex: 'F', birth: '1991-09-04', id: resident('310104', '1991-09-04', '046') },
];
const [H1, W1, H2, W2] = ADULTS;

const api = (url: string) => t.call(city, { method: 'GET', url: `${API_PREFIX}${url}` });
const regsOf = async (childId: string) => {
  const r = await api(`/household-verification/registrations?childIdNumber=${childId}`);
  assert.equal(r.statusCode, 200, r.body);
  return (r.json().items as { regNo: string }[]).map((x) => x.regNo).sort();
};
const casesOf = async (idNumber: string) => {
  const r = await api(`/marriage-verification/cases?idNumber=${idNumber}`);
  assert.equal(r.statusCode, 200, r.body);
  return (r.json().items as { recordNo: string }[]).map((x) => x.recordNo).sort();
};

function registration(no: string, childId: string, birth: string) {
  return {
    CSDJH: no,
    XM: `新${no.slice(-1)}`,
    XB: '1',
    CSRQ: birth.replace(/-/g, ''),
    GMSFHM: childId,
    SSPCSDM: '310101001000',
    SSPCSMC: '测试派出所',
    MQXM: '母亲',
    DJRQ: birth,
  };
}
async function pull(month: string, regs: Record<string, unknown>[]) {
  const store = dataPlatformStore(sim);
  store.births.load(month, regs);
  store.newborns.load(month, []);
  return pullRegistrations({ kernel: t.kernel, transaction: systemTransaction(t) }, month, 'test', { baseUrl: sim.url, baseDelayMs: 10 });
}
const party = (a: Adult) => ({ name: a.name, idNumber: a.id, birthDate: a.birth, hukou: '310101' });
function marry(recordNo: string, h: Adult, w: Adult, kind: 'marriage' | 'divorce', registeredOn: string) {
  const rec: MarriageRecord = { recordNo, kind, registeredOn, district: '310101', husband: party(h), wife: party(w) };
  return systemTransaction(t)((tx, audit) => createCase({ tx, kernel: t.kernel, audit, actor: 'test' }, rec, null, '2026-12-01'));
}
const caseRow = async (recordNo: string) =>
  (
    await t.kernel.db.query<{ h: number | null; w: number | null; key: string; hbi: string; detail: { husband: { method: string } } }>(
      'select husband_person_id::int as h, wife_person_id::int as w, id_bi_key as key, husband_id_bi as hbi, match_detail as detail from fp_mv_case where record_no = $1',
      [recordNo],
    )
  )[0];
const regRow = async (regNo: string) =>
  (
    await t.kernel.db.query<{ bi: string; key: string }>('select child_id_bi as bi, child_id_bi_key as key from fp_hv_registration where reg_no = $1', [regNo])
  )[0];

async function cli(name: string, args: string[] = []) {
  const lines: string[] = [];
  const code = await keyCommands.find((c) => c.name === name)!.run(args, t.kernel, (l) => lines.push(l));
  return { code, out: lines.join('\n') };
}

before(async () => {
  t = await testApp({ config: { dataDir: dir } });
  sim = await startSimulator(dataPlatformSimulator, { sm2PublicKey: t.kernel.keys.sm2PublicKey });
  city = await t.loginAs('city_admin');
  const k = t.kernel.keys;
  for (const a of ADULTS) {
    const r = (
      await t.kernel.db.query<{ id: number }>(
        `insert into person (id_number_enc, id_number_bi, id_number_mask, name, sex, birth_date, residence_district, hukou_district)
       values ($1, $2, 'x', $3, $4, $5, '310101', '310101') returning id::int as id`,
        [k.encryptField(a.id), k.blindIndex(a.id, 'person.id_number'), a.name, a.sex, a.birth],
      )
    )[0]!;
    a.personId = r.id;
  }
});
after(async () => {
  await sim?.stop();
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

test('keys rotate --blind-index with rows in every unsourced blind index: no refusal, old and new rows still found by ID number', async () => {
  // Before: rows in all three columns, made under the ring's first blind-index key (b1).
  assert.equal(t.kernel.keys.blindIndexKeyId, 'b1');
  const first = await pull('2026-07', [registration('CS202607001', CHILD[0]!, '2026-07-01'), registration('CS202607002', CHILD[1]!, '2026-07-02')]);
  assert.equal(first.created, 2);
  await marry('MV-OLD-1', H1!, W1!, 'marriage', '2026-05-01');
  await marry('MV-OLD-2', H2!, W2!, 'marriage', '2026-05-02');
  const oldReg = await regRow('CS202607001');
  const oldCase = await caseRow('MV-OLD-1');
  assert.equal(oldReg!.key, 'b1');
  assert.equal(oldCase!.key, 'b1');
  assert.equal(oldCase!.h, H1!.personId, 'matched to the resident index by ID number');
  assert.deepEqual(await regsOf(CHILD[0]!), ['CS202607001']);
  assert.deepEqual(await casesOf(W1!.id), ['MV-OLD-1']);

  // (a) The rotation no longer refuses: these columns record their key, nothing is orphaned.
  assert.deepEqual(await unrebuildableBlindIndexes(t.kernel), []);
  const r = await cli('keys rotate', ['--blind-index']);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /盲索引密钥 b1 → b2/);
  assert.match(r.out, /fp_hv_registration\.child_id_bi：2 行无可解密来源，保留原密钥（b1）/);
  assert.match(r.out, /fp_mv_case\.husband_id_bi：2 行/);
  assert.match(r.out, /fp_mv_case\.wife_id_bi：2 行/);
  assert.equal(t.kernel.keys.blindIndexKeyId, 'b2');
  // The old rows are untouched (they cannot be recomputed) and keep b1; the person index was rebuilt under b2.
  assert.deepEqual(await regRow('CS202607001'), oldReg);
  assert.equal((await caseRow('MV-OLD-1'))!.hbi, oldCase!.hbi);
  assert.notEqual(t.kernel.keys.blindIndex(CHILD[0]!, 'person.id_number'), oldReg!.bi, 'the active key did change');

  // New rows after the rotation: made under b2.
  const second = await pull('2026-08', [registration('CS202608001', CHILD[2]!, '2026-08-03')]);
  assert.equal(second.created, 1);
  assert.equal((await regRow('CS202608001'))!.key, 'b2');
  // A divorce of the first couple: matched to the same people by ID number (person index rebuilt), made under b2.
  await marry('MV-NEW-1', H1!, W1!, 'divorce', '2026-11-01');
  const newCase = await caseRow('MV-NEW-1');
  assert.equal(newCase!.key, 'b2');
  assert.deepEqual([newCase!.h, newCase!.w, newCase!.detail.husband.method], [H1!.personId, W1!.personId, 'idNumber']);

  // (b) Lookups by ID number find the old rows and the new ones.
  assert.deepEqual(await regsOf(CHILD[0]!), ['CS202607001'], 'old registration (b1)');
  assert.deepEqual(await regsOf(CHILD[1]!), ['CS202607002'], 'old registration (b1)');
  assert.deepEqual(await regsOf(CHILD[2]!), ['CS202608001'], 'new registration (b2)');
  assert.deepEqual(await casesOf(H1!.id), ['MV-NEW-1', 'MV-OLD-1'], 'husband: the old case (b1) and the new one (b2)');
  assert.deepEqual(await casesOf(W1!.id), ['MV-NEW-1', 'MV-OLD-1'], 'wife: the old case (b1) and the new one (b2)');
  assert.deepEqual(await casesOf(W2!.id), ['MV-OLD-2']);
  assert.deepEqual(await casesOf(encodeURIComponent(` ${W2!.id.slice(0, 6)} ${W2!.id.slice(6)}`)), ['MV-OLD-2'], 'normalised like the intake');
  assert.deepEqual(await regsOf(resident('310101', '2026-07-01', '099')), [], 'another number finds nothing');
  // An index is taken only under the key its row names: an old row relabelled b2 is no longer found.
  await t.kernel.db.query("update fp_hv_registration set child_id_bi_key = 'b2' where reg_no = 'CS202607002'");
  assert.deepEqual(await regsOf(CHILD[1]!), []);
  await t.kernel.db.query("update fp_hv_registration set child_id_bi_key = 'b1' where reg_no = 'CS202607002'");

  // The ring on disk holds both keys: a restarted server finds the same rows.
  const disk = KeyRing.fromJSON(JSON.parse(readFileSync(join(dir, 'keys.json'), 'utf8')));
  assert.deepEqual(disk.blindIndexKeyIds, ['b1', 'b2']);
  assert.deepEqual(disk.blindIndexAll(CHILD[0]!, 'person.id_number'), t.kernel.keys.blindIndexAll(CHILD[0]!, 'person.id_number'));
  assert.equal(disk.blindIndexAll(CHILD[0]!, 'person.id_number').find((x) => x.keyId === 'b1')?.index, oldReg!.bi);

  // keys status shows which keys the unsourced indexes still use; b1 cannot be dropped while they do.
  const status = await cli('keys status');
  assert.match(status.out, /当前盲索引密钥：b2（密钥环：b1, b2）/);
  assert.match(status.out, /fp_hv_registration\.child_id_bi（无来源，保留原密钥）：b1 2 行，b2 1 行/);
  assert.deepEqual(
    (await unsourcedBlindKeyUse(t.kernel)).map((u) => [u.column, u.byKey]).sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    [
      ['child_id_bi', { b1: 2, b2: 1 }],
      ['husband_id_bi', { b1: 2, b2: 1 }],
      ['wife_id_bi', { b1: 2, b2: 1 }],
    ],
  );
  await assert.rejects(cli('keys retire-blind-index', ['b1']), /b1 仍被使用.*fp_hv_registration\.child_id_bi（2 行）/);
  await assert.rejects(cli('keys retire-blind-index', ['b2']), /当前盲索引密钥/);
  assert.deepEqual(t.kernel.keys.blindIndexKeyIds, ['b1', 'b2']);

  // A second rotation: three generations, all still found.
  assert.equal((await cli('keys rotate', ['--blind-index'])).code, 0);
  assert.deepEqual(await regsOf(CHILD[0]!), ['CS202607001']);
  assert.deepEqual(await regsOf(CHILD[2]!), ['CS202608001']);
  assert.deepEqual(await casesOf(H1!.id), ['MV-NEW-1', 'MV-OLD-1']);

  // (c) The census still passes: every *_enc / *_bi column declared, the key-id columns too.
  assert.deepEqual(await sealedColumnCensus(t.kernel), { undeclared: [], missing: [] });
  assert.equal((await verifyAudit(t.kernel.db)).ok, true);
});

test('searching cases and registrations by ID number is audited without the number and refuses a blank one', async () => {
  const note = async (action: string) =>
    (await t.kernel.db.query<{ note: string }>('select note from audit_event where action = $1 order by seq desc limit 1', [action]))[0]!.note;
  assert.deepEqual(await casesOf(H1!.id), ['MV-NEW-1', 'MV-OLD-1']);
  assert.equal(await note('marriage-verification.case.list'), '按证件号码查询：2');
  assert.deepEqual(await regsOf(CHILD[2]!), ['CS202608001']);
  assert.equal(await note('household-verification.registration.list'), '按身份证号查询：1');
  assert.equal((await api('/marriage-verification/cases?idNumber=%20')).statusCode, 400);
  assert.equal((await api('/household-verification/registrations?childIdNumber=%20')).statusCode, 400);
});
