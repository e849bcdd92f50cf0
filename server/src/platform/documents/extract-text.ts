import { extractText as pdfText, getDocumentProxy } from 'unpdf';
import { AppError } from '../http/errors.ts';

export type DocumentKind = 'pdf' | 'docx' | 'txt';

export interface ExtractedText {
  kind: DocumentKind;
  /** The whole text, pages joined by a blank line (PDF), paragraphs by newlines (DOCX). */
  text: string;
  /** PDF only: the text of each page. */
  pages?: string[];
}

/** 7 MiB: a file sent as base64 in JSON (×4/3) still fits the default 10 MiB request body limit. */
export const MAX_DOCUMENT_BYTES = 7 * 1024 * 1024;

const SUPPORTED = '仅支持 PDF、DOCX 和 TXT 文件';

const bad = (message: string, field = 'file') => new AppError(400, 'UNSUPPORTED_DOCUMENT', message, [{ field, message }]);

/** The kind from the file name; old binary Word and other formats are refused with a hint. */
export function documentKind(filename: string): DocumentKind {
  const ext = /\.([A-Za-z0-9]+)$/.exec(filename.trim())?.[1]?.toLowerCase();
  if (ext === 'pdf' || ext === 'docx' || ext === 'txt') return ext;
  if (ext === 'doc' || ext === 'wps') throw bad(`不支持 .${ext} 格式，请在 Word 中另存为 .docx 后上传`);
  throw bad(ext ? `不支持 .${ext} 格式，${SUPPORTED}` : `文件名缺少扩展名，${SUPPORTED}`);
}

/**
 * Text of an uploaded document. The kind comes from the file name and must match the content (a
 * renamed file is refused rather than half-read). A scanned PDF yields empty text, not an error: the
 * caller decides whether text is required.
 */
export async function extractText(data: Buffer, filename: string): Promise<ExtractedText> {
  const kind = documentKind(filename);
  if (data.length === 0) throw bad('文件为空');
  if (data.length > MAX_DOCUMENT_BYTES) throw bad(`文件过大：不能超过 ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB`);
  if (kind === 'pdf') return readPdf(data);
  if (kind === 'docx') return readDocx(data);
  return { kind, text: normalize(decodeText(data)) };
}

async function readPdf(data: Buffer): Promise<ExtractedText> {
  if (data.subarray(0, 1024).indexOf('%PDF-') < 0) throw bad('文件内容不是 PDF，或文件已损坏');
  let pages: string[];
  try {
    // pdf.js takes ownership of the array it is given: hand it a copy, never the caller's buffer.
    const doc = await getDocumentProxy(new Uint8Array(data));
    pages = (await pdfText(doc, { mergePages: false })).text;
    await doc.destroy();
  } catch (e) {
    const msg = (e as Error).message ?? '';
    if (/password/i.test(msg)) throw bad('PDF 文件已加密，请去除密码后上传');
    throw bad('PDF 文件已损坏，无法读取');
  }
  const clean = pages.map(normalize);
  return { kind: 'pdf', text: clean.join('\n\n').trim(), pages: clean };
}

async function readDocx(data: Buffer): Promise<ExtractedText> {
  if (data.readUInt32LE(0) !== 0x04034b50) throw bad('文件内容不是 DOCX（可能是旧版 .doc 改名或文件已损坏）');
  try {
    // Loaded on the first DOCX, not with every process.
    const { default: mammoth } = await import('mammoth');
    const r = await mammoth.extractRawText({ buffer: data });
    return { kind: 'docx', text: normalize(r.value) };
  } catch {
    throw bad('DOCX 文件已损坏，无法读取');
  }
}

/**
 * Plain text: UTF-8 (BOM dropped), UTF-16 with a BOM, otherwise GB18030 (which also covers GBK/GB2312,
 * what Windows editors in China save). Binary content is refused.
 */
export function decodeText(data: Buffer): string {
  if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) return utf8(data.subarray(3)) ?? refuseText();
  if (data[0] === 0xff && data[1] === 0xfe) return new TextDecoder('utf-16le').decode(data.subarray(2));
  if (data[0] === 0xfe && data[1] === 0xff) return new TextDecoder('utf-16be').decode(data.subarray(2));
  if (data.includes(0)) refuseText();
  const u = utf8(data);
  if (u !== null) return u;
  try {
    return new TextDecoder('gb18030', { fatal: true }).decode(data);
  } catch {
    return refuseText();
  }
}

function utf8(data: Buffer): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return null;
  }
}

function refuseText(): never {
  throw bad('文本文件编码无法识别（请使用 UTF-8 或 GBK 编码）');
}

/**
 * The one sanitiser every extracted text passes (PDF, DOCX, TXT): PostgreSQL refuses NUL in text, and
 * other control characters are nothing a reader sees. A PDF drawn with a font lacking a glyph yields NUL
 * for it (issue #11); a form feed or vertical tab is a line break; a lone UTF-16 surrogate (a broken
 * pdf.js mapping) becomes U+FFFD. Tabs and newlines stay.
 */
export function sanitizeText(s: string): string {
  return s
    .replace(/[\f\v]/g, '\n')
    .replace(/[\u0000-\u0008\u000e-\u001f\u007f-\u009f]/g, '')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/** Sanitised; Unix newlines, no trailing spaces, at most one blank line in a row; full-width spaces kept out of line ends. */
function normalize(s: string): string {
  return sanitizeText(s)
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t\u3000\u00a0]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** The bytes of a base64 upload; 400 on the given field when it is not base64 or too large. */
export function decodeBase64File(b64: string, field = 'contentBase64'): Buffer {
  const clean = b64.replace(/^data:[^;,]*;base64,/, '').replace(/\s+/g, '');
  if (clean.length === 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) {
    throw new AppError(400, 'VALIDATION_FAILED', '文件内容不是有效的 Base64 编码', [{ field, message: '文件内容不是有效的 Base64 编码' }]);
  }
  const buf = Buffer.from(clean, 'base64');
  if (buf.length > MAX_DOCUMENT_BYTES) throw bad(`文件过大：不能超过 ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB`, field);
  return buf;
}
