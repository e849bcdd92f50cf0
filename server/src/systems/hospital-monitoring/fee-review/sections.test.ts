import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitSections } from './sections.ts';

const DEFS = [
  { code: 'front_page', title: '病案首页', aliases: ['住院病案首页'] },
  { code: 'admission', title: '入院记录', aliases: ['入院病历'] },
  { code: 'progress', title: '病程记录', aliases: ['首次病程记录'] },
  { code: 'orders', title: '医嘱', aliases: ['长期医嘱单', '临时医嘱单'] },
  { code: 'fee_list', title: '费用清单', aliases: ['住院费用清单'] },
];

test('headings (numbered, with colons or page remarks, aliases) start sections; text before them is the preamble', () => {
  const text = [
    '上海市某某医院',
    '住院病案首页',
    '病案号：A001 姓名：王*明',
    '二、入院记录：',
    '入院记录显示患者因胸痛入院。',
    '首次病程记录',
    '患者入院后完善检查。',
    '病程记录（第2页）',
    '继续治疗。',
    '长期医嘱单',
    '阿司匹林 100mg qd',
    '【住院费用清单】',
    '床位费 50元',
  ].join('\n');
  const s = splitSections(text, DEFS);
  assert.deepEqual(
    s.map((x) => [x.code, x.heading]),
    [
      ['preamble', null],
      ['front_page', '住院病案首页'],
      ['admission', '二、入院记录：'],
      ['progress', '首次病程记录'],
      ['orders', '长期医嘱单'],
      ['fee_list', '【住院费用清单】'],
    ],
  );
  const part = (code: string) => {
    const x = s.find((y) => y.code === code)!;
    return text.slice(x.start, x.end);
  };
  assert.match(part('admission'), /入院记录显示患者因胸痛入院/);
  assert.match(part('progress'), /完善检查[\s\S]*病程记录（第2页）\n继续治疗/);
  assert.ok(part('fee_list').endsWith('床位费 50元'));
  for (let i = 1; i < s.length; i++) assert.equal(s[i]!.start, s[i - 1]!.end, 'sections tile the text');
});

test('a document without any known heading is one preamble section; empty text none', () => {
  assert.deepEqual(
    splitSections('一段说明文字。', DEFS).map((x) => x.code),
    ['preamble'],
  );
  assert.deepEqual(splitSections('', DEFS), []);
});
