/**
 * The rule engine's expression tree — the one shared language of compliance monitors, data-quality
 * checks, key-population tags, subsidy eligibility and internet-hospital QC.
 *
 * Design
 * - A rule is plain JSON (storable, versioned, diffable): `{ id, version, source, title, when, select }`
 *   over a data catalog (catalog.ts). Field refs name catalog fields, optionally walking "to-one"
 *   relations (`encounter.person.birth_date`); aggregations walk "to-many" relations or window over
 *   sibling rows of the same source. Nothing in a rule is ever pasted into SQL: identifiers come from the
 *   catalog, values become parameters.
 * - checkRule (check.ts) types the tree and lists zh-CN problems; compiling or evaluating an invalid
 *   rule throws RuleError. typeOf is the single place an expression's type is decided.
 * - Two back ends with one meaning, kept equal by agreement.test.ts (random rules × random data):
 *   compile-sql.ts turns a rule into one set-based PostgreSQL query (aggregations become grouped
 *   subqueries joined back on their keys); evaluate.ts turns it once into JavaScript closures for
 *   single records and previews.
 * - Semantics are PostgreSQL's, written down so both sides can follow them:
 *   · NULL: comparisons with NULL are unknown; and/or/not are Kleene's; a rule hits only when `when`
 *     is true. `isNull` is never unknown. `in` never contains NULL.
 *   · integer ÷ integer truncates toward zero; anything with a `number` is computed in float8 (IEEE
 *     double, the evaluator's own arithmetic); division by zero gives NULL instead of an error so one
 *     bad row cannot abort a run over millions.
 *   · `sum` of a number field is exact: number fields declare their scale (numeric(p, s)) and the
 *     evaluator adds scaled integers, so 0.1 + 0.2 sums to 0.3 on both sides, not 0.30000000000000004.
 *     Data given to the evaluator must respect that scale, as the column would.
 *   · dates: `+ N months|years` clamps to the month end (2024-01-31 + 1 month = 2024-02-29);
 *     `age` is full years (birthday not reached yet → one less; 29 Feb birthdays count on 1 Mar in
 *     common years); `daysBetween(a, b)` = b − a; `dateOf(timestamp)` and window keys on timestamps
 *     use the fixed UTC+8 offset (Shanghai, no DST since 1991).
 *   · text: `=`/`<>`, `in`, `startsWith`, `contains` are exact (case-sensitive); ordering (`<`,
 *     `between`, min/max) is by Unicode code point — the SQL side says `COLLATE "C"` so the database's
 *     locale cannot change the answer. Codes are compared for equality and prefix only.
 *   · timestamps carry milliseconds (JavaScript's precision); store no finer where rules read them.
 *   · `today` is the run's reference date (an option, default today in Shanghai), never the clock
 *     inside the query, so a preview and a run on the same day agree.
 * - Aggregations (`agg`): count / sum / min / max / countDistinct of rows
 *   · along a relation path with a "many" hop (`over: ['fee_lines']`: per encounter;
 *     `over: ['encounter', 'practitioner', 'qualifications']` from a fee line), or
 *   · over rows of the rule's own source sharing the window keys (`by: [patient, day]`: per patient per
 *     day; `by: [practitioner, trunc(month)]`: per practitioner per month),
 *   with an optional filter `where` read on the aggregated rows. A row whose window key is NULL is in
 *   no window; an empty window counts 0 and sums/mins/maxes NULL. Paths are walked as inner joins
 *   (a dangling or NULL link reaches nothing; rows reached twice count twice). Aggregates do not nest
 *   and `where` cannot see the outer row (both keep the SQL a set of grouped subqueries).
 * - Rule objects are values: the evaluator caches its compilation per object, so edit a copy.
 */
import type { ValueType } from './catalog.ts';

export type { ValueType };

/** A constant. `type` is required for null, dates and timestamps; otherwise it is inferred. */
export interface Lit {
  kind: 'lit';
  value: string | number | boolean | null;
  type?: ValueType;
}

/** A field of the current row, or of a row reached along "to-one" relations (`path`). */
export interface FieldRef {
  kind: 'field';
  path?: string[];
  name: string;
}

