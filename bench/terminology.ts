// Terminology recommendation bench: diagnosis top-1/5/10 by 5-fold cross-validation on CHIP-CDN train
// (labels are 北京临床版 v601 names, matched to v601 codes), procedure top-1/10 on procedure_norm dev
// (labels matched to 医保版2.0 procedure names), and recommend() latency. The training sets are used
// here only (build/test); the product builds its index from the code tables and uses hand-set weights.
// Fold 0 is the untouched held-out fold: rules and features were written looking at misses on fold 1 only
// (bench/terminology-misses.ts), so its figure is reported on its own as well.
//   node --import tsx bench/terminology.ts [--data ../shared/data] [--quick]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv } from '../server/src/systems/common/master-data/csv.ts';
import { DEFAULT_WEIGHTS, FEATURE_NAMES } from '../server/src/systems/hospital-monitoring/terminology/recommend/features.ts';
import { Recommender } from '../server/src/systems/hospital-monitoring/terminology/recommend/recommender.ts';
import { evaluate, fit, indexNames, toItems } from './terminology-fit.ts';

const args = process.argv.slice(2);
const DATA = args.includes('--data') ? args[args.indexOf('--data') + 1] : join(import.meta.dirname, '../../shared/data');
const QUICK = args.includes('--quick');

const csv = (f: string) =>
  parseCsv(readFileSync(join(DATA!, f), 'utf8').replaceAll('\r', ''))
    .slice(1)
    .map((r) => r.cells);
const tsv = (f: string) =>
  readFileSync(join(DATA!, f), 'utf8')
    .replaceAll('\r', '')
    .split('\n')
    .slice(1)
    .filter(Boolean)
    .map((l) => l.split('\t'));

const pct = (a: number, b: number) => Math.round((1000 * a) / Math.max(1, b)) / 10;
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor(q * s.length))]! * 100) / 100;
};

// Diagnoses: CHIP-CDN train, 5-fold CV (fold = index mod 5), labels via 北京临床版 v601.
const v601 = indexNames(csv('chip_cdn/icd10_beijing_clinical_v601.csv'));
const cdn = JSON.parse(readFileSync(join(DATA!, 'chip_cdn/CHIP-CDN_train.json'), 'utf8')) as { text: string; normalized_result: string }[];
const dx = toItems(
  cdn.map((r) => [r.text, r.normalized_result]),
  v601.byName,
);
const folds = QUICK ? 1 : 5;
const dxAgg = { n: 0, h1: 0, h5: 0, h10: 0, recall10: 0, base1: 0, base10: 0 };
const dxTimes: number[] = [];
const perFold: { fold: number; texts: number; top1: number; top10: number }[] = [];
let dxWeights: number[] = [];
for (let f = 0; f < folds; f++) {
  const train = dx.items.filter((_, i) => i % 5 !== f);
  const test = dx.items.filter((_, i) => i % 5 === f);
  const t0 = Date.now();
  const { rec, weights } = fit(v601.names, train, QUICK ? 800 : 2000);
  const learned = evaluate(rec, weights, test, [1, 5, 10]);
  const base = evaluate(rec, DEFAULT_WEIGHTS, test, [1, 10]);
  dxAgg.n += learned.n;
  dxAgg.h1 += learned.hits[1]!;
  dxAgg.h5 += learned.hits[5]!;
  dxAgg.h10 += learned.hits[10]!;
  dxAgg.recall10 += learned.labelRecall10 * learned.n;
  dxAgg.base1 += base.hits[1]!;
  dxAgg.base10 += base.hits[10]!;
  dxTimes.push(...learned.times);
  dxWeights = weights;
  perFold.push({ fold: f, texts: learned.n, top1: pct(learned.hits[1]!, learned.n), top10: pct(learned.hits[10]!, learned.n) });
  process.stdout.write(
    `fold ${f + 1}/${folds}: top1 ${pct(learned.hits[1]!, learned.n)}% top10 ${pct(learned.hits[10]!, learned.n)}% (hand-set weights: ${pct(base.hits[1]!, base.n)}%) ${Date.now() - t0} ms\n`,
  );
}

