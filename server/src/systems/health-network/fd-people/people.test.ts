import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sendRequest } from '../../../platform/integration/http-client.ts';
import { runPendingJobs } from '../../../platform/jobs/scheduler.ts';
import { hmacSigner } from '../../../platform/integration/signing.ts';
import { fdQcPlatformSimulator } from '../../../platform/integration/simulators/systems/fd-qc-platform.ts';
import { type Simulator, startSimulator } from '../../../platform/integration/simulators/simulator.ts';
import { DEFAULT_CLIENT_ID, devSecret } from '../../../platform/integration/systems.ts';
import { checkDigit } from '../../../platform/util/resident-id.ts';
import type { TestSession } from '../../../test/harness.ts';
import { type Fd, fdApp, IDS } from '../family-doctor/test-fixture.ts';

let fd: Fd;
let sim: Simulator;
let adminA: TestSession;
const id17 = (s: string) => s + checkDigit(s);

async function qc(d: Record<string, unknown>) {
  const r = await sendRequest({
    baseUrl: sim.url,
    method: 'POST',
    path: '/api/doctors',
    body: d,
    timeoutMs: 5000,
    signer: hmacSigner(DEFAULT_CLIENT_ID, devSecret('fd-qc-platform')),
  });
  assert.equal(r.kind === 'response' && r.status, 201, JSON.stringify(r));
}
/** Requests a sync in the console (202, queued) and runs the job; returns the run's result. */
async function sync(s: TestSession = fd.admin) {
  const r = await call(s, 'POST', '/fd-people/qc-sync');
  assert.equal(r.statusCode, 202, r.body);
  await runPendingJobs(fd.t.kernel, { untilIdle: true });
  const run = (
    await fd.t.kernel.db.query<{ status: string; result: Record<string, unknown> & { errors: { message: string }[] } }>(
      'select status, result from job_run where id = $1',
      [r.json().runId],
    )
  )[0]!;
  assert.equal(run.status, 'succeeded');
  return run.result as { created: number; updated: number; unchanged: number; accountsCreated: number; errors: { message: string }[] };
}
const call = (s: TestSession, method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: object) =>
  fd.t.call(s, { method, url: `/api/v1${url}`, ...(payload ? { payload } : {}) });

before(async () => {
  fd = await fdApp();
  sim = await startSimulator(fdQcPlatformSimulator);
  process.env.WEIJIAN_FD_QC_PLATFORM_URL = sim.url;
  adminA = await fd.t.loginAs('community_admin', { level: 'institution', districtCode: '310104', institutionId: IDS.chcA });
});
after(async () => {
  delete process.env.WEIJIAN_FD_QC_PLATFORM_URL;
  await sim.stop();
  await fd.close();
});

test('QC-platform sync: a new doctor becomes a practitioner with an account; unchanged skipped; a change updates; problems recorded', async () => {
  const idNumber = id17('31010419780304002');
  await qc({ qcId: 'QC0001', name: '孙医生', sex: 'F', idNumber, institutionCode: 'FD-CHC-A', title: '主治医师', active: true });
  await qc({ qcId: 'QC0002', name: '周医生', sex: 'M', idNumber: id17('31010419800101003'), institutionCode: 'NO-SUCH', active: true });
  const r = await sync();
  assert.deepEqual([r.created, r.accountsCreated, r.errors.length], [1, 1, 1]);
  assert.match(r.errors[0]!.message, /机构代码 NO-SUCH 不存在/);
  const p = (
    await fd.t.kernel.db.query<{ id: number; name: string; is_family_doctor: boolean; institution_id: number; title: string }>(
      `select p.id, p.name, p.is_family_doctor, p.institution_id, p.title from practitioner p join fdp_qc_doctor q on q.practitioner_id = p.id where q.qc_id = 'QC0001'`,
    )
  )[0]!;
  assert.deepEqual([p.name, p.is_family_doctor, p.institution_id, p.title], ['孙医生', true, IDS.chcA, '主治医师']);
  const [u] = await fd.t.kernel.db.query<{ role: string; scope_level: string; practitioner_id: number; must_change_password: boolean }>(
    'select role, scope_level, practitioner_id, must_change_password from app_user where practitioner_id = $1',
    [p.id],
  );
  assert.deepEqual(u, { role: 'family_doctor', scope_level: 'own', practitioner_id: p.id, must_change_password: true });
  const { n } = (await fd.t.kernel.db.query<{ n: number }>(`select count(*)::int as n from practitioner where name = '周医生'`))[0]!;
  assert.equal(n, 0, 'a refused doctor leaves nothing behind');

  const again = await sync();
  assert.equal(again.created, 0);
  assert.ok(again.unchanged >= 1);
  await qc({ qcId: 'QC0001', name: '孙医生', sex: 'F', idNumber, institutionCode: 'FD-CHC-A', title: '副主任医师', active: true });
  const changed = await sync();
  assert.equal(changed.updated, 1);
  assert.equal(changed.accountsCreated, 0);
  const p2 = (await fd.t.kernel.db.query<{ title: string }>('select title from practitioner where id = $1', [p.id]))[0]!;
  assert.equal(p2.title, '副主任医师');
  const runs = (await call(fd.admin, 'GET', '/fd-people/qc-sync/runs')).json();
  assert.equal(runs.items.length, 3);
  assert.equal((await call(adminA, 'POST', '/fd-people/qc-sync')).statusCode, 403);
  const districtCityAdmin = await fd.t.loginAs('city_admin', { level: 'district', districtCode: '310104' });
  assert.equal((await call(districtCityAdmin, 'POST', '/fd-people/qc-sync')).statusCode, 403);
});

