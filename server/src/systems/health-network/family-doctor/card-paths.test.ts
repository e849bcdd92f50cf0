import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { residentBody } from '../../common/resident-index/test-fixture.ts';
import { addDays, cycleEnd, shanghaiToday } from './rules.ts';
import { type Fd, fdApp, IDS } from './test-fixture.ts';

/** The card rules hold on every write, not only when signing (resident create/update, renewal, change, hospital check). */
let fd: Fd;
before(async () => {
  fd = await fdApp();
});
after(() => fd.close());

const today = shanghaiToday();
const residents = (method: 'POST' | 'PATCH', url: string, payload: object) => fd.t.call(fd.admin, { method, url: `/api/v1/residents${url}`, payload });

test('POST and PATCH /residents refuse a malformed card, a card without 参保地, and a non-local 参保地 + 卡号 of someone else', async () => {
  const bad = await residents('POST', '', residentBody({ insuranceCardNo: '1234567', insuredPlace: '310000' }));
  assert.equal(bad.statusCode, 400, bad.body);
  assert.match(bad.json().details[0].message, /上海市医保卡/);
  const noPlace = await residents('POST', '', residentBody({ insuranceCardNo: 'S2000000001' }));
  assert.equal(noPlace.statusCode, 400);
  assert.equal(noPlace.json().details[0].field, 'insuredPlace');

  const first = await residents('POST', '', residentBody({ insuranceCardNo: '320100777', insuredPlace: '320100' }));
  assert.equal(first.statusCode, 201, first.body);
  const dup = await residents('POST', '', residentBody({ insuranceCardNo: '320100777', insuredPlace: '320100' }));
  assert.equal(dup.statusCode, 422, dup.body);
  // A Shanghai card shared: allowed, with a warning.
  const sh1 = await residents('POST', '', residentBody({ insuranceCardNo: 'S2000000009', insuredPlace: '310000' }));
  const sh2 = await residents('POST', '', residentBody({ insuranceCardNo: 'S2000000009', insuredPlace: '310000' }));
  assert.equal(sh2.statusCode, 201, sh2.body);
  assert.equal(sh1.json().warnings, undefined);
  assert.equal(sh2.json().warnings.length, 1);

  const other = (await residents('POST', '', residentBody())).json().id;
  const patchDup = await residents('PATCH', `/${other}`, { insuranceCardNo: '320100777', insuredPlace: '320100' });
  assert.equal(patchDup.statusCode, 422, patchDup.body);
  const patchBad = await residents('PATCH', `/${other}`, { insuranceCardNo: 'X1', insuredPlace: '310000' });
  assert.equal(patchBad.statusCode, 400, patchBad.body);
  // A new 参保地 for the card already held is checked too.
  const held = (await residents('POST', '', residentBody({ insuranceCardNo: '320100778', insuredPlace: '330100' }))).json().id;
  assert.equal((await residents('PATCH', `/${held}`, { insuredPlace: '320100' })).statusCode, 200);
  const moved = await residents('PATCH', `/${held}`, { insuranceCardNo: '320100777' });
  assert.equal(moved.statusCode, 422, moved.body);
  const p = (
    await fd.t.kernel.db.query<{ n: number }>("select count(*)::int as n from person where insured_place = '320100' and insurance_card_no = '320100777'")
  )[0]!;
  assert.equal(p.n, 1);
});

test('renewal and change of hospitals take 参保地 and card, under the same rules', async () => {
  await residents('POST', '', residentBody({ insuranceCardNo: '440300123', insuredPlace: '440300' }));
  const pid = await fd.resident();
  const id = (await fd.sign(pid)).json().id;
  await fd.setDates(id, { cycle_start: addDays(cycleEnd(addDays(today, 30), -1), 1), cycle_end: addDays(today, 30) });
  const taken = await fd.post(`/contracts/${id}/renew`, { years: 1, insuredPlace: '440300', insuranceCardNo: '440300123' });
  assert.equal(taken.statusCode, 422, taken.body);
  assert.equal((await fd.get(`/contracts/${id}`)).json().cycleEnd, addDays(today, 30), 'nothing renewed');
  const ok = await fd.post(`/contracts/${id}/renew`, { years: 1, insuredPlace: '440300', insuranceCardNo: '440300124' });
  assert.equal(ok.statusCode, 200, ok.body);
  const [p] = await fd.t.kernel.db.query<{ insured_place: string; insurance_card_no: string }>(
    'select insured_place, insurance_card_no from person where id = $1',
    [pid],
  );
  assert.deepEqual(p, { insured_place: '440300', insurance_card_no: '440300124' });

  const change = await fd.post(`/contracts/${id}/hospitals`, {
    districtHospitalId: IDS.dh2,
    cityHospitalId: IDS.ch1,
    initiator: 'resident',
    reason: '就医方便',
    residentInformed: true,
    insuredPlace: '310000',
    insuranceCardNo: 'bad',
  });
  assert.equal(change.statusCode, 400, change.body);
  const c = (await fd.t.kernel.db.query<{ district_hospital_id: number }>('select district_hospital_id from fd_contract where id = $1', [id]))[0]!;
  assert.equal(Number(c.district_hospital_id), IDS.dh1);
});

test('district and city hospitals call the same check', async () => {
  await residents('POST', '', residentBody({ insuranceCardNo: '510100555', insuredPlace: '510100' }));
  const hospital = await fd.t.loginAs('hospital_user', { level: 'institution', districtCode: '310104', institutionId: IDS.dh1 });
  const check = (q: string) => fd.t.call(hospital, { method: 'GET', url: `/api/v1/residents/insurance-cards/check?${q}` });
  assert.equal((await check('insuredPlace=510100&insuranceCardNo=510100555')).statusCode, 422);
  assert.equal((await check('insuredPlace=310000&insuranceCardNo=123')).statusCode, 400);
  const ok = await check('insuredPlace=510100&insuranceCardNo=510100556');
  assert.equal(ok.statusCode, 200, ok.body);
  assert.deepEqual(ok.json(), { ok: true, warnings: [], duplicates: 0 });
});
