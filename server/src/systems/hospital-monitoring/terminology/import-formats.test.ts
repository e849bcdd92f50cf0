// The WHO ICD-11 MMS SimpleTabulation and SNOMED CT RF2 snapshot imports, from real-format fixtures
// (fixtures/README.md): hierarchy from the depth markers / is-a relationships, and a bad row refuses the
// whole file with its line and reason while nothing is stored.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { API_PREFIX } from '../../../platform/http/mount.ts';
import { type TestApp, type TestSession, testApp } from '../../../test/harness.ts';
import { parseIcd11Tabulation, parseRf2Snapshot, SNOMED_URL, validSctid } from './import-formats.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const ICD11 = fixture('icd11-mms-simpletabulation.tsv');
const RF2 = {
  concept: fixture('snomed-rf2/sct2_Concept_Snapshot_INT_20240101.txt'),
  description: fixture('snomed-rf2/sct2_Description_Snapshot-en_INT_20240101.txt'),
  relationship: fixture('snomed-rf2/sct2_Relationship_Snapshot_INT_20240101.txt'),
};
const ICD11_URL = 'http://id.who.int/icd/release/11/mms';

let t: TestApp;
let editor: TestSession;
let reviewer: TestSession;
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

test('ICD-11 tabulation: chapters by ChapterNo, blocks by BlockId, parents from the "- " markers, residual rows kept', () => {
  const { meta, concepts } = parseIcd11Tabulation(ICD11);
  assert.equal(concepts.length, 33);
  assert.equal(meta.version, '2024-01-21');
  const by = new Map(concepts.map((c) => [c.code, c]));
  assert.deepEqual(by.get('01')?.parents, []);
  assert.equal(by.get('01')?.kind, 'chapter');
  assert.deepEqual(by.get('BlockL1-1A0')?.parents, ['01']);
  assert.deepEqual(by.get('BlockL2-1A0')?.parents, ['BlockL1-1A0']);
  assert.deepEqual(by.get('1A00')?.parents, ['BlockL2-1A0']);
  assert.equal(by.get('1A00')?.display, 'Cholera');
  assert.deepEqual(by.get('1A03.Y')?.parents, ['1A03']);
  assert.equal(by.get('1A03.Y')?.properties?.residual, 'true');
  // After a deeper subtree the next sibling goes back up: BlockL2-1A2 is again under BlockL1-1A0.
  assert.deepEqual(by.get('BlockL2-1A2')?.parents, ['BlockL1-1A0']);
  assert.deepEqual(by.get('BA00')?.parents, ['BlockL1-BA0']);
  assert.deepEqual(by.get('BA40.0')?.parents, ['BA40']);
});

test('ICD-11 tabulation of a translated edition: TitleEN becomes the English designation', () => {
  const text =
    'Foundation URI\tLinearization URI\tCode\tBlockId\tTitleEN\tTitle\tClassKind\tDepthInKind\tIsResidual\tChapterNo\tisLeaf\n' +
    '\t\t\t\tCertain infectious or parasitic diseases\t某些感染性疾病或寄生虫病\tchapter\t1\tFalse\t01\tFalse\n' +
    '\t\t1A00\t\t- Cholera\t- 霍乱\tcategory\t1\tFalse\t01\tTrue\n';
  const { concepts } = parseIcd11Tabulation(text);
  assert.equal(concepts[1]?.display, '霍乱');
  assert.deepEqual(concepts[1]?.designations, [{ use: 'english', language: 'en', value: 'Cholera' }]);
});

test('ICD-11 bad rows are named by line: unknown ClassKind, a depth jump, a duplicate, a missing code', () => {
  const lines = ICD11.split('\n');
  const swap = (i: number, from: string, to: string) => {
    lines[i] = (lines[i] ?? '').replace(from, to);
  };
  swap(5, '\tcategory\t', '\tgroup\t'); // line 6: 1A01
  swap(8, '"- - - - Enteropathogenic', '"- - - - - - Enteropathogenic'); // line 9: two levels below 1A03
  swap(13, '\t1A20\t', '\t1A00\t'); // line 14
  swap(20, '\t5A11\t', '\t\t'); // line 21
  assert.throws(
    () => parseIcd11Tabulation(lines.join('\n')),
    (e: { details: { message: string }[] }) => {
      const m = e.details.map((d) => d.message).join('\n');
      assert.match(m, /第 6 行：ClassKind“group”/);
      assert.match(m, /第 9 行：层级标记跳级/);
      assert.match(m, /第 14 行：代码 1A00 与第 5 行重复/);
      assert.match(m, /第 21 行：类目缺少代码/);
      return true;
    },
  );
  assert.throws(() => parseIcd11Tabulation('code\tdisplay\nA\t甲\n'), /不是|错误/);
});

