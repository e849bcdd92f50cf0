// Each rewrite rule on its own: the clinician's wording becomes the coding tables' wording, and the rules
// that fired are named (they are shown to the user as the recommendation's reason).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rewrite } from './rewrite.ts';

test('clinical abbreviations expand, Latin ones only as whole tokens', () => {
  assert.deepEqual(rewrite('冠心病'), { text: '冠状动脉粥样硬化性心脏病', rules: ['冠心病'] });
  assert.equal(rewrite('陈旧性心梗').text, '陈旧性心肌梗死');
  assert.equal(rewrite('椎基底动脉TIA').text, '椎基底动脉短暂性脑缺血发作');
  assert.equal(rewrite('copd急性加重').text, '慢性阻塞性肺疾病急性加重');
  assert.equal(rewrite('宫颈CINⅡ').text, '宫颈宫颈上皮内瘤变Ⅱ');
  // ASD is an abbreviation of its own; the AS inside it is not 强直性脊柱炎 and the A of ASD is not read as AS.
  assert.equal(rewrite('ASD封堵术').text, '房间隔缺损封堵术');
  assert.equal(rewrite('乳腺Ca待排').text, '乳腺恶性肿瘤');
  assert.equal(rewrite('CA125升高').text, 'CA125升高');
  assert.equal(rewrite('腹部割伤').text, '腹部开放性损伤');
  assert.equal(rewrite('心肌梗死').rules.length, 0);
});

test('hedges and stage words are dropped: the tables name the disease, not the certainty', () => {
  assert.equal(rewrite('头晕原因待查').text, '头晕');
  assert.equal(rewrite('肺结核可能').text, '肺结核');
  assert.equal(rewrite('乳腺癌pT1cN0M0 IA期').text, '乳腺恶性肿瘤');
});

test('laterality: dropped for a diagnosis, 单侧 for a one-sided procedure, kept when both sides', () => {
  assert.equal(rewrite('右膝关节痛').text, '膝关节痛');
  assert.equal(rewrite('右侧肾上腺切除术').text, '单侧肾上腺切除术');
  assert.equal(rewrite('双侧甲状腺次全切术').text, '双侧甲状腺次全切除术');
  // 左心室 is an organ, not a side.
  assert.equal(rewrite('左心室肥厚').text, '左心室肥厚');
});

test('procedure coding conventions: a removed tumour is a 病损, 活检 a 活组织检查, an implant 去除', () => {
  assert.equal(rewrite('腹股沟肿物切除术').text, '腹股沟病损切除术');
  assert.equal(rewrite('声带息肉摘除术').text, '声带病损切除术');
  assert.equal(rewrite('胫骨活检术').text, '胫骨活组织检查术');
  assert.equal(rewrite('锁骨内固定取出术').text, '锁骨内固定装置去除术');
  assert.equal(rewrite('甲状腺全切术').text, '甲状腺全部切除术');
  // A tumour not being removed stays a tumour.
  assert.equal(rewrite('肺肿物穿刺术').text, '肺肿物穿刺术');
});

test('X癌 becomes X恶性肿瘤 and metastasis 继发恶性肿瘤 for diagnoses, not inside a procedure', () => {
  assert.equal(rewrite('胃低分化腺癌').text, '胃恶性肿瘤');
  assert.equal(rewrite('甲状腺乳头状癌').text, '甲状腺恶性肿瘤');
  assert.equal(rewrite('骨转移').text, '骨继发恶性肿瘤');
  assert.equal(rewrite('乳腺癌改良根治术').text, '乳腺癌改良根治术');
});
