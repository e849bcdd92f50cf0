import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitSentences } from './sentences.ts';

test('splits at Chinese and Latin terminators; closing quotes stay with their sentence; offsets point into the source', () => {
  const text = '“B超检查”每日不超过2次。一级护理与特级护理不得同时收取！是否合规？限住院患者使用；Note: fee 1.5 yuan.';
  const s = splitSentences(text);
  assert.deepEqual(
    s.map((x) => x.text),
    ['“B超检查”每日不超过2次。', '一级护理与特级护理不得同时收取！', '是否合规？', '限住院患者使用；', 'Note: fee 1.5 yuan.'],
  );
  for (const x of s) assert.equal(text.slice(x.start, x.end), x.text);
  assert.deepEqual(
    s.map((x) => x.index),
    [0, 1, 2, 3, 4],
  );
});

test('wrapped (long) lines are joined, short heading lines, blank lines, list items and articles start new sentences', () => {
  const text =
    '第一章 总则\n第一条 为规范医疗服务收费行为，根据有关规定，\n制定本办法。\n一、静脉输液、肌内注射等注射类项目按实际次数收取，每日\n不超过3次\n\n（二）开展限制类技术须具备资质\n1. 床位费按日收取';
  const s = splitSentences(text).map((x) => x.text);
  assert.deepEqual(s, [
    '第一章 总则',
    '第一条 为规范医疗服务收费行为，根据有关规定，制定本办法。',
    '一、静脉输液、肌内注射等注射类项目按实际次数收取，每日不超过3次',
    '（二）开展限制类技术须具备资质',
    '1. 床位费按日收取',
  ]);
});

test('empty and whitespace-only text has no sentences', () => {
  assert.deepEqual(splitSentences(''), []);
  assert.deepEqual(splitSentences(' \n\n \n'), []);
});