/** The run's reference date. */
export interface Today {
  kind: 'today';
}

export type CompareOp = '=' | '<>' | '<' | '<=' | '>' | '>=';

export interface Compare {
  kind: 'cmp';
  op: CompareOp;
  left: Expr;
  right: Expr;
}

export interface And {
  kind: 'and';
  args: Expr[];
}

export interface Or {
  kind: 'or';
  args: Expr[];
}

export interface Not {
  kind: 'not';
  arg: Expr;
}

/** Set membership; values are constants of the argument's type (dates as 'YYYY-MM-DD'). */
export interface In {
  kind: 'in';
  arg: Expr;
  values: (string | number | boolean)[];
}

/** low ≤ arg ≤ high (both ends included, like SQL BETWEEN). */
export interface Between {
  kind: 'between';
  arg: Expr;
  low: Expr;
  high: Expr;
}

export interface IsNull {
  kind: 'isNull';
  arg: Expr;
}

export interface StartsWith {
  kind: 'startsWith';
  arg: Expr;
  prefix: string;
}

export interface Contains {
  kind: 'contains';
  arg: Expr;
  text: string;
}

export type DateUnit = 'day' | 'month' | 'year';

/** date + n units (n an integer expression, may be negative). */
export interface DateAdd {
  kind: 'dateAdd';
  arg: Expr;
  n: Expr;
  unit: DateUnit;
}

/** Full years from `birth` to `at`. */
export interface Age {
  kind: 'age';
  birth: Expr;
  at: Expr;
}

/** Days from `from` to `to` (to − from). */
export interface DaysBetween {
  kind: 'daysBetween';
  from: Expr;
  to: Expr;
}

/** The calendar date (UTC+8) of a timestamp. */
export interface DateOf {
  kind: 'dateOf';
  arg: Expr;
}

/** First day of the month or year of a date or timestamp (for "same month" windows). */
export interface DateTrunc {
  kind: 'trunc';
  arg: Expr;
  unit: 'month' | 'year';
}

export type ArithOp = '+' | '-' | '*' | '/';

export interface Arith {
  kind: 'arith';
  op: ArithOp;
  left: Expr;
  right: Expr;
}

export type AggFn = 'count' | 'sum' | 'min' | 'max' | 'countDistinct';

/**
 * An aggregate over related rows (`over`, a relation path from the current source whose last "many"
 * hop reaches the rows) or over sibling rows of the current source sharing the window keys (`by`).
 * `of` (required except for count) and `where` are read on the aggregated rows.
 */
export interface Agg {
  kind: 'agg';
  fn: AggFn;
  over?: string[];
  by?: Expr[];
  of?: FieldRef;
  where?: Expr;
}

export type Expr =
  | Lit
  | FieldRef
  | Today
  | Compare
  | And
  | Or
  | Not
  | In
  | Between
  | IsNull
  | StartsWith
  | Contains
  | DateAdd
  | Age
  | DaysBetween
  | DateOf
  | DateTrunc
  | Arith
  | Agg;

export type ExprKind = Expr['kind'];

/** A value reported with each hit (a field, or e.g. the count that made the rule fire). */
export interface SelectItem {
  name: string;
  title?: string;
  expr: Expr;
}

export interface Rule {
  id: string;
  version: number;
  /** The catalog source whose rows the rule judges; a hit is one of its rows. */
  source: string;
  title: string;
  /** Boolean expression; the row is a hit when it is true (not false, not unknown). */
  when: Expr;
  select?: SelectItem[];
}

/** One matching row: its primary key and the selected values (dates 'YYYY-MM-DD', timestamps Date). */
export interface Hit {
  key: string | number;
  values: Record<string, unknown>;
}

/** Options shared by both back ends so they answer the same question. */
export interface RunOptions {
  /** Reference date for `today` ('YYYY-MM-DD'); default: today in Shanghai. */
  today?: string;
  /** Incremental run: only rows whose catalog `changedAt` is after this instant. */
  changedSince?: string | Date;
}
