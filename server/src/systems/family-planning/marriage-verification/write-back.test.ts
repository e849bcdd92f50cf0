import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { API_PREFIX } from '../../../platform/http/mount.ts';
import { type TestApp, type TestSession, testApp } from '../../../test/harness.ts';
import { checkDigit } from '../../../platform/util/resident-id.ts';
import { createResident } from '../../common/resident-index/service.ts';
import { systemTransaction } from '../birth-verification/test-support.ts';
import { WORLD_AS_OF, worldWithBirths } from '../childcare-subsidy/test-world.ts';
import { createCase } from './cases.ts';
import type { MarriageRecord, Party } from './normalize.ts';

// 回写婚姻库: verified 民政 registrations reach fp_marriage (read by the birth verification through
// fp_married) — automatically matched ones at once, others on confirmation — and invalidation takes
// back exactly what the case wrote, never the library's own rows.
let t: TestApp;
let district: TestSession;
let otherDistrict: TestSession;
let street: TestSession;
let home: string;
interface P {
  id: number;
  name: string;
  birth: string;
  idNumber: string;
}
const singles: { men: P[]; women: P[] } = { men: [], women: [] };

const api = (s: TestSession, method: 'GET' | 'POST', url: string, payload?: object) =>
  t.call(s, { method, url: `${API_PREFIX}${url}`, ...(payload ? { payload } : {}) });
const party = (p: P): Party => ({ name: p.name, idNumber: p.idNumber, birthDate: p.birth, hukou: home });
const create = (rec: MarriageRecord) => systemTransaction(t)((tx, audit) => createCase({ tx, kernel: t.kernel, audit, actor: 'test' }, rec, null, WORLD_AS_OF));
const rowsOf = (recordNo: string) =>
  t.kernel.db.query<{ id: number; husband_person_id: number; wife_person_id: number; source: string; dissolved_on: string | null }>(
    `select id::int, husband_person_id::int, wife_person_id::int, source, dissolved_on::text from fp_marriage where source_ref = $1`,
    [recordNo],
  );
const married = async (a: number, b: number) => (await t.kernel.db.query<{ m: boolean }>('select fp_married($1, $2) as m', [a, b]))[0]!.m;

before(async () => {
  t = await testApp();
  await worldWithBirths(t, 4000);
  // Unmarried adults of one district, living there: persons its administrator may name.
  const d = (
    await t.kernel.db.query<{ code: string }>(
      `select residence_district as code from person where residence_district is not null group by 1 order by count(*) desc limit 1`,
    )
  )[0]!;
  home = d.code;
  const people = await t.kernel.db.query<{ id: number; name: string; birth: string; enc: string; sex: string }>(
    `select p.id::int, p.name, p.birth_date::text as birth, p.id_number_enc as enc, p.sex from person p
      where p.residence_district = $1 and p.status = 'alive' and p.id_type = 'resident_id' and p.birth_date between '1970-01-01' and '2000-01-01'
        and not exists (select 1 from fp_marriage m where m.husband_person_id = p.id or m.wife_person_id = p.id)
      order by p.id limit 400`,
    [home],
  );
  for (const p of people) {
    const x = { id: p.id, name: p.name, birth: p.birth, idNumber: t.kernel.keys.decryptField(p.enc) };
    // Unique names only, so the name + birth date fall-back cannot pick someone else.
    if (people.filter((o) => o.name === p.name).length > 1) continue;
    (p.sex === 'M' ? singles.men : singles.women).push(x);
  }
  assert.ok(singles.men.length >= 4 && singles.women.length >= 4, `${singles.men.length} men, ${singles.women.length} women`);
  const other = (
    await t.kernel.db.query<{ code: string }>(`select code from region where level = 'district' and code <> $1 order by code limit 1`, [home])
  )[0]!;
  district = await t.loginAs('district_admin', { level: 'district', districtCode: home });
  otherDistrict = await t.loginAs('district_admin', { level: 'district', districtCode: other.code });
  street = await t.loginAs('community_admin', { level: 'street', districtCode: home, streetCode: `${home}001` });
});
after(async () => {
  await t.close();
});

const marriage = (no: string, h: P, w: P, over: Partial<MarriageRecord> = {}): MarriageRecord => ({
  recordNo: no,
  kind: 'marriage',
  registeredOn: '2026-06-01',
  district: home,
  husband: party(h),
  wife: party(w),
  ...over,
});