// Procedures: procedure_norm train → dev; labels are 医保版2.0 procedure names.
const yb = indexNames(csv('icd/icd9cm3_yb2_procedures.csv'));
const px = {
  train: toItems(
    tsv('procedure_norm/procedure_norm_train.tsv').map(([a, b]) => [a!, b!]),
    yb.byName,
  ),
  dev: toItems(
    tsv('procedure_norm/procedure_norm_dev.tsv').map(([a, b]) => [a!, b!]),
    yb.byName,
  ),
};
const pfit = fit(yb.names, px.train.items, QUICK ? 800 : 4000);
const pres = evaluate(pfit.rec, pfit.weights, px.dev.items, [1, 5, 10]);
const pbase = evaluate(pfit.rec, DEFAULT_WEIGHTS, px.dev.items, [1, 10]);
process.stdout.write(`procedures: top1 ${pct(pres.hits[1]!, pres.n)}% top10 ${pct(pres.hits[10]!, pres.n)}%\n`);

// The product as shipped: names only (no training mentions, no coded examples), hand-set weights.
const plainDx = new Recommender(
  [...v601.names].map(([code, text]) => ({ code, text, source: 'name' })),
  v601.names,
);
const plainDxRes = evaluate(plainDx, DEFAULT_WEIGHTS, dx.items, [1, 10]);
const plainPx = new Recommender(
  [...yb.names].map(([code, text]) => ({ code, text, source: 'name' })),
  yb.names,
);
const plainPxRes = evaluate(plainPx, DEFAULT_WEIGHTS, px.dev.items, [1, 10]);

// Latency of the product path (recommend(): candidates, re-rank, reasons) on the diagnosis index.
const lastFold = fit(
  v601.names,
  dx.items.filter((_, i) => i % 5 !== 0),
  500,
);
const lat: number[] = [];
for (const it of dx.items.filter((_, i) => i % 5 === 0).slice(0, 500)) {
  const t0 = performance.now();
  lastFold.rec.recommend({ text: it.text, limit: 10 });
  lat.push(performance.now() - t0);
}

const result = {
  date: new Date().toISOString(),
  machine: 'shared 2-core dev machine (7 other developers running in parallel)',
  diagnosis: {
    data: 'CHIP-CDN train (6,000 texts), 5-fold CV; labels = 北京临床版 v601 names → v601 codes',
    index:
      'v601 names (40,474) + mentions of the other folds (single-label texts; multi-label segments aligned to a label) + those folds as coded examples (kNN)',
    folds,
    texts: dxAgg.n,
    labelsUnmatched: `${dx.unmatched} of ${dx.labels} labels not found in v601 by name (their texts can still hit other labels)`,
    top1: pct(dxAgg.h1, dxAgg.n),
    top5: pct(dxAgg.h5, dxAgg.n),
    top10: pct(dxAgg.h10, dxAgg.n),
    labelRecallAt10: Math.round((1000 * dxAgg.recall10) / Math.max(1, dxAgg.n)) / 10,
    handSetWeights: { top1: pct(dxAgg.base1, dxAgg.n), top10: pct(dxAgg.base10, dxAgg.n) },
    perFold,
    heldOut: {
      note: 'fold 0 (index mod 5 = 0): never looked at while the rewrite rules and features were written (misses were studied on fold 1 with folds 2–4 as training, bench/terminology-misses.ts); its figure is the untouched held-out accuracy',
      ...perFold[0],
    },
    metric: 'top-k = at least one gold label among the first k codes (CHIP-CDN texts carry 1–n labels)',
    learnedWeights: Object.fromEntries([...FEATURE_NAMES, 'bias'].map((n, i) => [n, Math.round(dxWeights[i]! * 1000) / 1000])),
  },
  procedure: {
    data: 'procedure_norm train (4,000) → dev (1,000); labels = 医保版2.0 procedure names',
    texts: pres.n,
    labelsUnmatched: `${px.dev.unmatched} of ${px.dev.labels} dev labels not found in 医保版2.0 by name`,
    top1: pct(pres.hits[1]!, pres.n),
    top5: pct(pres.hits[5]!, pres.n),
    top10: pct(pres.hits[10]!, pres.n),
    handSetWeights: { top1: pct(pbase.hits[1]!, pbase.n), top10: pct(pbase.hits[10]!, pbase.n) },
  },
  namesOnly: {
    note: 'the product as shipped: index of the code table names only, hand-set weights, no training data',
    diagnosis: { top1: pct(plainDxRes.hits[1]!, plainDxRes.n), top10: pct(plainDxRes.hits[10]!, plainDxRes.n) },
    procedure: { top1: pct(plainPxRes.hits[1]!, plainPxRes.n), top10: pct(plainPxRes.hits[10]!, plainPxRes.n) },
  },
  latencyMs: {
    candidatesP50: quantile(dxTimes, 0.5),
    candidatesP95: quantile(dxTimes, 0.95),
    recommendP50: quantile(lat, 0.5),
    recommendP95: quantile(lat, 0.95),
  },
  targets: { diagnosisTop1: 75, diagnosisTop10: 95, procedureTop1: 85, p50Ms: 20 },
};

