import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { TestSession } from '../../../test/harness.ts';
import { addDays, shanghaiToday } from '../family-doctor/rules.ts';
import { reportLinks } from './service.ts';
import { type Ha, haApp, IDS, PDF, yyyymmdd } from './test-fixture.ts';

let ha: Ha;
let adminA: TestSession;
const today = shanghaiToday();
const day = yyyymmdd(addDays(today, -3));

before(async () => {
  ha = await haApp();
  adminA = await ha.t.loginAs('community_admin', { level: 'institution', districtCode: '310104', institutionId: IDS.chcA });
});
after(() => ha.close());

test('a signed report is archived, linked to the contract and readable; the report link serves flexible renewal', async () => {
  const p = await ha.person('1950-03-08');
  const c = (await ha.sign(p.id)).json();
  const r = await ha.upload(adminA, { fileName: `${p.idNumber}_HA_${day}_${IDS.docA1}.pdf`, signedBy: IDS.docA1 });
  assert.equal(r.statusCode, 201, r.body);
  assert.equal(r.json().status, 'archived');
  assert.equal(r.json().personId, p.id);
  const files = await ha.haGet(`/files?personId=${p.id}`, adminA);
  assert.equal(files.statusCode, 200, files.body);
  const f = files.json().items[0];
  assert.equal(f.contractId, c.id);
  assert.equal(f.signedByName, '王医生');
  assert.equal(f.channel, 'web');
  assert.equal(f.ageAtReport >= 65, true);
  const pdf = await ha.haGet(`/files/${f.id}/content`, adminA);
  assert.equal(pdf.statusCode, 200);
  assert.equal(pdf.headers['content-type'], 'application/pdf');
  assert.deepEqual(pdf.rawPayload, PDF);
  const links = await ha.t.kernel.db.transaction((tx) => reportLinks({ tx }, p.id));
  assert.equal(links.healthAssessment?.fileId, f.id);
  assert.match(links.healthAssessment?.url ?? '', new RegExp(`/health-assessment/files/${f.id}/content$`));
  assert.equal(links.physicalExam, null);
  const audit = await ha.t.kernel.db.query<{ action: string; kind: string }>(
    `select action, kind from audit_event where object_type = 'ha_file' and object_id = $1 order by seq`,
    [String(f.id)],
  );
  assert.deepEqual(
    audit.map((a) => a.action),
    ['health-assessment.archive', 'health-assessment.report.view'],
  );
});

test('invalid files are rejected with the reason recorded, nothing archived', async () => {
  const old = await ha.person('1950-04-09');
  const young = await ha.person('1990-01-02');
  const outside = await ha.person('1951-01-01');
  await ha.t.kernel.db.query('update person set managing_institution_id = $2 where id = $1', [outside.id, IDS.chcB]);
  const cases: [string, RegExp, string?][] = [
    [`${old.idNumber}_HA_${day}.pdf`, /命名规范/],
    [`${old.idNumber}_HA_${day}_${IDS.docB1}.pdf`, /不属于上传机构/],
    [`${young.idNumber}_PE_${day}_${IDS.docA1}.pdf`, /65 岁及以上/],
    [`${outside.idNumber}_HA_${day}_${IDS.docA1}.pdf`, /未找到|不是本中心/],
    [`${old.idNumber}_HA_${day}_${IDS.docA1}.pdf`, /不是 PDF/, Buffer.from('PK zip').toString('base64')],
    [`${old.idNumber}_HA_${day}_${IDS.docA2}.pdf`, /签名医生不一致/],
  ];
  for (const [fileName, reason, content] of cases) {
    const r = await ha.upload(adminA, {
      fileName,
      signedBy: fileName.includes(`_${IDS.docB1}.`) ? IDS.docB1 : IDS.docA1,
      ...(content ? { contentBase64: content } : {}),
    });
    assert.equal(r.statusCode, 201, r.body);
    assert.equal(r.json().status, 'rejected', fileName);
    assert.match(r.json().error, reason, fileName);
  }
  const ok = await ha.upload(adminA, { fileName: `${old.idNumber}_PE_${day}_${IDS.docA1}.pdf`, signedBy: IDS.docA1 });
  assert.equal(ok.json().status, 'archived', ok.body);
  const dup = await ha.upload(adminA, { fileName: `${old.idNumber}_PE_${day}_${IDS.docA1}.pdf`, signedBy: IDS.docA1 });
  assert.match(dup.json().error, /不能重复上传/);
  const rejected = await ha.haGet('/files?status=rejected&pageSize=100', adminA);
  assert.equal(
    rejected.json().items.filter((f: { error: string }) => /未找到|命名规范|不属于上传机构|65 岁|不是本中心|不是 PDF|不一致|重复/.test(f.error)).length >= 7,
    true,
  );
  const batch = (await ha.haGet(`/batches?pageSize=1`, adminA)).json().items[0];
  assert.deepEqual([batch.filesTotal, batch.filesArchived, batch.filesRejected], [1, 0, 1]);
});