test('a clean automatic match is written to the marriage library at once, marked 民政, once', async () => {
  const [h, w] = [singles.men[0]!, singles.women[0]!];
  const no = `J${home}-2026-WB00001`;
  assert.equal(await married(h.id, w.id), false);
  const r = await create(marriage(no, h, w));
  assert.ok('status' in r && r.status === 'matched', JSON.stringify(r));
  const rows = await rowsOf(no);
  assert.equal(rows.length, 1);
  assert.deepEqual([rows[0]!.husband_person_id, rows[0]!.wife_person_id, rows[0]!.source], [h.id, w.id, 'civil_affairs']);
  assert.equal(await married(h.id, w.id), true, 'the birth verification sees the marriage');
  // The platform re-sends: a duplicate, nothing written twice.
  assert.ok('duplicate' in (await create(marriage(no, h, w))));
  assert.equal((await rowsOf(no)).length, 1);
  const view = (await api(district, 'GET', `/marriage-verification/cases/${'id' in r ? r.id : 0}`)).json();
  assert.equal(view.writtenBack.marriageId, rows[0]!.id);
  assert.equal(view.writtenBack.own, true);
  const ev = (
    await t.kernel.db.query<{ n: number }>(
      `select count(*)::int as n from audit_event where action = 'marriage-verification.write-back.marriage' and object_id = $1`,
      [String(rows[0]!.id)],
    )
  )[0]!;
  assert.equal(ev.n, 1);

  // Invalidated (e.g. 民政 revoked the registration): the row this case wrote is removed.
  const id = 'id' in r ? r.id : 0;
  assert.equal((await api(otherDistrict, 'POST', `/marriage-verification/cases/${id}/invalidate`, { note: '登记已撤销' })).statusCode, 404);
  assert.equal((await api(street, 'POST', `/marriage-verification/cases/${id}/invalidate`, { note: '登记已撤销' })).statusCode, 403);
  assert.equal((await rowsOf(no)).length, 1, 'refused calls change nothing');
  const inv = await api(district, 'POST', `/marriage-verification/cases/${id}/invalidate`, { note: '登记已撤销' });
  assert.equal(inv.statusCode, 200, inv.body);
  assert.equal((await rowsOf(no)).length, 0);
  assert.equal(await married(h.id, w.id), false);
  assert.equal(
    (await api(district, 'POST', `/marriage-verification/cases/${id}/confirm`, { note: '核实' })).statusCode,
    409,
    'an invalidated case cannot be confirmed',
  );
  assert.equal((await rowsOf(no)).length, 0);
});

test('an exception is written only when a person confirms it; confirmation is refused outside scope; invalidation withdraws it', async () => {
  const [h, w] = [singles.men[1]!, singles.women[1]!];
  const no = `J${home}-2026-WB00002`;
  const r = await create(marriage(no, h, w, { wife: { ...party(w), name: `${w.name.slice(0, 1)}错名` } }));
  assert.ok('status' in r && r.status === 'exception', JSON.stringify(r));
  const id = r.id;
  assert.equal((await rowsOf(no)).length, 0, 'an exception waits for a person');
  assert.equal((await api(otherDistrict, 'POST', `/marriage-verification/cases/${id}/confirm`, { note: '核实' })).statusCode, 404);
  assert.equal((await api(street, 'POST', `/marriage-verification/cases/${id}/confirm`, { note: '核实' })).statusCode, 403);
  assert.equal((await rowsOf(no)).length, 0);
  const ok = await api(district, 'POST', `/marriage-verification/cases/${id}/confirm`, { note: '女方姓名为民政录入笔误，已电话核实' });
  assert.equal(ok.statusCode, 200, ok.body);
  assert.equal(ok.json().writtenBack.change, 'inserted');
  const rows = await rowsOf(no);
  assert.equal(rows.length, 1);
  assert.deepEqual([rows[0]!.husband_person_id, rows[0]!.wife_person_id], [h.id, w.id]);
  assert.equal(await married(h.id, w.id), true);
  assert.equal((await api(district, 'POST', `/marriage-verification/cases/${id}/confirm`, { note: '再次' })).statusCode, 409);
  assert.equal((await rowsOf(no)).length, 1);
  const list = (await api(district, 'GET', `/marriage-verification/cases?recordNo=${encodeURIComponent(no)}`)).json();
  assert.equal(list.items[0].writtenBack.marriageId, rows[0]!.id);

  assert.equal((await api(district, 'POST', `/marriage-verification/cases/${id}/invalidate`, { note: '经核实非本人' })).statusCode, 200);
  assert.equal((await rowsOf(no)).length, 0);
  assert.equal(await married(h.id, w.id), false);
});

test('an automatic match later confirmed with another person: the same row is corrected, not a second one', async () => {
  const [h, w, w2] = [singles.men[2]!, singles.women[2]!, singles.women[3]!];
  const no = `J${home}-2026-WB00003`;
  const r = await create(marriage(no, h, w));
  assert.ok('status' in r && r.status === 'matched');
  const before = (await rowsOf(no))[0]!;
  const ok = await api(district, 'POST', `/marriage-verification/cases/${r.id}/confirm`, { wifePersonId: w2.id, note: '女方应为另一人，已核实' });
  assert.equal(ok.statusCode, 200, ok.body);
  const rows = await rowsOf(no);
  assert.equal(rows.length, 1);
  assert.equal(rows[0]!.id, before.id);
  assert.equal(rows[0]!.wife_person_id, w2.id);
  assert.equal(await married(h.id, w.id), false);
  assert.equal(await married(h.id, w2.id), true);
});