test('team maintenance: members and managed 居委 replaced as a whole, checked, in scope only', async () => {
  const r = await call(adminA, 'PATCH', `/fd-people/teams/${IDS.teamA1}`, { memberIds: [IDS.docA1, IDS.nurseA, IDS.docA2], communityCodes: [] });
  assert.equal(r.statusCode, 200, r.body);
  assert.deepEqual(
    r
      .json()
      .members.map((m: { practitionerId: number }) => m.practitionerId)
      .sort(),
    [IDS.docA1, IDS.docA2, IDS.nurseA].sort(),
  );
  const bad = await call(adminA, 'PATCH', `/fd-people/teams/${IDS.teamA1}`, { memberIds: [IDS.docB1] });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.json().message, /不属于该机构/);
  const adminB = await fd.t.loginAs('community_admin', { level: 'institution', districtCode: '310104', institutionId: IDS.chcB });
  assert.equal((await call(adminB, 'PATCH', `/fd-people/teams/${IDS.teamA1}`, { name: '改名' })).statusCode, 403);
  assert.equal((await call(adminA, 'PATCH', `/fd-people/teams/${IDS.teamA1}`, {})).statusCode, 400);
});

test("doctor-assistant accounts are bound to one team of the caller's centre; the data range is that team", async () => {
  const r = await call(adminA, 'POST', '/fd-people/assistants', { teamId: IDS.teamA1, username: 'assistant_a1', displayName: '钱助理' });
  assert.equal(r.statusCode, 201, r.body);
  assert.match(r.json().dataRange, /团队/);
  const [u] = await fd.t.kernel.db.query<{ role: string; scope_level: string; scope_team_id: number }>(
    `select role, scope_level, scope_team_id from app_user where username = 'assistant_a1'`,
  );
  assert.deepEqual(u, { role: 'doctor_assistant', scope_level: 'team', scope_team_id: IDS.teamA1 });
  assert.equal((await call(adminA, 'POST', '/fd-people/assistants', { teamId: IDS.teamB1, username: 'assistant_b1', displayName: '李助理' })).statusCode, 403);
  const pid = await fd.resident();
  const mine = (await fd.sign(pid)).json();
  const other = (await fd.sign(await fd.resident(), { institutionId: IDS.chcB, teamId: IDS.teamB1, doctorId: IDS.docB1 })).json();
  const assistant = await fd.t.loginAs('doctor_assistant', { level: 'team', districtCode: '310104', institutionId: IDS.chcA, teamId: IDS.teamA1 });
  assert.equal((await fd.get(`/contracts/${mine.id}`, assistant)).statusCode, 200);
  assert.equal((await fd.get(`/contracts/${other.id}`, assistant)).statusCode, 404);
  assert.equal((await call(assistant, 'POST', '/fd-people/assistants', { teamId: IDS.teamA1, username: 'x_assist', displayName: '某' })).statusCode, 403);
});

