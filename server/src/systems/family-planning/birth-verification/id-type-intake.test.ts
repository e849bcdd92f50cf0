import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { checkDigit } from '../../../platform/util/resident-id.ts';
import { type TestApp, testApp } from '../../../test/harness.ts';
import { createResident } from '../../common/resident-index/service.ts';
import { worldWithBirths } from '../childcare-subsidy/test-world.ts';
import { ingestRecords } from './intake.ts';
import type { Finding } from './precheck.ts';
import * as tasks from './task-repository.ts';
import { systemTransaction } from './test-support.ts';

// 市妇幼 births whose mothers hold documents other than the 居民身份证: cleaned with their 证件类型, matched
// in the resident index by number + type, stored with the type, pre-checked for a person to look at.
const TODAY = '2026-11-26';
const FOREIGN = (() => {
  const first17 = '93184019910202004';
  return first17 + checkDigit(first17);
})();
let t: TestApp;
let streetCode: string;
let foreignMotherId: number;

const record = (no: string, over: Record<string, unknown>) => ({
  CSYXZMBH: no,
  XSEXM: '安娜小宝',
  XSEXB: '2',
  CSRQ: '2026-11-01',
  CSTZ: '3200',
  JSJGMC: '上海市第一妇婴保健院',
  HC: '1',
  MQXM: '安娜',
  MQZJHM: '',
  FQXM: '',
  FQZJHM: '',
  JZDZ: '某路1号',
  JZJDDM: streetCode,
  ...over,
});
const ingest = (raws: Record<string, unknown>[]) =>
  systemTransaction(t)(async (tx, audit) => {
    const batchId = await tasks.startBatch(tx, '2026-11-02', 'test');
    return ingestRecords({ tx, kernel: t.kernel, audit }, { id: batchId, sourceDate: '2026-11-02' }, raws, { today: TODAY, actor: 'test' });
  });
const task = async (no: string) =>
  (
    await t.kernel.db.query<{ mother_id_type: string; mother_person_id: number | null; mother_id_mask: string; precheck: Finding[] }>(
      'select mother_id_type, mother_person_id::int as mother_person_id, mother_id_mask, precheck from fp_verify_task where certificate_no = $1',
      [no],
    )
  )[0];

before(async () => {
  t = await testApp();
  await worldWithBirths(t, 1500);
  ({ code: streetCode } = (await t.kernel.db.query<{ code: string }>(`select code from region where level = 'street' order by code limit 1`))[0]!);
  // A foreign mother already in the resident index under her 外国人永久居留身份证.
  foreignMotherId = Number(
    (
      await systemTransaction(t)((tx, audit) =>
        createResident(
          { tx, kernel: t.kernel, audit },
          {
            idType: 'foreign_permanent',
            idNumber: FOREIGN,
            name: '安娜',
            sex: 'F',
            birthDate: '1991-02-02',
            residenceDistrict: streetCode.slice(0, 6),
            residenceStreet: streetCode,
          },
        ),
      )
    ).id,
  );
});
after(async () => {
  await t.close();
});

test('intake: non-resident mothers become tasks with their 证件类型, matched by number + type; an unrecognised number is refused', async () => {
  const raws = [
    record('PX0000001', { MQZJHM: FOREIGN }),
    record('PX0000002', { MQXM: '陈美玲', MQZJHM: 'H12345678' }),
    record('PX0000003', { MQXM: 'Maria Lopez', MQZJHM: 'E98765432', MQZJLX: '03' }),
    record('PX0000004', { MQXM: 'Maria Lopez', MQZJHM: 'E98765433' }),
  ];
  const c = await ingest(raws);
  assert.deepEqual([c.created, c.rejected], [3, 1]);

  const foreign = await task('PX0000001');
  assert.equal(foreign!.mother_id_type, 'foreign_permanent');
  assert.equal(foreign!.mother_person_id, foreignMotherId, 'found by blind index of the number under its type');
  assert.ok(!foreign!.mother_id_mask.includes(FOREIGN.slice(4, 14)));
  assert.deepEqual(
    foreign!.precheck.map((f) => f.code),
    ['non_resident_id', 'child_not_linked'],
  );

  const hk = await task('PX0000002');
  assert.equal(hk!.mother_id_type, 'hk_macao_pass');
  assert.equal(hk!.mother_person_id, null);
  const notFound = hk!.precheck.find((f) => f.code === 'mother_not_found');
  assert.match(notFound?.message ?? '', /母亲证件（港澳居民来往内地通行证）在人口库中未找到，请人工核对/);
  assert.ok(hk!.precheck.some((f) => f.code === 'non_resident_id' && f.severity === 'warn'));

  assert.equal((await task('PX0000003'))!.mother_id_type, 'passport');
  assert.equal(await task('PX0000004'), undefined);
  const rej = (
    await t.kernel.db.query<{ reasons: { field: string; message: string }[] }>(`select reasons from fp_mch_rejected where raw->>'CSYXZMBH' = 'PX0000004'`)
  )[0]!;
  assert.match(rej.reasons[0]!.message, /母亲身份证号：无法识别的证件号码.*如为护照，请在来源数据中注明证件类型/);

  // Sent again unchanged: nothing reverted (the type is part of what a change means, stably).
  const again = await ingest(raws);
  assert.deepEqual([again.created, again.updated, again.unchanged, again.rejected], [0, 0, 3, 1]);
  // The same birth re-sent with the passport now declared as a 港澳通行证 number: a change, the type follows.
  const changed = await ingest([record('PX0000003', { MQXM: 'Maria Lopez', MQZJHM: 'H87654321', MQZJLX: '06' })]);
  assert.equal(changed.updated, 1);
  assert.equal((await task('PX0000003'))!.mother_id_type, 'hk_macao_pass');
});

test("the task screen shows the mother's 证件类型 beside the masked number", async () => {
  const { id } = (await t.kernel.db.query<{ id: number }>(`select id::int as id from fp_verify_task where certificate_no = 'PX0000001'`))[0]!;
  const admin = await t.loginAs('city_admin');
  const r = await t.call(admin, { method: 'GET', url: `/api/v1/birth-verification/tasks/${id}` });
  assert.equal(r.statusCode, 200, r.body);
  const view = r.json().task;
  assert.equal(view.motherIdType, 'foreign_permanent');
  assert.equal(view.motherIdTypeTitle, '外国人永久居留身份证');
  assert.ok(!String(view.motherIdMasked).includes(FOREIGN.slice(4, 14)));
});
