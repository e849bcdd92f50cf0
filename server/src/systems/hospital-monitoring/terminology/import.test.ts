// Import of a code table as one change request: CSV and FHIR CodeSystem, line-numbered refusals that store
// nothing, and a second import of an existing system that turns into the difference.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { API_PREFIX } from '../../../platform/http/mount.ts';
import { type TestApp, type TestSession, testApp } from '../../../test/harness.ts';

let t: TestApp;
let editor: TestSession;
let reviewer: TestSession;
const URL_ = 'urn:weijian:test:nursing-diagnoses';

const post = (s: TestSession, url: string, payload: object = {}) => t.call(s, { method: 'POST', url: API_PREFIX + url, payload });
const get = (s: TestSession, url: string) => t.call(s, { method: 'GET', url: API_PREFIX + url });

async function publish(id: number, version: string) {
  assert.equal((await post(editor, `/terminology/change-requests/${id}/submit`)).statusCode, 200);
  assert.equal((await post(reviewer, `/terminology/change-requests/${id}/review`, { decision: 'approve' })).statusCode, 200);
  const p = await post(reviewer, `/terminology/change-requests/${id}/publish`, { version });
  assert.equal(p.statusCode, 200, p.body);
}

before(async () => {
  t = await testApp();
  editor = await t.loginAs('city_admin');
  reviewer = await t.loginAs('shenkang_admin');
});
after(() => t.close());

test('a CSV with bad lines is refused line by line and nothing is stored', async () => {
  const before = await t.kernel.db.query('select count(*)::int as n from term_system');
  const r = await post(editor, '/terminology/import', {
    format: 'csv',
    url: URL_,
    title: '护理诊断',
    content: 'code,display,parent\nN1,疼痛,\nN1,重复,\nN 2,,\nN3,焦虑,N9\n',
  });
  assert.equal(r.statusCode, 400);
  const msgs = r
    .json()
    .details.map((d: { message: string }) => d.message)
    .join('\n');
  assert.match(msgs, /第 3 行：代码 N1 与第 2 行重复/);
  assert.match(msgs, /第 4 行：代码“N 2”格式不正确/);
  assert.match(msgs, /第 4 行：名称为空/);
  assert.match(msgs, /第 5 行：上级代码 N9 不在文件中/);
  assert.deepEqual(await t.kernel.db.query('select count(*)::int as n from term_system'), before);
});

test('malformed files (unclosed quote, JSON of the wrong shape, nesting too deep) are a 400 naming the place, never a 500', async () => {
  const before = await t.kernel.db.query('select count(*)::int as n from term_change_request');
  let deep: object = { code: 'D40', display: '最深' };
  for (let i = 39; i >= 0; i--) deep = { code: `D${i}`, display: `第 ${i} 层`, concept: [deep] };
  const cases: [string, object, RegExp][] = [
    ['unclosed quote', { format: 'csv', url: URL_, title: '护理诊断', content: 'code,display\nN1,"疼痛\n' }, /引号未闭合/],
    ['JSON null', { format: 'fhir', url: URL_, content: 'null' }, /resourceType/],
    ['JSON array', { format: 'fhir', url: URL_, content: '[]' }, /resourceType/],
    [
      'concept not an array',
      { format: 'fhir', url: URL_, content: JSON.stringify({ resourceType: 'CodeSystem', concept: { code: 'A' } }) },
      /concept：须为数组/,
    ],
    [
      'concept entry null',
      {
        format: 'fhir',
        url: URL_,
        content: JSON.stringify({ resourceType: 'CodeSystem', concept: [null, { code: 'A', display: '甲', property: 'x', designation: [null, 5] }] }),
      },
      /concept\[0\]：须为对象[\s\S]*concept\[1\]\.property：须为数组/,
    ],
    [
      'url not a string',
      { format: 'fhir', content: JSON.stringify({ resourceType: 'CodeSystem', url: 12, title: '甲', concept: [{ code: 'A', display: '甲' }] }) },
      /url：/,
    ],
    ['nested too deep', { format: 'fhir', url: URL_, title: '深', content: JSON.stringify({ resourceType: 'CodeSystem', concept: [deep] }) }, /层级超过/],
  ];
  for (const [name, body, message] of cases) {
    const r = await post(editor, '/terminology/import', body);
    assert.equal(r.statusCode, 400, `${name}: ${r.body}`);
    assert.match(
      r
        .json()
        .details.map((d: { field: string; message: string }) => `${d.field} ${d.message}`)
        .join('\n'),
      message,
      name,
    );
  }
  assert.deepEqual(await t.kernel.db.query('select count(*)::int as n from term_change_request'), before);
});

