import { and, type Sql, sql } from '../../../platform/db/sql.ts';
import type { Rule } from '../../../platform/rules/index.ts';
import { compileRule } from '../../../platform/rules/index.ts';
import { analyticsCatalog } from '../indicators/catalog.ts';
import type { DqDefinition, Normalizer } from './definition.ts';
import { anchored } from './pattern.ts';

/**
 * The rows a data-quality rule flags, as one query fragment: the engine's compiled rule (set-based, inside
 * the database), wrapped to add the format test and the suggested value. Columns: rk (row key), k (row key
 * as text), inst, district, inst_name, value (text), suggested (text). Callers compose it: `from (${h}) h`.
 */
export type HitsSql = Sql;

function normalized(v: string, how: Normalizer): string {
  // Full-width dot / ideographic full stop / full-width space → ASCII; no spaces; upper case.
  const n = `upper(replace(translate(${v}, '。．　', '.. '), ' ', ''))`;
  if (how === 'upper-trim') return n;
  return `(CASE WHEN strpos(${n}, '.') = 0 AND length(${n}) > 3 THEN substr(${n}, 1, 3) || '.' || substr(${n}, 4) ELSE ${n} END)`;
}

export function hitsSql(rule: Rule, def: DqDefinition, today?: string): HitsSql {
  const c = compileRule(analyticsCatalog, rule, today ? { today } : {});
  const conds = [sql`q.c0 IS NOT NULL`, sql`q.c1 IS NOT NULL`];
  let suggested = rule.select && rule.select.length > 4 ? sql`q.c4::text` : sql`NULL::text`;
  if (def.pattern !== undefined) {
    const p = sql`${anchored(def.pattern)}::text`;
    conds.push(sql`q.c3 IS NOT NULL`, sql`q.c3::text !~ ${p}`);
    if (def.normalize) {
      const n = sql.raw(normalized('q.c3::text', def.normalize));
      suggested = sql`(CASE WHEN ${n} ~ ${p} THEN ${n} END)`;
    }
  }
  return sql`SELECT q.key AS rk, q.key::text AS k, q.c0::int8 AS inst, q.c1::text AS district, q.c2::text AS inst_name, q.c3::text AS value, ${suggested} AS suggested FROM (${c.sql}) q WHERE ${and(conds)}`;
}
