// Search over the shipped ICD-10 table: code prefix, words, synonyms, full pinyin and initials, ranked,
// with the hierarchy path; retired codes only on request.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConceptRow } from './model.ts';
import { TermIndex } from './search-index.ts';
import { SHIPPED_SYSTEMS, shippedConcepts } from './shipped.ts';

const rows: ConceptRow[] = shippedConcepts(SHIPPED_SYSTEMS[0].file).map((c) => ({ ...c, fromSeq: 1, toSeq: null }));
const i10 = rows.find((r) => r.code === 'I10.x00') as ConceptRow;
i10.designations = [
  { use: 'synonym', value: '原发性高血压病' },
  { use: 'english', language: 'en', value: 'Essential hypertension' },
];
const retired = rows.find((r) => r.code === 'A00.000x001') as ConceptRow;
retired.status = 'retired';
const index = new TermIndex(rows);
const top = (q: string, n = 5) => index.search(q, { limit: n }).hits;

test('a code or code prefix finds the code first, then the codes below it', () => {
  assert.equal(top('I10.x00')[0]!.code, 'I10.x00');
  assert.equal(top('I10.x00')[0]!.matchedBy, 'code');
  assert.ok(top('E11.', 20).every((h) => h.code.startsWith('E11.')));
});

test('pinyin initials and full pinyin find 高血压 first among longer names', () => {
  const gxy = top('gxy');
  assert.equal(gxy[0]!.display, '高血压');
  assert.equal(gxy[0]!.matchedBy, 'initials');
  assert.equal(top('gaoxueya')[0]!.display, '高血压');
  assert.equal(top('tnb', 10).filter((h) => h.display.startsWith('糖尿病')).length > 0, true);
});

test('names rank exact before prefix before contains; words match in any order', () => {
  const hits = top('糖尿病', 10);
  assert.equal(hits[0]!.display, '糖尿病');
  const words = top('肾病 糖尿病', 10);
  assert.ok(words.length > 0 && words.every((h) => h.display.includes('肾') && h.display.includes('糖尿病')), JSON.stringify(words.map((h) => h.display)));
  assert.equal(words[0]!.matchedBy, 'words');
});

test('synonyms and English names are found; the hit carries its hierarchy path', () => {
  const syn = top('原发性高血压病')[0]!;
  assert.deepEqual([syn.code, syn.matchedBy], ['I10.x00', 'synonym']);
  assert.equal(top('essential hypertension')[0]!.code, 'I10.x00');
  assert.deepEqual(
    syn.path.map((p) => p.code),
    ['I00-I99', 'I10-I15', 'I10'],
  );
});

test('retired codes are left out unless asked for; nothing matches nonsense', () => {
  assert.equal(index.search('A00.000x001').total, 0);
  assert.equal(index.search('A00.000x001', { includeRetired: true }).hits[0]!.code, 'A00.000x001');
  assert.equal(index.search('zzzzqqq').total, 0);
  assert.equal(index.search('   ').total, 0);
});
