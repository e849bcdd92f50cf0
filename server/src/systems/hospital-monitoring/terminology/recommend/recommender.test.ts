// The recommender as the product ships it: the public national tables' names only, hand-set weights, no
// coded examples. Each rule is shown on a phrase a clinician would write; no database needed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SHIPPED_SYSTEMS, shippedConcepts } from '../shipped.ts';
import { recommenderDocs } from './docs.ts';
import { modifierConflicts } from './features.ts';
import { queriesOf, Recommender } from './recommender.ts';

function build(file: string): Recommender {
  const { docs, names } = recommenderDocs(shippedConcepts(file));
  return new Recommender(docs, names);
}
const dx = build(SHIPPED_SYSTEMS[0].file);
const px = build(SHIPPED_SYSTEMS[1].file);
const rank = (rec: Recommender, text: string, code: string, input: { sex?: 'M' | 'F' } = {}) =>
  rec.recommend({ text, limit: 10, ...input }).findIndex((r) => r.code === code);

test('an abbreviation expands: 冠心病 finds 冠状动脉粥样硬化性心脏病 first, with the rule as its reason', () => {
  const top = dx.recommend({ text: '冠心病', limit: 5 })[0]!;
  assert.equal(top.code, 'I25.103');
  assert.ok(
    top.reasons.some((r) => r.includes('冠心病')),
    top.reasons.join('；'),
  );
  assert.equal(rank(dx, 'TIA', 'G45.900'), 0);
});

test('a procedure convention: a tumour removed is a 病损, one side is 单侧', () => {
  assert.equal(rank(px, '右腹股沟肿物切除术', '54.3x03'), 0);
  assert.equal(rank(px, '右侧肾上腺切除术', '07.2200'), 0);
  assert.equal(rank(px, '左锁骨内固定取出术', '78.6103'), 0);
});

test('a modifier is respected: 不伴 and 伴, 1型 and 2型 pick different codes', () => {
  assert.equal(modifierConflicts('水痘不伴有并发症', '水痘伴有其他并发症'), 1);
  assert.equal(modifierConflicts('急性阑尾炎', '阑尾炎'), 0);
  assert.equal(dx.recommend({ text: '水痘不伴并发症', limit: 3 })[0]!.code, 'B01.900');
  const withComplication = rank(dx, '水痘伴并发症', 'B01.800');
  const without = rank(dx, '水痘伴并发症', 'B01.900');
  assert.ok(withComplication >= 0 && (without === -1 || withComplication < without), `${withComplication} ${without}`);
  assert.equal(dx.recommend({ text: '2型糖尿病性周围神经病', limit: 3 })[0]!.code, 'E11.401+G63.2*');
  assert.equal(dx.recommend({ text: '1型糖尿病性周围神经病', limit: 3 })[0]!.code, 'E10.401+G63.2*');
});

test('a typo still finds the code (精 for 经), within the first three', () => {
  const r = rank(dx, '2型糖尿病性周围神精病', 'E11.401+G63.2*');
  assert.ok(r >= 0 && r < 3, `rank ${r}`);
});

test('a text with several diagnoses is searched whole, by segment (not at 不伴) and by rewrite', () => {
  const q = queriesOf('冠心病伴房颤，水痘不伴并发症');
  const texts = q.map((x) => x.text);
  assert.ok(texts.includes('冠心病') && texts.includes('冠状动脉粥样硬化性心脏病') && texts.includes('心房颤动'), texts.join('|'));
  assert.ok(texts.includes('水痘不伴并发症'), texts.join('|'));
  assert.equal(q.find((x) => x.text === '心房颤动')?.rules[0], '房颤');
});

test('a category its own code repeats is left out: the codable C61.x00 is recommended, not C61', () => {
  assert.equal(rank(dx, '前列腺癌', 'C61.x00'), 0);
  assert.equal(rank(dx, '前列腺癌', 'C61'), -1);
  assert.equal(rank(dx, '水痘', 'B01'), -1);
});

test('sex plausibility still applies after rewriting', () => {
  const m = dx.recommend({ text: '前列腺癌', sex: 'F', limit: 10 }).find((r) => r.display.includes('前列腺'));
  assert.ok(
    m?.reasons.some((x) => x.includes('性别')),
    JSON.stringify(m),
  );
});
