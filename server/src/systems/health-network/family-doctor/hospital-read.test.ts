import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Scope, scopeSettings } from '../../../platform/scope/scope.ts';
import { type Fd, fdApp, IDS } from './test-fixture.ts';

// 医院查看账号 and 区级查看账号 (fd-people): read contracts, never change them.
let fd: Fd;
const ids: Record<string, number> = {};
before(async () => {
  fd = await fdApp();
  for (const [k, over] of [
    ['dh1ch1', {}],
    ['dh2ch2', { districtHospitalId: IDS.dh2, cityHospitalId: IDS.ch2 }],
    ['dh1ch2', { cityHospitalId: IDS.ch2 }],
    ['none', { districtHospitalId: undefined, cityHospitalId: undefined }],
  ] as const) {
    const r = await fd.sign(await fd.resident(), over);
    assert.equal(r.statusCode, 201, r.body);
    ids[k] = r.json().id;
  }
});
after(() => fd.close());

const hospital = (inst: number): Scope => ({ level: 'institution', districtCode: '310104', institutionId: inst });
const listed = async (s: Awaited<ReturnType<Fd['t']['loginAs']>>) => {
  const r = await fd.get('/contracts?pageSize=100', s);
  assert.equal(r.statusCode, 200, r.body);
  return r
    .json()
    .items.map((c: { id: number }) => c.id)
    .sort((a: number, b: number) => a - b);
};

test('a hospital view account sees exactly the contracts whose combination names its hospital', async () => {
  const dh1 = await fd.t.loginAs('hospital_user', hospital(IDS.dh1));
  assert.deepEqual(await listed(dh1), [ids.dh1ch1, ids.dh1ch2]);
  const ch2 = await fd.t.loginAs('hospital_user', hospital(IDS.ch2));
  assert.deepEqual(await listed(ch2), [ids.dh2ch2, ids.dh1ch2]);
  assert.equal((await fd.get(`/contracts/${ids.dh1ch1}`, dh1)).statusCode, 200);
  assert.equal((await fd.get(`/contracts/${ids.dh2ch2}`, dh1)).statusCode, 404);
  // The residents of those contracts are named (三优先 needs to know who they are), others are not readable.
  const items = (await fd.get('/contracts?pageSize=100', dh1)).json().items as { personName: string | null; idNumberMasked: string | null }[];
  assert.ok(items.length === 2 && items.every((c) => c.personName && c.idNumberMasked), JSON.stringify(items));
  const owners = await fd.t.kernel.db.query<{ person_id: number }>('select person_id from fd_contract where id = any($1::bigint[]) order by id', [
    [ids.dh1ch1, ids.dh2ch2],
  ]);
  const seen = await fd.t.kernel.db.transaction(
    (tx) => tx.query<{ id: number }>('select id from person where id = any($1::bigint[])', [owners.map((o) => o.person_id)]),
    { scope: scopeSettings(hospital(IDS.dh1), null) },
  );
  assert.deepEqual(
    seen.map((p) => Number(p.id)),
    [Number(owners[0]!.person_id)],
    'the resident of a contract naming another hospital stays hidden',
  );
  // A community centre's own institution scope is unchanged: its contracts, not the hospitals'.
  const chcB = await fd.t.loginAs('community_admin', hospital(IDS.chcB));
  assert.deepEqual(await listed(chcB), []);
});

test('a hospital view account cannot write: the routes refuse, and row-level security would not let it either', async () => {
  const dh1 = await fd.t.loginAs('hospital_user', hospital(IDS.dh1));
  const term = await fd.post(`/contracts/${ids.dh1ch1}/terminate`, { initiator: 'resident', reason: '居民要求', residentInformed: true }, dh1);
  assert.equal(term.statusCode, 403);
  assert.equal((await fd.post(`/contracts/${ids.dh1ch1}/renew`, { years: 1 }, dh1)).statusCode, 403);
  assert.equal((await fd.sign(await fd.resident(), {}, dh1)).statusCode, 403);
  // Below the routes: an update in the hospital's scope reaches no row although the row is readable.
  const seen = await fd.t.kernel.db.transaction(
    async (tx) => {
      const visible = await tx.query<{ id: number }>('select id from fd_contract where id = $1', [ids.dh1ch1]);
      const changed = await tx.query<{ id: number }>("update fd_contract set termination_reason = 'x' where id = $1 returning id", [ids.dh1ch1]);
      return { visible: visible.length, changed: changed.length };
    },
    { scope: scopeSettings(hospital(IDS.dh1), null) },
  );
  assert.deepEqual(seen, { visible: 1, changed: 0 });
});

test('a district view account (auditor) reads its district, cannot sign', async () => {
  const aud = await fd.t.loginAs('auditor', { level: 'district', districtCode: '310104' });
  assert.deepEqual(
    await listed(aud),
    Object.values(ids).sort((a, b) => a - b),
  );
  assert.equal((await fd.sign(await fd.resident(), {}, aud)).statusCode, 403);
  const other = await fd.t.loginAs('auditor', { level: 'district', districtCode: '310101' });
  assert.deepEqual(await listed(other), []);
});
