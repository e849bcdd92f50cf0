// Local extensions (上海扩增码): a code system that extends the national ICD-10 table with child codes under
// national codes. Its import is checked against the base, reads see one tree, the base's own codes
// cannot be changed through the extension, and the base itself is untouched.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { API_PREFIX } from '../../../platform/http/mount.ts';
import { type TestApp, type TestSession, testApp } from '../../../test/harness.ts';
import { ICD10_YB } from './shipped.ts';

const EXT = 'urn:weijian:sh:icd10-sh-ext';
let t: TestApp;
let editor: TestSession;
let reviewer: TestSession;
const post = (s: TestSession, url: string, payload: object = {}) => t.call(s, { method: 'POST', url: API_PREFIX + url, payload });
const get = (s: TestSession, url: string) => t.call(s, { method: 'GET', url: API_PREFIX + url });
const q = (o: Record<string, string>) => new URLSearchParams(o).toString();

before(async () => {
  t = await testApp();
  editor = await t.loginAs('city_admin');
  reviewer = await t.loginAs('shenkang_admin');
});
after(() => t.close());

test('an extension import names lines whose parent is in neither file nor base, or that redefine a base code; nothing is stored', async () => {
  const r = await post(editor, '/terminology/import', {
    format: 'csv',
    url: EXT,
    title: '上海扩增码（诊断）',
    extends: ICD10_YB,
    content: 'code,display,parent\nI10.x00x901,难治性高血压,I10.x00\nI10.x00x902,夜间高血压,I10.x99\nI10.x00,原发性高血压（改）,I10\n',
  });
  assert.equal(r.statusCode, 400, r.body);
  const m = r
    .json()
    .details.map((d: { message: string }) => d.message)
    .join('\n');
  assert.match(m, /第 3 行：上级代码 I10\.x99 既不在文件中，也不在基础代码系统中/);
  assert.match(m, /第 4 行：代码 I10\.x00 已在基础代码系统中/);
  assert.equal((await t.kernel.db.query('select 1 from term_system where url = $1', [EXT])).length, 0);
  const noBase = await post(editor, '/terminology/import', {
    format: 'csv',
    url: EXT,
    title: '扩',
    extends: 'urn:none',
    content: 'code,display,parent\nX1,甲,\n',
  });
  assert.equal(noBase.statusCode, 400);
  assert.equal(noBase.json().details[0].field, 'extends');
});

test('a published extension reads as one tree with its base; the base is unchanged; base codes cannot be edited through it', async () => {
  const r = await post(editor, '/terminology/import', {
    format: 'csv',
    url: EXT,
    title: '上海扩增码（诊断）',
    extends: ICD10_YB,
    content: 'code,display,parent\nI10.x00x901,难治性高血压,I10.x00\nI10.x00x902,夜间高血压,I10.x00\nI10.x00x903,夜间难治性高血压,I10.x00x901\n',
  });
  assert.equal(r.statusCode, 201, r.body);
  assert.deepEqual({ created: r.json().created, items: r.json().items }, { created: true, items: 3 });
  const id = r.json().changeRequestId;
  assert.equal((await post(editor, `/terminology/change-requests/${id}/submit`)).statusCode, 200);
  assert.equal((await post(reviewer, `/terminology/change-requests/${id}/review`, { decision: 'approve' })).statusCode, 200);
  assert.equal((await post(reviewer, `/terminology/change-requests/${id}/publish`, { version: '2026.1' })).statusCode, 200);

  const c = (await get(editor, `/terminology/concept?${q({ system: EXT, code: 'I10.x00x903' })}`)).json();
  assert.deepEqual(c.parents, [{ code: 'I10.x00x901', display: '难治性高血压' }]);
  assert.deepEqual(
    c.path.map((p: { code: string }) => p.code),
    ['I00-I99', 'I10-I15', 'I10', 'I10.x00', 'I10.x00x901'],
  );
  const sub = (await get(editor, `/terminology/fhir/CodeSystem/$subsumes?${q({ system: EXT, codeA: 'I10', codeB: 'I10.x00x903' })}`)).json();
  assert.equal(sub.parameter[0].valueCode, 'subsumes');
  const kids = (await get(editor, `/terminology/browse?${q({ system: EXT, parent: 'I10.x00' })}`)).json();
  // The national children of I10.x00 and the extension's own, side by side.
  const kidCodes = kids.items.map((i: { code: string }) => i.code);
  for (const code of ['I10.x00x002', 'I10.x00x901', 'I10.x00x902']) assert.ok(kidCodes.includes(code), kidCodes.join());
  assert.ok(!kidCodes.includes('I10.x00x903'));
  const found = (await get(editor, `/terminology/search?${q({ system: EXT, q: 'yjgxy' })}`)).json();
  assert.ok(
    found.hits.some((h: { code: string }) => h.code === 'I10.x00x902'),
    JSON.stringify(found.hits.slice(0, 3)),
  );
  // The extension's version seals only its own three codes; the base does not see them.
  const v = (await get(editor, `/terminology/versions?${q({ system: EXT })}`)).json();
  assert.equal(v.items[0].conceptCount, 3);
  assert.equal((await get(editor, `/terminology/fhir/CodeSystem/$lookup?${q({ system: ICD10_YB, code: 'I10.x00x901' })}`)).statusCode, 404);

  const edit = await post(editor, '/terminology/change-requests', {
    system: EXT,
    title: '改基础代码',
    items: [{ op: 'rename', code: 'I10.x00', display: '高血压（改）' }],
  });
  assert.equal(edit.statusCode, 400, edit.body);
  assert.match(edit.json().details[0].message, /属于基础代码系统/);
  const addOwn = await post(editor, '/terminology/change-requests', {
    system: EXT,
    title: '再扩一个',
    items: [{ op: 'add', code: 'E11.900x901', display: '2型糖尿病（社区管理）', parents: ['E11.900'] }],
  });
  assert.equal(addOwn.statusCode, 201, addOwn.body);
});
