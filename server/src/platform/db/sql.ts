/**
 * The one way to build a query with values in it: a tagged template whose `${…}` are parameters, never
 * text. Fragments nest (`${otherFragment}` splices its SQL and its values), so a query is assembled from
 * readable pieces and its placeholders are numbered once, by `compile`, when it is sent. Text that is not
 * a value goes in only through `sql.raw` (vetted constants: column lists, keywords) or `sql.ident`.
 */
export class Sql {
  /** Always one more string than values; no value is itself a fragment (nested ones are spliced). */
  readonly strings: readonly string[];
  readonly values: readonly unknown[];

  constructor(strings: readonly string[], values: readonly unknown[]) {
    // `cur` is the text after the last value so far; a nested fragment's first and last strings join it.
    const s: string[] = [];
    const v: unknown[] = [];
    let cur = strings[0] ?? '';
    values.forEach((value, i) => {
      if (value instanceof Sql) {
        cur += value.strings[0] ?? '';
        value.values.forEach((inner, j) => {
          s.push(cur);
          v.push(inner);
          cur = value.strings[j + 1] ?? '';
        });
      } else {
        s.push(cur);
        v.push(value);
        cur = '';
      }
      cur += strings[i + 1] ?? '';
    });
    s.push(cur);
    this.strings = s;
    this.values = v;
  }

  /** Text with $1, $2 … and the values in that order — what the driver takes. */
  compile(): { text: string; values: unknown[] } {
    let text = this.strings[0] ?? '';
    for (let i = 0; i < this.values.length; i++) text += '$' + String(i + 1) + (this.strings[i + 1] ?? '');
    return { text, values: [...this.values] };
  }

  get isEmpty(): boolean {
    return this.values.length === 0 && this.strings.every((x) => x.trim() === '');
  }
}

/** A condition or nothing: falsy parts are skipped, so `f.kind && sql`kind = ${f.kind}`` reads as intended. */
export type SqlPart = Sql | false | null | undefined | '' | 0;

function tag(strings: TemplateStringsArray, ...values: unknown[]): Sql {
  return new Sql(strings, values);
}

const present = (parts: readonly SqlPart[]): Sql[] => parts.filter((p): p is Sql => p instanceof Sql && !p.isEmpty);

/** `sql\`select … where a = ${x}\``: every `${}` is a parameter unless it is a fragment. */
export const sql = Object.assign(tag, {
  /** Verbatim SQL text: only constants of the code (never input). */
  raw: (text: string): Sql => new Sql([text], []),
  /** A quoted identifier (`"a"."b"` from ('a', 'b')). */
  ident: (...names: string[]): Sql => new Sql([names.map((n) => `"${n.replaceAll('"', '""')}"`).join('.')], []),
  /** Fragments joined by a separator (", " by default); falsy parts are skipped. */
  join: (parts: readonly SqlPart[], separator = ', '): Sql => {
    const list = present(parts);
    return new Sql(['', ...list.map((_, i) => (i === list.length - 1 ? '' : separator))], list);
  },
  empty: new Sql([''], []),
});

/** Conditions joined with AND, parenthesised; no condition is `true`. Falsy parts are skipped (`x && sql\`…\``). */
export function and(conds: readonly SqlPart[]): Sql {
  const list = present(conds);
  if (list.length === 0) return sql`true`;
  return list.length === 1
    ? sql`(${list[0]})`
    : sql`(${sql.join(
        list.map((c) => sql`(${c})`),
        ' and ',
      )})`;
}

/** Conditions joined with OR, parenthesised; no condition is `false`. */
export function or(conds: readonly SqlPart[]): Sql {
  const list = present(conds);
  if (list.length === 0) return sql`false`;
  return list.length === 1
    ? sql`(${list[0]})`
    : sql`(${sql.join(
        list.map((c) => sql`(${c})`),
        ' or ',
      )})`;
}

/** `where …` over the conditions, or nothing when there are none. */
export function where(conds: readonly SqlPart[]): Sql {
  return present(conds).length === 0 ? sql.empty : sql`where ${and(conds)}`;
}

/** What the drivers send: a fragment compiled, or constant text with its own parameters. */
export function toText(query: string | Sql, values: readonly unknown[]): { text: string; params: unknown[] } {
  if (typeof query === 'string') return { text: query, params: [...values] };
  if (values.length > 0) throw new Error('a sql fragment carries its own values');
  const c = query.compile();
  return { text: c.text, params: c.values };
}
