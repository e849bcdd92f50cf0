import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { API_PREFIX } from '../../../platform/http/mount.ts';
import { type TestApp, type TestSession, testApp } from '../../../test/harness.ts';
import { type Family, HOME, NEIGHBOUR, seedFamily, seedTask } from './newborn-fixture.ts';
import { systemTransaction } from './test-support.ts';

// The 公安 报出生户口 registration beside a task's fields in the 出生监测核实 form: found by the newborn
// library's certificate number (or name + birth date + mother), differences marked, scoped like the task —
// although the registration itself belongs to the street of its 派出所.
let t: TestApp;
let worker: TestSession;
let neighbour: TestSession;
let family: Family;

const api = (s: TestSession, url: string) => t.call(s, { method: 'GET', url: `${API_PREFIX}${url}` });
const task = async (id: number) =>
  (
    await t.kernel.db.query<{ certificate_no: string; child_name: string; birth_date: string }>(
      'select certificate_no, child_name, birth_date::text as birth_date from fp_verify_task where id = $1',
      [id],
    )
  )[0];

/** One registration as the monthly pull stores it, distributed to the 派出所's street (the neighbour's). */
async function seedRegistration(r: {
  regNo: string;
  childName: string;
  sex: 'M' | 'F';
  birthDate: string;
  motherName: string;
  fatherName: string | null;
  certificateNo: string | null;
}) {
  await systemTransaction(t)(async (tx) => {
    const b = (
      await tx.query<{ id: number }>(`insert into fp_hv_batch (month, status, requested_by) values ('2026-11', 'done', 'test') returning id::int as id`)
    )[0]!;
    await tx.query(
      `insert into fp_hv_registration (batch_id, month, reg_no, child_name, sex, birth_date, child_id_masked, police_code, police_name, mother_name, mother_id_masked, father_name,
         registered_on, map_method, distribution, distributed_at, newborn, match_status, district_code, street_code)
       values ($1, '2026-11', $2, $3, $4, $5, '310104********0023', $6, '湖南路派出所', $7, '3101**********0046', $8, '2026-11-22', 'code', 'distributed', now(), $9, $10, $11, $12)`,
      [
        b.id,
        r.regNo,
        r.childName,
        r.sex,
        r.birthDate,
        `${NEIGHBOUR.street}000`,
        r.motherName,
        r.fatherName,
        r.certificateNo ? JSON.stringify({ regNo: r.regNo, name: r.childName, sex: r.sex, birthDate: r.birthDate, certificateNo: r.certificateNo }) : null,
        r.certificateNo ? 'matched' : 'missing',
        NEIGHBOUR.district,
        NEIGHBOUR.street,
      ],
    );
  });
}

before(async () => {
  t = await testApp();
  family = await seedFamily(t, await t.loginAs('city_admin'));
  worker = await t.loginAs('community_admin', { level: 'street', districtCode: HOME.district, streetCode: HOME.street });
  neighbour = await t.loginAs('community_admin', { level: 'street', districtCode: NEIGHBOUR.district, streetCode: NEIGHBOUR.street });
});
after(() => t.close());

