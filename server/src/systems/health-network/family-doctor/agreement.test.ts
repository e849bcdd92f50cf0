import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { extractText } from 'unpdf';
import { type Fd, fdApp, IDS, pngBase64 } from './test-fixture.ts';

let fd: Fd;
before(async () => {
  fd = await fdApp();
});
after(() => fd.close());

const put = (url: string, payload: object, s = fd.admin) => fd.t.call(s, { method: 'PUT', url: `/api/v1/family-doctor${url}`, payload });
const pdfText = async (body: Buffer) => (await extractText(new Uint8Array(body), { mergePages: true })).text as string;
const agreements = async (contractId: number, s = fd.admin) => {
  const r = await fd.get(`/contracts/${contractId}/agreements`, s);
  assert.equal(r.statusCode, 200, r.body);
  return r.json().cycles as {
    cycleStart: string;
    contractId: number;
    agreements: { id: number; seq: number; reason: string; templateVersion: number; hasResidentSignature: boolean; hasDoctorSignature: boolean }[];
  }[];
};

test('signing makes an agreement from the current template; the PDF names the combination, its download is audited', async () => {
  const pid = await fd.resident();
  const s = await fd.sign(pid, { channel: 'online' });
  assert.equal(s.statusCode, 201, s.body);
  const c = s.json();
  assert.ok(c.agreementId > 0);
  const cycles = await agreements(c.id);
  assert.equal(cycles.length, 1);
  assert.equal(cycles[0]!.agreements[0]!.reason, 'sign');
  assert.equal(cycles[0]!.agreements[0]!.templateVersion, 1);
  const pdf = await fd.t.call(fd.admin, { method: 'GET', url: `/api/v1/family-doctor/agreements/${c.agreementId}/pdf` });
  assert.equal(pdf.statusCode, 200);
  assert.equal(pdf.headers['content-type'], 'application/pdf');
  const text = (await pdfText(pdf.rawPayload)).replace(/\s+/g, '');
  for (const w of ['家庭医生签约服务协议书', '张三', '王医生', '天平街道社区卫生服务中心', '徐汇区中心医院', '市第六人民医院', '未签名'])
    assert.ok(text.includes(w), `PDF has ${w}`);
  const audit = await fd.t.kernel.db.query<{ action: string; kind: string }>(
    "select action, kind from audit_event where object_type = 'fd_agreement' and object_id = $1",
    [String(c.agreementId)],
  );
  assert.deepEqual(audit, [{ action: 'family-doctor.agreement-download', kind: 'read' }]);
});

test('a new template version is used by later agreements; unknown placeholders are refused; only the city admin publishes', async () => {
  const body = {
    title: '家庭医生签约服务协议书（2027版）',
    body: '甲方 {{residentName}} 与乙方 {{doctorName}} 签订本协议，周期 {{cycleStart}} 至 {{cycleEnd}}。',
  };
  const bad = await fd.post('/agreement-templates', { ...body, body: `${body.body}{{wrongKey}}` });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.json().details[0].message, /未知的占位符：\{\{wrongKey\}\}/);
  const district = await fd.t.loginAs('district_admin', { level: 'district', districtCode: '310104' });
  const refused = await fd.post('/agreement-templates', body, district);
  assert.equal(refused.statusCode, 403);
  const ok = await fd.post('/agreement-templates', body);
  assert.equal(ok.statusCode, 201, ok.body);
  assert.equal(ok.json().version, 2);
  const list = (await fd.get('/agreement-templates', district)).json();
  assert.deepEqual(
    list.items.map((t: { version: number }) => t.version),
    [2, 1],
  );
  assert.ok(list.placeholders.some((p: { key: string }) => p.key === 'residentName'));
  const c = (await fd.sign(await fd.resident())).json();
  const a = (await agreements(c.id))[0]!.agreements[0]!;
  assert.equal(a.templateVersion, 2);
  const text = (await pdfText((await fd.t.call(fd.admin, { method: 'GET', url: `/api/v1/family-doctor/agreements/${a.id}/pdf` })).rawPayload)).replace(
    /\s+/g,
    '',
  );
  assert.ok(text.includes('（2027版）'));
  assert.ok(text.includes('甲方张三与乙方王医生签订本协议'));
});

