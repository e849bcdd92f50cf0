/**
 * The SQL compiler and the evaluator must give the same hits (and the same selected values) for any
 * rule over any data. Random rules using every operator × random datasets full of NULLs, ties and
 * calendar edges, run in a real database (PGlite, or PostgreSQL with TEST_DATABASE_URL).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Database } from '../db/types.ts';
import { SeededRng } from '../world/rng.ts';
import { openTestDb } from '../../test/db.ts';
import type { Hit, Rule, RunOptions } from './ast.ts';
import { checkRule } from './check.ts';
import { compileRule, countRuleSql, runRuleSql } from './compile-sql.ts';
import { describeRule } from './describe.ts';
import { type Dataset, evaluate } from './evaluate.ts';
import { RuleGenerator, randomDataset } from './random-rules.ts';
import { createTables, loadDataset, testCatalog as catalog } from './testing.ts';

// Soak runs: RULES_AGREEMENT_SEED=7 RULES_AGREEMENT_DATASETS=50 node --import tsx --test agreement.test.ts
const SEED = Number(process.env.RULES_AGREEMENT_SEED ?? 20240229);
const DATASETS = Number(process.env.RULES_AGREEMENT_DATASETS ?? 6);
const RULES_PER_DATASET = 80;
const SIZES = { person: 14, practitioner: 6, qualification: 10, encounter: 30, fee_line: 90 };

let db: Database;
let drop: () => Promise<void>;
before(async () => {
  ({ db, drop } = await openTestDb());
  await db.transaction((tx) => createTables(tx, catalog));
});
after(() => drop());

/** Hits as comparable JSON: sorted by key, Dates as ISO text. */
function canonical(hits: Hit[]): string[] {
  return hits.map((h) => JSON.stringify({ key: h.key, values: h.values }, (_k, v) => (typeof v === 'number' && Object.is(v, -0) ? '-0' : v))).sort();
}

function report(r: Rule, opts: RunOptions, data: Dataset, sqlHits: Hit[] | Error, memHits: Hit[] | Error): string {
  const c = compileRule(catalog, r, opts);
  const lines = [
    `rule ${r.id} (${JSON.stringify(opts)}):`,
    JSON.stringify(r),
    `描述：${describeRule(catalog, r)}`,
    `SQL: ${c.text}`,
    `params: ${JSON.stringify(c.params)}`,
  ];
  if (sqlHits instanceof Error || memHits instanceof Error) {
    lines.push(`error: ${sqlHits instanceof Error ? `SQL ${sqlHits.message}` : `evaluator ${(memHits as Error).message}`}`);
    return lines.join('\n');
  }
  const a = new Map(sqlHits.map((h) => [h.key, h]));
  const b = new Map(memHits.map((h) => [h.key, h]));
  const keys = new Set([...a.keys(), ...b.keys()]);
  const rows = new Map((data[r.source] ?? []).map((row) => [row[catalog.sources.get(r.source)!.key.name] as string | number, row]));
  for (const k of keys) {
    const x = JSON.stringify(a.get(k)?.values ?? '(no hit)');
    const y = JSON.stringify(b.get(k)?.values ?? '(no hit)');
    if (x !== y) lines.push(`  key ${k}: SQL ${x} / evaluator ${y}; row ${JSON.stringify(rows.get(k))}`);
  }
  return lines.join('\n');
}

test('SQL compiler and evaluator agree on random rules over random data', { timeout: 3_600_000 }, async (t) => {
  const rng = new SeededRng(SEED, 'rules-agreement');
  const gen = new RuleGenerator(catalog, rng);
  const failures: string[] = [];
  let rules = 0;
  let withHits = 0;
  for (let d = 0; d < DATASETS; d++) {
    const data = randomDataset(catalog, rng, SIZES);
    await db.transaction((tx) => loadDataset(tx, catalog, data));
    for (let i = 0; i < RULES_PER_DATASET; i++) {
      const r = gen.rule();
      const problems = checkRule(catalog, r);
      assert.deepEqual(problems, [], `generated rule should check: ${JSON.stringify(r)}`);
      assert.ok(!describeRule(catalog, r).includes('？'), `every part of a valid rule has words: ${JSON.stringify(r)}`);
      const opts: RunOptions = { today: gen.today() };
      if (catalog.sources.get(r.source)!.changedAt && rng.chance(0.3)) opts.changedSince = '2024-02-29T15:59:59.999Z';
      let sqlHits: Hit[] | Error;
      let memHits: Hit[] | Error;
      try {
        sqlHits = await db.transaction((tx) => runRuleSql(tx, catalog, r, opts));
      } catch (e) {
        sqlHits = e as Error;
      }
      try {
        memHits = evaluate(catalog, r, data, opts);
      } catch (e) {
        memHits = e as Error;
      }
      rules++;
      const same = !(sqlHits instanceof Error) && !(memHits instanceof Error) && JSON.stringify(canonical(sqlHits)) === JSON.stringify(canonical(memHits));
      if (!same) failures.push(report(r, opts, data, sqlHits, memHits));
      else if ((sqlHits as Hit[]).length > 0) withHits++;
      if (same && i % 10 === 0) {
        const n = await db.transaction((tx) => countRuleSql(tx, catalog, r, opts));
        if (n !== (sqlHits as Hit[]).length) failures.push(`count ${n} ≠ ${(sqlHits as Hit[]).length} hits for ${r.id}`);
      }
    }
  }
  t.diagnostic(`${rules} rules over ${DATASETS} datasets, ${withHits} with hits`);
  if (failures.length) {
    assert.fail(`${failures.length} of ${rules} rules disagree:\n\n${failures.slice(0, 5).join('\n\n')}`);
  }
  // The generator must not drift into rules that never fire (that would prove nothing).
  assert.ok(withHits > rules / 5, `only ${withHits} of ${rules} rules had hits`);
});