test('SNOMED CT identifiers: Verhoeff check digit and partition', () => {
  for (const id of ['138875005', '404684003', '116680003', '900000000000207008']) assert.ok(validSctid(id, 'concept'), id);
  assert.equal(validSctid('138875006', 'concept'), false);
  assert.equal(validSctid('1001016', 'description'), true);
  assert.equal(validSctid('1001016', 'concept'), false);
});

test('RF2 snapshot: parents from active is-a only, Chinese synonym as display, inactive concept retired, parents first', () => {
  const concepts = parseRf2Snapshot(RF2);
  const by = new Map(concepts.map((c) => [c.code, c]));
  assert.equal(concepts.length, 23);
  assert.deepEqual(by.get('44054006')?.parents, ['73211009']);
  assert.equal(by.get('44054006')?.display, '2型糖尿病');
  assert.equal(by.get('123037004')?.display, 'Body structure');
  assert.equal(by.get('99900001006')?.status, 'retired');
  const mi = by.get('22298006');
  assert.deepEqual(mi?.parents, ['414545008']);
  assert.ok(mi?.designations.some((d) => d.value === 'Heart attack'));
  assert.ok(!mi?.designations.some((d) => d.value.includes('old term')));
  const pos = new Map(concepts.map((c, i) => [c.code, i]));
  for (const c of concepts) for (const p of c.parents) assert.ok((pos.get(p) ?? 99) < (pos.get(c.code) ?? 0), `${p} before ${c.code}`);
});

test('ICD-11 import through the API: draft request, then browse and $subsumes over the imported hierarchy', async () => {
  const r = await post(editor, '/terminology/import', { format: 'icd11', content: ICD11, title: 'ICD-11 MMS（节选）' });
  assert.equal(r.statusCode, 201, r.body);
  assert.deepEqual({ created: r.json().created, concepts: r.json().concepts, items: r.json().items }, { created: true, concepts: 33, items: 33 });
  await publish(r.json().changeRequestId, '2024-01');
  const sys = encodeURIComponent(ICD11_URL);
  const roots = (await get(editor, `/terminology/browse?system=${sys}`)).json();
  assert.deepEqual(
    roots.items.map((i: { code: string; kind: string }) => `${i.code}:${i.kind}`),
    ['01:chapter', '05:chapter', '11:chapter'],
  );
  const sub = (await get(editor, `/terminology/fhir/CodeSystem/$subsumes?system=${sys}&codeA=01&codeB=1A03.Y`)).json();
  assert.equal(sub.parameter[0].valueCode, 'subsumes');
});

test('SNOMED CT import: a bad row in any of the three files refuses everything, naming file and line', async () => {
  const before = await t.kernel.db.query('select count(*)::int as n from term_change_request');
  const desc = RF2.description.split('\r\n');
  desc[3] = (desc[3] ?? '').replace(/^\d+/, '1003012'); // wrong check digit (1003013 is valid)
  const rel = RF2.relationship.split('\r\n');
  rel[5] = (rel[5] ?? '').replace('\t116680003\t', '\t11668000\t');
  const bad = await post(editor, '/terminology/import', {
    format: 'snomed-rf2',
    content: RF2.concept,
    descriptions: desc.join('\r\n'),
    relationships: rel.join('\r\n'),
  });
  assert.equal(bad.statusCode, 400, bad.body);
  const m = bad
    .json()
    .details.map((d: { message: string }) => d.message)
    .join('\n');
  assert.match(m, /描述文件第 4 行：标识 1003012 不是有效的 SNOMED CT 描述标识/);
  assert.match(m, /关系文件第 6 行：typeId 11668000 无效/);
  const missing = await post(editor, '/terminology/import', { format: 'snomed-rf2', content: RF2.concept });
  assert.equal(missing.statusCode, 400);
  assert.deepEqual(await t.kernel.db.query('select count(*)::int as n from term_change_request'), before);
  assert.equal((await t.kernel.db.query('select 1 from term_system where url = $1', [SNOMED_URL])).length, 0);

  const ok = await post(editor, '/terminology/import', {
    format: 'snomed-rf2',
    content: RF2.concept,
    descriptions: RF2.description,
    relationships: RF2.relationship,
  });
  assert.equal(ok.statusCode, 201, ok.body);
  await publish(ok.json().changeRequestId, '20240101');
  const look = (await get(editor, `/terminology/fhir/CodeSystem/$lookup?system=${encodeURIComponent(SNOMED_URL)}&code=59621000`)).json();
  assert.equal(look.parameter.find((p: { name: string }) => p.name === 'display').valueString, '原发性高血压');
  const hits = (await get(editor, `/terminology/search?system=${encodeURIComponent(SNOMED_URL)}&q=tnb`)).json();
  assert.ok(
    hits.hits.some((h: { code: string }) => h.code === '73211009'),
    JSON.stringify(hits.hits),
  );
});