test("a marriage already in the library is not written twice, and invalidating the case leaves the library's own row", async () => {
  const [m] = await t.kernel.db.query<{ id: number; h: number; w: number; reg: string; district_code: string }>(
    `select m.id::int, m.husband_person_id::int as h, m.wife_person_id::int as w, m.registered_on::text as reg, m.district_code from fp_marriage m
       join person hp on hp.id = m.husband_person_id join person wp on wp.id = m.wife_person_id
      where m.source = 'family_planning' and m.dissolved_on is null and hp.status = 'alive' and wp.status = 'alive'
        and m.registered_on >= hp.birth_date + interval '22 years' and m.registered_on >= wp.birth_date + interval '20 years' and m.district_code = $1
        and not exists (select 1 from fp_marriage o where o.id <> m.id and o.husband_person_id in (m.husband_person_id, m.wife_person_id))
        and not exists (select 1 from fp_marriage o where o.id <> m.id and o.wife_person_id in (m.husband_person_id, m.wife_person_id))
      order by m.id limit 1`,
    [home],
  );
  assert.ok(m, 'a current marriage in the world');
  const person = async (id: number): Promise<P> => {
    const p = (
      await t.kernel.db.query<{ name: string; birth: string; enc: string }>(
        'select name, birth_date::text as birth, id_number_enc as enc from person where id = $1',
        [id],
      )
    )[0]!;
    return { id, name: p.name, birth: p.birth, idNumber: t.kernel.keys.decryptField(p.enc) };
  };
  const [h, w] = [await person(m.h), await person(m.w)];
  const no = `J${home}-2026-WB00004`;
  const r = await create(marriage(no, h, w, { registeredOn: m.reg, district: m.district_code }));
  assert.ok('status' in r && r.status === 'matched', JSON.stringify(r));
  const view = (await api(district, 'GET', `/marriage-verification/cases/${r.id}`)).json();
  assert.deepEqual([view.writtenBack.marriageId, view.writtenBack.own], [m.id, false]);
  const n = (
    await t.kernel.db.query<{ n: number }>('select count(*)::int as n from fp_marriage where husband_person_id = $1 and wife_person_id = $2', [m.h, m.w])
  )[0]!;
  assert.equal(n.n, 1);

  // Their 民政 divorce ends that marriage; invalidating the divorce case restores it.
  const dno = `L${home}-2026-WB00005`;
  const d = await create(marriage(dno, h, w, { kind: 'divorce', registeredOn: '2026-07-01', district: m.district_code }));
  assert.ok('status' in d && d.status === 'matched', JSON.stringify(d));
  const [after] = await t.kernel.db.query<{ dissolved_on: string | null; dissolved_ref: string | null }>(
    'select dissolved_on::text, dissolved_ref from fp_marriage where id = $1',
    [m.id],
  );
  assert.deepEqual(after, { dissolved_on: '2026-07-01', dissolved_ref: dno });
  assert.equal((await api(district, 'POST', `/marriage-verification/cases/${d.id}/invalidate`, { note: '离婚登记录入错误' })).statusCode, 200);
  const restored = (await t.kernel.db.query<{ dissolved_on: string | null }>('select dissolved_on::text from fp_marriage where id = $1', [m.id]))[0]!;
  assert.equal(restored.dissolved_on, null);

  assert.equal((await api(district, 'POST', `/marriage-verification/cases/${r.id}/invalidate`, { note: '重复数据' })).statusCode, 200);
  const still = (await t.kernel.db.query<{ n: number }>('select count(*)::int as n from fp_marriage where id = $1', [m.id]))[0]!;
  assert.equal(still.n, 1, "the library's own row stays");
});

test('a foreign spouse is matched by her 外国人永久居留身份证 (number + type) and the marriage written back', async () => {
  const first17 = '93184019920303008';
  const number = first17 + checkDigit(first17);
  const created = await systemTransaction(t)((tx, audit) =>
    createResident(
      { tx, kernel: t.kernel, audit },
      { idType: 'foreign_permanent', idNumber: number, name: '艾米丽', sex: 'F', birthDate: '1992-03-03', residenceDistrict: home },
    ),
  );
  const w: P = { id: Number(created.id), name: '艾米丽', birth: '1992-03-03', idNumber: number };
  const h = singles.men[3];
  const no = `J${home}-2026-WB00006`;
  const r = await create(marriage(no, h!, w));
  assert.ok('status' in r && r.status === 'matched', JSON.stringify(r));
  const c = (await t.kernel.db.query<{ d: { wife: { method: string } } }>('select match_detail as d from fp_mv_case where id = $1', [r.id]))[0]!;
  assert.equal(c.d.wife.method, 'idNumber');
  const rows = await rowsOf(no);
  assert.deepEqual([rows.length, rows[0]?.wife_person_id], [1, w.id]);
});
