// Change requests end to end through the HTTP routes: draft → submit → review (not by the submitter) →
// publish as a new immutable, SM3-sealed version; reads as of the old version, diff, timeline, audit.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { API_PREFIX } from '../../../platform/http/mount.ts';
import { type TestApp, type TestSession, testApp } from '../../../test/harness.ts';
import { ICD10_YB } from './shipped.ts';

let t: TestApp;
let editor: TestSession;
let reviewer: TestSession;
let reader: TestSession;

const api = (s: TestSession, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
  t.call(s, { method, url: API_PREFIX + url, ...(payload ? { payload } : {}) });
const q = (o: Record<string, string>) => new URLSearchParams(o).toString();

before(async () => {
  t = await testApp();
  editor = await t.loginAs('city_admin');
  reviewer = await t.loginAs('expert');
  reader = await t.loginAs('hospital_user');
});
after(() => t.close());

test('a change request goes draft → submitted → approved → published; the version reads, diffs and verifies', async () => {
  const items = [
    { op: 'add', code: 'I10.x00x901', display: '难治性高血压', parents: ['I10.x00'], designations: [{ use: 'synonym', value: '顽固性高血压' }] },
    { op: 'rename', code: 'A09.003', display: '细菌性痢疾（未特指）' },
    {
      op: 'designations',
      code: 'E11.900',
      designations: [
        { use: 'synonym', value: '二型糖尿病' },
        { use: 'english', language: 'en', value: 'Type 2 diabetes mellitus' },
      ],
    },
    { op: 'retire', code: 'A00.000x001' },
    { op: 'move', code: 'A09.002', parents: ['A09.000'] },
  ];
  const created = await api(editor, 'POST', '/terminology/change-requests', { system: ICD10_YB, title: '2026 年第一批维护', version: '2.0.1', items });
  assert.equal(created.statusCode, 201, created.body);
  const id = created.json().id;
  assert.equal(created.json().status, 'draft');

  assert.equal(
    (await api(reviewer, 'POST', `/terminology/change-requests/${id}/review`, { decision: 'approve' })).statusCode,
    409,
    'a draft is not reviewable',
  );
  assert.equal((await api(editor, 'POST', `/terminology/change-requests/${id}/submit`)).json().status, 'submitted');
  const self = await api(editor, 'POST', `/terminology/change-requests/${id}/review`, { decision: 'approve' });
  assert.equal(self.statusCode, 403, 'the submitter may not approve');
  assert.equal((await api(reader, 'POST', `/terminology/change-requests/${id}/review`, { decision: 'approve' })).statusCode, 403, 'no terminology.review');
  assert.equal((await api(reviewer, 'POST', `/terminology/change-requests/${id}/review`, { decision: 'approve', note: '同意' })).json().status, 'approved');
  const pub = await api(reviewer, 'POST', `/terminology/change-requests/${id}/publish`, {});
  assert.equal(pub.statusCode, 200, pub.body);
  assert.equal(pub.json().status, 'published');
  assert.equal(pub.json().publishedVersion, '2.0.1');
  assert.match(pub.json().contentHash, /^[0-9a-f]{64}$/);

  // Current and as-of reads.
  const now = (await api(reader, 'GET', `/terminology/concept?${q({ system: ICD10_YB, code: 'A09.003' })}`)).json();
  assert.equal(now.display, '细菌性痢疾（未特指）');
  const renamed = now.history.find((h: { kind: string }) => h.kind === 'renamed');
  assert.equal(renamed.author, editor.username, 'the timeline names who drafted the change');
  assert.equal(renamed.version, '2.0.1');
  assert.deepEqual([renamed.before.display, renamed.after.display], ['痢疾', '细菌性痢疾（未特指）']);
  const old = (await api(reader, 'GET', `/terminology/concept?${q({ system: ICD10_YB, code: 'A09.003', version: '2.0' })}`)).json();
  assert.equal(old.display, '痢疾');
  assert.equal((await api(reader, 'GET', `/terminology/concept?${q({ system: ICD10_YB, code: 'I10.x00x901', version: '2.0' })}`)).statusCode, 404);
  const added = (await api(reader, 'GET', `/terminology/concept?${q({ system: ICD10_YB, code: 'I10.x00x901' })}`)).json();
  assert.deepEqual(
    added.path.map((p: { code: string }) => p.code),
    ['I00-I99', 'I10-I15', 'I10', 'I10.x00'],
  );
  // Synonyms and the new name are searchable; the retired code is not, unless asked for.
  const syn = (await api(reader, 'GET', `/terminology/search?${q({ system: ICD10_YB, q: '顽固性高血压' })}`)).json();
  assert.equal(syn.hits[0].code, 'I10.x00x901');
  assert.equal(syn.hits[0].matchedBy, 'synonym');
  const en = (await api(reader, 'GET', `/terminology/search?${q({ system: ICD10_YB, q: 'type 2 diabetes' })}`)).json();
  assert.equal(en.hits[0]?.code, 'E11.900');
  const retired = (await api(reader, 'GET', `/terminology/search?${q({ system: ICD10_YB, q: 'A00.000x001' })}`)).json();
  assert.equal(retired.total, 0);

  const diff = (await api(reader, 'GET', `/terminology/diff?${q({ system: ICD10_YB, from: '2.0', to: '2.0.1' })}`)).json();
  const kinds = Object.fromEntries(diff.items.map((d: { code: string; kinds: string[] }) => [d.code, d.kinds.join(',')]));
  assert.deepEqual(kinds, { 'A00.000x001': 'retired', 'A09.002': 'moved', 'A09.003': 'renamed', 'E11.900': 'designation', 'I10.x00x901': 'added' });
  const verify = (await api(reader, 'GET', `/terminology/versions/verify?${q({ system: ICD10_YB, version: '2.0.1' })}`)).json();
  assert.equal(verify.ok, true);
  assert.equal((await api(reader, 'GET', `/terminology/versions/verify?${q({ system: ICD10_YB, version: '2.0' })}`)).json().ok, true);

  // Published content cannot be changed, not even by the database owner.
  await assert.rejects(t.kernel.db.query(`update term_version set content_hash = 'x' where version = '2.0.1'`), /不可修改/);
  await assert.rejects(t.kernel.db.query(`update term_concept set display = 'x' where code = 'A09.003'`), /不可修改/);
  await assert.rejects(t.kernel.db.query(`delete from term_concept where code = 'A09.003'`), /不可修改/);

  // Every step left an audit event in the chain.
  const actions = await t.kernel.db.query<{ action: string; actor_username: string }>(
    `select action, actor_username from audit_event where object_type = 'term_change_request' and object_id = $1 order by seq`,
    [String(id)],
  );
  assert.deepEqual(
    actions.map((a) => a.action),
    ['terminology.change-request.create', 'terminology.change-request.submit', 'terminology.change-request.approve', 'terminology.change-request.publish'],
  );
  assert.equal(actions[2]!.actor_username, reviewer.username);
});

test('bad items are refused with line-numbered messages; rejected requests go back to draft when edited', async () => {
  const bad = await api(editor, 'POST', '/terminology/change-requests', {
    system: ICD10_YB,
    title: '有误的变更',
    items: [
      { op: 'add', code: 'A00.000', display: '重复' },
      { op: 'rename', code: 'NOPE' },
      { op: 'move', code: 'I10', parents: ['I10.x00'] },
    ],
  });
  assert.equal(bad.statusCode, 400);
  const fields = bad.json().details.map((d: { field: string }) => d.field);
  assert.ok(fields.includes('items[0].code') && fields.includes('items[1].code') && fields.includes('items[2].parents'), JSON.stringify(bad.json().details));

  const id = (
    await api(editor, 'POST', '/terminology/change-requests', {
      system: ICD10_YB,
      title: '待驳回',
      items: [{ op: 'rename', code: 'A09.001', display: '感染性胃肠炎（改）' }],
    })
  ).json().id;
  await api(editor, 'POST', `/terminology/change-requests/${id}/submit`);
  assert.equal(
    (await api(reviewer, 'POST', `/terminology/change-requests/${id}/review`, { decision: 'reject' })).statusCode,
    400,
    'a rejection needs a reason',
  );
  assert.equal(
    (await api(reviewer, 'POST', `/terminology/change-requests/${id}/review`, { decision: 'reject', note: '名称不规范' })).json().status,
    'rejected',
  );
  assert.equal((await api(reviewer, 'POST', `/terminology/change-requests/${id}/publish`, {})).statusCode, 409, 'only approved requests publish');
  const edited = await api(editor, 'PATCH', `/terminology/change-requests/${id}`, {
    items: [{ op: 'rename', code: 'A09.001', display: '感染性胃肠炎（规范名）' }],
  });
  assert.equal(edited.json().status, 'draft');
  const list = (await api(reader, 'GET', `/terminology/change-requests?${q({ system: ICD10_YB, status: 'draft' })}`)).json();
  assert.ok(list.items.some((r: { id: number }) => r.id === id));
});
