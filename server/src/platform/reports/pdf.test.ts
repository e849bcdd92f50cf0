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
  test(`Chinese text stays extractable with the ${fonts} font, tables flow over pages`, {
    skip: fonts === 'system' && fontPlan().source !== 'system' ? 'no system CJK font here' : false,
  }, async () => {
    const pdf = await renderPdf(doc, { fonts });
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    const { pages, text } = await textOf(pdf);
    assert.ok(pages >= 2, `80 table rows need a second page, got ${pages}`);
    for (const s of [
      '数据质量报告',
      '上海市卫生健康委员会',
      '发现问题56条',
      'ICD-10编码格式错误12条',
      '上海市第一人民医院',
      '社区卫生服务中心79号',
      '医生签名',
      '第1页/共',
    ]) {
      assert.ok(text.includes(s), `missing "${s}"`);
    }
  });
}

test('without any system font every character given comes back from the PDF: 咳嗽, rarer GB18030 characters, Latin', async () => {
  // Each of these broke or would break a subset-only font: 「嗽」 came back as NUL (issue #11). 㐀 and 䶵 are
  // CJK Extension A (four-byte GB18030), ➀ and ⋯ only the @fontsource subsets have.
  const line = '患者咳嗽3天，体温38.5℃；ICD-10 J20.9 急性支气管炎 㐀䶵 ➀⋯ Latin mixed: fee ¥1,234.50 (x2)';
  const pdf = await renderPdf(
    {
      title: '咳嗽',
      blocks: [
        { kind: 'paragraph', text: line },
        { kind: 'table', columns: ['诊断', '备注'], rows: [['咳嗽变异性哮喘', '嗽']] },
      ],
    },
    { fonts: 'bundled' },
  );
  const doc = await getDocumentProxy(new Uint8Array(pdf));
  const text = ((await extractText(doc, { mergePages: true })).text as string).normalize('NFC');
  assert.doesNotMatch(text, /\u0000/, 'no NUL from a glyph-less character');
  const squash = (s: string) => s.replace(/\s+/g, '');
  assert.ok(squash(text).includes(squash(line)), `extracted: ${text}`);
  for (const s of ['咳嗽变异性哮喘', '备注']) assert.ok(squash(text).includes(s), s);
});

test('WEIJIAN_CJK_FONT=bundled ignores system fonts; a character no font has is drawn as □ with a warning', async () => {
  const saved = process.env.WEIJIAN_CJK_FONT;
  process.env.WEIJIAN_CJK_FONT = 'bundled';
  const warnings: string[] = [];
  const onWarning = (w: Error & { code?: string }) => {
    if (w.code === 'WEIJIAN_PDF_GLYPH') warnings.push(w.message);
  };
  process.on('warning', onWarning);
  try {
    const plan = fontPlan();
    assert.equal(plan.source, 'bundled');
    assert.match(plan.faces[0]?.path ?? '', /NotoSansHans-Regular\.otf$/);
    // U+20000 (GB18030 four-byte, CJK Extension B) is in none of the bundled fonts.
    const pdf = await renderPdf({ title: '生僻字', blocks: [{ kind: 'paragraph', text: 'A𠀀B\u0000C' }] });
    const text = ((await extractText(await getDocumentProxy(new Uint8Array(pdf)), { mergePages: true })).text as string).replace(/\s+/g, '');
    assert.ok(text.includes('A□BC'), text);
    await new Promise((r) => setImmediate(r)); // warnings are emitted on the next tick
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /U\+20000/);
  } finally {
    process.off('warning', onWarning);
    if (saved === undefined) delete process.env.WEIJIAN_CJK_FONT;
    else process.env.WEIJIAN_CJK_FONT = saved;
  }
});

test('the bundled chain has a real glyph for every common character and reaches into the subsets for the rest', () => {
  const plan = fontPlan({ prefer: 'bundled' });
  assert.equal(plan.source, 'bundled');
  for (const ch of '卫健委签约医保高血压糖尿病慢阻肺结直肠癌咳嗽') assert.equal(plan.faceFor(ch.codePointAt(0) ?? 0), plan.faces[0], ch);
  const circled = plan.faceFor(0x2780);
  assert.ok(circled && circled !== plan.faces[0] && /noto-sans-sc-.*\.woff$/.test(circled.path), 'U+2780 from a subset');
  assert.equal(plan.faceFor(0x20000), null);
});
