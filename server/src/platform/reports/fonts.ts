// Chinese text in PDFs needs a CJK font. A system font is used when there is one (Debian's
// fonts-wqy-microhei in CI); on a fresh machine without it, the Noto Sans SC subsets shipped in the
// npm package @fontsource/noto-sans-sc are used instead, so reports work after `npm install` alone.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as fontkit from 'fontkit';

export interface FontFace {
  /** A name registered in the PDF document. */
  name: string;
  /** Font file (TTF/TTC/WOFF) and, for a collection, the face inside it. */
  path: string;
  family?: string;
}

/** Which font draws which character: one face for a full font, per-character for the subset fallback. */
export interface FontPlan {
  source: 'system' | 'bundled';
  faces: FontFace[];
  faceFor(codePoint: number): FontFace;
}

const SYSTEM_FONTS: { path: string; family: string }[] = [
  { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', family: 'WenQuanYiMicroHei' },
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', family: 'WenQuanYiZenHei' },
];

let bundled: FontPlan | null = null;

/** Builds the code point → subset map once: ~100 small WOFF files, loaded on first use only. */
function bundledPlan(): FontPlan {
  if (bundled) return bundled;
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve('@fontsource/noto-sans-sc/package.json')), 'files');
  const files = readdirSync(dir).filter((f) => /^noto-sans-sc-[a-z0-9]+-400-normal\.woff$/.test(f)).sort();
  const faces: FontFace[] = [];
  const byCodePoint = new Map<number, FontFace>();
  for (const f of files) {
    const face: FontFace = { name: `cjk-${faces.length}`, path: join(dir, f) };
    let chars: number[];
    try {
      chars = (fontkit.create(readFileSync(face.path)) as fontkit.Font).characterSet;
    } catch {
      continue; // one subset file of the package has no cmap table; its characters fall back
    }
    faces.push(face);
    for (const cp of chars) if (!byCodePoint.has(cp)) byCodePoint.set(cp, face);
  }
  const fallback = faces.find((f) => f.path.includes('-latin-400')) ?? faces[0];
  if (!fallback) throw new Error('reports: no bundled CJK font found in @fontsource/noto-sans-sc');
  bundled = { source: 'bundled', faces, faceFor: (cp) => byCodePoint.get(cp) ?? fallback };
  return bundled;
}

/**
 * The font plan for a PDF: WEIJIAN_CJK_FONT (path[#family]) if set, else the first system CJK font
 * found, else the bundled subsets. `prefer: 'bundled'` forces the fallback (tests).
 */
export function fontPlan(opts: { prefer?: 'system' | 'bundled' } = {}): FontPlan {
  if (opts.prefer !== 'bundled') {
    const env = process.env.WEIJIAN_CJK_FONT;
    const candidates = env ? [{ path: env.split('#')[0] ?? env, family: env.split('#')[1] ?? '' }] : SYSTEM_FONTS;
    for (const c of candidates) {
      if (!existsSync(c.path)) continue;
      const face: FontFace = { name: 'cjk', path: c.path, family: c.family || undefined };
      return { source: 'system', faces: [face], faceFor: () => face };
    }
  }
  return bundledPlan();
}