const day = result.date.slice(0, 10);
const out = join(import.meta.dirname, 'results');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, `${day}-terminology.json`), `${JSON.stringify(result, null, 2)}\n`);
const ok = (v: number, t: number, lower = false) => ((lower ? v <= t : v >= t) ? '达标' : '未达标');
writeFileSync(
  join(out, `${day}-terminology.md`),
  `# 术语推荐基准（${day}）

机器：${result.machine}。命令：\`node --import tsx bench/terminology.ts\`。

| 指标 | 结果 | 目标 | |
|---|---|---|---|
| 诊断 top-1（CHIP-CDN 训练集 ${folds} 折交叉验证，${dxAgg.n} 条） | ${result.diagnosis.top1}% | ≥ 75% | ${ok(result.diagnosis.top1, 75)} |
| 诊断 top-1 / top-10，未看过的留出折（第 0 折，${result.diagnosis.heldOut.texts} 条） | ${result.diagnosis.heldOut.top1}% / ${result.diagnosis.heldOut.top10}% | | |
| 诊断 top-5 | ${result.diagnosis.top5}% | | |
| 诊断 top-10 | ${result.diagnosis.top10}% | ≥ 95% | ${ok(result.diagnosis.top10, 95)} |
| 诊断标签召回@10（按标签计） | ${result.diagnosis.labelRecallAt10}% | | |
| 手术 top-1（procedure_norm dev，${pres.n} 条） | ${result.procedure.top1}% | ≥ 85% | ${ok(result.procedure.top1, 85)} |
| 手术 top-10 | ${result.procedure.top10}% | | |
| 推荐延迟 p50 / p95 | ${result.latencyMs.recommendP50} / ${result.latencyMs.recommendP95} ms | p50 ≤ 20 ms | ${ok(result.latencyMs.recommendP50, 20, true)} |

- top-k：前 k 个代码中至少有一个是标注代码（CHIP-CDN 一条文本可有多个标注）。
- 诊断：标注为北京临床版 v601 名称，按名称对到 v601 代码；${result.diagnosis.labelsUnmatched}。
- 手术：${result.procedure.labelsUnmatched}。
- 方法：字符 1–3 元 BM25 召回（名称 + 训练折中的写法：单标注全文、多标注按段对齐到标注），近邻已编码病例（整段文本 BM25 前 10 条）的代码投票，逐段（按标点、“+”、“伴/并”切分，“不伴”不切）召回，每段另以改写后的编码表写法再召回一次（recommend/rewrite.ts），线性重排（先逻辑回归，再按每条文本的候选做列表式 softmax 细调，直接优化“标注排第一”；特征 ${FEATURE_NAMES.join('、')}；codePrecision 为该代码在训练文本中作为候选时是正确答案的比例，留一估计）。
- 同一索引（含训练写法与近邻病例）改用产品内置的手设权重：诊断 top-1 ${result.diagnosis.handSetWeights.top1}% / top-10 ${result.diagnosis.handSetWeights.top10}%，手术 top-1 ${result.procedure.handSetWeights.top1}% / top-10 ${result.procedure.handSetWeights.top10}%。
- 产品发布时的状态（只有代码表名称、手设权重、无任何训练数据）：诊断 top-1 ${result.namesOnly.diagnosis.top1}% / top-10 ${result.namesOnly.diagnosis.top10}%，手术 top-1 ${result.namesOnly.procedure.top1}% / top-10 ${result.namesOnly.procedure.top10}%。用户经变更申请补充同义词后，这些同义词即进入索引。
- 学习与评测分开：每一折的写法索引、近邻病例、代码命中率（codePrecision）和重排权重只从该折的训练部分学得，评测文本从未参与；手术只用 procedure_norm train 学习、在 dev 上评测。
- 改写规则（缩写、“待查/可能”、分期、左右侧、肿物→病损、X癌→X恶性肿瘤等，见 recommend/rewrite.ts）是手写的通用编码习惯，不是从这些数据集中挖掘的；编写时只看了开发切分（诊断第 1 折、以第 2–4 折训练；手术 train 的 1/5、以其余 4/5 训练）上的未命中，诊断第 0 折与手术 dev 没有看过（例外：本轮开始时曾看过一次手术 dev 上“仅名称”模型的约 60 条未命中）。
- 各折：${perFold.map((p) => `第 ${p.fold} 折 ${p.top1}% / ${p.top10}%`).join('，')}。
- 训练数据（CHIP-CDN、procedure_norm）只在基准中使用，不随产品发布。
`,
);
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
