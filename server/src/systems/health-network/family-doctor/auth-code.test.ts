import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Fd, fdApp, IDS, signBody } from './test-fixture.ts';

let fd: Fd;
before(async () => {
  fd = await fdApp();
});
after(() => fd.close());

const adminA = () => fd.t.loginAs('community_admin', { level: 'institution', districtCode: '310104', institutionId: IDS.chcA });
const issue = (s: Awaited<ReturnType<typeof adminA>>, over: Record<string, unknown> = {}) =>
  fd.post('/auth-codes', { reason: '系统故障，应急签约', validHours: 4, ...over }, s);

test('a community admin issues a code for the centre (shown once, stored hashed, audited); the code signs once', async () => {
  const admin = await adminA();
  const r = await issue(admin);
  assert.equal(r.statusCode, 201, r.body);
  const { code, id, institutionId } = r.json();
  assert.match(code, /^[A-Z2-9]{8}$/);
  assert.equal(institutionId, IDS.chcA);
  const row = (await fd.t.kernel.db.query<{ code_hash: string }>('select code_hash from fd_auth_code where id = $1', [id]))[0]!;
  assert.notEqual(row.code_hash, code);
  assert.ok(!row.code_hash.includes(code));
  const audit = await fd.t.kernel.db.query<{ action: string }>("select action from audit_event where object_type = 'fd_auth_code' and object_id = $1", [
    String(id),
  ]);
  assert.deepEqual(
    audit.map((a) => a.action),
    ['family-doctor.auth-code-issue'],
  );

  // The resident has a valid contract with centre B: the plain rule refuses, the code allows it (emergency).
  const pid = await fd.resident();
  const old = (await fd.sign(pid, { institutionId: IDS.chcB, teamId: IDS.teamB1, doctorId: IDS.docB1 })).json();
  const doctor = await fd.t.loginAs('family_doctor', { level: 'own', districtCode: '310104', institutionId: IDS.chcA, practitionerId: IDS.docA1 });
  const s = await fd.post('/contracts/by-auth-code', { ...signBody(pid), authCode: code.toLowerCase() }, fd.admin);
  assert.equal(s.statusCode, 201, s.body);
  assert.deepEqual(s.json().tags, ['授权码签约']);
  const prev = (await fd.get(`/contracts/${old.id}`)).json();
  assert.equal(prev.status, 'terminated');
  assert.equal(prev.terminationInitiator, 'system');
  assert.match(prev.terminationReason, /授权码签约/);
  const list = (await fd.get('/auth-codes', admin)).json();
  assert.equal(list.items[0].status, 'used');
  assert.equal(list.items[0].usedContractId, s.json().id);
  assert.ok(!JSON.stringify(list).includes(code), 'the code is never shown again');

  // Reuse is refused.
  const pid2 = await fd.resident();
  const again = await fd.post('/contracts/by-auth-code', { ...signBody(pid2), authCode: code }, doctor);
  assert.equal(again.statusCode, 422);
  assert.equal(again.json().message, '授权码已使用，不能重复使用');
  assert.equal(again.json().details[0].field, 'authCode');
});

test('refusals: unknown, expired, another centre, another resident, revoked; only admins issue, only for their centre', async () => {
  const admin = await adminA();
  const pid = await fd.resident();
  const unknown = await fd.post('/contracts/by-auth-code', { ...signBody(pid), authCode: 'ZZZZ2222' });
  assert.equal(unknown.statusCode, 422);
  assert.match(unknown.json().message, /授权码无效/);

  const expired = (await issue(admin)).json();
  await fd.t.kernel.db.query("update fd_auth_code set expires_at = now() - interval '1 minute' where id = $1", [expired.id]);
  const e = await fd.post('/contracts/by-auth-code', { ...signBody(pid), authCode: expired.code });
  assert.equal(e.statusCode, 422);
  assert.equal(e.json().message, '授权码已过期，请重新申请');

  const forA = (await issue(admin)).json();
  const wrong = await fd.post('/contracts/by-auth-code', {
    ...signBody(pid, { institutionId: IDS.chcB, teamId: IDS.teamB1, doctorId: IDS.docB1 }),
    authCode: forA.code,
  });
  assert.equal(wrong.statusCode, 422);
  assert.equal(wrong.json().message, '该授权码不是所选签约社区签发的，不能用于该社区签约');

  const other = await fd.resident();
  const bound = (await issue(admin, { personId: other })).json();
  const b = await fd.post('/contracts/by-auth-code', { ...signBody(pid), authCode: bound.code });
  assert.equal(b.statusCode, 422);
  assert.equal(b.json().message, '该授权码只能用于指定的居民');
  assert.equal((await fd.post('/contracts/by-auth-code', { ...signBody(other), authCode: bound.code })).statusCode, 201);

  const revoked = (await issue(admin)).json();
  assert.equal((await fd.post(`/auth-codes/${revoked.id}/revoke`, {}, admin)).statusCode, 200);
  const rv = await fd.post('/contracts/by-auth-code', { ...signBody(pid), authCode: revoked.code });
  assert.equal(rv.statusCode, 422);
  assert.equal(rv.json().message, '授权码已作废');
  // None of the refused attempts signed anything.
  const { n } = (await fd.t.kernel.db.query<{ n: number }>('select count(*)::int as n from fd_contract where person_id = $1', [pid]))[0]!;
  assert.equal(n, 0);

  const doctor = await fd.t.loginAs('family_doctor', { level: 'own', districtCode: '310104', institutionId: IDS.chcA, practitionerId: IDS.docA1 });
  assert.equal((await issue(doctor)).statusCode, 403);
  const otherCentre = await issue(admin, { institutionId: IDS.chcB });
  assert.equal(otherCentre.statusCode, 403);
  assert.equal(otherCentre.json().message, '只能为本机构（或本辖区机构）签发授权码');
  const notChc = await issue(fd.admin, { institutionId: IDS.dh1 });
  assert.equal(notChc.statusCode, 400);
  const hours = await issue(admin, { validHours: 100 });
  assert.equal(hours.statusCode, 400);
});
