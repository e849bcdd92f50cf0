// PDF reports and documents (agreements, quality reports, manuals) from a small block list. Lines are
// wrapped here, character by character, because the font chain (fonts.ts) draws one string with
// several font files; pdfkit's own wrapping cannot measure across fonts.
import PDFDocument from 'pdfkit';
import { type FontFace, type FontPlan, fontPlan, MISSING_GLYPH } from './fonts.ts';

export type PdfBlock =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'keyValue'; pairs: [string, string][] }
  | { kind: 'table'; columns: string[]; rows: (string | number | null)[][] }
  | { kind: 'image'; data: Buffer; width?: number; caption?: string }
  | { kind: 'pageBreak' };

export interface PdfDoc {
  title: string;
  subtitle?: string;
  blocks: PdfBlock[];
  /** Printed at the foot of every page, left of the page number. */
  footer?: string;
}

const MARGIN = 50;
const SIZES = { title: 18, subtitle: 10, heading: 13, body: 10.5, table: 9, footer: 8 } as const;

interface Run {
  face: FontFace;
  text: string;
}

/** Control characters have no glyph: a tab is a space, the others are left out. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

class Writer {
  readonly doc: PDFKit.PDFDocument;
  private readonly plan: FontPlan;
  private readonly registered = new Set<string>();

  constructor(plan: FontPlan, title: string) {
    this.plan = plan;
    this.doc = new PDFDocument({ size: 'A4', margin: MARGIN, bufferPages: true, info: { Title: title, Producer: 'weijian', Creator: 'weijian' } });
  }

  /**
   * Registers a face with this document the first time one of its characters is drawn or measured: the font
   * parsed once by fonts.ts (pdfkit takes a fontkit font as is, and embeds only the glyphs used).
   */
  private use(face: FontFace): FontFace {
    if (!this.registered.has(face.name)) {
      this.doc.registerFont(face.name, face.font as unknown as PDFKit.Mixins.PDFFontSource);
      this.registered.add(face.name);
    }
    return face;
  }

  /** The face for a character; one no font has becomes a visible replacement (fonts.ts warns once). */
  private pick(ch: string): { face: FontFace; ch: string } | null {
    if (ch === '\t') ch = ' ';
    else if (CONTROL.test(ch)) return null;
    const face = this.plan.faceFor(ch.codePointAt(0) ?? 32);
    if (face) return { face: this.use(face), ch };
    const stand = this.plan.faceFor(MISSING_GLYPH.codePointAt(0) ?? 0x25a1);
    return stand ? { face: this.use(stand), ch: MISSING_GLYPH } : null;
  }

  get width(): number {
    return this.doc.page.width - 2 * MARGIN;
  }

  get bottom(): number {
    return this.doc.page.height - MARGIN - 14;
  }

  /** Splits text into runs of characters that share a font face. */
  runs(text: string): Run[] {
    const out: Run[] = [];
    for (const c of text) {
      const p = this.pick(c);
      if (!p) continue;
      const last = out[out.length - 1];
      if (last && last.face === p.face) last.text += p.ch;
      else out.push({ face: p.face, text: p.ch });
    }
    return out;
  }

  measure(text: string, size: number): number {
    let w = 0;
    for (const r of this.runs(text)) w += this.doc.font(r.face.name).fontSize(size).widthOfString(r.text);
    return w;
  }

  /** Greedy wrap by measured width; explicit newlines are kept. */
  wrap(text: string, size: number, width: number): string[] {
    const lines: string[] = [];
    for (const para of text.split(/\r?\n/)) {
      let line = '';
      let lineWidth = 0;
      for (const ch of para) {
        const w = this.measure(ch, size);
        if (lineWidth + w > width && line) {
          lines.push(line);
          line = '';
          lineWidth = 0;
        }
        line += ch;
        lineWidth += w;
      }
      lines.push(line);
    }
    return lines;
  }

  drawLine(text: string, x: number, y: number, size: number, color = '#000000'): void {
    let cx = x;
    for (const r of this.runs(text)) {
      this.doc.font(r.face.name).fontSize(size).fillColor(color).text(r.text, cx, y, { lineBreak: false });
      cx += this.doc.widthOfString(r.text);
    }
  }

  ensure(height: number): void {
    if (this.doc.y + height > this.bottom) this.doc.addPage();
  }

  /** Wrapped text as a block, starting at the current y. */
  block(text: string, size: number, opts: { x?: number; width?: number; color?: string; center?: boolean } = {}): void {
    const x = opts.x ?? MARGIN;
    const width = opts.width ?? this.width;
    const lh = size * 1.5;
    for (const line of this.wrap(text, size, width)) {
      this.ensure(lh);
      const lx = opts.center ? x + (width - this.measure(line, size)) / 2 : x;
      const y = this.doc.y;
      this.drawLine(line, lx, y, size, opts.color);
      this.doc.y = y + lh;
    }
  }

  table(columns: string[], rows: (string | number | null)[][]): void {
    const size = SIZES.table;
    const colW = this.width / Math.max(columns.length, 1);
    const pad = 3;
    const lh = size * 1.35;
    const drawRow = (cells: string[], header: boolean) => {
      const wrapped = cells.map((c) => this.wrap(c, size, colW - 2 * pad));
      const h = Math.max(...wrapped.map((w) => w.length), 1) * lh + 2 * pad;
      if (this.doc.y + h > this.bottom) {
        this.doc.addPage();
        if (!header) drawRow(columns, true);
      }
      const y = this.doc.y;
      if (header) this.doc.rect(MARGIN, y, this.width, h).fill('#eef2f7');
      this.doc.lineWidth(0.5).strokeColor('#b0b8c4');
      wrapped.forEach((lines, i) => {
        const x = MARGIN + i * colW;
        this.doc.rect(x, y, colW, h).stroke();
        lines.forEach((l, j) => {
          this.drawLine(l, x + pad, y + pad + j * lh, size);
        });
      });
      this.doc.y = y + h;
    };
    drawRow(columns, true);
    for (const r of rows)
      drawRow(
        columns.map((_, i) => (r[i] === null || r[i] === undefined ? '' : String(r[i]))),
        false,
      );
    this.doc.y += 8;
  }
}

