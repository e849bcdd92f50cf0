// Dev aid: prints recommender misses on a development split so they can be grouped — never on the split
// the bench reports as held-out. Diagnoses: fit on CHIP-CDN folds 2–4 (index mod 5), misses on fold 1
// (fold 0 stays unseen). Procedures: fit on 4/5 of procedure_norm train, misses on the other 1/5 (dev unseen).
//   node --import tsx bench/terminology-misses.ts [dx|px] [limit]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv } from '../server/src/systems/common/master-data/csv.ts';
import { fit, indexNames, toItems } from './terminology-fit.ts';

const DATA = join(import.meta.dirname, '../../shared/data');
const kind = process.argv[2] ?? 'dx';
const limit = Number(process.argv[3] ?? 200);
const csv = (f: string) =>
  parseCsv(readFileSync(join(DATA, f), 'utf8').replaceAll('\r', ''))
    .slice(1)
    .map((r) => r.cells);
const tsv = (f: string) =>
  readFileSync(join(DATA, f), 'utf8')
    .replaceAll('\r', '')
    .split('\n')
    .slice(1)
    .filter(Boolean)
    .map((l) => l.split('\t'));
const table = indexNames(kind === 'dx' ? csv('chip_cdn/icd10_beijing_clinical_v601.csv') : csv('icd/icd9cm3_yb2_procedures.csv'));
const pairs: [string, string][] =
  kind === 'dx'
    ? (JSON.parse(readFileSync(join(DATA, 'chip_cdn/CHIP-CDN_train.json'), 'utf8')) as { text: string; normalized_result: string }[]).map((r) => [
        r.text,
        r.normalized_result,
      ])
    : tsv('procedure_norm/procedure_norm_train.tsv').map(([a, b]) => [a!, b!]);
const { items } = toItems(pairs, table.byName);
const train = kind === 'dx' ? items.filter((_, i) => i % 5 >= 2) : items.filter((_, i) => i % 5 !== 0);
const test = kind === 'dx' ? items.filter((_, i) => i % 5 === 1) : items.filter((_, i) => i % 5 === 0);
const { rec, weights } = fit(table.names, train, Number(process.env.MAX_TRAIN ?? 1500));
let shown = 0;
let n = 0;
let h1 = 0;
let h10 = 0;
for (const it of test) {
  if (!it.gold.size) continue;
  n++;
  const top = rec.candidates(it.text, { pool: 30, weights }).slice(0, 10);
  const r = top.findIndex((c) => it.gold.has(c.code));
  if (r === 0) h1++;
  if (r >= 0) h10++;
  if (r !== 0 && shown++ < limit)
    console.log(
      `${it.text}\t→ ${[...it.gold].map((c) => table.names.get(c)).join('##')}\t| rank ${r < 0 ? '-' : r + 1} | ${top
        .slice(0, 3)
        .map((c) => table.names.get(c.code))
        .join(' / ')}`,
    );
}
console.log(`dev split: top1 ${h1}/${n} (${((100 * h1) / n).toFixed(1)}%) top10 ${h10}/${n} (${((100 * h10) / n).toFixed(1)}%)`);