test('community seal image and the operation manual (PDF)', async () => {
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
  // Not uploaded yet is "nothing", not an error: 204 (the page shows 尚未上传 without a failed request).
  assert.equal((await call(adminA, 'GET', `/fd-people/institutions/${IDS.chcA}/seal`)).statusCode, 204);
  assert.equal((await call(adminA, 'GET', `/family-doctor/practitioners/${IDS.docA1}/signature`)).statusCode, 204);
  const put = await call(adminA, 'PUT', `/fd-people/institutions/${IDS.chcA}/seal`, { imageBase64: png.toString('base64') });
  assert.equal(put.statusCode, 200, put.body);
  const got = await call(adminA, 'GET', `/fd-people/institutions/${IDS.chcA}/seal`);
  assert.deepEqual(got.rawPayload, png);
  assert.equal(
    (await call(adminA, 'PUT', `/fd-people/institutions/${IDS.chcA}/seal`, { imageBase64: Buffer.from('GIF89a not a png at all, sorry').toString('base64') }))
      .statusCode,
    400,
  );
  assert.equal((await call(adminA, 'PUT', `/fd-people/institutions/${IDS.chcB}/seal`, { imageBase64: png.toString('base64') })).statusCode, 403);
  const doctor = await fd.t.loginAs('family_doctor', { level: 'own', districtCode: '310104', institutionId: IDS.chcA, practitionerId: IDS.docA1 });
  assert.equal((await call(doctor, 'PUT', `/fd-people/institutions/${IDS.chcA}/seal`, { imageBase64: png.toString('base64') })).statusCode, 403);
  const manual = await call(doctor, 'GET', '/fd-people/manual.pdf');
  assert.equal(manual.statusCode, 200);
  assert.equal(manual.headers['content-type'], 'application/pdf');
  assert.equal(manual.rawPayload.subarray(0, 5).toString(), '%PDF-');
  const { extractText } = await import('unpdf');
  const { text } = await extractText(new Uint8Array(manual.rawPayload), { mergePages: true });
  assert.match(text, /操作手册/);
  assert.match(text, /家医助理/);
  const expert = await fd.t.loginAs('expert');
  assert.equal((await call(expert, 'GET', '/fd-people/manual.pdf')).statusCode, 403);
});

test('view-only accounts: a district account (auditor) and a hospital account (hospital_user) that cannot act', async () => {
  const district = await call(fd.admin, 'POST', '/fd-people/view-accounts', {
    kind: 'district',
    districtCode: '310104',
    username: 'xh_view',
    displayName: '徐汇区查看',
  });
  assert.equal(district.statusCode, 201, district.body);
  assert.equal(district.json().role, 'auditor');
  const hospital = await call(fd.admin, 'POST', '/fd-people/view-accounts', {
    kind: 'hospital',
    institutionId: IDS.dh1,
    username: 'dh1_view',
    displayName: '区中心医院查看',
  });
  assert.equal(hospital.json().role, 'hospital_user');
  assert.deepEqual(hospital.json().scope, { level: 'institution', districtCode: '310104', institutionId: IDS.dh1 });
  assert.equal(
    (await call(fd.admin, 'POST', '/fd-people/view-accounts', { kind: 'hospital', institutionId: IDS.chcA, username: 'chc_view', displayName: '某' }))
      .statusCode,
    400,
  );
  const huangpu = await fd.t.loginAs('district_admin', { level: 'district', districtCode: '310101' });
  assert.equal(
    (await call(huangpu, 'POST', '/fd-people/view-accounts', { kind: 'district', districtCode: '310104', username: 'xh_view2', displayName: '某' })).statusCode,
    403,
  );
  assert.equal(
    (await call(adminA, 'POST', '/fd-people/view-accounts', { kind: 'district', districtCode: '310104', username: 'xh_view3', displayName: '某' })).statusCode,
    403,
  );
  const viewer = await fd.t.loginAs('auditor', { level: 'district', districtCode: '310104' });
  assert.equal((await call(viewer, 'GET', '/fd-people/manual.pdf')).statusCode, 200);
  assert.equal((await call(viewer, 'PATCH', `/fd-people/teams/${IDS.teamA1}`, { name: '改名' })).statusCode, 403);
  assert.equal((await fd.sign(await fd.resident(), {}, viewer)).statusCode, 403, 'a view-only account cannot sign');
});