test('CSV import creates the system and a draft request; after publication a second (FHIR) import is the difference', async () => {
  const r = await post(editor, '/terminology/import', {
    format: 'csv',
    url: URL_,
    title: '护理诊断',
    version: '1.0',
    content: 'code,display,parent\nN,护理诊断,\nN1,急性疼痛,N\nN2,焦虑,N\n',
  });
  assert.equal(r.statusCode, 201, r.body);
  assert.deepEqual({ created: r.json().created, items: r.json().items }, { created: true, items: 3 });
  await publish(r.json().changeRequestId, '1.0');
  const found = (await get(editor, `/terminology/search?system=${encodeURIComponent(URL_)}&q=jxtt`)).json();
  assert.equal(found.hits[0].code, 'N1');

  const fhir = {
    resourceType: 'CodeSystem',
    url: URL_,
    name: 'NursingDx',
    version: '1.1',
    concept: [
      {
        code: 'N',
        display: '护理诊断',
        concept: [
          { code: 'N1', display: '急性疼痛（术后）', designation: [{ language: 'en', value: 'Acute pain' }] },
          { code: 'N3', display: '睡眠型态紊乱' },
        ],
      },
    ],
  };
  const r2 = await post(editor, '/terminology/import', { format: 'fhir', content: JSON.stringify(fhir) });
  assert.equal(r2.statusCode, 201, r2.body);
  assert.equal(r2.json().created, false);
  const cr = (await get(editor, `/terminology/change-requests/${r2.json().changeRequestId}`)).json();
  assert.deepEqual(cr.items.map((i: { op: string; code: string }) => `${i.op}:${i.code}`).sort(), ['add:N3', 'designations:N1', 'rename:N1', 'retire:N2']);
  await publish(cr.id, '1.1');
  const diff = (await get(editor, `/terminology/diff?system=${encodeURIComponent(URL_)}&from=1.0&to=1.1`)).json();
  assert.deepEqual(
    diff.items.map((d: { code: string; kinds: string[] }) => `${d.code}:${d.kinds.join('+')}`),
    ['N1:renamed+designation', 'N2:retired', 'N3:added'],
  );
});

test('recommend: free text → ranked codes with reasons; sex makes implausible codes fall', async () => {
  const sys = encodeURIComponent('http://www.nhsa.gov.cn/fhir/CodeSystem/icd10-yb');
  const r = (await get(editor, `/terminology/recommend?system=${sys}&text=${encodeURIComponent('2型糖尿病')}&limit=5`)).json();
  assert.ok(r.items[0].display.includes('2型糖尿病'), JSON.stringify(r.items.slice(0, 3)));
  assert.ok(r.items[0].score > r.items[4].score);
  assert.ok(r.items[0].reasons.length > 0 && r.items[0].path.length > 0);
  const male = (await get(editor, `/terminology/recommend?system=${sys}&text=${encodeURIComponent('妊娠期高血压')}&sex=M&limit=50`)).json();
  const female = (await get(editor, `/terminology/recommend?system=${sys}&text=${encodeURIComponent('妊娠期高血压')}&sex=F&limit=10`)).json();
  assert.ok(female.items[0].display.includes('妊娠'));
  assert.ok(!male.items[0].display.includes('妊娠'), male.items[0].display);
  const demoted = male.items.find((i: { code: string }) => i.code === female.items[0].code);
  assert.ok(demoted.reasons.some((x: string) => x.includes('性别')) && demoted.score < female.items[0].score);
});
