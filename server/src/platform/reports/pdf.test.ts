import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractText, getDocumentProxy } from 'unpdf';
import { fontPlan } from './fonts.ts';
import { renderPdf } from './pdf.ts';

async function textOf(pdf: Buffer): Promise<{ pages: number; text: string }> {
  const doc = await getDocumentProxy(new Uint8Array(pdf));
  const { totalPages, text } = await extractText(doc, { mergePages: true });
  return { pages: totalPages, text: text.replace(/\s+/g, '') };
}

// A 1×1 red PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');

const doc = {
  title: '数据质量报告',
  subtitle: '上海市卫生健康委员会',
  footer: '测试',
  blocks: [
    { kind: 'heading' as const, text: '一、概况' },
    { kind: 'paragraph' as const, text: '本期共检查 1,234 条记录，发现问题 56 条（ICD-10 编码格式错误 12 条）。' },
    { kind: 'keyValue' as const, pairs: [['机构', '上海市第一人民医院'] as [string, string]] },
    { kind: 'table' as const, columns: ['机构', '问题数'], rows: Array.from({ length: 80 }, (_, i) => [`社区卫生服务中心${i}号`, i]) },
    { kind: 'image' as const, data: PNG, width: 40, caption: '医生签名' },
  ],
};

for (const fonts of ['system', 'bundled'] as const) {
  test(`Chinese text stays extractable with the ${fonts} font, tables flow over pages`, { skip: fonts === 'system' && fontPlan().source !== 'system' ? 'no system CJK font here' : false }, async () => {
    const pdf = await renderPdf(doc, { fonts });
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    const { pages, text } = await textOf(pdf);
    assert.ok(pages >= 2, `80 table rows need a second page, got ${pages}`);
    for (const s of ['数据质量报告', '上海市卫生健康委员会', '发现问题56条', 'ICD-10编码格式错误12条', '上海市第一人民医院', '社区卫生服务中心79号', '医生签名', '第1页/共']) {
      assert.ok(text.includes(s), `missing "${s}"`);
    }
  });
}

test('the bundled fallback covers common Chinese characters with real glyphs', () => {
  const plan = fontPlan({ prefer: 'bundled' });
  assert.equal(plan.source, 'bundled');
  const latin = plan.faceFor('A'.codePointAt(0) ?? 0);
  for (const ch of '卫健委签约医保高血压糖尿病慢阻肺结直肠癌') {
    // A character without a glyph falls back to the Latin face; every one of these must have its own.
    assert.notEqual(plan.faceFor(ch.codePointAt(0) ?? 0), latin, ch);
  }
});