test('refused: not reviewed (422), signing for another doctor (403), no permission (403), another centre (403)', async () => {
  const p = await ha.person('1949-02-03');
  const name = `${p.idNumber}_HA_${day}_${IDS.docA1}.pdf`;
  const notReviewed = await ha.upload(adminA, { fileName: name, signedBy: IDS.docA1, reviewed: false });
  assert.equal(notReviewed.statusCode, 422);
  assert.match(notReviewed.json().message, /审核并签名/);
  const doctor2 = await ha.t.loginAs('family_doctor', { level: 'own', districtCode: '310104', institutionId: IDS.chcA, practitionerId: IDS.docA2 });
  assert.equal((await ha.upload(doctor2, { fileName: name, signedBy: IDS.docA1 })).statusCode, 403);
  const expert = await ha.t.loginAs('expert');
  assert.equal((await ha.upload(expert, { fileName: name, signedBy: IDS.docA1 })).statusCode, 403);
  assert.equal((await ha.haGet('/stats', expert)).statusCode, 403);
  assert.equal((await ha.upload(adminA, { fileName: name, signedBy: IDS.docA1, institutionId: IDS.chcB })).statusCode, 403);
  const { n } = (await ha.t.kernel.db.query<{ n: number }>('select count(*)::int as n from ha_file where file_name = $1', [name]))[0]!;
  assert.equal(n, 0);
});

test('a family doctor uploads for own residents only; an own-scope doctor sees only those records', async () => {
  const mine = await ha.person('1948-05-06');
  await ha.sign(mine.id);
  const other = await ha.person('1948-07-08');
  await ha.sign(other.id, { teamId: IDS.teamA2, doctorId: IDS.docA2 });
  const doctor1 = await ha.t.loginAs('family_doctor', { level: 'own', districtCode: '310104', institutionId: IDS.chcA, practitionerId: IDS.docA1 });
  const ok = await ha.upload(doctor1, { fileName: `${mine.idNumber}_PE_${day}_${IDS.docA1}.pdf`, signedBy: IDS.docA1 });
  assert.equal(ok.json().status, 'archived', ok.body);
  const no = await ha.upload(doctor1, { fileName: `${other.idNumber}_PE_${day}_${IDS.docA1}.pdf`, signedBy: IDS.docA1 });
  assert.equal(no.json().status, 'rejected');
  assert.match(no.json().error, /未找到|数据权限/);
  const seen = (await ha.haGet('/files?pageSize=100', doctor1)).json().items as { personId: number | null }[];
  assert.ok(seen.some((f) => f.personId === mine.id));
  assert.ok(!seen.some((f) => f.personId === other.id), 'a resident of another doctor stays hidden');
});

test('statistics by upload path × report type, and for residents aged 65 or more', async () => {
  const s = await ha.haGet('/stats', adminA);
  assert.equal(s.statusCode, 200, s.body);
  const cell = (ch: string, t: string) => s.json().cells.find((c: { channel: string; reportType: string }) => c.channel === ch && c.reportType === t);
  const { n: ha65 } = (
    await ha.t.kernel.db.query<{ n: number }>(
      `select count(*)::int as n from ha_file where channel = 'web' and report_type = 'HA' and status = 'archived' and age_at_report >= 65 and institution_id = ${IDS.chcA}`,
    )
  )[0]!;
  assert.equal(cell('web', 'HA').elderlyArchived, ha65);
  assert.ok(cell('web', 'PE').archived >= 1);
  assert.ok(cell('web', 'PE').rejected >= 1);
  assert.equal(cell('ftp', 'HA').archived, 0);
  const bad = await ha.haGet('/stats?from=2026-12-01&to=2026-01-01', adminA);
  assert.equal(bad.statusCode, 400);
});

test('FTP accounts: issued for a centre in scope (password once, argon2id), refused elsewhere', async () => {
  const r = await ha.t.call(adminA, { method: 'POST', url: '/api/v1/health-assessment/ftp-accounts', payload: { institutionId: IDS.chcA } });
  assert.equal(r.statusCode, 201, r.body);
  assert.match(r.json().password, /^.{16}$/);
  const row = (await ha.t.kernel.db.query<{ password_hash: string }>('select password_hash from ha_ftp_account where institution_id = $1', [IDS.chcA]))[0]!;
  assert.match(row.password_hash, /^\$argon2id\$/);
  assert.equal(
    (await ha.t.call(adminA, { method: 'POST', url: '/api/v1/health-assessment/ftp-accounts', payload: { institutionId: IDS.chcB } })).statusCode,
    403,
  );
  assert.equal(
    (await ha.t.call(ha.admin, { method: 'POST', url: '/api/v1/health-assessment/ftp-accounts', payload: { institutionId: IDS.dh1 } })).statusCode,
    400,
  );
  const doctor = await ha.t.loginAs('family_doctor', { level: 'own', districtCode: '310104', institutionId: IDS.chcA, practitionerId: IDS.docA1 });
  assert.equal(
    (await ha.t.call(doctor, { method: 'POST', url: '/api/v1/health-assessment/ftp-accounts', payload: { institutionId: IDS.chcA } })).statusCode,
    403,
  );
  const list = await ha.haGet('/ftp-accounts', adminA);
  assert.equal(list.json().items.length, 1);
  assert.equal(list.json().items[0].password, undefined);
});