test('the resident e-signature and the doctor signature: stored, the agreement regenerated with them; bad images refused', async () => {
  const c = (await fd.sign(await fd.resident(), { channel: 'online' })).json();
  const notPng = await put(`/contracts/${c.id}/resident-signature`, { imageBase64: Buffer.from('GIF89a-not-a-png-at-all-really').toString('base64') });
  assert.equal(notPng.statusCode, 400);
  assert.match(notPng.json().details[0].message, /PNG/);
  const broken = await put(`/contracts/${c.id}/resident-signature`, {
    imageBase64: Buffer.concat([Buffer.from(pngBase64(), 'base64').subarray(0, 40), Buffer.alloc(20)]).toString('base64'),
  });
  assert.equal(broken.statusCode, 400, broken.body);
  const r = await put(`/contracts/${c.id}/resident-signature`, { imageBase64: `data:image/png;base64,${pngBase64(40, 20)}` });
  assert.equal(r.statusCode, 200, r.body);
  const cycles = await agreements(c.id);
  assert.deepEqual(
    cycles[0]!.agreements.map((a) => [a.seq, a.reason, a.hasResidentSignature]),
    [
      [2, 'signature_update', true],
      [1, 'sign', false],
    ],
  );

  // The doctor uploads her own signature: her active contracts' agreements are regenerated with it.
  const docA1 = await fd.t.loginAs('family_doctor', { level: 'own', districtCode: '310104', institutionId: IDS.chcA, practitionerId: IDS.docA1 });
  const docB1 = await fd.t.loginAs('family_doctor', { level: 'own', districtCode: '310104', institutionId: IDS.chcB, practitionerId: IDS.docB1 });
  const other = await put(`/practitioners/${IDS.docA1}/signature`, { imageBase64: pngBase64() }, docB1);
  assert.equal(other.statusCode, 403);
  assert.match(other.json().message, /只能维护本人或本机构医生的签名/);
  const own = await put(`/practitioners/${IDS.docA1}/signature`, { imageBase64: pngBase64(30, 10, 80) }, docA1);
  assert.equal(own.statusCode, 200, own.body);
  assert.ok(own.json().agreementsRegenerated >= 1);
  const latest = (await agreements(c.id))[0]!.agreements[0]!;
  assert.deepEqual([latest.seq, latest.reason, latest.hasResidentSignature, latest.hasDoctorSignature], [3, 'signature_update', true, true]);
  const pdf = await fd.t.call(docA1, { method: 'GET', url: `/api/v1/family-doctor/agreements/${latest.id}/pdf` });
  assert.equal(pdf.statusCode, 200);
  const text = (await pdfText(pdf.rawPayload)).replace(/\s+/g, '');
  assert.ok(!text.includes('未签名'), 'both signatures drawn');
  const img = await fd.t.call(docA1, { method: 'GET', url: `/api/v1/family-doctor/practitioners/${IDS.docA1}/signature` });
  assert.equal(img.statusCode, 200);
  assert.equal(img.headers['content-type'], 'image/png');
});

test('accepting a 转签 regenerates the agreement naming the receiving doctor; agreements are listed per management cycle', async () => {
  const pid = await fd.resident();
  const c = (await fd.sign(pid)).json();
  const req = await fd.post('/transfer-requests', {
    toTeamId: IDS.teamB1,
    toDoctorId: IDS.docB1,
    reasonKind: 'retire',
    reason: '王医生退休',
    contractIds: [c.id],
  });
  assert.equal(req.statusCode, 201, req.body);
  const docB = await fd.t.loginAs('family_doctor', { level: 'own', districtCode: '310104', institutionId: IDS.chcB, practitionerId: IDS.docB1 });
  assert.equal((await fd.post(`/transfer-requests/${req.json().id}/accept`, {}, docB)).statusCode, 200);
  const cycles = await agreements(c.id, docB);
  const a = cycles[0]!.agreements[0]!;
  assert.equal(a.reason, 'transfer');
  const text = (await pdfText((await fd.t.call(docB, { method: 'GET', url: `/api/v1/family-doctor/agreements/${a.id}/pdf` })).rawPayload)).replace(/\s+/g, '');
  assert.ok(text.includes('赵医生'));
  assert.ok(text.includes('湖南街道社区卫生服务中心'));

  // A second management cycle: the old one lapsed (red) and the resident signs again.
  await fd.setDates(c.id, { cycle_start: '2023-01-01', cycle_end: '2024-01-01', signed_on: '2023-01-01', doctor_since: '2023-01-01' });
  await fd.t.kernel.db.query("update fd_agreement set cycle_start = '2023-01-01', cycle_end = '2024-01-01' where contract_id = $1", [c.id]);
  const again = await fd.sign(pid);
  assert.equal(again.statusCode, 201, again.body);
  const both = await agreements(again.json().id);
  assert.deepEqual(
    both.map((x) => x.contractId),
    [again.json().id, c.id],
  );
  assert.equal(both[1]!.cycleStart, '2023-01-01');
  // Outside the scope there is nothing to see.
  const huangpu = await fd.t.loginAs('district_admin', { level: 'district', districtCode: '310101' });
  assert.equal((await fd.get(`/contracts/${c.id}/agreements`, huangpu)).statusCode, 404);
  assert.equal((await fd.t.call(huangpu, { method: 'GET', url: `/api/v1/family-doctor/agreements/${a.id}/pdf` })).statusCode, 404);
});

test('the combination institutions are told of a signing through the outbox (三优先)', async () => {
  const c = (await fd.sign(await fd.resident())).json();
  const msgs = await fd.t.kernel.db.query<{ payload: { institutionId: number; role: string; act: string; priorities: string[] } }>(
    "select payload from outbox_message where system = 'fd-combination' and payload->'contract'->>'id' = $1 order by id",
    [String(c.id)],
  );
  assert.deepEqual(
    msgs.map((m) => [m.payload.institutionId, m.payload.role, m.payload.act]),
    [
      [IDS.chcA, 'community', 'sign'],
      [IDS.dh1, 'district_hospital', 'sign'],
      [IDS.ch1, 'city_hospital', 'sign'],
    ],
  );
  assert.deepEqual(msgs[0]!.payload.priorities, ['优先就诊', '优先检查', '优先住院']);
});
