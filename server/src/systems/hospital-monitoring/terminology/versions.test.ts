// The rules of rows 64–66 not covered by change-requests.test.ts: a retirement that would orphan active
// children is refused, reads as of a date (not only a version label), the timeline route, and a
// published version's label cannot be reused.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { API_PREFIX } from '../../../platform/http/mount.ts';
import { todayInShanghai } from '../../../platform/util/dates.ts';
import { type TestApp, type TestSession, testApp } from '../../../test/harness.ts';
import { ICD10_YB } from './shipped.ts';

let t: TestApp;
let editor: TestSession;
let reviewer: TestSession;
const api = (s: TestSession, method: 'GET' | 'POST', url: string, payload?: object) =>
  t.call(s, { method, url: API_PREFIX + url, ...(payload ? { payload } : {}) });
const q = (o: Record<string, string>) => new URLSearchParams(o).toString();

before(async () => {
  t = await testApp();
  editor = await t.loginAs('city_admin');
  reviewer = await t.loginAs('shenkang_admin');
});
after(() => t.close());

test('retiring a code whose children stay active is refused (an orphan); retiring the children with it is accepted', async () => {
  const orphaning = await api(editor, 'POST', '/terminology/change-requests', {
    system: ICD10_YB,
    title: '停用上级',
    items: [{ op: 'retire', code: 'A00.000' }],
  });
  assert.equal(orphaning.statusCode, 400, orphaning.body);
  assert.match(orphaning.json().details[0].message, /停用 A00\.000 会使其下级 A00\.000x001 失去有效的上级/);
  assert.equal(orphaning.json().details[0].field, 'items[0].code');
  const withChildren = await api(editor, 'POST', '/terminology/change-requests', {
    system: ICD10_YB,
    title: '停用上级及下级',
    items: [
      { op: 'retire', code: 'A00.000x001' },
      { op: 'retire', code: 'A00.000' },
    ],
  });
  assert.equal(withChildren.statusCode, 201, withChildren.body);
});

test('reads as of a date see the version in force that day; the timeline lists each change with version and author; labels are unique', async () => {
  const created = await api(editor, 'POST', '/terminology/change-requests', {
    system: ICD10_YB,
    title: '改名',
    version: '2.0.9',
    items: [{ op: 'rename', code: 'A01.000', display: '伤寒（改名）' }],
  });
  assert.equal(created.statusCode, 201, created.body);
  const id = created.json().id;
  await api(editor, 'POST', `/terminology/change-requests/${id}/submit`);
  await api(reviewer, 'POST', `/terminology/change-requests/${id}/review`, { decision: 'approve' });
  assert.equal((await api(reviewer, 'POST', `/terminology/change-requests/${id}/publish`, {})).statusCode, 200);
  // Versions are immutable (their publication time too): today sees 2.0.9, the day before the first
  // publication sees nothing, and the label 2.0 still reads the old name.
  // Dates are Shanghai calendar days (a version published at 22:00 UTC is in force from the next day there).
  const today = todayInShanghai();
  const dayBefore = (
    await t.kernel.db.query<{ d: string }>(
      `select to_char((min(published_at) at time zone 'Asia/Shanghai') - interval '1 day', 'YYYY-MM-DD') as d from term_version`,
    )
  )[0]?.d as string;
  const nowRead = (await api(editor, 'GET', `/terminology/concept?${q({ system: ICD10_YB, code: 'A01.000', date: today })}`)).json();
  assert.equal(nowRead.display, '伤寒（改名）');
  assert.equal(nowRead.version, '2.0.9');
  const before2 = await api(editor, 'GET', `/terminology/concept?${q({ system: ICD10_YB, code: 'A01.000', date: dayBefore })}`);
  assert.equal(before2.statusCode, 404, 'before the first published version there is nothing to read');
  assert.equal(before2.json().resourceType, 'OperationOutcome');
  const byLabel = (await api(editor, 'GET', `/terminology/concept?${q({ system: ICD10_YB, code: 'A01.000', version: '2.0' })}`)).json();
  assert.notEqual(byLabel.display, '伤寒（改名）');

  const tl = (await api(editor, 'GET', `/terminology/timeline?${q({ system: ICD10_YB, code: 'A01.000' })}`)).json();
  assert.equal(tl.items[0].kind, 'renamed');
  assert.equal(tl.items[0].version, '2.0.9');
  assert.equal(tl.items[0].author, editor.username);
  assert.equal(tl.items[0].after.display, '伤寒（改名）');
  assert.equal(tl.items[0].changeRequestId, id);

  const again = (
    await api(editor, 'POST', '/terminology/change-requests', {
      system: ICD10_YB,
      title: '同号',
      version: '2.0.9',
      items: [{ op: 'rename', code: 'A01.000', display: '伤寒' }],
    })
  ).json().id;
  await api(editor, 'POST', `/terminology/change-requests/${again}/submit`);
  await api(reviewer, 'POST', `/terminology/change-requests/${again}/review`, { decision: 'approve' });
  assert.equal((await api(reviewer, 'POST', `/terminology/change-requests/${again}/publish`, {})).statusCode, 409, 'a published label is never reused');
});