test("the registration of the task's certificate number, with the 户籍 facts and the differences marked", async () => {
  const id = await seedTask(t, family);
  const k = await task(id);
  // 公安 registered another given name and no father; the rest agrees.
  await seedRegistration({
    regNo: 'CS202611000001',
    childName: '王梓涵',
    sex: 'F',
    birthDate: k!.birth_date,
    motherName: family.mother.name,
    fatherName: null,
    certificateNo: k!.certificate_no,
  });
  const r = await api(worker, `/birth-verification/tasks/${id}/household-prefill`);
  assert.equal(r.statusCode, 200, r.body);
  const b = r.json();
  assert.equal(b.found, true);
  assert.match(b.message, /存在差异/);
  assert.deepEqual(
    {
      regNo: b.record.regNo,
      registeredOn: b.record.registeredOn,
      policeName: b.record.policeName,
      hukouStreetName: b.record.hukouStreetName,
      matchedBy: b.record.matchedBy,
    },
    { regNo: 'CS202611000001', registeredOn: '2026-11-22', policeName: '湖南路派出所', hukouStreetName: '湖南路街道', matchedBy: 'certificate' },
  );
  const f = Object.fromEntries(b.fields.map((x: { key: string }) => [x.key, x]));
  assert.deepEqual(f.childName, {
    key: 'childName',
    title: '儿童姓名',
    taskValue: k!.child_name,
    policeValue: '王梓涵',
    fillValue: '王梓涵',
    differs: true,
    fillable: true,
  });
  assert.equal(f.childSex.differs, false);
  assert.equal(f.childSex.fillValue, 'F');
  assert.equal(f.birthDate.differs, false);
  assert.equal(f.motherName.differs, false);
  assert.deepEqual(
    [f.fatherName.policeValue, f.fatherName.differs, f.fatherName.fillable],
    [null, false, false],
    'no 公安 father: nothing to adopt, not a difference',
  );
  const audit = (
    await t.kernel.db.query<{ n: number }>(
      `select count(*)::int as n from audit_event where action = 'birth-verification.task.household-prefill' and object_id = $1`,
      [String(id)],
    )
  )[0]!;
  assert.equal(audit.n, 1, 'the read is audited');
});

test('without the library certificate: by name, birth date and mother — only when exactly one fits', async () => {
  const id = await seedTask(t, family);
  const k = await task(id);
  await seedRegistration({
    regNo: 'CS202611000002',
    childName: k!.child_name,
    sex: 'M',
    birthDate: k!.birth_date,
    motherName: family.mother.name,
    fatherName: family.father.name,
    certificateNo: null,
  });
  const r = await api(worker, `/birth-verification/tasks/${id}/household-prefill`);
  assert.equal(r.statusCode, 200, r.body);
  assert.equal(r.json().record.matchedBy, 'name_birth_mother');
  const sex = r.json().fields.find((x: { key: string }) => x.key === 'childSex');
  assert.deepEqual([sex.taskValue, sex.policeValue, sex.differs, sex.fillValue], ['女', '男', true, 'M']);

  await seedRegistration({
    regNo: 'CS202611000003',
    childName: k!.child_name,
    sex: 'M',
    birthDate: k!.birth_date,
    motherName: family.mother.name,
    fatherName: null,
    certificateNo: null,
  });
  const ambiguous = await api(worker, `/birth-verification/tasks/${id}/household-prefill`);
  assert.equal(ambiguous.json().found, false, 'two registrations fit: none is offered');
});

test('no registration: an empty answer with a clear message', async () => {
  const id = await seedTask(t, family);
  const r = await api(worker, `/birth-verification/tasks/${id}/household-prefill`);
  assert.equal(r.statusCode, 200, r.body);
  assert.deepEqual(r.json(), {
    taskId: id,
    found: false,
    message: '暂无该儿童的公安报出生户口记录（可能尚未落户，或当月数据尚未拉取）',
    record: null,
    fields: [],
  });
});

test("outside the task's scope 404 (though the registration is in that street), without the permission 403", async () => {
  const id = await seedTask(t, family);
  const k = await task(id);
  await seedRegistration({
    regNo: 'CS202611000004',
    childName: k!.child_name,
    sex: 'F',
    birthDate: k!.birth_date,
    motherName: family.mother.name,
    fatherName: null,
    certificateNo: k!.certificate_no,
  });
  assert.equal((await api(neighbour, `/birth-verification/tasks/${id}/household-prefill`)).statusCode, 404);
  assert.equal((await api(await t.loginAs('auditor'), `/birth-verification/tasks/${id}/household-prefill`)).statusCode, 403);
  assert.equal((await api(worker, '/birth-verification/tasks/999999/household-prefill')).statusCode, 404);
});
