import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rb } from '../../../platform/rules/index.ts';
import { BUILTIN_RULES } from './builtin.ts';
import { extractCandidates, type RuleCandidate } from './rule-extract.ts';
import { builtinExtractor, parseCount } from './rule-extract-builtin.ts';

const { and, or, eq, ne, gt, lt, isNull, isIn, not, count, sum, ref, lit, trunc } = rb;
const builtin = (code: string) => BUILTIN_RULES.find((r) => r.code === code)!.rule;

async function one(text: string): Promise<RuleCandidate> {
  const { candidates } = await extractCandidates(builtinExtractor, text);
  assert.equal(candidates.length, 1, JSON.stringify(candidates, null, 1));
  const c = candidates[0]!;
  assert.ok(c.sentence.slice(c.match.start, c.match.end).length > 0, 'the match is a span of the sentence');
  return c;
}

test('每日不超过N次 on a catalog item gives exactly the shipped daily-limit rule', async () => {
  const c = await one('B超检查每日不超过2次。');
  assert.equal(c.pattern, 'frequency_limit');
  assert.equal(c.category, 'reasonable_fee');
  assert.deepEqual(c.rule!.when, builtin('fee.ultrasound.daily').when);
  assert.equal(c.sentence.slice(c.match.start, c.match.end), '每日不超过2次');
  assert.match(c.description!, /B超检查/);
  assert.deepEqual(c.warnings, []);
  assert.ok(c.confidence >= 0.9);
});

test('Chinese numerals, per-stay and per-month windows, quoted unknown items matched by name', async () => {
  const stay = await one('同一患者每次住院“血常规”最多收取三次；');
  const isItem = eq(ref('item_code'), lit('L001'));
  assert.deepEqual(stay.rule!.when, and(isItem, gt(count({ by: [ref('encounter_id')], where: isItem }), 3)));

  const month = await one('“高压氧治疗”每月不得超过十二次。');
  const hbo = isIn(ref('item_name'), ['高压氧治疗']);
  assert.deepEqual(month.rule!.when, and(hbo, gt(count({ by: [ref('encounter.person_id'), trunc(ref('charged_on'), 'month')], where: hbo }), 12)));
  assert.match(month.warnings[0]!, /不在收费项目代码表中/);
  assert.ok(month.confidence < 0.9);
  assert.deepEqual(
    [parseCount('两'), parseCount('十'), parseCount('二十'), parseCount('九十九'), parseCount('３'), parseCount('百')],
    [2, 10, 20, 99, 3, null],
  );
});

test('不得同时收取A和B: both word orders give the shipped exclusive rule (same encounter, same day)', async () => {
  const want = builtin('fee.nursing.exclusive').when;
  assert.deepEqual((await one('不得同时收取一级护理和特级护理。')).rule!.when, want);
  assert.deepEqual((await one('一级护理与特级护理不得同日收取。')).rule!.when, want);
  const c = await one('一级护理不得与特级护理同时收取。');
  assert.deepEqual(c.rule!.when, want);
  assert.equal(c.title, '一级护理与特级护理同日重复收取');
});

test('限…使用: encounter kind, sex and practitioner title restrictions; an unknown restriction needs a person', async () => {
  const inpatient = await one('静脉输液限住院患者使用。');
  assert.equal(inpatient.category, 'reasonable_treatment');
  assert.deepEqual(inpatient.rule!.when, and(eq(ref('item_code'), lit('T001')), not(isIn(ref('encounter.kind'), ['inpatient']))));
  const female = await one('“宫颈癌筛查”限女性患者使用。');
  assert.deepEqual(female.rule!.when, and(isIn(ref('item_name'), ['宫颈癌筛查']), ne(ref('encounter.patient_sex'), lit('F'))));
  const senior = await one('CT检查限副主任医师及以上职称医师开具。');
  assert.equal(senior.category, 'practitioner_qualification');
  assert.deepEqual(senior.rule!.when, and(eq(ref('item_code'), lit('X001')), not(isIn(ref('practitioner.title'), ['主任医师', '副主任医师']))));
  const unknown = await one('CT检查限二级及以上医疗机构使用。');
  assert.equal(unknown.rule, null);
  assert.match(unknown.warnings[0]!, /二级及以上医疗机构/);
});

test('须具备…资质: restricted technology and surgery grade authorisation', async () => {
  const tech = await one('开展肿瘤消融治疗技术的医师须具备相应资质。');
  assert.equal(tech.category, 'restricted_tech');
  const lapsed = or(
    isNull(ref('tech_auth.auth_key')),
    lt(ref('tech_auth.valid_to'), ref('performed_on')),
    gt(ref('tech_auth.valid_from'), ref('performed_on')),
  );
  assert.deepEqual(tech.rule!.when, and(eq(ref('tech_code'), lit('RT01')), lapsed));
  const anyTech = await one('医疗机构开展限制类技术，术者必须取得相应授权。');
  assert.deepEqual(anyTech.rule!.when, builtin('tech.restricted.unauthorized').when);
  const grade = await one('实施四级手术的医师须取得四级手术授权。');
  assert.equal(grade.category, 'surgery_authorization');
  assert.deepEqual(
    grade.rule!.when,
    and(eq(ref('surgery_grade'), 4), or(isNull(ref('grade_auth.max_grade')), gt(ref('surgery_grade'), ref('grade_auth.max_grade')))),
  );
});

test('金额限制 and a realistic notice: every candidate points at its own sentence; prose without a rule gives nothing', async () => {
  const text = [
    '关于进一步规范医疗服务价格行为的通知',
    '各医疗机构：',
    '为加强医疗服务价格管理，现将有关事项通知如下。',
    '一、B超检查同一患者每日不超过2次，超出部分不得收费。',
    '二、一级护理与特级护理不得同日收取。',
    '三、“静脉输液”每日费用不超过300元。',
    '四、开展心室辅助技术须具备相应资质。',
    '特此通知。',
  ].join('\n');
  const { sentences, candidates } = await extractCandidates(builtinExtractor, text);
  assert.deepEqual(
    candidates.map((c) => [c.pattern, c.sentenceIndex]),
    [
      ['frequency_limit', 3],
      ['exclusive', 4],
      ['amount_limit', 5],
      ['qualification', 6],
    ],
  );
  for (const c of candidates) assert.equal(c.sentence, sentences[c.sentenceIndex]!.text);
  assert.equal(
    candidates[1]!.sentence.slice(candidates[1]!.match.start, candidates[1]!.match.end),
    '一级护理与特级护理不得同日收取',
    'list numbering is not highlighted',
  );
  const infusion = eq(ref('item_code'), lit('T001'));
  assert.deepEqual(candidates[2]!.rule!.when, and(infusion, gt(sum('amount', { by: [ref('encounter.person_id'), ref('charged_on')], where: infusion }), 300)));
  assert.deepEqual((await extractCandidates(builtinExtractor, '为加强医疗服务价格管理，现将有关事项通知如下。特此通知。')).candidates, []);
});
