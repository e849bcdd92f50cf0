// Chinese text in PDFs needs CJK fonts, and no single font is guaranteed: a bare machine has no system
// font at all. So each character is drawn with the first font of a chain that really has its glyph:
//   1. WEIJIAN_CJK_FONT (a path) or, unless WEIJIAN_CJK_FONT=bundled, a system CJK font (CI: wqy-microhei);
//   2. Noto Sans Hans from npm @embedpdf/fonts-sc (OFL; ~30,000 characters: GB2312, GBK's CJK block, Latin);
//   3. the Noto Sans SC web-font subsets of npm @fontsource/noto-sans-sc, opened only for a character the
//      fonts above lack (rarer GB18030 characters);
//   4. nothing has it: a visible □ and a process warning — never a glyph-less character, which text
//      extraction turns into NUL (the first-start crash of issue #11).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as fontkit from 'fontkit';

export interface FontFace {
  /** A name registered in the PDF document. */
  name: string;
  /** Font file (TTF/TTC/OTF/WOFF) and, for a collection, the face inside it (its PostScript name). */
  path: string;
  family?: string;
  /** The parsed font, read once per process and handed to pdfkit as is: no PDF reads or parses it again. */
  font: fontkit.Font;
}

/** Which font draws which character. */
export interface FontPlan {
  /** Whether the first font of the chain is a system (or configured) font or the bundled one. */
  source: 'system' | 'bundled';
  /** The chain, first choice first (the subset fallbacks are added as they are needed). */
  faces: FontFace[];
  /** The first face with a glyph for the code point; null when no font has one. */
  faceFor(codePoint: number): FontFace | null;
}

/** Drawn, with a warning, for a character no font of the chain has (Noto Sans Hans has it). */
export const MISSING_GLYPH = '□';

const SYSTEM_FONTS: { path: string; family: string }[] = [
  { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', family: 'WenQuanYiMicroHei' },
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', family: 'WenQuanYiZenHei' },
];

const require = createRequire(import.meta.url);

/** The font, if it opens and answers glyph look-ups (one subset file of @fontsource has no cmap table). */
function load(name: string, path: string, family?: string): FontFace | null {
  try {
    const font = fontkit.create(readFileSync(path), family || undefined) as fontkit.Font | null;
    if (!font || typeof font.hasGlyphForCodePoint !== 'function') return null; // a collection without that face
    font.hasGlyphForCodePoint(0x4e00);
    return { name, path, family: family || undefined, font };
  } catch {
    return null; // unreadable, or no usable cmap
  }
}

/** Noto Sans Hans Regular of @embedpdf/fonts-sc (the package exports no path: found beside its entry point). */
export function bundledFontPath(): string {
  const entry = require.resolve('@embedpdf/fonts-sc');
  return join(dirname(entry), '..', 'fonts', 'NotoSansHans-Regular.otf');
}

let subsets: FontFace[] | null = null;

/** The @fontsource/noto-sans-sc subsets (~100 small WOFF files), opened on the first character that needs them. */
function subsetFaces(): FontFace[] {
  if (subsets) return subsets;
  const dir = join(dirname(require.resolve('@fontsource/noto-sans-sc/package.json')), 'files');
  const files = readdirSync(dir)
    .filter((f) => /^noto-sans-sc-[a-z0-9]+-400-normal\.woff$/.test(f))
    .sort();
  subsets = [];
  for (const f of files) {
    const face = load(`cjk-subset-${subsets.length}`, join(dir, f));
    if (face) subsets.push(face);
  }
  return subsets;
}

/**
 * Where the chain starts. WEIJIAN_CJK_FONT: unset = the first system CJK font found; `bundled` = no system
 * font (what a bare machine gets; tests and the CI smoke use it); otherwise `path` or `path#PostScriptName`.
 */
function primary(prefer: 'system' | 'bundled' | undefined): FontFace | null {
  const env = process.env.WEIJIAN_CJK_FONT?.trim();
  if (prefer === 'bundled' || env === 'bundled') return null;
  if (env) {
    const [path = env, family] = env.split('#');
    const l = existsSync(path) ? load('cjk-primary', path, family) : null;
    if (l) return l;
    process.emitWarning(`WEIJIAN_CJK_FONT=${env} cannot be opened as a font: using the system/bundled fonts`, { code: 'WEIJIAN_CJK_FONT' });
  }
  for (const c of SYSTEM_FONTS) {
    if (!existsSync(c.path)) continue;
    const l = load('cjk-primary', c.path, c.family);
    if (l) return l;
  }
  return null;
}

const plans = new Map<string, FontPlan>();
const warned = new Set<number>();

/**
 * The font chain for a PDF (cached per configuration). `prefer: 'bundled'` ignores system fonts and
 * WEIJIAN_CJK_FONT, as on a machine without any font.
 */
export function fontPlan(opts: { prefer?: 'system' | 'bundled' } = {}): FontPlan {
  const key = `${opts.prefer ?? ''}|${process.env.WEIJIAN_CJK_FONT ?? ''}`;
  const cached = plans.get(key);
  if (cached) return cached;
  const first = primary(opts.prefer);
  const bundled = load('cjk-bundled', bundledFontPath());
  if (!bundled) throw new Error(`reports: the bundled CJK font cannot be opened (${bundledFontPath()}); reinstall @embedpdf/fonts-sc`);
  const chain = first ? [first, bundled] : [bundled];
  const faces = [...chain];
  const byCodePoint = new Map<number, FontFace | null>();
  const plan: FontPlan = {
    source: first ? 'system' : 'bundled',
    faces,
    faceFor(cp) {
      const known = byCodePoint.get(cp);
      if (known !== undefined) return known;
      let found = chain.find((f) => f.font.hasGlyphForCodePoint(cp)) ?? null;
      if (!found && cp > 0x7f) {
        found = subsetFaces().find((f) => f.font.hasGlyphForCodePoint(cp)) ?? null;
        if (found && !faces.includes(found)) faces.push(found);
      }
      if (!found && !warned.has(cp)) {
        warned.add(cp);
        const hex = cp.toString(16).toUpperCase().padStart(4, '0');
        process.emitWarning(`PDF: no font has a glyph for U+${hex} (${String.fromCodePoint(cp)}); drawn as ${MISSING_GLYPH}`, { code: 'WEIJIAN_PDF_GLYPH' });
      }
      byCodePoint.set(cp, found);
      return found;
    },
  };
  plans.set(key, plan);
  return plan;
}
