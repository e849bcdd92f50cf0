import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Fd, fdApp, IDS, signBody } from './test-fixture.ts';

let fd: Fd;
before(async () => {
  fd = await fdApp();
});
after(() => fd.close());

const PDF = Buffer.from('%PDF-1.4\n% 居住证明\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF');
const special = (personId: number, over: Record<string, unknown> = {}) => ({
  ...signBody(personId, { institutionId: IDS.chcB, teamId: IDS.teamB1, doctorId: IDS.docB1 }),
  specialReason: 'relocation',
  specialReasonText: '已搬至湖南路街道居住',
  proof: { filename: '居住证明.pdf', mime: 'application/pdf', contentBase64: PDF.toString('base64') },
  ...over,
});

test('特殊原因新签: a resident with a valid contract signs anew with a proof; the old contract ends, both tagged, the proof is kept', async () => {
  const pid = await fd.resident();
  const old = (await fd.sign(pid)).json();
  // The plain rule refuses …
  assert.equal((await fd.sign(pid, { institutionId: IDS.chcB, teamId: IDS.teamB1, doctorId: IDS.docB1 })).statusCode, 422);
  // … the special case with a proof is allowed.
  const r = await fd.post('/contracts/special', special(pid));
  assert.equal(r.statusCode, 201, r.body);
  const c = r.json();
  assert.deepEqual(c.tags, ['特殊原因新签']);
  assert.equal(c.doctorId, IDS.docB1);
  const prev = (await fd.get(`/contracts/${old.id}`)).json();
  assert.equal(prev.status, 'terminated');
  assert.equal(prev.terminationInitiator, 'resident');
  assert.match(prev.terminationReason, /特殊原因新签：居住地变更（已搬至湖南路街道居住）/);
  assert.ok(prev.tags.includes('特殊原因新签'));
  const files = (await fd.get(`/contracts/${c.id}/attachments`)).json().items;
  assert.equal(files.length, 1);
  assert.equal(files[0].filename, '居住证明.pdf');
  const dl = await fd.t.call(fd.admin, { method: 'GET', url: `/api/v1/family-doctor/attachments/${files[0].id}` });
  assert.equal(dl.statusCode, 200);
  assert.deepEqual(dl.rawPayload, PDF);
  const audit = await fd.t.kernel.db.query<{ action: string }>(
    "select action from audit_event where object_type = 'fd_contract' and object_id = $1 order by seq",
    [String(c.id)],
  );
  assert.ok(audit.some((a) => a.action === 'family-doctor.sign-special'));
  const read = await fd.t.kernel.db.query<{ action: string }>("select action from audit_event where object_type = 'fd_attachment' and kind = 'read'");
  assert.equal(read.length, 1);
});

test('特殊原因新签 is refused without a proper proof, and for a family doctor (403)', async () => {
  const pid = await fd.resident();
  const empty = await fd.post('/contracts/special', special(pid, { proof: { filename: 'a.pdf', mime: 'application/pdf', contentBase64: '' } }));
  assert.equal(empty.statusCode, 400);
  assert.equal(empty.json().details[0].message, '请上传特殊原因证明材料');
  const wordDoc = await fd.post('/contracts/special', special(pid, { proof: { filename: 'a.doc', mime: 'application/msword', contentBase64: 'AAAA' } }));
  assert.equal(wordDoc.statusCode, 400);
  assert.match(wordDoc.json().details[0].message, /PDF、PNG 或 JPEG/);
  const fake = await fd.post(
    '/contracts/special',
    special(pid, { proof: { filename: 'a.pdf', mime: 'application/pdf', contentBase64: Buffer.from('hello').toString('base64') } }),
  );
  assert.equal(fake.statusCode, 400);
  assert.match(fake.json().details[0].message, /内容与文件类型不符/);
  const noProof = await fd.post('/contracts/special', { ...special(pid), proof: undefined });
  assert.equal(noProof.statusCode, 400);
  const doctor = await fd.t.loginAs('family_doctor', { level: 'own', districtCode: '310104', institutionId: IDS.chcB, practitionerId: IDS.docB1 });
  const r = await fd.post('/contracts/special', special(pid), doctor);
  assert.equal(r.statusCode, 403);
  const { n } = (await fd.t.kernel.db.query<{ n: number }>('select count(*)::int as n from fd_contract where person_id = $1', [pid]))[0]!;
  assert.equal(n, 0);
});
