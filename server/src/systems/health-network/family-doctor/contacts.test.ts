import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Queryable } from '../../../platform/db/types.ts';
import { sealClearContacts } from './contacts.ts';
import { type Fd, fdApp } from './test-fixture.ts';

let fd: Fd;
before(async () => {
  fd = await fdApp();
});
after(() => fd.close());

const rowOf = async (id: number) =>
  (
    await fd.t.kernel.db.query<{ c: string; enc: string | null }>(
      'select emergency_contacts::text as c, emergency_contacts_enc as enc from fd_contract where id = $1',
      [id],
    )
  )[0];

test('emergency-contact phones are sealed on write, listed masked, and shown in clear only through an audited 调阅', async () => {
  const pid = await fd.resident();
  const c = (await fd.sign(pid)).json();
  assert.deepEqual(c.emergencyContacts, [{ name: '张小三', relation: '子女', phoneMasked: '139****1111' }]);
  const row = await rowOf(c.id);
  assert.doesNotMatch(row!.c, /13900001111/);
  assert.ok(row!.enc);
  assert.match(fd.t.kernel.keys.decryptField(row!.enc as string), /13900001111/);

  const list = await fd.get('/contracts?pageSize=100');
  assert.equal(list.statusCode, 200, list.body);
  assert.doesNotMatch(list.body, /13900001111/);

  const none = await fd.post(`/contracts/${c.id}/emergency-contacts/reveal`, { reason: ' ' });
  assert.equal(none.statusCode, 400);
  const r = await fd.post(`/contracts/${c.id}/emergency-contacts/reveal`, { reason: '联系家属告知随访' });
  assert.equal(r.statusCode, 200, r.body);
  assert.deepEqual(r.json().items, [{ name: '张小三', phone: '13900001111', relation: '子女' }]);
  const [a] = await fd.t.kernel.db.query<{ note: string }>("select note from audit_event where action = 'family-doctor.reveal-contacts' and object_id = $1", [
    String(c.id),
  ]);
  assert.equal(a?.note, '联系家属告知随访');

  // Another doctor of the centre does not see the contract, so cannot 调阅 its contacts.
  const doctor = await fd.t.loginAs('family_doctor', { level: 'own', districtCode: '310104', institutionId: 7001, practitionerId: 7102 });
  assert.equal((await fd.post(`/contracts/${c.id}/emergency-contacts/reveal`, { reason: '查看' }, doctor)).statusCode, 404);
});

test('rows from before the sealing are listed masked and sealed by the job (idempotent)', async () => {
  const pid = await fd.resident();
  const c = (await fd.sign(pid, { emergencyContacts: [] })).json();
  await fd.t.kernel.db.query(
    `update fd_contract set emergency_contacts = '[{"name":"李四","phone":"13712345678","relation":"配偶"}]', emergency_contacts_enc = null where id = $1`,
    [c.id],
  );
  const view = await fd.get(`/contracts/${c.id}`);
  assert.equal(view.statusCode, 200, view.body);
  assert.doesNotMatch(view.body, /13712345678/);
  assert.deepEqual(view.json().emergencyContacts, [{ name: '李四', relation: '配偶', phoneMasked: '137****5678' }]);

  // Two more such rows, so that batches of two take more than one round.
  const more: number[] = [];
  for (const phone of ['13712340001', '13712340002']) {
    const id = (await fd.sign(await fd.resident(), { emergencyContacts: [] })).json().id as number;
    await fd.t.kernel.db.query(`update fd_contract set emergency_contacts = $2::jsonb, emergency_contacts_enc = null where id = $1`, [
      id,
      JSON.stringify([{ name: '王五', phone, relation: '子女' }]),
    ]);
    more.push(id);
  }

  const ctx = { kernel: fd.t.kernel, transaction: <T>(fn: (tx: Queryable) => Promise<T>) => fd.t.kernel.db.transaction(fn) };
  assert.ok((await sealClearContacts(ctx, 2)) >= 3);
  const row = await rowOf(c.id);
  assert.doesNotMatch(row!.c, /13712345678/);
  assert.deepEqual(JSON.parse(fd.t.kernel.keys.decryptField(row!.enc as string)), [{ name: '李四', phone: '13712345678', relation: '配偶' }]);
  for (const id of more) {
    const r = await rowOf(id);
    assert.doesNotMatch(r!.c, /1371234000/);
    assert.match(fd.t.kernel.keys.decryptField(r!.enc as string), /1371234000/);
  }
  assert.equal(await sealClearContacts(ctx), 0);
});
