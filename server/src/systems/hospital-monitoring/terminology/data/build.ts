// Builds the shipped tables (*.tsv.gz here) from the public national code tables in ../shared/data/icd
// (see NOTICE at the repository root). Run once when the source tables change:
//   node --import tsx server/src/systems/hospital-monitoring/terminology/data/build.ts [../shared/data/icd]
// Pinyin is computed here, not at start: 47k names take ~2 s with pinyin-pro, the load must stay fast.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseCsv } from '../../../common/master-data/csv.ts';
import { pinyinKeys } from '../pinyin.ts';
import { PROCEDURE_CHAPTERS } from './procedure-chapters.ts';

const src = process.argv[2] ?? join(import.meta.dirname, '../../../../../../../shared/data/icd');
const out = import.meta.dirname;

/** A source row: every table read here has at least a code and a name column. */
type Cols = [string, string, ...string[]];
const csv = (f: string) =>
  parseCsv(readFileSync(join(src, f), 'utf8').replaceAll('\r', ''))
    .slice(1)
    .map((r) => r.cells as Cols);
const tsv = (f: string) =>
  readFileSync(join(src, f), 'utf8')
    .replaceAll('\r', '')
    .split('\n')
    .slice(1)
    .filter(Boolean)
    .map((l) => l.split('\t') as Cols);
const clean = (s: string) => s.replace(/[\t\n]/g, ' ').trim();

type Row = [code: string, display: string, parent: string, kind: string];

function write(name: string, rows: string[][]) {
  const text = rows.map((r) => r.map(clean).join('\t')).join('\n');
  writeFileSync(join(out, name), gzipSync(Buffer.from(`${text}\n`, 'utf8'), { level: 9 }));
  process.stdout.write(`${name}: ${rows.length} rows\n`);
}

function withPinyin(rows: Row[]): string[][] {
  return rows.map(([code, display, parent, kind]) => {
    const p = pinyinKeys(display);
    return [code, display, parent, kind, p.full, p.initials];
  });
}

/** ICD-10: chapter (A00-B99) → block (A00-A09) → category (A00) → 医保版 code → its x-extension. */
function diagnoses(): Row[] {
  const ranges = tsv('icd10_chapters_blocks_zh.tsv').map(([lo, hi, level, name = '']) => ({ lo, hi, level: Number(level), name, code: `${lo}-${hi}` }));
  // The source table stops at T98: chapters XX–XXII (their blocks and categories are not in it either;
  // their codes hang directly under the chapter) and the two blocks of chapter XXII.
  if (!ranges.some((r) => r.lo === 'V01')) {
    ranges.push(
      { lo: 'V01', hi: 'Y98', level: 1, name: '疾病和死亡的外因', code: 'V01-Y98' },
      { lo: 'Z00', hi: 'Z99', level: 1, name: '影响健康状态和与保健机构接触的因素', code: 'Z00-Z99' },
      { lo: 'U00', hi: 'U99', level: 1, name: '用于特殊目的的编码', code: 'U00-U99' },
      { lo: 'U00', hi: 'U49', level: 2, name: '病因不明的新疾病的暂时性指定', code: 'U00-U49' },
      { lo: 'U82', hi: 'U85', level: 2, name: '对抗微生物药和抗肿瘤药的耐药性', code: 'U82-U85' },
    );
  }
  ranges.sort((a, b) => a.lo.localeCompare(b.lo) || a.level - b.level);
  const rows: Row[] = [];
  const seen = new Set<string>();
  const chapterOf = (lo: string, hi: string) => ranges.find((r) => r.level === 1 && r.lo <= lo && hi <= r.hi);
  for (const r of ranges) {
    if (seen.has(r.code)) continue; // a block spanning its whole chapter is the chapter
    seen.add(r.code);
    rows.push([r.code, r.name, r.level === 1 ? '' : (chapterOf(r.lo, r.hi)?.code ?? ''), r.level === 1 ? 'chapter' : 'block']);
  }
  const blockOf = (code: string) => {
    const cat = code.replace('*', '');
    const hits = ranges.filter((r) => r.lo <= cat && cat <= `${r.hi}~`);
    return hits.sort((a, b) => b.level - a.level)[0]?.code ?? '';
  };
  const cats = new Map(tsv('icd10_categories_3char_zh.tsv').map(([c, n]) => [c, n]));
  for (const [c, n] of cats) {
    if (seen.has(c)) continue;
    rows.push([c, n, blockOf(c), 'category']);
    seen.add(c);
  }
  const codes = csv('icd10_yb2_diagnoses.csv');
  const have = new Set(codes.map((r) => r[0]));
  for (const [code, name] of codes) {
    const base = code.split('+')[0]!;
    const cat = code.slice(0, 3);
    let parent: string;
    if (base !== code && have.has(base))
      parent = base; // dagger/asterisk pair under its dagger code
    else if (/x\d+$/.test(base) && have.has(base.replace(/x\d+$/, ''))) parent = base.replace(/x\d+$/, '');
    else parent = cats.has(cat) ? cat : blockOf(cat);
    rows.push([code, name, parent, 'code']);
  }
  return rows;
}

/** ICD-9-CM-3: chapter (01-05) → 医保版 code ending 00 → its extensions (…01, …x001). */
function procedures(): Row[] {
  const rows: Row[] = PROCEDURE_CHAPTERS.map(([lo, hi, name]) => [lo === hi ? lo : `${lo}-${hi}`, name, '', 'chapter']);
  const chapterOf = (c: string) => {
    const two = c.slice(0, 2);
    const ch = PROCEDURE_CHAPTERS.find(([lo, hi]) => lo <= two && two <= hi);
    return ch ? (ch[0] === ch[1] ? ch[0] : `${ch[0]}-${ch[1]}`) : '';
  };
  const codes = csv('icd9cm3_yb2_procedures.csv');
  const have = new Set(codes.map((r) => r[0]));
  for (const [code, name] of codes) {
    const x = code.replace(/x\d+$/, '');
    const base = `${code.slice(0, 5)}00`;
    let parent: string;
    if (x !== code && have.has(x)) parent = x;
    else if (base !== code && have.has(base)) parent = base;
    else parent = chapterOf(code);
    rows.push([code, name, parent, 'code']);
  }
  return rows;
}

write('icd10-yb2.tsv.gz', withPinyin(diagnoses()));
write('icd9cm3-yb2.tsv.gz', withPinyin(procedures()));
write(
  'icd10-gl2-yb2.tsv.gz',
  csv('icd10_gl2_to_yb2_map.csv').map((r) => [r[0], r[1]]),
);
write(
  'icd9cm3-gl-yb2.tsv.gz',
  csv('icd9cm3_gl_to_yb2_map.csv').map((r) => [r[0], r[1]]),
);
