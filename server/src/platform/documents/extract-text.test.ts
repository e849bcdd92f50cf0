import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../http/errors.ts';
import { decodeBase64File, extractText, sanitizeText } from './extract-text.ts';
import { buildDocx, buildPdf } from './testing.ts';

async function refused(p: Promise<unknown>, pattern: RegExp) {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof AppError, String(e));
    assert.equal(e.status, 400);
    assert.match(e.message, pattern);
    assert.equal(e.details[0]?.message, e.message);
    return true;
  });
}

test('PDF: Chinese text of every page, pages kept apart', async () => {
  const pdf = await buildPdf([['第一章 总则', 'B超检查每日不超过2次。'], ['一级护理与特级护理不得同时收取。']]);
  const r = await extractText(pdf, '收费规定.PDF');
  assert.equal(r.kind, 'pdf');
  assert.equal(r.pages?.length, 2);
  assert.match(r.pages![0]!, /第一章 总则\nB超检查每日不超过2次。/);
  assert.match(r.pages![1]!, /一级护理与特级护理不得同时收取/);
  assert.ok(r.text.includes('总则') && r.text.includes('特级护理'));
});

test('DOCX: paragraphs become lines, runs inside a paragraph are joined', async () => {
  const docx = await buildDocx(['关于规范医疗服务收费的通知', '静脉输液|每日不超过|3次。', '开展肿瘤消融治疗技术须具备相应资质。']);
  const r = await extractText(docx, 'notice.docx');
  assert.equal(r.kind, 'docx');
  assert.equal(r.pages, undefined);
  assert.deepEqual(r.text.split('\n').filter(Boolean), ['关于规范医疗服务收费的通知', '静脉输液每日不超过3次。', '开展肿瘤消融治疗技术须具备相应资质。']);
});

test('TXT: UTF-8 with and without BOM, UTF-16LE with BOM, GB18030 when not UTF-8; CRLF normalised', async () => {
  const s = '血常规每日不超过1次。\r\n床位费按日收取。';
  const want = '血常规每日不超过1次。\n床位费按日收取。';
  assert.equal((await extractText(Buffer.from(s, 'utf8'), 'a.txt')).text, want);
  assert.equal((await extractText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(s, 'utf8')]), 'a.txt')).text, want);
  assert.equal((await extractText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]), 'a.TXT')).text, want);
  // "你好，世界" in GBK/GB18030 bytes (not valid UTF-8)
  const gbk = Buffer.from([0xc4, 0xe3, 0xba, 0xc3, 0xa3, 0xac, 0xca, 0xc0, 0xbd, 0xe7]);
  assert.equal((await extractText(gbk, 'gbk.txt')).text, '你好，世界');
});

test('refused with a zh-CN 400: unsupported kinds, renamed and corrupt files, empty and binary text', async () => {
  await refused(extractText(Buffer.from('x'), 'old.doc'), /另存为 \.docx/);
  await refused(extractText(Buffer.from('x'), 'sheet.xlsx'), /不支持 \.xlsx 格式/);
  await refused(extractText(Buffer.from('x'), 'noext'), /缺少扩展名/);
  await refused(extractText(Buffer.alloc(0), 'a.txt'), /文件为空/);
  await refused(extractText(Buffer.from('plain text, not a pdf'), 'fake.pdf'), /不是 PDF/);
  const pdf = await buildPdf([['内容']]);
  await refused(extractText(pdf.subarray(0, 400), 'cut.pdf'), /已损坏/);
  await refused(extractText(Buffer.from('just text'), 'fake.docx'), /不是 DOCX/);
  const docx = await buildDocx(['内容']);
  await refused(extractText(docx.subarray(0, 60), 'cut.docx'), /已损坏/);
  await refused(extractText(Buffer.from([0x41, 0x00, 0x42, 0x00, 0x43]), 'bin.txt'), /编码无法识别/);
  await refused(extractText(Buffer.from([0xff, 0xff, 0xff, 0x81]), 'junk.txt'), /编码无法识别/);
});

test('base64 uploads: data-URL prefix accepted, garbage refused on the named field', () => {
  assert.equal(decodeBase64File(`data:text/plain;base64,${Buffer.from('你好').toString('base64')}`).toString(), '你好');
  assert.throws(
    () => decodeBase64File('not base64!!', 'file'),
    (e: AppError) => e.status === 400 && e.details[0]!.field === 'file',
  );
  assert.throws(
    () => decodeBase64File(''),
    (e: AppError) => e.status === 400,
  );
});

test('no NUL or other control character reaches the caller: a glyph-less PDF character, UTF-16 text with NUL', async () => {
  // pdfkit draws U+20000 with a font lacking it (glyph 0): pdf.js extracts that as NUL, which PostgreSQL
  // refuses in text — the first-start crash of issue #11.
  const pdf = await buildPdf([['咳𠀀嗽 A\u0001B']]);
  const r = await extractText(pdf, 'nul.pdf');
  assert.equal(r.text, '咳嗽 A B');
  assert.equal(r.pages?.[0], '咳嗽 A B');
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('血\u0000常规\u0007\f第二页\u0085', 'utf16le')]);
  assert.equal((await extractText(utf16, 'a.txt')).text, '血常规\n第二页');
});

test('sanitizeText keeps text, tabs and newlines; drops control characters; repairs lone surrogates', () => {
  assert.equal(sanitizeText('a\u0000b\tc\nd\u001be\u007ff\u009fg'), 'ab\tc\ndefg');
  assert.equal(sanitizeText('x\fy\vz'), 'x\ny\nz');
  assert.equal(sanitizeText('𠀀\ud800\udc00-\ud800'), '𠀀\ud800\udc00-\ufffd');
  assert.equal(sanitizeText('医保 ¥1,234.50 ①'), '医保 ¥1,234.50 ①');
});

test('PDF: a glyph the font cannot map never comes out as U+0000 (PostgreSQL text refuses it)', async () => {
  const { renderPdf } = await import('../reports/index.ts');
  // 嗽 is missing from the bundled font subset (the demo world's 咳嗽 made the first start fail).
  const pdf = await renderPdf({ title: '住院病历', blocks: [{ kind: 'paragraph', text: '主诉：发热、咳嗽5天，气促1天。' }] });
  const doc = await extractText(pdf, 'case.pdf');
  assert.ok(doc.text.includes('主诉：发热、咳'), doc.text);
  assert.doesNotMatch(doc.text, /[\u0000-\u0008]/);
});