/** Renders the document to a PDF buffer. Text stays extractable (embedded, subset fonts). */
export async function renderPdf(input: PdfDoc, opts: { fonts?: 'system' | 'bundled' } = {}): Promise<Buffer> {
  const w = new Writer(fontPlan({ prefer: opts.fonts }), input.title);
  const { doc } = w;
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });

  doc.y = MARGIN;
  w.block(input.title, SIZES.title, { center: true });
  if (input.subtitle) w.block(input.subtitle, SIZES.subtitle, { center: true, color: '#555555' });
  doc.y += 10;

  for (const b of input.blocks) {
    switch (b.kind) {
      case 'heading':
        w.ensure(SIZES.heading * 3);
        doc.y += 6;
        w.block(b.text, SIZES.heading);
        doc.y += 2;
        break;
      case 'paragraph':
        w.block(b.text, SIZES.body);
        doc.y += 4;
        break;
      case 'keyValue':
        for (const [k, v] of b.pairs) w.block(`${k}：${v}`, SIZES.body);
        doc.y += 4;
        break;
      case 'table':
        w.table(b.columns, b.rows);
        break;
      case 'image': {
        const width = Math.min(b.width ?? 160, w.width);
        // openImage exists in pdfkit but not in its type declarations.
        const img = (doc as unknown as { openImage(d: Buffer): { width: number; height: number } }).openImage(b.data);
        const height = (img.height / img.width) * width;
        w.ensure(height + 20);
        const y = doc.y;
        doc.image(img as unknown as Buffer, MARGIN, y, { width });
        doc.y = y + height + 4;
        if (b.caption) w.block(b.caption, SIZES.footer, { color: '#555555' });
        doc.y += 4;
        break;
      }
      case 'pageBreak':
        doc.addPage();
        doc.y = MARGIN;
        break;
    }
  }

  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const y = doc.page.height - MARGIN + 10;
    const label = `${input.footer ? `${input.footer}    ` : ''}第 ${i + 1} 页 / 共 ${range.count} 页`;
    // The footer sits inside the bottom margin; pdfkit would add a page for text drawn there.
    const saved = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    w.drawLine(label, MARGIN, y, SIZES.footer, '#777777');
    doc.page.margins.bottom = saved;
  }
  doc.end();
  await done;
  return Buffer.concat(chunks);
}
